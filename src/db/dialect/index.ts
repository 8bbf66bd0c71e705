/**
 * Every difference between the SQL engines lives behind this interface, chosen once from the Knex
 * client. Callers never branch on the engine themselves.
 */
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { postgres } from './postgres.js';
import { mssql } from './mssql.js';

export interface Dialect {
  readonly name: 'postgresql' | 'mssql';
  /** Case-insensitive LIKE of a column against a pattern whose wildcards were already placed. */
  likeInsensitive(db: Knex, column: string, pattern: string): Knex.Raw;
  /** Case-sensitive LIKE. */
  likeSensitive(db: Knex, column: string, pattern: string): Knex.Raw;
  /** Case-insensitive equality on text. */
  equalsInsensitive(db: Knex, column: string, value: string): Knex.Raw;
  /**
   * Case-sensitive equality on text (FHIR `:exact`). A plain `where(column, value)` ignores case on
   * SQL Server, whose openIMIS databases use a case-insensitive collation.
   */
  equalsSensitive(db: Knex, column: string, value: string): Knex.Raw;
  /**
   * The planner's estimate of the rows a query returns, for _total=estimate; undefined when the
   * engine has no cheap estimate (the caller then counts).
   */
  estimateCount(db: Knex, query: Knex.QueryBuilder): Promise<number | undefined>;
  /** Normalises a UUID read from the driver (SQL Server returns upper case). */
  readUuid(value: unknown): string;
  /**
   * Appends rows of the same columns to a table, all or none, in a transaction that commits without
   * waiting for its log to reach the disk where the engine allows it (a crash may lose it): for the
   * audit trail's batches, which are no more durable than that anyway, held in memory for up to half
   * a second. Each row gives its values in the order of `columns`; a timestamp is ISO 8601 text with
   * its zone (isoInstant).
   */
  appendRows(db: Knex, table: string, columns: readonly BulkColumn[], rows: readonly BulkRow[]): Promise<void>;
  /** The rows of a `db.raw` SELECT (the drivers shape raw results differently). */
  rawRows(result: unknown): Record<string, unknown>[];
  /**
   * A statement that waits for, then takes, an exclusive lock of this name on the database, held
   * until the transaction it runs in ends: for work that one server at a time must do (migrations).
   */
  exclusiveLock(db: Knex, name: string): Knex.Raw;
}

export interface BulkColumn {
  name: string;
  kind: 'text' | 'integer' | 'timestamp';
}

export type BulkRow = readonly (string | number | null)[];

/** A lock name as a signed 64-bit number (PostgreSQL's advisory locks are numbered), as text. */
export function lockNumber(name: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha1').update(name).digest('hex').slice(0, 16)}`)).toString();
}

/** Escapes LIKE wildcards in user input so that only the wildcards we add have meaning. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_[\]]/g, (c) => `\\${c}`);
}

export function dialectFor(db: Knex): Dialect {
  const client = String((db.client as { config?: { client?: unknown } }).config?.client ?? '');
  const name = (db.client as { dialect?: string }).dialect ?? client;
  return /mssql/i.test(name) || /mssql/i.test(client) ? mssql : postgres;
}
