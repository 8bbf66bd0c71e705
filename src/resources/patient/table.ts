/**
 * tblInsuree and the joins a Patient needs: family, head of family, photo. The address (village
 * chain) and the chosen facility come from the in-memory places (villageDetails), not from joins.
 */
import type { Knex } from 'knex';
import type { Row, VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

export const insureeTable: VersionedTable = versionedTable('tblInsuree', 'InsureeID', 'InsureeUUID');

export function selectInsuree(db: Knex): Knex.QueryBuilder {
  return db('tblInsuree as t')
    .leftJoin('tblFamilies as f', 'f.FamilyID', 't.FamilyID')
    .leftJoin('tblInsuree as h', 'h.InsureeID', 'f.InsureeID')
    .leftJoin('tblPhotos as ph', 'ph.PhotoID', 't.PhotoID')
    .select(
      't.*',
      'f.FamilyUUID as family_uuid',
      'f.FamilyAddress as family_address',
      'f.LocationId as family_village_id',
      'h.LastName as head_last_name',
      'h.OtherNames as head_other_names',
      'h.InsureeID as head_id',
      'ph.PhotoFolder as photo_folder',
      'ph.PhotoFileName as photo_file',
      'ph.PhotoDate as photo_date',
    );
}

/** The address is the insuree's current village when set (0 means none), else the family's. */
export function insureeVillage(row: Row): unknown {
  const current = row.CurrentVillage;
  return current !== null && current !== undefined && Number(current) !== 0 ? current : row.family_village_id;
}
