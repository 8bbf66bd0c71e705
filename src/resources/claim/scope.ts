/**
 * Row security on claims, as openIMIS applies it (claim/models.py Claim.get_queryset), from the
 * caller's row scope (src/auth/scope.ts): a user bound to a health facility (claim administrators,
 * HF staff) sees that facility's claims only; any other user the claims of facilities in the
 * districts of the scope. Unrestricted callers (administrators, ROW_SECURITY off) see every claim.
 */
import type { Knex } from 'knex';
import type { RequestContext, Row } from '../../fhir/types.js';
import { forbidden } from '../../fhir/outcome.js';
import { scopeOf } from '../row-security.js';

export function scopeClaims(qb: Knex.QueryBuilder, ctx: RequestContext): void {
  const scope = scopeOf(ctx);
  if (scope.unrestricted) return;
  if (scope.healthFacilityId != null) qb.where('t.HFID', scope.healthFacilityId);
  else qb.whereIn('t.HFID', ctx.db('tblHF as sh').select('sh.HfID').whereIn('sh.LocationId', scope.districtIds));
}

/** Rows whose claim (the key in `claimColumn`) the caller may see: feedback, selected-for-feedback requests. */
export function scopeClaimsOf(qb: Knex.QueryBuilder, ctx: RequestContext, claimColumn: string): void {
  if (scopeOf(ctx).unrestricted) return;
  qb.whereIn(claimColumn, ctx.db('tblClaim as t').select('t.ClaimID').modify((claims) => scopeClaims(claims, ctx)));
}

/** Refuses a claim for a health facility the caller may not enter claims for (claim/services.py _validate_user_hf). */
export function assertFacilityAllowed(ctx: Pick<RequestContext, 'caller'>, facility: Row): void {
  const scope = scopeOf(ctx);
  if (scope.unrestricted) return;
  const allowed =
    scope.healthFacilityId != null
      ? Number(scope.healthFacilityId) === Number(facility.HfID)
      : scope.districtIds.includes(Number(facility.LocationId));
  if (!allowed) throw forbidden(`Health facility ${String(facility.HFCode).trim()} is not one you may enter claims for`);
}
