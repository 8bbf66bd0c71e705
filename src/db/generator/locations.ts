/**
 * tblLocations: regions → districts → wards ("municipalities", code letter M) → villages, with
 * hierarchical codes R1, R1D1, R1D1M1, R1D1M1V1 that always fit varchar(8) (see locationCodes).
 */
import type { GeneratorContext } from './context.js';
import { SHARES } from './context.js';
import { stamp } from './dates.js';
import { placeName } from './names.js';
import { Weighted, type Prng } from './prng.js';

export interface Region {
  index: number;
  id: number;
  code: string;
  name: string;
  districts: number[];
}

export interface District {
  index: number;
  id: number;
  code: string;
  name: string;
  region: number;
  villages: number[];
  /** Expected share of the insured population. */
  weight: number;
}

export interface Village {
  index: number;
  id: number;
  code: string;
  district: number;
  weight: number;
}

export interface Geography {
  regions: Region[];
  districts: District[];
  villages: Village[];
  /** Picks a village index with probability proportional to its population. */
  villagePicker: Weighted<number>;
}

export const LOCATION_COLUMNS = [
  'LocationId', 'LocationUUID', 'LocationCode', 'LocationName', 'LocationType', 'ParentLocationId',
  'MalePopulation', 'FemalePopulation', 'OtherPopulation', 'Families',
  'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserId',
] as const;

const B36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** 1-based index in base 36 with a fixed width ('1'…'Z', then '01'… when the width is 2). */
function b36(n: number, width: number): string {
  let s = '';
  let v = n;
  while (v > 0) {
    s = B36[v % 36] + s;
    v = Math.floor(v / 36);
  }
  return s.padStart(width, '0');
}

const widthFor = (max: number) => Math.max(1, Math.ceil(Math.log(max + 1) / Math.log(36)));

/**
 * Code builder for the four levels. With up to 35 children per level the demo style R1D1M1V1 is
 * used; larger counts widen the index (base 36) and, when R/D/M/V letters no longer fit in eight
 * characters, only the leading R is kept (e.g. R0A1B2C).
 */
export function locationCodes(maxPerLevel: [number, number, number, number]) {
  const widths = maxPerLevel.map(widthFor);
  const total = widths.reduce((a, b) => a + b, 0);
  const letters = total + 4 <= 8 ? ['R', 'D', 'M', 'V'] : ['R', '', '', ''];
  if (total + (letters[1] ? 4 : 1) > 8) throw new Error('Too many locations for 8-character codes');
  return (parent: string, level: 0 | 1 | 2 | 3, n: number) => parent + letters[level] + b36(n, widths[level]);
}

/** Splits `total` into `parts` positive integers with random proportions. */
function split(rng: Prng, total: number, parts: number): number[] {
  const weights = Array.from({ length: parts }, () => 0.5 + rng.float());
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.max(1, Math.floor((w / sum) * total)));
  let rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts, rest--) out[i]++;
  return out;
}

interface PlannedWard { villages: number }
interface PlannedDistrict { wards: PlannedWard[] }
interface PlannedRegion { districts: PlannedDistrict[] }

function plan(rng: Prng, insurees: number): PlannedRegion[] {
  const regionCount = Math.max(2, Math.round(insurees / 200_000));
  const villageCount = Math.max(regionCount, Math.round(insurees / 450));
  return split(rng, villageCount, regionCount).map((vRegion) => {
    const districtCount = Math.min(35, Math.max(1, Math.round(vRegion / 55)));
    return {
      districts: split(rng, Math.max(vRegion, districtCount), districtCount).map((vDistrict) => {
        const wardCount = Math.min(35, Math.max(1, Math.round(vDistrict / 5), Math.ceil(vDistrict / 35)));
        return { wards: split(rng, Math.max(vDistrict, wardCount), wardCount).map((v) => ({ villages: Math.min(35, v) })) };
      }),
    };
  });
}

