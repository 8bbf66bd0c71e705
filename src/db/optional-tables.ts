/**
 * Which tables of the modular openIMIS (src/db/legacy-schema/tables-optional.ts) this database has,
 * asked once at start: resources that use one offer it only where it exists.
 */
import type { Knex } from 'knex';
import { OPTIONAL_TABLES } from './legacy-schema/index.js';

export async function presentOptionalTables(db: Knex): Promise<ReadonlySet<string>> {
  const present = new Set<string>();
  for (const { name } of OPTIONAL_TABLES) if (await db.schema.hasTable(name)) present.add(name);
  return present;
}
