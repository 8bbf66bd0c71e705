/**
 * Demo medical registers: items (medicines and supplies), services, ICD-10 diagnoses, and the
 * health-facility price lists built on them.
 */
import { demoUuid, type DemoClock, type Row, type TableRows } from './util.js';

// Patient categories (ItemPatCat / ServPatCat bits): 1 male/other, 2 female, 4 adult, 8 child.
const ALL = 15;
const ADULT = 7;
const CHILD = 11;
const WOMAN = 6;

// [ItemID, code, name, type D drug / M medical supply, package, price, care type, frequency (days), patient categories]
type ItemData = [number, string, string, 'D' | 'M', string, number, 'I' | 'O' | 'B', number | null, number];

export const ITEMS: ItemData[] = [
  [1, 'PARA50', 'Paracetamol 500 mg tablets', 'D', '1 tablet', 10, 'B', null, ALL],
  [2, 'AMOX25', 'Amoxicillin 250 mg capsules', 'D', '1 capsule', 40, 'B', null, ALL],
  [3, 'ARTL20', 'Artemether/Lumefantrine 20/120 mg, course of 24 tablets', 'D', '1 course', 1500, 'B', null, ALL],
  [4, 'ORS001', 'Oral rehydration salts sachet', 'D', '1 sachet', 150, 'O', null, ALL],
  [5, 'ZINC20', 'Zinc sulphate 20 mg dispersible tablets', 'D', '1 tablet', 30, 'O', null, CHILD],
  [6, 'METR25', 'Metronidazole 250 mg tablets', 'D', '1 tablet', 20, 'B', null, ALL],
  [7, 'COTR48', 'Cotrimoxazole 480 mg tablets', 'D', '1 tablet', 25, 'B', null, ALL],
  [8, 'IBUP40', 'Ibuprofen 400 mg tablets', 'D', '1 tablet', 15, 'B', null, ADULT],
  [9, 'FERR20', 'Ferrous sulphate 200 mg tablets', 'D', '1 tablet', 10, 'O', null, ALL],
  [10, 'FOLA05', 'Folic acid 5 mg tablets', 'D', '1 tablet', 5, 'O', null, ALL],
  [11, 'VITA20', 'Vitamin A 200 000 IU capsules', 'D', '1 capsule', 140, 'O', 180, CHILD],
  [12, 'MEBE50', 'Mebendazole 500 mg tablet', 'D', '1 tablet', 200, 'O', 180, ALL],
  [13, 'CIPR50', 'Ciprofloxacin 500 mg tablets', 'D', '1 tablet', 60, 'B', null, ADULT],
  [14, 'DOXY10', 'Doxycycline 100 mg capsules', 'D', '1 capsule', 35, 'B', null, ADULT],
  [15, 'ATEN50', 'Atenolol 50 mg tablets', 'D', '1 tablet', 30, 'O', null, ADULT],
  [16, 'METF50', 'Metformin 500 mg tablets', 'D', '1 tablet', 25, 'O', null, ADULT],
  [17, 'OXYT10', 'Oxytocin 10 IU/ml injection', 'D', '1 ampoule', 800, 'B', null, WOMAN],
  [18, 'NACL09', 'Sodium chloride 0.9% infusion 500 ml', 'D', '1 bottle', 1200, 'I', null, ALL],
  [19, 'GLOV01', 'Examination gloves', 'M', '1 pair', 100, 'B', null, ALL],
  [20, 'SYRI05', 'Disposable syringe 5 ml', 'M', '1 piece', 80, 'B', null, ALL],
  [21, 'BAND01', 'Gauze bandage 10 cm x 4 m', 'M', '1 roll', 250, 'B', null, ALL],
];

// [ServiceID, code, name, type C curative / P preventive, level S simple / V visit / D day / H hospital case,
//  category S surgery / D delivery / A antenatal / H hospitalisation / C consultation / null, price, care type, frequency, patient categories]
type ServiceData = [number, string, string, 'C' | 'P', 'S' | 'V' | 'D' | 'H', string | null, number, 'I' | 'O' | 'B', number | null, number];

