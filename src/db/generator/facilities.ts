/**
 * Health facilities (tblHF, ~1 per 3000 insurees, at least three per district: a district hospital,
 * then health centres and dispensaries) and their price lists (tblPLItems / tblPLServices with
 * detail rows): per district one full list for hospitals and one primary-care list.
 */
import type { GeneratorContext } from './context.js';
import { stamp, isoDay } from './dates.js';
import type { Geography } from './locations.js';
import { phoneNumber, placeName, slug } from './names.js';
import { Weighted, type Prng } from './prng.js';
import type { Registers } from './registers.js';

export type HfLevel = 'H' | 'C' | 'D';

export interface PriceList {
  /** Register indices of the items on the list, with a picker weighted by use. */
  itemPicker: Weighted<number>;
  servicePicker: Weighted<number>;
  /** Price asked per register index (the list's override or the register price); 0 = not on the list. */
  itemPrice: Float64Array;
  servicePrice: Float64Array;
}

export interface Facility {
  index: number;
  id: number;
  code: string;
  level: HfLevel;
  careType: 'I' | 'O' | 'B';
  district: number;
  prices: PriceList;
  claimAdmins: number[];
}

export interface Facilities {
  list: Facility[];
  /** Facility indices per district. */
  byDistrict: number[][];
  /** A hospital per district (the district's first facility). */
  hospitalOfDistrict: number[];
}

