/**
 * tblFamilies and the joins a Group needs: the head of family (name, CHFID) and the village chain of
 * the family address. Members are not joined (one row per family): they come from loadDetails.
 */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

export const familyTable: VersionedTable = versionedTable('tblFamilies', 'FamilyID', 'FamilyUUID');

export function selectFamily(db: Knex): Knex.QueryBuilder {
  return (
    db('tblFamilies as t')
      // tblFamilies.InsureeID is the key of the head's current row (history copies get keys of their own).
      .leftJoin('tblInsuree as h', 'h.InsureeID', 't.InsureeID')
      .leftJoin('tblLocations as v', 'v.LocationId', 't.LocationId')
      .leftJoin('tblLocations as w', 'w.LocationId', 'v.ParentLocationId')
      .leftJoin('tblLocations as d', 'd.LocationId', 'w.ParentLocationId')
      .leftJoin('tblLocations as r', 'r.LocationId', 'd.ParentLocationId')
      .select(
        't.*',
        'h.InsureeUUID as head_uuid',
        'h.CHFID as head_chfid',
        'h.LastName as head_last_name',
        'h.OtherNames as head_other_names',
        'v.LocationUUID as village_uuid',
        'v.LocationCode as village_code',
        'v.LocationName as village_name',
        'w.LocationName as ward_name',
        'd.LocationName as district_name',
        'r.LocationName as region_name',
      )
  );
}
