/**
 * Row security on claims, as openIMIS applies it (claim/models.py Claim.get_queryset): a user bound
 * to a health facility (tblUsers.HFID, claim administrators and HF staff) sees that facility's
 * claims only; any other user the claims of facilities in the districts of tblUsersDistricts.
 * Administrators see every claim.
 */
import type { Knex } from 'knex';
import type { Caller, RequestContext, Row } from '../../fhir/types.js';
import { forbidden } from '../../fhir/outcome.js';

export function scopeClaims(qb: Knex.QueryBuilder, ctx: RequestContext): void {
  if (ctx.caller.isAdmin) return;
  const { db } = ctx;
  const uid = ctx.caller.userId;
  const userFacility = () => db('tblUsers as su').where('su.UserID', uid).whereNull('su.ValidityTo').whereNotNull('su.HFID');
  const districtFacilities = db('tblHF as sh')
    .select('sh.HfID')
    .whereIn('sh.LocationId', db('tblUsersDistricts as sd').select('sd.LocationId').where('sd.UserID', uid).whereNull('sd.ValidityTo'));
  qb.where((q) =>
    q
      .whereIn('t.HFID', userFacility().select('su.HFID'))
      .orWhere((d) => d.whereNotExists(userFacility().select('su.UserID')).whereIn('t.HFID', districtFacilities)),
  );
}

/** Refuses a claim for a health facility the caller may not enter claims for. */
export async function assertFacilityAllowed(tx: Knex, caller: Caller, facility: Row): Promise<void> {
  if (caller.isAdmin) return;
  const user = await tx('tblUsers').where('UserID', caller.userId).whereNull('ValidityTo').first('HFID');
  if (user?.HFID != null) {
    if (Number(user.HFID) === Number(facility.HfID)) return;
  } else {
    const district = await tx('tblUsersDistricts')
      .where('UserID', caller.userId)
      .where('LocationId', facility.LocationId)
      .whereNull('ValidityTo')
      .first('UserDistrictID');
    if (district) return;
  }
  throw forbidden(`Health facility ${String(facility.HFCode).trim()} is not one the user may enter claims for`);
}
