/**
 * Dates as whole days since 1970-01-01 (UTC) for cheap arithmetic, rendered as PostgreSQL text:
 * 'YYYY-MM-DD' for date columns, 'YYYY-MM-DD HH:MM:SS+00' for timestamptz columns.
 */

const DAY_MS = 86_400_000;
const cache = new Map<number, string>();
const PAD2: string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

export function dayOf(iso: string): number {
  const ms = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new Error(`Not a date: ${iso}`);
  return Math.floor(ms / DAY_MS);
}

export function todayDay(): number {
  return Math.floor(Date.now() / DAY_MS);
}

/** 'YYYY-MM-DD' of a day number. */
export function isoDay(day: number): string {
  let s = cache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (cache.size < 100_000) cache.set(day, s);
  }
  return s;
}

/** timestamptz text of a day number plus seconds into that day. */
export function stamp(day: number, seconds = 0): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(seconds)));
  return `${isoDay(day)} ${PAD2[Math.floor(s / 3600)]}:${PAD2[Math.floor(s / 60) % 60]}:${PAD2[s % 60]}+00`;
}

/** Whole years between two day numbers (age at `on` of someone born on `born`). */
export function yearsBetween(born: number, on: number): number {
  const a = new Date(born * DAY_MS);
  const b = new Date(on * DAY_MS);
  let years = b.getUTCFullYear() - a.getUTCFullYear();
  if (b.getUTCMonth() < a.getUTCMonth() || (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate())) years--;
  return years;
}

/** The same calendar day `months` later (clamped to the month's end). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Math.floor(Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / DAY_MS);
}

export const DAYS_PER_YEAR = 365.25;
