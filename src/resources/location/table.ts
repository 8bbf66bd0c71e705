/** tblLocations (regions → districts → wards → villages) and the join a Location needs: its parent. */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

export const locationTable: VersionedTable = versionedTable('tblLocations', 'LocationId', 'LocationUUID', 'AuditUserId');

/** The level above each location type; a region has none. */
export const PARENT_TYPE: Record<string, string | null> = { R: null, D: 'R', W: 'D', V: 'W' };

export function selectLocation(db: Knex): Knex.QueryBuilder {
  return db('tblLocations as t')
    .leftJoin('tblLocations as p', 'p.LocationId', 't.ParentLocationId')
    .select('t.*', 'p.LocationUUID as parent_uuid', 'p.LocationCode as parent_code', 'p.LocationType as parent_type');
}
