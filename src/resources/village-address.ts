/**
 * The village an address points at, with the ward, district and region above it: the joins and the
 * columns (village_uuid, village_code, village_name, ward_name, district_name, region_name) that
 * Patient and Group addresses are mapped from. One place, so the chain is written once.
 */
import type { Knex } from 'knex';

export function joinVillageChain(qb: Knex.QueryBuilder, villageId: string | Knex.Raw): Knex.QueryBuilder {
  return qb
    .leftJoin('tblLocations as v', 'v.LocationId', villageId as string)
    .leftJoin('tblLocations as w', 'w.LocationId', 'v.ParentLocationId')
    .leftJoin('tblLocations as d', 'd.LocationId', 'w.ParentLocationId')
    .leftJoin('tblLocations as r', 'r.LocationId', 'd.ParentLocationId')
    .select(
      'v.LocationUUID as village_uuid',
      'v.LocationCode as village_code',
      'v.LocationName as village_name',
      'w.LocationName as ward_name',
      'd.LocationName as district_name',
      'r.LocationName as region_name',
    );
}
