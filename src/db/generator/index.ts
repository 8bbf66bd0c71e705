/**
 * National-scale openIMIS legacy dataset generator. `seedDatabase` fills an empty legacy schema:
 * code tables and roles (reusing the demo module's base rows), locations, registers, facilities and
 * price lists, products and payers, officers and claim administrators, users, then one streaming
 * pass over the families (insurees, photos, policies, coverage, contributions, claims, feedback),
 * and the policy holders where the modular table exists.
 * Deterministic for a given seed and `today`.
 */
import type { Knex } from 'knex';
import { createPerformanceIndexes, LEGACY_TABLES } from '../legacy-schema/index.js';
import { analyze, dropLoadConstraints, resetSequences, restoreLoadConstraints, type SqlRunner, type StepTiming } from './bulk.js';
import { CLAIM_COLUMNS, CLAIM_ITEM_COLUMNS, CLAIM_SERVICE_COLUMNS, ClaimGenerator, FEEDBACK_COLUMNS } from './claims.js';
import { createContext, type GeneratorOptions } from './context.js';
import type { LoadTarget, TableStats } from './copy.js';
import { generateFacilities } from './facilities.js';
import { FAMILY_COLUMNS, FamilyGenerator, INSUREE_COLUMNS, PHOTO_COLUMNS } from './families.js';
import { generateLocations } from './locations.js';
import { generateStaff } from './officers.js';
import { INSUREE_POLICY_COLUMNS, POLICY_COLUMNS, PolicyGenerator, PREMIUM_COLUMNS } from './policies.js';
import { generatePolicyHolders } from './policy-holders.js';
import { generateProducts } from './products.js';
import { ensureCodeTables } from './reference.js';
import { generateRegisters } from './registers.js';
import { ensureRoles, generateUsers, planUsers } from './users.js';

export { DEFAULT_CLAIMS_PER_INSUREE_YEAR, type GeneratorOptions } from './context.js';
export { PgCopyTarget, PgliteCopyTarget, type LoadTarget, type TableStats } from './copy.js';
export type { SqlRunner, StepTiming } from './bulk.js';

/** Every table the generator writes with COPY (in load order). */
export const LOADED_TABLES = [
  'tblLocations', 'tblItems', 'tblServices', 'tblICDCodes', 'tblPLItems', 'tblPLServices', 'tblPLItemsDetail',
  'tblPLServicesDetail', 'tblHF', 'tblProduct', 'tblProductItems', 'tblProductServices', 'tblPayer', 'tblOfficer',
  'tblOfficerVillages', 'tblClaimAdmin', 'tblUsers', 'tblUserRole', 'tblUsersDistricts', 'tblFamilies', 'tblInsuree',
  'tblPhotos', 'tblPolicy', 'tblInsureePolicy', 'tblPremium', 'tblClaim', 'tblClaimItems', 'tblClaimServices', 'tblFeedback',
] as const;

/** Tables whose rows mean "this database already holds a scheme" (base data such as code tables is allowed). */
export const DATA_TABLES = [
  'tblLocations', 'tblHF', 'tblItems', 'tblServices', 'tblICDCodes', 'tblProduct', 'tblOfficer', 'tblClaimAdmin',
  'tblFamilies', 'tblInsuree', 'tblPolicy', 'tblPremium', 'tblClaim', 'tblPayer',
] as const;

export interface SeedHooks {
  /** Called during the family pass with persons generated so far. */
  progress?: (done: number, total: number) => void;
  /** Called when a step starts. */
  step?: (name: string) => void;
}

export interface SeedSummary {
  tables: TableStats[];
  timings: StepTiming[];
  notes: string[];
  claimStatus: Record<number, number>;
  /** Milliseconds per phase. */
  phases: { phase: string; ms: number }[];
}

/** Checks that the column lists of the generator exist in the schema definition. */
export function checkColumns(): void {
  const lists: [string, readonly string[]][] = [
    ['tblFamilies', FAMILY_COLUMNS], ['tblInsuree', INSUREE_COLUMNS], ['tblPhotos', PHOTO_COLUMNS], ['tblPolicy', POLICY_COLUMNS],
    ['tblInsureePolicy', INSUREE_POLICY_COLUMNS], ['tblPremium', PREMIUM_COLUMNS], ['tblClaim', CLAIM_COLUMNS],
    ['tblClaimItems', CLAIM_ITEM_COLUMNS], ['tblClaimServices', CLAIM_SERVICE_COLUMNS], ['tblFeedback', FEEDBACK_COLUMNS],
  ];
  for (const [name, columns] of lists) {
    const table = LEGACY_TABLES.find((t) => t.name === name);
    const known = new Set(table?.columns.map((c) => c.name));
    const unknown = columns.filter((c) => !known.has(c));
    if (unknown.length) throw new Error(`${name}: unknown column(s) ${unknown.join(', ')}`);
  }
}

