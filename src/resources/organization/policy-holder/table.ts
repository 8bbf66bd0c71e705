/**
 * tblPolicyHolder (the policyholder module of the modular openIMIS) and the joins an Organization
 * needs: its location and up to three ancestors, walked into the address as the openIMIS FHIR module
 * walks them (a policy holder may sit at any level, region to village).
 */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../../fhir/types.js';

export const POLICY_HOLDER = 'policy-holder';
export const POLICY_HOLDER_TABLE = 'tblPolicyHolder';

/**
 * A Django HistoryBusinessModel: keyed by its UUID, changed in place (`version` counts the versions,
 * DateUpdated is the instant of the last one, the version id), deleted by the isDeleted flag. DateValidTo
 * and ReplacementUUID hold the module's business validity; the engine uses neither (inPlace).
 */
export const policyHolderTable: VersionedTable = {
  name: POLICY_HOLDER_TABLE,
  pk: 'UUID',
  uuid: 'UUID',
  validityFrom: 'DateUpdated',
  validityTo: 'DateValidTo',
  legacyId: 'ReplacementUUID',
  auditUser: 'UserUpdatedUUID',
  inPlace: { deleted: 'isDeleted', counter: 'version' },
};

/** Levels of the location walk: the policy holder's location l0 and its ancestors l1..l3. */
export const LOCATION_LEVELS = [0, 1, 2, 3] as const;

export function selectPolicyHolder(db: Knex): Knex.QueryBuilder {
  const query = db(`${POLICY_HOLDER_TABLE} as t`).leftJoin('tblLocations as l0', 'l0.LocationId', 't.LocationsId');
  for (const level of LOCATION_LEVELS.slice(1)) query.leftJoin(`tblLocations as l${level}`, `l${level}.LocationId`, `l${level - 1}.ParentLocationId`);
  return query.select(
    't.*',
    'l0.LocationUUID as location_uuid',
    'l0.LocationCode as location_code',
    ...LOCATION_LEVELS.flatMap((level) => [`l${level}.LocationName as l${level}_name`, `l${level}.LocationType as l${level}_type`]),
  );
}
