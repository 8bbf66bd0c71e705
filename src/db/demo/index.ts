/**
 * A small, coherent openIMIS demo scheme written for this project: two regions, seven health
 * facilities, four products, ten families, policies and claims in every status, and demo users.
 * Dates are relative to `today`. See facts.ts for the identifiers tests and docs rely on.
 */
import type { Knex } from 'knex';
import { LEGACY_TABLES, quoteIdent, type LegacyTable } from '../legacy-schema/index.js';
import { buildClaims } from './claims.js';
import { CODE_ROWS } from './codes.js';
import { buildInsurees } from './insurees.js';
import { buildLocations, locationId } from './locations.js';
import { buildMedical } from './medical.js';
import { buildPolicies } from './policies.js';
import { buildPolicyHolders } from './policy-holders.js';
import { buildProducts } from './products.js';
import { buildSecurity } from './security.js';
import { buildStaff } from './staff.js';
import { DemoClock, type Row, type TableRows } from './util.js';

export { DEMO } from './facts.js';
export { demoUuid } from './util.js';

/** Builds every demo row, keyed by table, without touching a database. */
export function buildDemoData(today: Date = new Date()): TableRows {
  const clock = new DemoClock(today);
  const parts: TableRows[] = [
    CODE_ROWS,
    buildLocations(clock),
    buildMedical(clock, locationId),
    buildProducts(clock, locationId),
    buildStaff(clock, locationId),
    buildInsurees(clock, locationId),
    buildPolicies(clock),
    buildClaims(clock),
    buildSecurity(clock),
    buildPolicyHolders(clock),
  ];
  const all: TableRows = {};
  for (const part of parts) {
    for (const [table, rows] of Object.entries(part)) (all[table] ??= []).push(...rows);
  }
  validate(all);
  return all;
}

/**
 * Checks the rows against the schema data before inserting: known columns only, every NOT NULL
 * column filled (the demo fills what SQL Server would default), explicit keys everywhere.
 */
function validate(data: TableRows): void {
  const problems: string[] = [];
  for (const [tableName, rows] of Object.entries(data)) {
    const table = LEGACY_TABLES.find((t) => t.name === tableName);
    if (!table) {
      problems.push(`unknown table ${tableName}`);
      continue;
    }
    const names = new Set(table.columns.map((c) => c.name));
    rows.forEach((row, i) => {
      for (const key of Object.keys(row)) if (!names.has(key)) problems.push(`${tableName}[${i}]: unknown column ${key}`);
      for (const column of table.columns) {
        const value = row[column.name];
        if (column.notNull && (value === undefined || value === null)) problems.push(`${tableName}[${i}]: ${column.name} is NOT NULL`);
      }
    });
    for (const key of table.primaryKey) {
      const values = rows.map((r) => r[key]);
      if (new Set(values).size !== values.length) problems.push(`${tableName}: duplicate ${key}`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid demo data:\n  ${problems.slice(0, 20).join('\n  ')}`);
}

const serialColumn = (table: LegacyTable) => table.columns.find((c) => c.serial)?.name;

/**
 * Inserts the demo dataset in one transaction (PostgreSQL or PGlite; the legacy schema must exist
 * and be empty), then moves every sequence past the highest id so later inserts get fresh ids.
 */
export async function loadDemoData(knex: Knex, today: Date = new Date()): Promise<void> {
  const data = buildDemoData(today);
  await knex.transaction(async (trx) => {
    for (const [table, rows] of Object.entries(data)) {
      for (let i = 0; i < rows.length; i += 200) await trx(table).insert(rows.slice(i, i + 200) as Row[]);
    }
    for (const table of LEGACY_TABLES) {
      const column = serialColumn(table);
      if (!column) continue;
      await trx.raw(
        `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(${quoteIdent(column)}) FROM ${quoteIdent(table.name)}), 0) + 1, false)`,
        [quoteIdent(table.name), column],
      );
    }
  });
}
