/**
 * Organization type bus ⇄ tblPolicyHolder, the policy holders of the modular openIMIS (policyholder
 * module), served where the database has that table (src/db/optional-tables.ts) as a second source of
 * Organization beside the health facilities (src/fhir/sources). Read-only, as in the openIMIS FHIR
 * module (its converter refuses input): a create whose body has type bus, and any update, patch or
 * delete of a policy holder, is a 405 naming the source.
 *
 * Rights: 150101 read and search (the policyholder module's; 150102-150104 would be its writes).
 * Row security as the module's: a restricted user sees the policy holders whose location is one of
 * his locations (his districts, what is below them and the regions above); one without a location
 * only unrestricted users see.
 *
 * Versions: the row is changed in place (a HistoryModel), so its version id is DateUpdated and its
 * history is its latest version (POST when `version` is 1, PUT after, DELETE once isDeleted); the
 * module's simple-history copies (policyholder_historicalpolicyholder) are not read.
 */
import type { Organization } from 'fhir/r4.js';
import type { ResourceDefinition, RequestContext } from '../../../fhir/types.js';
import type { Knex } from 'knex';
import { structureDefinition } from '../../ig.js';
import { scopeOf } from '../../row-security.js';
import { POLICY_HOLDER, policyHolderTable, selectPolicyHolder } from './table.js';
import { policyHolderSearchParams } from './search-params.js';
import { policyHolderToOrganization } from './to-fhir.js';

const READ = [150101];

/** Whether a body is a policy holder: its type says bus. */
export const isBusiness = (organization: Organization) =>
  (organization.type ?? []).some((type) => (type.coding ?? []).some((coding) => coding.code === 'bus'));

function policyHolderScope(qb: Knex.QueryBuilder, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (!scope.unrestricted) qb.whereIn('t.LocationsId', scope.locationIds);
}

export function policyHolderSource(): ResourceDefinition<Organization> {
  return {
    type: 'Organization',
    source: POLICY_HOLDER,
    takes: { rule: 'type bus (read-only)', test: isBusiness },
    profile: structureDefinition('openimis-policy-holder-organization'),
    table: policyHolderTable,
    codeColumn: 'PolicyHolderCode',
    select: selectPolicyHolder,
    toFhir: (row) => policyHolderToOrganization(row),
    searchParams: policyHolderSearchParams,
    scope: policyHolderScope,
    rights: {
      read: READ,
      vread: READ,
      'search-type': READ,
      'history-instance': READ,
      'history-type': READ,
    },
  };
}
