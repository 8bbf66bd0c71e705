/**
 * Medical registers: tblItems (~250 drugs and supplies), tblServices (~80 services) and tblICDCodes
 * (~400 diagnoses). A few items and services had a price change, kept as a history row.
 */
import type { GeneratorContext } from './context.js';
import { stamp } from './dates.js';
import { Weighted } from './prng.js';
import { DRUGS, ICD_CATEGORIES, ICD_QUALIFIERS, SERVICES, SUPPLIES } from './registers-data.js';

/** Patient categories (bitmask): 1 male/other, 2 female, 4 adult, 8 child. */
export const PAT_ALL = 15;

export interface Item {
  index: number;
  id: number;
  code: string;
  name: string;
  price: number;
  careType: 'I' | 'O' | 'B';
  patCat: number;
  weight: number;
  /** Typical quantity range for one prescription. */
  qty: [number, number];
}

export interface Service {
  index: number;
  id: number;
  code: string;
  price: number;
  careType: 'I' | 'O' | 'B';
  patCat: number;
  category: string | null;
  level: 'S' | 'V' | 'D' | 'H';
  weight: number;
}

export interface Registers {
  items: Item[];
  services: Service[];
  icdIds: number[];
  icdPicker: Weighted<number>;
}

export const ITEM_COLUMNS = [
  'ItemID', 'ItemUUID', 'ItemCode', 'ItemName', 'ItemType', 'ItemPackage', 'ItemPrice', 'ItemCareType',
  'ItemFrequency', 'ItemPatCat', 'Quantity', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

export const SERVICE_COLUMNS = [
  'ServiceID', 'ServiceUUID', 'ServCode', 'ServName', 'ServType', 'ServLevel', 'ServCategory', 'ServPrice',
  'ServCareType', 'ServFrequency', 'ServPatCat', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

export const ICD_COLUMNS = ['ICDID', 'ICDCode', 'ICDName', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID'] as const;

const TARGET_ITEMS = 250;

function itemCareType(form: string): 'I' | 'O' | 'B' {
  if (/infusion|vial|amp\b|amp /.test(form) || /\bamp$/.test(form)) return /amp/.test(form) ? 'B' : 'I';
  return 'O';
}

function itemPatCat(name: string, form: string): number {
  if (/Oxytocin|Misoprostol|Ergometrine|Magnesium sulphate|Medroxyprogesterone|Levonorgestrel|Mama kit|Delivery kit|Pregnancy/.test(name)) return 6;
  if (/syrup|susp|dispersible/.test(form)) return 11;
  if (/Zinc sulphate/.test(name)) return 11;
  return PAT_ALL;
}

function qtyRange(form: string): [number, number] {
  if (/x100/.test(form)) return [1, 1];
  if (/tabs|caps/.test(form)) return [6, 30];
  if (/sachet|amp|vial|pessaries|strip/.test(form)) return [1, 6];
  return [1, 2];
}

export async function generateRegisters(ctx: GeneratorContext): Promise<Registers> {
  const rng = ctx.rng('registers');
  const created = ctx.schemeStart - 30;
  const items: Item[] = [];
  const itemRows: (string | number | null)[][] = [];
  const specs: { name: string; form: string | null; type: 'D' | 'M'; price: number; weight: number }[] = [];
  for (const [name, forms, price, weight] of DRUGS) {
    forms.forEach((form, i) => specs.push({ name: `${name} ${form}`, form, type: 'D', price: Math.round(price * (1 + i * 0.6)), weight: weight / forms.length }));
  }
  for (const [name, price, weight] of SUPPLIES) specs.push({ name, form: null, type: 'M', price, weight });
  // Bulk packs of the most used tablets and capsules fill the register up to ~250 lines.
  const bulk = specs.filter((s) => s.form && /tabs|caps/.test(s.form)).sort((a, b) => b.weight - a.weight);
  for (const s of bulk) {
    if (specs.length >= TARGET_ITEMS) break;
    specs.push({ name: `${s.name} x100 pack`, form: `${s.form} x100`, type: 'D', price: s.price * 90, weight: s.weight / 8 });
  }

  specs.forEach((s, index) => {
    const id = ctx.ids.take('tblItems');
    const code = String(index + 1).padStart(4, '0');
    const careType = s.form ? itemCareType(s.form) : 'B';
    const patCat = itemPatCat(s.name, s.form ?? '');
    const item: Item = { index, id, code, name: s.name, price: s.price, careType, patCat, weight: s.weight, qty: s.form ? qtyRange(s.form) : [1, 3] };
    items.push(item);
    const frequency = rng.bool(0.1) ? rng.pick([7, 14, 30]) : null;
    let validFrom = stamp(created, 10 * 3600);
    if (rng.bool(0.05)) {
      const changed = ctx.schemeStart + rng.int(60, 1500);
      validFrom = stamp(changed, 10 * 3600);
      itemRows.push([ctx.ids.take('tblItems'), rng.uuid(), code, s.name.slice(0, 100), s.type, s.form, Math.round(s.price * 0.85), careType,
        frequency, patCat, null, stamp(created, 10 * 3600), validFrom, id, ctx.adminUserId]);
    }
    itemRows.push([id, rng.uuid(), code, s.name.slice(0, 100), s.type, s.form, s.price, careType, frequency, patCat, null, validFrom, null, null, ctx.adminUserId]);
  });

  const services: Service[] = [];
  const serviceRows: (string | number | null)[][] = [];
  const perPrefix = new Map<string, number>();
  SERVICES.forEach(([prefix, name, type, level, category, careType, price, weight], index) => {
    const n = (perPrefix.get(prefix) ?? 0) + 1;
    perPrefix.set(prefix, n);
    const code = `${prefix}${String(n).padStart(3, '0')}`;
    const id = ctx.ids.take('tblServices');
    const patCat = category === 'A' || category === 'D' || /Hysterectomy|Tubal|uterus|Postnatal|intrauterine/.test(name) ? 6
      : /Circumcision|Hydrocel/.test(name) ? 13
      : /Paediatric|Child welfare|Immunisation/.test(name) ? 11 : PAT_ALL;
    services.push({ index, id, code, price, careType, patCat, category, level, weight });
    const frequency = category === 'A' ? 28 : null;
    let validFrom = stamp(created, 10 * 3600);
    if (rng.bool(0.08)) {
      const changed = ctx.schemeStart + rng.int(60, 1500);
      validFrom = stamp(changed, 10 * 3600);
      serviceRows.push([ctx.ids.take('tblServices'), rng.uuid(), code, name, type, level, category, Math.round(price * 0.8), careType,
        frequency, patCat, stamp(created, 10 * 3600), validFrom, id, ctx.adminUserId]);
    }
    serviceRows.push([id, rng.uuid(), code, name, type, level, category, price, careType, frequency, patCat, validFrom, null, null, ctx.adminUserId]);
  });

  const icdRows: (string | number | null)[][] = [];
  const icdIds: number[] = [];
  const icdWeights: number[] = [];
  const icdStamp = stamp(created, 9 * 3600);
  for (const [code, name, weight] of ICD_CATEGORIES) {
    const subCount = weight >= 2 ? rng.int(2, 4) : 0;
    const id = ctx.ids.take('tblICDCodes');
    icdRows.push([id, code, name, icdStamp, null, null, ctx.adminUserId]);
    icdIds.push(id);
    icdWeights.push(subCount ? weight * 0.4 : weight);
    const digits = rng.shuffle([...Array(10).keys()]).slice(0, subCount).sort((a, b) => a - b);
    for (const d of digits) {
      const subId = ctx.ids.take('tblICDCodes');
      icdRows.push([subId, `${code}${d}`, `${name}, ${ICD_QUALIFIERS[d]}`.slice(0, 255), icdStamp, null, null, ctx.adminUserId]);
      icdIds.push(subId);
      icdWeights.push((weight * 0.6) / subCount);
    }
  }

  await ctx.target.load('tblItems', ITEM_COLUMNS, itemRows);
  await ctx.target.load('tblServices', SERVICE_COLUMNS, serviceRows);
  await ctx.target.load('tblICDCodes', ICD_COLUMNS, icdRows);
  return { items, services, icdIds, icdPicker: new Weighted(icdIds, icdWeights) };
}
