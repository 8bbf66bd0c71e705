/**
 * Writes the openIMIS way, so openIMIS itself keeps working on the same rows:
 * - insert: a current row with a fresh UUID, ValidityFrom = now, ValidityTo NULL, LegacyID NULL;
 * - update: first copy the current values into a new history row (new key, new UUID,
 *   ValidityTo = now, LegacyID = current key), then update the current row in place;
 * - delete: the same copy, then close the current row (ValidityFrom = ValidityTo = now).
 * Version ids are the ValidityFrom instants, so every write moves ValidityFrom strictly forward.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Row, VersionedTable } from '../fhir/types.js';

/** A legacy table with the usual history columns (AuditUserID is spelt AuditUserId in a few tables). */
export function versionedTable(name: string, pk: string, uuid: string, auditUser = 'AuditUserID'): VersionedTable {
  return { name, pk, uuid, validityFrom: 'ValidityFrom', validityTo: 'ValidityTo', legacyId: 'LegacyID', auditUser };
}

/** rowversion columns cannot be written on SQL Server and mean nothing on PostgreSQL. */
const NEVER_COPIED = /^rowid$/i;

const columnCache = new WeakMap<object, Map<string, Promise<string[]>>>();

/**
 * The table's columns as the database has them (an existing database may have more than ours, and
 * SQL Server spells some differently: LegacyId, InsureePolicyId). Cached per database: a transaction
 * shares its database's client configuration.
 */
export function tableColumns(db: Knex, table: string): Promise<string[]> {
  const client = db.client as { config?: object } | undefined;
  const key: object = client?.config ?? client ?? db;
  let perDb = columnCache.get(key);
  if (!perDb) columnCache.set(key, (perDb = new Map()));
  let columns = perDb.get(table);
  if (!columns) {
    columns = db(table).columnInfo().then((info) => Object.keys(info));
    columns.catch(() => perDb!.delete(table));
    perDb.set(table, columns);
  }
  return columns;
}

/**
 * The instant of the next version: now, but always after the current version by more than the
 * coarsest timestamp precision (SQL Server datetime: 1/300 s), so that version ids stay distinct.
 */
const VERSION_STEP_MS = 4;
export function nextVersionInstant(current: Row | undefined, table: VersionedTable, at: Date): Date {
  const previous = current?.[table.validityFrom];
  const previousMs = previous instanceof Date ? previous.getTime() : previous ? Date.parse(String(previous)) : NaN;
  return Number.isFinite(previousMs) && previousMs + VERSION_STEP_MS > at.getTime() ? new Date(previousMs + VERSION_STEP_MS) : at;
}

export async function insertVersioned(
  tx: Knex.Transaction,
  table: VersionedTable,
  values: Row,
  audit: { userId: number; at: Date },
): Promise<{ id: number; uuid: string }> {
  const uuid = (values[table.uuid] as string | undefined) ?? randomUUID();
  const [inserted] = await tx(table.name)
    .insert({
      ...values,
      [table.uuid]: uuid,
      [table.validityFrom]: audit.at,
      [table.validityTo]: null,
      [table.legacyId]: null,
      [table.auditUser]: audit.userId,
    })
    .returning(table.pk);
  const id = typeof inserted === 'object' ? (inserted as Row)[table.pk] : inserted;
  return { id: Number(id), uuid };
}

/** Copies the current row into a history row closed at `closedAt`. */
export async function archiveCurrent(tx: Knex.Transaction, table: VersionedTable, id: number, closedAt: Date) {
  // Column names compare without regard to case: SQL Server reports its own spellings.
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const columns = (await tableColumns(tx, table.name)).filter((c) => !same(c, table.pk) && !NEVER_COPIED.test(c));
  const replaced = new Map<string, unknown>([
    [table.uuid.toLowerCase(), randomUUID()],
    [table.validityTo.toLowerCase(), closedAt],
    [table.legacyId.toLowerCase(), id],
  ]);
  const selectList = columns.map((c) => (replaced.has(c.toLowerCase()) ? '?' : '??'));
  const bindings: Knex.RawBinding[] = [table.name, ...columns];
  for (const c of columns) bindings.push((replaced.has(c.toLowerCase()) ? replaced.get(c.toLowerCase()) : c) as Knex.RawBinding);
  bindings.push(table.name, table.pk, id);
  await tx.raw(
    `insert into ?? (${columns.map(() => '??').join(', ')}) select ${selectList.join(', ')} from ?? where ?? = ?`,
    bindings,
  );
}

export async function updateVersioned(
  tx: Knex.Transaction,
  table: VersionedTable,
  current: Row,
  values: Row,
  audit: { userId: number; at: Date },
): Promise<Date> {
  const id = Number(current[table.pk]);
  const at = nextVersionInstant(current, table, audit.at);
  await archiveCurrent(tx, table, id, at);
  const { [table.pk]: _pk, [table.uuid]: _uuid, ...changes } = values;
  await tx(table.name)
    .where(table.pk, id)
    .update({ ...changes, [table.validityFrom]: at, [table.auditUser]: audit.userId });
  return at;
}

export async function deleteVersioned(
  tx: Knex.Transaction,
  table: VersionedTable,
  current: Row,
  audit: { userId: number; at: Date },
): Promise<Date> {
  const id = Number(current[table.pk]);
  const at = nextVersionInstant(current, table, audit.at);
  await archiveCurrent(tx, table, id, at);
  await tx(table.name)
    .where(table.pk, id)
    .update({ [table.validityFrom]: at, [table.validityTo]: at, [table.auditUser]: audit.userId });
  return at;
}
