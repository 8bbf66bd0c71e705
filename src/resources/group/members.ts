/**
 * The members of a page of families, in ONE query for the whole page (never one per family): the
 * current insurees of each family with, per insuree, whether a current coverage row ties them to an
 * active policy (PolicyStatus 2), the rule the openIMIS module uses for Group.active.
 *
 * Portable SQL only (a correlated EXISTS in a CASE): no string aggregation, so nothing depends on the
 * engine. History versions of a family are shown with its current members: openIMIS keeps no
 * history of membership that could say who belonged to an old version.
 */
import type { Knex } from 'knex';
import type { RequestContext, Row } from '../../fhir/types.js';

export const ACTIVE_POLICY = 2;

export interface FamilyMember {
  insureeId: number;
  uuid: string;
  chfid: string | null;
  isHead: boolean;
  /** Covered by an active policy. */
  covered: boolean;
}

/** Row property holding the members, set by loadFamilyMembers and read by the mapper. */
export const MEMBERS = '_members';

export async function loadFamilyMembers(rows: Row[], ctx: Pick<RequestContext, 'db'>): Promise<void> {
  const ids = [...new Set(rows.map((r) => Number(r.FamilyID)).filter(Number.isFinite))];
  const byFamily = new Map<number, FamilyMember[]>(ids.map((id) => [id, []]));
  for (let i = 0; i < ids.length; i += 1000) {
    for (const m of await membersOf(ctx.db, ids.slice(i, i + 1000))) {
      byFamily.get(Number(m.FamilyID))?.push({
        insureeId: Number(m.InsureeID),
        uuid: String(m.InsureeUUID).toLowerCase(),
        chfid: m.CHFID ?? null,
        isHead: Boolean(m.IsHead),
        covered: Number(m.covered) === 1,
      });
    }
  }
  for (const row of rows) {
    const members = byFamily.get(Number(row.FamilyID)) ?? [];
    // The head first, then the others in the order they were registered.
    row[MEMBERS] = [...members].sort((a, b) => Number(b.isHead) - Number(a.isHead) || a.insureeId - b.insureeId);
  }
}

function membersOf(db: Knex, familyIds: number[]): Promise<Row[]> {
  const activeCoverage = db('tblInsureePolicy as ip')
    .join('tblPolicy as p', 'p.PolicyID', 'ip.PolicyId')
    .whereRaw('?? = ??', ['ip.InsureeID', 'm.InsureeID'])
    .whereNull('ip.ValidityTo')
    .whereNull('p.ValidityTo')
    .where('p.PolicyStatus', ACTIVE_POLICY)
    .select(db.raw('1'));
  return db('tblInsuree as m')
    .whereIn('m.FamilyID', familyIds)
    .whereNull('m.ValidityTo')
    .select('m.FamilyID', 'm.InsureeID', 'm.InsureeUUID', 'm.CHFID', 'm.IsHead', db.raw('(case when exists ? then 1 else 0 end) as ??', [activeCoverage, 'covered']));
}
