/**
 * Every difference between the SQL engines lives behind this interface, chosen once from the Knex
 * client. Callers never branch on the engine themselves.
 */
import type { Knex } from 'knex';
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
   * One INSERT of many rows of the same columns (the audit trail's batches; at most 100 rows of up
   * to 20 columns, within SQL Server's 2,100 parameters). Values must suit the column kinds given
   * and survive JSON (strings, numbers, Dates, null); a timestamp may also be ISO 8601 text with its
   * zone (isoInstant). Properties that name no column are left out.
   */
  insertRows(db: Knex, table: string, columns: readonly BulkColumn[], rows: readonly Record<string, unknown>[]): Knex.Raw | Knex.QueryBuilder;
  /**
   * The statement that lets the current transaction commit without waiting for its log to reach the
   * disk (a crash may lose it), for writes that are no more durable than that anyway (the audit
   * trail's batches, already held in memory for up to half a second). Undefined where the engine
   * has no such setting per transaction.
   */
  relaxCommit(trx: Knex): Knex.Raw | undefined;
  /** The rows of a `db.raw` SELECT (the drivers shape raw results differently). */
  rawRows(result: unknown): Record<string, unknown>[];
}

export interface BulkColumn {
  name: string;
  kind: 'text' | 'integer' | 'timestamp';
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
