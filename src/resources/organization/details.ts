/**
 * What an Organization needs besides its tblHF row: the current claim administrators of the
 * facility (its contacts), loaded for a whole page of rows in one query.
 */
import type { RequestContext, Row } from '../../fhir/types.js';

export interface ClaimAdminContact {
  code: string | null;
  lastName: string | null;
  otherNames: string | null;
  phone: string | null;
  email: string | null;
}

/** The facility a row is a version of: history copies name it in LegacyID. */
export const facilityKey = (row: Row): number => Number(row.LegacyID ?? row.HfID);

export async function loadClaimAdmins(rows: Row[], ctx: RequestContext): Promise<void> {
  const ids = [...new Set(rows.map(facilityKey).filter(Number.isFinite))];
  const byFacility = new Map<number, ClaimAdminContact[]>();
  if (ids.length) {
    const admins: Row[] = await ctx.db('tblClaimAdmin')
      .whereIn('HFId', ids)
      .whereNull('ValidityTo')
      .orderBy([{ column: 'LastName' }, { column: 'OtherNames' }, { column: 'ClaimAdminId' }])
      .select('HFId', 'ClaimAdminCode', 'LastName', 'OtherNames', 'Phone', 'EmailId');
    for (const a of admins) {
      const list = byFacility.get(Number(a.HFId)) ?? [];
      list.push({ code: a.ClaimAdminCode ?? null, lastName: a.LastName ?? null, otherNames: a.OtherNames ?? null, phone: a.Phone ?? null, email: a.EmailId ?? null });
      byFacility.set(Number(a.HFId), list);
    }
  }
  for (const row of rows) row.claim_admins = byFacility.get(facilityKey(row)) ?? [];
}