async function maxIds(knex: Knex): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of LEGACY_TABLES) {
    const pk = table.primaryKey.length === 1 ? table.primaryKey[0] : undefined;
    const column = table.columns.find((c) => c.name === pk);
    if (!pk || !column || !/int/.test(column.type)) continue;
    const row = await knex(table.name).max({ m: pk }).first();
    out[table.name] = Number(row?.m ?? 0);
  }
  return out;
}

/**
 * Fills the (existing, empty) legacy schema. `knex` is used for small statements, `target` for the
 * COPY streams and `runner` for the post-load DDL (it may run statements on several connections).
 */
export async function seedDatabase(knex: Knex, target: LoadTarget, runner: SqlRunner, opts: GeneratorOptions, hooks: SeedHooks = {}): Promise<SeedSummary> {
  checkColumns();
  const phases: { phase: string; ms: number }[] = [];
  let phaseStart = Date.now();
  const phase = (name: string) => {
    const now = Date.now();
    phases.push({ phase: name, ms: now - phaseStart });
    phaseStart = now;
  };

  hooks.step?.('base data');
  await ensureCodeTables(knex);
  const ctx = createContext(opts, target, await maxIds(knex));
  const plan = await planUsers(ctx, knex);
  const roles = await ensureRoles(ctx, knex);
  const saved = await dropLoadConstraints(knex, LOADED_TABLES);
  phase('base data, roles, dropping load constraints');

  hooks.step?.('reference data');
  const geo = await generateLocations(ctx);
  const registers = await generateRegisters(ctx);
  const hfs = await generateFacilities(ctx, geo, registers);
  const products = await generateProducts(ctx, geo, registers);
  const staff = await generateStaff(ctx, geo, hfs);
  await generateUsers(ctx, plan, roles, geo, hfs, staff);
  ctx.notes.push(`${geo.regions.length} regions, ${geo.districts.length} districts, ${geo.villages.length} villages, ${hfs.list.length} health facilities`);
  phase('reference data');

  hooks.step?.('families');
  const open = (table: string, columns: readonly string[]) => target.open(table, columns);
  const sinks = {
    families: await open('tblFamilies', FAMILY_COLUMNS),
    insurees: await open('tblInsuree', INSUREE_COLUMNS),
    photos: await open('tblPhotos', PHOTO_COLUMNS),
    policies: await open('tblPolicy', POLICY_COLUMNS),
    insureePolicies: await open('tblInsureePolicy', INSUREE_POLICY_COLUMNS),
    premiums: await open('tblPremium', PREMIUM_COLUMNS),
    claims: await open('tblClaim', CLAIM_COLUMNS),
    items: await open('tblClaimItems', CLAIM_ITEM_COLUMNS),
    services: await open('tblClaimServices', CLAIM_SERVICE_COLUMNS),
    feedback: await open('tblFeedback', FEEDBACK_COLUMNS),
  };
  const families = new FamilyGenerator(ctx, geo, hfs, staff, sinks);
  const policies = new PolicyGenerator(ctx, products, sinks);
  const claims = new ClaimGenerator(ctx, registers, hfs, sinks);
  const total = opts.insurees;
  let done = 0;
  let count = 0;
  while (done < total) {
    const family = families.next(total - done);
    done += family.members.length;
    claims.next(family, policies.next(family));
    if (++count % 200 === 0) {
      await target.drain();
      hooks.progress?.(done, total);
    }
  }
  hooks.progress?.(done, total);
  await Promise.all(Object.values(sinks).map((s) => target.close(s)));
  phase('families, insurees, policies, claims');

  hooks.step?.('indexes and foreign keys');
  const sizes = new Map(target.stats.map((s) => [s.table, s.rows]));
  const timings = await restoreLoadConstraints(runner, saved, sizes);
  phase('indexes, unique and foreign keys (validated)');
  // A few rows, inserted with their foreign keys in place: the modular table need not exist.
  const policyHolders = await generatePolicyHolders(ctx, knex, geo);
  if (policyHolders) ctx.notes.push(`${policyHolders} policy holders`);
  hooks.step?.('performance indexes');
  const perf = Date.now();
  await createPerformanceIndexes(knex);
  timings.push({ step: 'performance indexes', table: '(all)', ms: Date.now() - perf });
  phase('performance indexes');
  hooks.step?.('analyze');
  await resetSequences(knex);
  await analyze(runner, LOADED_TABLES, timings);
  phase('sequences and ANALYZE');

  return {
    tables: target.stats,
    timings,
    notes: ctx.notes,
    claimStatus: Object.fromEntries(claims.statusCounts),
    phases,
  };
}