export const SERVICES: ServiceData[] = [
  [1, 'OPD01', 'General outpatient consultation', 'C', 'V', 'C', 1500, 'O', null, ALL],
  [2, 'OPD02', 'Specialist consultation', 'C', 'V', 'C', 4000, 'B', null, ALL],
  [3, 'ANC01', 'Antenatal care visit', 'P', 'V', 'A', 2000, 'O', 28, WOMAN],
  [4, 'DEL01', 'Normal delivery', 'C', 'H', 'D', 25000, 'I', null, WOMAN],
  [5, 'CSEC01', 'Caesarean section', 'C', 'H', 'S', 150000, 'I', null, WOMAN],
  [6, 'SURM01', 'Minor surgery (incision and drainage)', 'C', 'S', 'S', 12000, 'B', null, ALL],
  [7, 'HOSP01', 'In-patient stay, per day', 'C', 'D', 'H', 8000, 'I', null, ALL],
  [8, 'LAB01', 'Malaria rapid diagnostic test', 'C', 'S', null, 1000, 'B', null, ALL],
  [9, 'LAB02', 'Full blood count', 'C', 'S', null, 3000, 'B', null, ALL],
  [10, 'LAB03', 'Urinalysis', 'C', 'S', null, 1500, 'B', null, ALL],
  [11, 'XRAY01', 'Chest X-ray', 'C', 'S', null, 15000, 'B', null, ALL],
  [12, 'IMM01', 'Childhood immunisation session', 'P', 'V', null, 500, 'O', null, CHILD],
  [13, 'FP01', 'Family planning counselling', 'P', 'V', null, 1000, 'O', null, ADULT],
  [14, 'DENT01', 'Tooth extraction', 'C', 'S', null, 5000, 'O', null, ALL],
  [15, 'EMER01', 'Emergency admission and stabilisation', 'C', 'H', 'H', 30000, 'I', null, ALL],
];

// [ICDID, code, name] (ICD-10 categories)
export const ICD_CODES: [number, string, string][] = [
  [1, 'A00', 'Cholera'],
  [2, 'A01', 'Typhoid and paratyphoid fevers'],
  [3, 'A09', 'Other gastroenteritis and colitis of infectious and unspecified origin'],
  [4, 'A15', 'Respiratory tuberculosis'],
  [5, 'B20', 'Human immunodeficiency virus [HIV] disease'],
  [6, 'B50', 'Plasmodium falciparum malaria'],
  [7, 'B54', 'Unspecified malaria'],
  [8, 'D50', 'Iron deficiency anaemia'],
  [9, 'E11', 'Type 2 diabetes mellitus'],
  [10, 'E43', 'Unspecified severe protein-energy malnutrition'],
  [11, 'G40', 'Epilepsy'],
  [12, 'H10', 'Conjunctivitis'],
  [13, 'H66', 'Suppurative and unspecified otitis media'],
  [14, 'I10', 'Essential (primary) hypertension'],
  [15, 'J00', 'Acute nasopharyngitis [common cold]'],
  [16, 'J18', 'Pneumonia, organism unspecified'],
  [17, 'J45', 'Asthma'],
  [18, 'K02', 'Dental caries'],
  [19, 'K29', 'Gastritis and duodenitis'],
  [20, 'K35', 'Acute appendicitis'],
  [21, 'L03', 'Cellulitis'],
  [22, 'M54', 'Dorsalgia'],
  [23, 'N39', 'Other disorders of urinary system'],
  [24, 'O80', 'Single spontaneous delivery'],
  [25, 'O82', 'Single delivery by caesarean section'],
  [26, 'R50', 'Fever of other and unknown origin'],
  [27, 'R51', 'Headache'],
  [28, 'S52', 'Fracture of forearm'],
  [29, 'T14', 'Injury of unspecified body region'],
  [30, 'Z34', 'Supervision of normal pregnancy'],
];

export const icdId = (code: string): number => {
  const found = ICD_CODES.find((c) => c[1] === code);
  if (!found) throw new Error(`Unknown demo ICD code ${code}`);
  return found[0];
};

export function item(code: string): { id: number; price: number } {
  const found = ITEMS.find((i) => i[1] === code);
  if (!found) throw new Error(`Unknown demo item ${code}`);
  return { id: found[0], price: found[5] };
}

export function service(code: string): { id: number; price: number } {
  const found = SERVICES.find((s) => s[1] === code);
  if (!found) throw new Error(`Unknown demo service ${code}`);
  return { id: found[0], price: found[6] };
}

/** Price lists: [id, name, location code or null, codes (null = whole register), price overrides]. */
type PriceList = [number, string, string | null, string[] | null, Record<string, number>];

