/**
 * Which tables of the modular openIMIS (src/db/legacy-schema/tables-modular.ts) that resources use
 * this database has, asked once at start: a resource offers what needs one only where it exists
 * (an older openIMIS database lacks them). The user tables are looked up by src/auth/technical-users.ts.
 */
import type { Knex } from 'knex';

/** The modular tables resources use. */
export const OPTIONAL_TABLES = ['claim_ClaimAttachment', 'tblPolicyHolder'] as const;

export async function presentOptionalTables(db: Knex): Promise<ReadonlySet<string>> {
  const present = new Set<string>();
  for (const name of OPTIONAL_TABLES) if (await db.schema.hasTable(name)) present.add(name);
  return present;
}
