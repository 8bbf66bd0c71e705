/**
 * FHIR date search values (http://hl7.org/fhir/R4/search.html#date): an optional prefix and a date
 * of year, month, day or instant precision, which stands for the half-open range [start, end).
 */
import { badRequest } from '../outcome.js';

export const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type Prefix = (typeof PREFIXES)[number];

export interface DateRange {
  prefix: Prefix;
  start: Date;
  end: Date;
}

const DATE_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export function splitPrefix(value: string): [Prefix, string] {
  const head = value.slice(0, 2) as Prefix;
  return PREFIXES.includes(head) && /^[a-z]{2}[\d-]/.test(value) ? [head, value.slice(2)] : ['eq', value];
}

export function parseDateValue(raw: string, param: string): DateRange {
  const [prefix, value] = splitPrefix(raw);
  const m = DATE_RE.exec(value);
  if (!m) throw badRequest(`${param}: "${raw}" is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or an instant)`);
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const year = Number(y);
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
    throw badRequest(`${param}: "${raw}" is not a valid calendar date`);
  }
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59))) {
    throw badRequest(`${param}: "${raw}" has an invalid time`);
  }
  let start: Date;
  let end: Date;
  if (h !== undefined) {
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ? `.${frac.slice(0, 3)}` : ''}${tz ?? 'Z'}`;
    start = new Date(iso);
    const unitMs = s === undefined ? 60_000 : frac ? 1 : 1000;
    end = new Date(start.getTime() + unitMs);
  } else {
    start = utc(year, month - 1, day);
    end = d ? utc(year, month - 1, day + 1) : mo ? utc(year, month, 1) : utc(year + 1, 0, 1);
  }
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw badRequest(`${param}: "${raw}" is out of range`);
  }
  return { prefix, start, end };
}

function daysIn(year: number, month: number) {
  return utc(year, month, 0).getUTCDate();
}

/** Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not. */
function utc(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

/** "YYYY-MM-DD" of a UTC instant, for comparisons with date columns. */
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
