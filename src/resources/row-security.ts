/**
 * Row security for the openIMIS resources: each resource narrows its queries with these helpers from
 * its `scope` hook, and its writes check the target location with `assertLocationAllowed`.
 */
import type { Knex } from 'knex';
import type { RequestContext, WriteContext } from '../fhir/types.js';
import type { RowScope } from '../auth/scope.js';
import type { ScopeChange } from '../auth/scope-changes.js';
import type { ScopeChangePublisher } from '../auth/users.js';
import { afterCommit } from '../db/after-commit.js';
import { forbidden } from '../fhir/outcome.js';

/** A caller without a scope sees nothing: the safe default should a caller come from elsewhere. */
const NOTHING: RowScope = { unrestricted: false, villageIds: [], districtIds: [], locationIds: [], healthFacilityId: null };

export function scopeOf(ctx: Pick<RequestContext, 'caller'>): RowScope {
  return (ctx.caller as { scope?: RowScope }).scope ?? NOTHING;
}

/**
 * A write changed what some row scopes cover (a location, an officer's villages, a facility...): the
 * cached users concerned are dropped once the transaction commits, so the change is visible at once.
 */
export function scopeChanged(ctx: WriteContext, change: ScopeChange) {
  const publisher = (ctx.caller as { scopeChanges?: ScopeChangePublisher }).scopeChanges;
  if (publisher) afterCommit(ctx.tx, () => publisher.publish(change));
}

/** Insurees live in their current village when set, else in their family's village. */
export function insureeScope(qb: Knex.QueryBuilder, ctx: RequestContext, alias = 't') {
  const scope = scopeOf(ctx);
  if (scope.unrestricted) return;
  qb.where((w) =>
    w
      .whereIn(`${alias}.CurrentVillage`, scope.villageIds)
      .orWhereIn(`${alias}.FamilyID`, ctx.db('tblFamilies').select('FamilyID').whereIn('LocationId', scope.villageIds)),
  );
}

/** Writes must stay within the caller's villages (insurees, families) or districts (facilities). */
export function assertLocationAllowed(
  ctx: Pick<RequestContext, 'caller'>,
  locationId: number | null | undefined,
  what: string,
  level: 'villageIds' | 'districtIds' | 'locationIds' = 'villageIds',
) {
  const scope = scopeOf(ctx);
  if (scope.unrestricted) return;
  if (locationId == null || !scope[level].includes(Number(locationId))) {
    throw forbidden(`${what} is outside the locations you may change`);
  }
}