export async function generateLocations(ctx: GeneratorContext): Promise<Geography> {
  const rng = ctx.rng('locations');
  const planned = plan(rng, ctx.opts.insurees);
  const max = (xs: number[]) => Math.max(...xs);
  const code = locationCodes([
    planned.length,
    max(planned.map((r) => r.districts.length)),
    max(planned.flatMap((r) => r.districts.map((d) => d.wards.length))),
    max(planned.flatMap((r) => r.districts.flatMap((d) => d.wards.map((w) => w.villages)))),
  ]);

  const regions: Region[] = [];
  const districts: District[] = [];
  const villages: Village[] = [];
  const rows: (string | number | boolean | null)[][] = [];
  const created = stamp(ctx.schemeStart, 8 * 3600);
  const usedNames = new Set<string>();
  const uniqueName = () => {
    for (;;) {
      const n = placeName(rng);
      if (!usedNames.has(n)) {
        usedNames.add(n);
        return n;
      }
    }
  };

  // Insured people per village: the generator aims at ~450 (300–600) insurees per village.
  const add = (type: string, locCode: string, name: string, parent: number | null, population?: number) => {
    const id = ctx.ids.take('tblLocations');
    const uuid = rng.uuid();
    let pop: (number | null)[] = [null, null, null, null];
    if (population !== undefined) {
      const people = Math.round(population * (2.5 + rng.float())); // the scheme covers ~30 % of residents
      const male = Math.round(people * (0.47 + rng.float() * 0.04));
      pop = [male, people - male - Math.round(people * 0.001), Math.round(people * 0.001), Math.round(people / 4.6)];
    }
    let validFrom = created;
    if (type !== 'R' && rng.bool(SHARES.locationHistory)) {
      // renamed once: the old name survives in a history row
      const renamed = ctx.schemeStart + rng.int(30, Math.max(31, ctx.opts.today - ctx.schemeStart - 30));
      validFrom = stamp(renamed, rng.int(8, 17) * 3600);
      rows.push([ctx.ids.take('tblLocations'), rng.uuid(), locCode, `${name} ${rng.pick(['Old', 'Mjini', 'Kati'])}`.slice(0, 50), type, parent,
        ...pop, created, validFrom, id, ctx.adminUserId]);
    }
    rows.push([id, uuid, locCode, name, type, parent, ...pop, validFrom, null, null, ctx.adminUserId]);
    return id;
  };

  planned.forEach((pr, r) => {
    const rCode = code('', 0, r + 1);
    const rName = uniqueName();
    const region: Region = { index: r, id: add('R', rCode, rName, null), code: rCode, name: rName, districts: [] };
    regions.push(region);
    pr.districts.forEach((pd, d) => {
      const dCode = code(rCode, 1, d + 1);
      const dName = uniqueName();
      const district: District = { index: districts.length, id: add('D', dCode, dName, region.id), code: dCode, name: dName, region: r, villages: [], weight: 0 };
      districts.push(district);
      region.districts.push(district.index);
      pd.wards.forEach((pw, w) => {
        const wCode = code(dCode, 2, w + 1);
        const wardId = add('W', wCode, uniqueName(), district.id);
        for (let v = 0; v < pw.villages; v++) {
          const vCode = code(wCode, 3, v + 1);
          const weight = 0.4 + rng.float() * 1.2;
          const village: Village = { index: villages.length, id: 0, code: vCode, district: district.index, weight };
          village.id = add('V', vCode, uniqueName(), wardId, 450 * weight);
          villages.push(village);
          district.villages.push(village.index);
          district.weight += weight;
        }
      });
    });
  });

  await ctx.target.load('tblLocations', LOCATION_COLUMNS, rows);
  return {
    regions,
    districts,
    villages,
    villagePicker: new Weighted(villages.map((v) => v.index), villages.map((v) => v.weight)),
  };
}
