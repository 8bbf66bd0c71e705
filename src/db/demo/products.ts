/**
 * Demo insurance products (tblProduct with their covered items and services) and payers.
 */
import { ITEMS, SERVICES } from './medical.js';
import { demoUuid, withHistory, type DemoClock, type Row, type TableRows } from './util.js';

interface ProductData {
  id: number;
  code: string;
  name: string;
  /** Region code, or null for a national product. */
  region: string | null;
  values: Row;
  /** Items / services not covered. */
  excludedItems?: string[];
  excludedServices?: string[];
  /** Per-line settings by code (overrides of the default co-sharing 100 %, price-list origin line). */
  itemLines?: Record<string, Row>;
  serviceLines?: Record<string, Row>;
  /** Default PriceOrigin of the service lines (P price list, O own price, R relative). */
  servicePriceOrigin?: 'P' | 'O' | 'R';
}

export const PRODUCTS: ProductData[] = [
  {
    id: 1,
    code: 'BASIC01',
    name: 'Basic Family Cover',
    region: 'R1',
    values: { LumpSum: 10000, MemberCount: 6, PremiumAdult: 1500, PremiumChild: 1000, CeilingInterpretation: 'H' },
  },
  {
    id: 2,
    code: 'PLUS01',
    name: 'Health Plus Cover',
    region: 'R1',
    values: {
      LumpSum: 0, MemberCount: 8, PremiumAdult: 4000, PremiumChild: 2000,
      DedInsuree: 500, DedIPInsuree: 1000, MaxInsuree: 200000, MaxOPInsuree: 50000, MaxIPInsuree: 150000,
      MaxPolicy: 600000, MaxNoConsultation: 12, MaxNoSurgery: 2, MaxNoDelivery: 2, MaxNoHospitalizaion: 3,
      MaxNoVisits: 24, MaxNoAntenatal: 4, MaxAmountSurgery: 150000, MaxAmountDelivery: 60000,
      MaxAmountHospitalization: 100000, MaxAmountConsultation: 30000, MaxAmountAntenatal: 10000,
      CeilingInterpretation: 'I', RegistrationFee: 500, GeneralAssemblyFee: 200,
    },
    excludedItems: ['IBUP40'],
    itemLines: { METF50: { LimitAdult: 80 }, ATEN50: { LimitAdult: 80 } },
    serviceLines: { XRAY01: { LimitAdult: 80, LimitChild: 100 }, CSEC01: { WaitingPeriodAdult: 3 }, ANC01: { LimitNoAdult: 4 } },
  },
  {
    id: 3,
    code: 'COAST01',
    name: 'Coastal Family Cover',
    region: 'R2',
    values: { LumpSum: 12000, MemberCount: 6, PremiumAdult: 2000, PremiumChild: 1000, CeilingInterpretation: 'H', MaxInstallments: 2 },
    servicePriceOrigin: 'R',
  },
  {
    id: 4,
    code: 'NATL01',
    name: 'National Individual Cover',
    region: null,
    values: { LumpSum: 0, MemberCount: 10, PremiumAdult: 2500, PremiumChild: 1200, MaxOPInsuree: 40000, CeilingInterpretation: 'H' },
    excludedServices: ['CSEC01', 'HOSP01', 'EMER01'],
    serviceLines: { XRAY01: { LimitationType: 'F', LimitAdult: 10000, LimitChild: 10000 } },
  },
];

export const product = (code: string): ProductData => {
  const found = PRODUCTS.find((p) => p.code === code);
  if (!found) throw new Error(`Unknown demo product ${code}`);
  return found;
};

/** BASIC01 used to cost 8 000: history copy id 5. */
const PRODUCT_PRICE_CHANGE = { id: 1, historyId: 5, old: { LumpSum: 8000 }, afterDays: 365 };

// [PayerID, type, name, address, region code]
const PAYERS: [number, string, string, string, string | null][] = [
  [1, 'C', 'Kilima Coffee Growers Co-operative', 'P.O. Box 45, Amani', 'R1'],
  [2, 'G', 'Ministry of Health Subsidy Fund', 'P.O. Box 9083, Capital City', null],
];