const ITEM_PRICE_LISTS: PriceList[] = [
  [1, 'Hospital items Kilima', 'R1', null, {}],
  [2, 'Primary care items Kilima', 'R1',
    ['PARA50', 'AMOX25', 'ARTL20', 'ORS001', 'ZINC20', 'METR25', 'COTR48', 'IBUP40', 'FERR20', 'FOLA05', 'VITA20', 'MEBE50', 'ATEN50', 'GLOV01', 'SYRI05', 'BAND01'],
    { PARA50: 8, AMOX25: 35 }],
  [3, 'Items Pwani', 'R2', null, { ORS001: 120 }],
];

const SERVICE_PRICE_LISTS: PriceList[] = [
  [1, 'Hospital services Kilima', 'R1', SERVICES.map((s) => s[1]).filter((c) => c !== 'DENT01'), { XRAY01: 14000 }],
  [2, 'Primary care services Kilima', 'R1',
    ['OPD01', 'ANC01', 'DEL01', 'SURM01', 'LAB01', 'LAB02', 'LAB03', 'IMM01', 'FP01', 'DENT01'],
    { OPD01: 1200 }],
  [3, 'Services Pwani', 'R2', null, {}],
];

/** Price a facility charges: the price-list override, else the register price. */
export function priceAt(kind: 'item' | 'service', priceListId: number, code: string): number {
  const list = (kind === 'item' ? ITEM_PRICE_LISTS : SERVICE_PRICE_LISTS).find((l) => l[0] === priceListId);
  const override = list?.[4][code];
  return override ?? (kind === 'item' ? item(code).price : service(code).price);
}

export function buildMedical(clock: DemoClock, locationId: (code: string) => number): TableRows {
  const audit = { ValidityFrom: clock.setup, ValidityTo: null, LegacyID: null, AuditUserID: 1 };

  const tblItems: Row[] = ITEMS.map(([id, code, name, type, pack, price, careType, frequency, patCat]) => ({
    ItemID: id, ItemUUID: demoUuid('tblItems', id), ItemCode: code, ItemName: name, ItemType: type,
    ItemPackage: pack, ItemPrice: price, ItemCareType: careType, ItemFrequency: frequency, ItemPatCat: patCat,
    Quantity: null, ...audit,
  }));

  const tblServices: Row[] = SERVICES.map(([id, code, name, type, level, category, price, careType, frequency, patCat]) => ({
    ServiceID: id, ServiceUUID: demoUuid('tblServices', id), ServCode: code, ServName: name, ServType: type,
    ServLevel: level, ServCategory: category, ServPrice: price, ServCareType: careType, ServFrequency: frequency,
    ServPatCat: patCat, ...audit,
  }));

  const tblICDCodes: Row[] = ICD_CODES.map(([id, code, name]) => ({ ICDID: id, ICDCode: code, ICDName: name, ...audit }));

  const header = (list: PriceList, idColumn: string, uuidColumn: string, nameColumn: string, table: string): Row => ({
    [idColumn]: list[0], [uuidColumn]: demoUuid(table, list[0]), [nameColumn]: list[1], DatePL: clock.setupDate,
    LocationId: list[2] ? locationId(list[2]) : null, ...audit,
  });

  const tblPLItems = ITEM_PRICE_LISTS.map((l) => header(l, 'PLItemID', 'PLItemUUID', 'PLItemName', 'tblPLItems'));
  const tblPLServices = SERVICE_PRICE_LISTS.map((l) => header(l, 'PLServiceID', 'PLServiceUUID', 'PLServName', 'tblPLServices'));

  const tblPLItemsDetail: Row[] = [];
  for (const [plId, , , codes, overrides] of ITEM_PRICE_LISTS) {
    for (const code of codes ?? ITEMS.map((i) => i[1])) {
      tblPLItemsDetail.push({
        PLItemDetailID: tblPLItemsDetail.length + 1, PLItemID: plId, ItemID: item(code).id,
        PriceOverule: overrides[code] ?? null, ...audit,
      });
    }
  }
  const tblPLServicesDetail: Row[] = [];
  for (const [plId, , , codes, overrides] of SERVICE_PRICE_LISTS) {
    for (const code of codes ?? SERVICES.map((s) => s[1])) {
      tblPLServicesDetail.push({
        PLServiceDetailID: tblPLServicesDetail.length + 1, PLServiceID: plId, ServiceID: service(code).id,
        PriceOverule: overrides[code] ?? null, ...audit,
      });
    }
  }

  return { tblItems, tblServices, tblICDCodes, tblPLItems, tblPLItemsDetail, tblPLServices, tblPLServicesDetail };
}
