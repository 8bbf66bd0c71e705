/**
 * Row security on families (security-and-services.md §2.4): a restricted user sees the families
 * whose village is one of his (an officer's villages, or the villages under a user's districts), as
 * the insuree module's Family.get_queryset does. The module's FHIR Group list ignored it: not copied.
 */
import type { Knex } from 'knex';
import type { RequestContext } from '../../fhir/types.js';
import { scopeOf } from '../row-security.js';

export function familyScope(qb: Knex.QueryBuilder, ctx: RequestContext): void {
  const scope = scopeOf(ctx);
  if (!scope.unrestricted) qb.whereIn('t.LocationId', scope.villageIds);
}
