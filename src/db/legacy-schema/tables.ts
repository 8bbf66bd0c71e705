/**
 * All 65 base tables of the openIMIS legacy PostgreSQL schema, and four tables of the modular openIMIS
 * (core_TechnicalUser, core_User, claim_ClaimAttachment, tblPolicyHolder; absent from databases built by the official
 * order alone), as data.
 * Order does not matter for creation: foreign keys are added after every table exists.
 */
import type { LegacyTable } from './types.js';
import { INSUREE_LOCATION_TABLES } from './tables-insuree-location.js';
import { CLAIM_TABLES } from './tables-claim.js';
import { COVERAGE_TABLES } from './tables-coverage.js';
import { SECURITY_FEEDBACK_TABLES } from './tables-security.js';
import { CODE_TABLES, OTHER_TABLES } from './tables-codes-other.js';
import { MODULAR_USER_TABLES } from './tables-modular.js';

export const LEGACY_TABLES: readonly LegacyTable[] = Object.freeze([
  ...CODE_TABLES,
  ...INSUREE_LOCATION_TABLES,
  ...CLAIM_TABLES,
  ...COVERAGE_TABLES,
  ...SECURITY_FEEDBACK_TABLES,
  ...OTHER_TABLES,
  ...MODULAR_USER_TABLES,
]);

/** Looks a table definition up by its exact name. */
export function legacyTable(name: string): LegacyTable {
  const found = LEGACY_TABLES.find((t) => t.name === name);
  if (!found) throw new Error(`Unknown legacy table ${name}`);
  return found;
}
