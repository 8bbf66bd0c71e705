/** tblHF (health facilities) and the joins an Organization needs: district, region, price lists. */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

/** The source name of the health facilities, beside the policy holders (policy-holder/). */
export const HEALTH_FACILITY = 'health-facility';

export const hfTable: VersionedTable = versionedTable('tblHF', 'HfID', 'HfUUID');

export function selectHealthFacility(db: Knex): Knex.QueryBuilder {
  return db('tblHF as t')
    .leftJoin('tblLocations as d', 'd.LocationId', 't.LocationId')
    .leftJoin('tblLocations as r', 'r.LocationId', 'd.ParentLocationId')
    .leftJoin('tblPLItems as pli', 'pli.PLItemID', 't.PLItemID')
    .leftJoin('tblPLServices as pls', 'pls.PLServiceID', 't.PLServiceID')
    .select(
      't.*',
      'd.LocationUUID as district_uuid',
      'd.LocationCode as district_code',
      'd.LocationName as district_name',
      'r.LocationName as region_name',
      'pli.PLItemUUID as items_pl_uuid',
      'pli.PLItemName as items_pl_name',
      'pls.PLServiceUUID as services_pl_uuid',
      'pls.PLServName as services_pl_name',
    );
}