export const HF_COLUMNS = [
  'HfID', 'HfUUID', 'HFCode', 'HFName', 'AccCode', 'HFLevel', 'HFSublevel', 'HFAddress', 'Phone', 'Fax', 'eMail',
  'HFCareType', 'OffLine', 'PLItemID', 'PLServiceID', 'LegalForm', 'LocationId', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;
const PL_ITEM_COLUMNS = ['PLItemID', 'PLItemUUID', 'PLItemName', 'DatePL', 'LocationId', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID'] as const;
const PL_SERVICE_COLUMNS = ['PLServiceID', 'PLServiceUUID', 'PLServName', 'DatePL', 'LocationId', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID'] as const;
const PL_ITEM_DETAIL_COLUMNS = ['PLItemDetailID', 'PLItemID', 'ItemID', 'PriceOverule', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID'] as const;
const PL_SERVICE_DETAIL_COLUMNS = ['PLServiceDetailID', 'PLServiceID', 'ServiceID', 'PriceOverule', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID'] as const;

type Row = (string | number | boolean | null)[];

/**
 * The n-th facility of a kind: the first ones take each value once (every legal form, care type
 * and sublevel exists in any scheme, however small), the others draw by weight.
 */
function varied<T>(rng: Prng, n: number, values: T[], weights: number[]): T {
  return n < values.length ? values[n] : rng.weighted(values, weights);
}

export async function generateFacilities(ctx: GeneratorContext, geo: Geography, reg: Registers): Promise<Facilities> {
  const rng = ctx.rng('facilities');
  const setup = ctx.setupStamp;
  const setupDay = isoDay(ctx.schemeStart);
  const plItems: Row[] = [];
  const plServices: Row[] = [];
  const plItemDetails: Row[] = [];
  const plServiceDetails: Row[] = [];

  // Price lists: per district a full (hospital) list and a primary-care list.
  const makeList = (districtId: number, districtCode: string, full: boolean) => {
    const itemListId = ctx.ids.take('tblPLItems');
    const serviceListId = ctx.ids.take('tblPLServices');
    const kind = full ? 'hospitals' : 'primary care';
    plItems.push([itemListId, rng.uuid(), `Medicines ${districtCode} ${kind}`, setupDay, districtId, setup, null, null, ctx.adminUserId]);
    plServices.push([serviceListId, rng.uuid(), `Services ${districtCode} ${kind}`, setupDay, districtId, setup, null, null, ctx.adminUserId]);
    const itemPrice = new Float64Array(reg.items.length);
    const servicePrice = new Float64Array(reg.services.length);
    const itemIdx: number[] = [];
    const serviceIdx: number[] = [];
    for (const item of reg.items) {
      if (!full && (item.careType === 'I' || item.price > 20_000)) continue;
      const override = rng.bool(0.1) ? Math.max(10, Math.round(item.price * (0.8 + rng.float() * 0.4))) : null;
      plItemDetails.push([ctx.ids.take('tblPLItemsDetail'), itemListId, item.id, override, setup, null, null, ctx.adminUserId]);
      itemPrice[item.index] = override ?? item.price;
      itemIdx.push(item.index);
    }
    for (const service of reg.services) {
      if (!full && (service.careType === 'I' || service.level === 'H' || service.category === 'S')) continue;
      const override = rng.bool(0.1) ? Math.round(service.price * (0.8 + rng.float() * 0.4)) : null;
      plServiceDetails.push([ctx.ids.take('tblPLServicesDetail'), serviceListId, service.id, override, setup, null, null, ctx.adminUserId]);
      servicePrice[service.index] = override ?? service.price;
      serviceIdx.push(service.index);
    }
    const prices: PriceList = {
      itemPicker: new Weighted(itemIdx, itemIdx.map((i) => reg.items[i].weight)),
      servicePicker: new Weighted(serviceIdx, serviceIdx.map((i) => reg.services[i].weight)),
      itemPrice,
      servicePrice,
    };
    return { itemListId, serviceListId, prices };
  };

  const totalWeight = geo.districts.reduce((a, d) => a + d.weight, 0);
  const target = Math.max(geo.districts.length, Math.round(ctx.opts.insurees / 3000));
  const list: Facility[] = [];
  const byDistrict: number[][] = [];
  const hospitalOfDistrict: number[] = [];
  const rows: Row[] = [];
  let globalSeq = 0;
  // How many facilities of each kind so far: the first ones take every variant once (see varied).
  const seen = { H: 0, other: 0, C: 0 };

  for (const district of geo.districts) {
    const full = makeList(district.id, district.code, true);
    const primary = makeList(district.id, district.code, false);
    // Even a small scheme's district has a hospital and a few health centres or dispensaries.
    const count = Math.max(3, Math.round((target * district.weight) / totalWeight));
    byDistrict.push([]);
    const levelSeq = { H: 0, C: 0, D: 0 };
    for (let k = 0; k < count; k++) {
      const level: HfLevel = k === 0 ? 'H' : k === 1 || rng.bool(0.25) ? 'C' : 'D';
      levelSeq[level]++;
      globalSeq++;
      const code = district.code.length <= 5
        ? `${district.code}${level}${String(levelSeq[level]).padStart(2, '0')}`.slice(0, 8)
        : `HF${String(globalSeq).padStart(6, '0')}`;
      const nth = level === 'H' ? seen.H++ : seen.other++;
      const nthCentre = level === 'C' ? seen.C++ : 0;
      const careType: Facility['careType'] = level === 'H' ? varied<Facility['careType']>(rng, nth, ['B', 'I'], [85, 15]) : level === 'C' ? varied<Facility['careType']>(rng, nthCentre, ['O', 'B'], [70, 30]) : 'O';
      const place = level === 'H' ? district.name : placeName(rng);
      const name = level === 'H' ? `${place} District Hospital` : level === 'C' ? `${place} Health Centre` : `${place} Dispensary`;
      const prices = level === 'H' ? full : primary;
      const id = ctx.ids.take('tblHF');
      const facility: Facility = { index: list.length, id, code, level, careType, district: district.index, prices: prices.prices, claimAdmins: [] };
      list.push(facility);
      byDistrict[district.index].push(facility.index);
      if (level === 'H' && k === 0) hospitalOfDistrict.push(facility.index);
      const legal = level === 'H' ? varied(rng, nth, ['G', 'C', 'P'], [75, 20, 5]) : varied(rng, nth, ['G', 'C', 'P', 'D'], [60, 15, 15, 10]);
      const sublevel = level === 'H' ? 'R' : level === 'C' ? varied(rng, nthCentre, ['I', 'N'], [1, 1]) : rng.bool(0.7) ? 'N' : null;
      const phone = phoneNumber(rng);
      const email = rng.bool(0.6) ? `${slug(place)}.${level === 'H' ? 'hospital' : 'hf'}${rng.int(1, 99)}@health.example` : null;
      const address = `P.O. Box ${rng.int(1, 9999)}, ${district.name}`;
      const base = [code, name, `ACC${String(id).padStart(5, '0')}`, level, sublevel, address];
      let validFrom = setup;
      if (rng.bool(0.1) || list.length === 1) {
        const changed = ctx.schemeStart + rng.int(30, Math.max(31, ctx.opts.today - ctx.schemeStart - 30));
        validFrom = stamp(changed, rng.int(8, 16) * 3600);
        rows.push([ctx.ids.take('tblHF'), rng.uuid(), ...base, phoneNumber(rng), null, email, careType, false, prices.itemListId, prices.serviceListId,
          legal, district.id, setup, validFrom, id, ctx.adminUserId]);
      }
      rows.push([id, rng.uuid(), ...base, phone, rng.bool(0.1) ? phoneNumber(rng) : null, email, careType, false, prices.itemListId,
        prices.serviceListId, legal, district.id, validFrom, null, null, ctx.adminUserId]);
    }
  }

  await ctx.target.load('tblPLItems', PL_ITEM_COLUMNS, plItems);
  await ctx.target.load('tblPLServices', PL_SERVICE_COLUMNS, plServices);
  await ctx.target.load('tblPLItemsDetail', PL_ITEM_DETAIL_COLUMNS, plItemDetails);
  await ctx.target.load('tblPLServicesDetail', PL_SERVICE_DETAIL_COLUMNS, plServiceDetails);
  await ctx.target.load('tblHF', HF_COLUMNS, rows);
  return { list, byDistrict, hospitalOfDistrict };
}