export function buildProducts(clock: DemoClock, locationId: (code: string) => number): TableRows {
  const audit = { ValidityTo: null, LegacyID: null, AuditUserID: 1 };
  const changedAt = new Date(Date.parse(clock.setup) + PRODUCT_PRICE_CHANGE.afterDays * 86_400_000).toISOString();

  const tblProduct: Row[] = PRODUCTS.flatMap((p) => {
    const current: Row = {
      ProdID: p.id,
      ProdUUID: demoUuid('tblProduct', p.id),
      ProductCode: p.code,
      ProductName: p.name,
      LocationId: p.region ? locationId(p.region) : null,
      DateFrom: clock.setup,
      DateTo: `${clock.farFuture}T00:00:00.000Z`,
      InsurancePeriod: 12,
      GracePeriod: 1,
      GracePeriodRenewal: 1,
      MaxInstallments: 3,
      WaitingPeriod: 0,
      Threshold: 0,
      RenewalDiscountPerc: 0,
      RenewalDiscountPeriod: 0,
      EnrolmentDiscountPerc: 0,
      EnrolmentDiscountPeriod: 0,
      AdministrationPeriod: 0,
      Recurrence: 0,
      ShareContribution: 100,
      WeightPopulation: 0,
      WeightNumberFamilies: 0,
      WeightInsuredPopulation: 100,
      WeightNumberInsuredFamilies: 0,
      WeightNumberVisits: 0,
      WeightAdjustedAmount: 0,
      AccCodePremiums: `PRM-${p.code}`,
      AccCodeRemuneration: `REM-${p.code}`,
      ...p.values,
      ValidityFrom: clock.setup,
      ...audit,
    };
    if (p.id !== PRODUCT_PRICE_CHANGE.id) return [current];
    current.ValidityFrom = changedAt;
    return withHistory(current, { table: 'tblProduct', pk: 'ProdID', uuid: 'ProdUUID' }, [
      { id: PRODUCT_PRICE_CHANGE.historyId, from: clock.setup, to: changedAt, old: PRODUCT_PRICE_CHANGE.old },
    ]);
  });

  const line = (extra: Row | undefined, priceOrigin: string): Row => ({
    LimitationType: 'C',
    PriceOrigin: priceOrigin,
    LimitAdult: 100,
    LimitChild: 100,
    WaitingPeriodAdult: 0,
    WaitingPeriodChild: 0,
    CeilingExclusionAdult: 'N',
    CeilingExclusionChild: 'N',
    ...extra,
    ValidityFrom: clock.setup,
    ...audit,
  });

  const tblProductItems: Row[] = [];
  const tblProductServices: Row[] = [];
  for (const p of PRODUCTS) {
    for (const [itemId, code] of ITEMS) {
      if (p.excludedItems?.includes(code)) continue;
      tblProductItems.push({ ProdItemID: tblProductItems.length + 1, ProdID: p.id, ItemID: itemId, ...line(p.itemLines?.[code], 'P') });
    }
    for (const [serviceId, code] of SERVICES) {
      if (p.excludedServices?.includes(code)) continue;
      tblProductServices.push({
        ProdServiceID: tblProductServices.length + 1, ProdID: p.id, ServiceID: serviceId,
        ...line(p.serviceLines?.[code], p.servicePriceOrigin ?? 'P'),
      });
    }
  }

  const tblPayer: Row[] = PAYERS.map(([id, type, name, address, region]) => ({
    PayerID: id,
    PayerUUID: demoUuid('tblPayer', id),
    PayerType: type,
    PayerName: name,
    PayerAddress: address,
    Phone: `+255 22 230 000${id}`,
    Fax: null,
    eMail: `payer${id}@example.org`,
    LocationId: region ? locationId(region) : null,
    ValidityFrom: clock.setup,
    ...audit,
  }));

  return { tblProduct, tblProductItems, tblProductServices, tblPayer };
}
