/**
 * Row security on claim administrators and enrolment officers (security-and-services.md §2.4): a
 * restricted user sees the claim administrators of the facilities in his districts and the officers
 * of his districts, and those not tied to any yet (openIMIS keeps rows whose location is NULL). The
 * module's FHIR views read both tables unscoped: not copied.
 */
import type { Knex } from 'knex';
import type { RequestContext } from '../../fhir/types.js';
import { scopeOf } from '../row-security.js';

export function claimAdminScope(qb: Knex.QueryBuilder, ctx: RequestContext): void {
  const scope = scopeOf(ctx);
  if (scope.unrestricted) return;
  const facilities = ctx.db('tblHF').select('HfID').whereIn('LocationId', scope.districtIds);
  qb.where((w) => w.whereNull('t.HFId').orWhereIn('t.HFId', facilities));
}

export function officerScope(qb: Knex.QueryBuilder, ctx: RequestContext): void {
  const scope = scopeOf(ctx);
  if (scope.unrestricted) return;
  qb.where((w) => w.whereNull('t.LocationId').orWhereIn('t.LocationId', scope.districtIds));
}
