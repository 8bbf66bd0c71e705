/**
 * What the two medical registers (tblItems → Medication, tblServices → ActivityDefinition) share:
 * the unit price as Money, the patient-category bit mask (1 male/other, 2 female, 4 adult, 8 child,
 * as uspSubmitSingleClaim reads it) and the care type (O out-patient, I in-patient, B both) as venue
 * codings, in both directions.
 */
import type { Coding, Extension, Money } from 'fhir/r4.js';
import { loadMapping } from '../mappings.js';
import type { Problems } from '../problems.js';
import { findExtension, structureDefinition } from '../ig.js';

export const genderBits = loadMapping('patient-category-gender');
export const ageBits = loadMapping('patient-category-age');
export const venue = loadMapping('care-type-venue');

export const USAGE_CONTEXT_TYPE = 'http://terminology.hl7.org/CodeSystem/usage-context-type';
export const USAGE_CONTEXT: Record<'gender' | 'age' | 'venue' | 'workflow', Coding> = {
  gender: { system: USAGE_CONTEXT_TYPE, code: 'gender', display: 'Gender' },
  age: { system: USAGE_CONTEXT_TYPE, code: 'age', display: 'Age Range' },
  venue: { system: USAGE_CONTEXT_TYPE, code: 'venue', display: 'Clinical Venue' },
  workflow: { system: USAGE_CONTEXT_TYPE, code: 'workflow', display: 'Workflow Setting' },
};

const GENDER_BITS = [1, 2];
const AGE_BITS = [4, 8];
const ALL_GENDERS = 1 | 2;
const ALL_AGES = 4 | 8;

export function money(value: unknown, currency: string): Money {
  return { value: Number(value ?? 0), currency };
}

export function unitPriceExtension(value: unknown, currency: string): Extension {
  return { url: structureDefinition('unit-price'), valueMoney: money(value, currency) };
}

/** The codings of the patient categories a mask allows, gender or age. */
export function categoryCodings(mask: unknown, which: 'gender' | 'age'): Coding[] {
  const bits = which === 'gender' ? GENDER_BITS : AGE_BITS;
  const mapping = which === 'gender' ? genderBits : ageBits;
  return bits.filter((bit) => (Number(mask ?? 0) & bit) !== 0).map((bit) => mapping.toCoding(bit)!);
}

/** O → AMB, I → IMP, B → both. */
export function venueCodings(careType: unknown): Coding[] {
  const code = String(careType ?? '').trim();
  if (code === 'B') return [venue.toCoding('O')!, venue.toCoding('I')!];
  const coding = venue.toCoding(code);
  return coding ? [coding] : [];
}

/**
 * The mask bits of gender or age codings. Absent (undefined) means every category of that kind;
 * present but empty means none, as the openIMIS module wrote it.
 */
export function categoryBits(codings: Coding[] | undefined, which: 'gender' | 'age', expression: string, p: Problems): number {
  if (codings === undefined) return which === 'gender' ? ALL_GENDERS : ALL_AGES;
  const mapping = which === 'gender' ? genderBits : ageBits;
  let mask = 0;
  for (const coding of codings) {
    const legacy = coding.code ? legacyOf(mapping.searchMap(), coding.code) : undefined;
    if (legacy === undefined) {
      p.add(expression, `unknown code "${coding.code ?? ''}"; expected one of ${mapping.fhirCodes().join(', ')}`, 'code-invalid');
      continue;
    }
    mask |= Number(legacy);
  }
  return mask;
}

/** AMB → O, IMP → I, both → B; required. */
export function careTypeOf(codings: Coding[] | undefined, expression: string, p: Problems): string | null {
  if (!codings?.length) {
    p.add(expression, 'is required: AMB (out-patient), IMP (in-patient) or both', 'required');
    return null;
  }
  const types = new Set<string>();
  for (const coding of codings) {
    const legacy = coding.code ? legacyOf(venue.searchMap(), coding.code) : undefined;
    if (legacy === undefined) {
      p.add(expression, `unknown code "${coding.code ?? ''}"; expected ${venue.fhirCodes().join(' or ')}`, 'code-invalid');
      continue;
    }
    types.add(String(legacy));
  }
  if (types.size === 0) return null;
  return types.size > 1 ? 'B' : [...types][0];
}

/** A unit price from the unit-price extension (also found under the module's CodeSystem/unit-price URL). */
export function unitPriceOf(extensions: Extension[] | undefined, expression: string, currency: string, p: Problems): number | null {
  const extension = findExtension(extensions, 'unit-price');
  const value = extension?.valueMoney?.value;
  if (value === undefined || value === null) {
    p.add(expression, 'is required (valueMoney)', 'required');
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1e16) {
    p.add(expression, 'valueMoney.value must be a non-negative amount');
    return null;
  }
  if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) {
    p.add(expression, 'valueMoney.value has more than two decimals');
    return null;
  }
  const wanted = extension?.valueMoney?.currency;
  if (wanted && wanted !== currency) p.add(expression, `currency ${wanted} is not the currency of this scheme (${currency})`);
  return value;
}

/** Days between provisions (frequency), from a Timing with frequency 1 per period days. */
export function frequencyOf(repeat: { period?: number; periodUnit?: string } | undefined, expression: string, p: Problems): number | null {
  if (!repeat || repeat.period === undefined || repeat.period === null) return null;
  const period = Number(repeat.period);
  if (!Number.isInteger(period) || period < 0 || period > 32767) {
    p.add(`${expression}.period`, 'must be a whole number of days (0 to 32767)');
    return null;
  }
  if (repeat.periodUnit !== undefined && repeat.periodUnit !== 'd') p.add(`${expression}.periodUnit`, 'must be d (days)', 'code-invalid');
  return period;
}

function legacyOf(map: Record<string, string | number>, code: string): string | number | undefined {
  return Object.prototype.hasOwnProperty.call(map, code) ? map[code] : undefined;
}

export const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));
