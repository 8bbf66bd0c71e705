/**
 * The openIMIS legacy PostgreSQL schema (65 base tables, plus tables of the modular openIMIS: tables-modular.ts),
 * kept as data and turned into DDL here.
 * Written from the column-by-column research notes, not copied from the openIMIS SQL scripts.
 */
import type { Knex } from 'knex';
import { LEGACY_TABLES } from './tables.js';
import { legacySchemaStatements } from './ddl.js';
import { createIndexStatement, performanceIndexes, type PerformanceIndex } from './indexes.js';

export { LEGACY_TABLES, legacyTable } from './tables.js';
export type { LegacyTable, LegacyColumn, LegacyForeignKey } from './types.js';
export type { PerformanceIndex } from './indexes.js';
export { quoteIdent, legacySchemaStatements } from './ddl.js';

/** The FHIR-side indexes, as data (see createPerformanceIndexes). */
export const PERFORMANCE_INDEXES: readonly PerformanceIndex[] = Object.freeze(performanceIndexes(LEGACY_TABLES));

function assertPostgres(knex: Knex, what: string): void {
  const dialect = (knex.client as { dialect?: string }).dialect;
  if (dialect !== 'postgresql') throw new Error(`${what} supports PostgreSQL and PGlite only (dialect: ${dialect})`);
}

/**
 * Creates every legacy table, its keys, unique constraints, deferrable foreign keys and foreign-key
 * indexes in one transaction. Meant for an empty database (not idempotent).
 */
export async function createLegacySchema(knex: Knex): Promise<void> {
  assertPostgres(knex, 'createLegacySchema');
  const statements = legacySchemaStatements(LEGACY_TABLES);
  await knex.transaction(async (trx) => {
    for (const sql of statements) await trx.raw(sql);
  });
}

/**
 * Creates the "fhir_idx_" indexes (CREATE INDEX IF NOT EXISTS). A plain column index is skipped
 * when the table already has a non-partial index whose first column is that column (real openIMIS
 * databases index their foreign keys), so running this on a production database adds no duplicates.
 */
export async function createPerformanceIndexes(knex: Knex): Promise<void> {
  assertPostgres(knex, 'createPerformanceIndexes');
  const existing = await knex.raw<{ rows: { tablename: string; columnname: string }[] }>(`
    SELECT c.relname AS tablename, a.attname AS columnname
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    WHERE n.nspname = current_schema() AND i.indpred IS NULL`);
  const covered = new Set(existing.rows.map((r) => `${r.tablename}.${r.columnname}`));
  for (const index of PERFORMANCE_INDEXES) {
    if (index.column && covered.has(`${index.table}.${index.column}`)) continue;
    await knex.raw(createIndexStatement(index));
  }
}
