/**
 * Helpers shared by the demo data modules: deterministic UUIDs, dates relative to "today", and the
 * legacy history pattern (copy of the old values as a new row pointing back with LegacyID).
 */
import { createHash } from 'node:crypto';

/** A row to insert: column name (exact PG spelling) → value. */
export type Row = Record<string, unknown>;

/** Rows per table name. */
export type TableRows = Record<string, Row[]>;

/**
 * Deterministic lower-case UUID (version-4 shaped) derived from a SHA-256 of the table and id, so the
 * demo gets the same UUIDs on every load and the facts can name them.
 */
export function demoUuid(table: string, id: number | string): string {
  const hex = createHash('sha256').update(`openimis-fhir-demo/${table}/${id}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Deterministic hex string of the given length (for demo salts). */
export function demoHex(seed: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    out += createHash('sha256').update(`openimis-fhir-demo/${seed}/${i}`).digest('hex');
  }
  return out.slice(0, length);
}

const DAY_MS = 86_400_000;

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Adds calendar months to a 'YYYY-MM-DD' date (clamped to the month's last day). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return isoDate(first);
}

export function addDays(date: string, days: number): string {
  return isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
}

/** Policy expiry as openIMIS computes it: start + insurance period in months, minus one day. */
export function expiryDate(start: string, months: number): string {
  return addDays(addMonths(start, months), -1);
}

/** Dates of the demo, all relative to one "today" so active policies always cover today. */
export class DemoClock {
  /** Today at 00:00 UTC. */
  readonly today: Date;
  /** When the scheme was set up: 1 January three years before today, 08:00 UTC. */
  readonly setup: string;
  readonly setupDate: string;

  constructor(today: Date) {
    this.today = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    this.setupDate = `${this.today.getUTCFullYear() - 3}-01-01`;
    this.setup = `${this.setupDate}T08:00:00.000Z`;
  }

  /** 'YYYY-MM-DD' of today + offset days (negative = past). */
  date(offsetDays: number): string {
    return isoDate(new Date(this.today.getTime() + offsetDays * DAY_MS));
  }

  /** ISO timestamp of today + offset days at the given UTC hour. */
  time(offsetDays: number, hour = 9): string {
    return new Date(this.today.getTime() + offsetDays * DAY_MS + hour * 3_600_000).toISOString();
  }

  /** Last day of the year five years after today (end of product validity). */
  get farFuture(): string {
    return `${this.today.getUTCFullYear() + 5}-12-31`;
  }
}

export interface HistoryVersion {
  /** Primary key of the history copy. */
  id: number;
  /** Start of the period in which the old version was current. */
  from: string;
  /** When it was replaced (becomes ValidityTo of the copy). */
  to: string;
  /** The old values that differ from the current row. */
  old: Row;
}

export interface VersionedKeys {
  table: string;
  pk: string;
  /** UUID column; the copy gets a fresh UUID as the legacy writers do. */
  uuid?: string;
  legacyId?: string;
}

/**
 * The legacy update pattern: the current row keeps its id and UUID; each older version is a copy
 * with a new id, a new UUID, ValidityTo = replacement time and LegacyID = the current id.
 * Versions are given oldest first and their `old` values accumulate backwards from the current row.
 */
export function withHistory(current: Row, keys: VersionedKeys, versions: HistoryVersion[]): Row[] {
  const legacyId = keys.legacyId ?? 'LegacyID';
  const copies: Row[] = [];
  let values: Row = { ...current };
  for (const version of [...versions].reverse()) {
    values = { ...values, ...version.old };
    const copy: Row = { ...values, [keys.pk]: version.id, ValidityFrom: version.from, ValidityTo: version.to, [legacyId]: current[keys.pk] };
    if (keys.uuid) copy[keys.uuid] = demoUuid(keys.table, version.id);
    copies.unshift(copy);
  }
  return [current, ...copies];
}

/**
 * The legacy delete pattern: a history copy of the last values (ValidityTo = deletion time,
 * LegacyID = id) and ValidityFrom = ValidityTo = deletion time on the original row.
 */
export function softDeleted(row: Row, keys: VersionedKeys, historyId: number, deletedAt: string): Row[] {
  const [, copy] = withHistory(row, keys, [{ id: historyId, from: String(row.ValidityFrom), to: deletedAt, old: {} }]);
  return [{ ...row, ValidityFrom: deletedAt, ValidityTo: deletedAt }, copy!];
}

/** Inclusive integer range, for right catalogues. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Rounds money to 2 decimals. */
export const money = (value: number): number => Math.round(value * 100) / 100;
