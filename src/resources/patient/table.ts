/** tblInsuree and the joins a Patient needs: family, its village chain, photo, chosen facility. */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';
import { joinVillageChain } from '../village-address.js';

export const insureeTable: VersionedTable = versionedTable('tblInsuree', 'InsureeID', 'InsureeUUID');

export function selectInsuree(db: Knex): Knex.QueryBuilder {
  const query = db('tblInsuree as t')
    .leftJoin('tblFamilies as f', 'f.FamilyID', 't.FamilyID')
    .leftJoin('tblInsuree as h', 'h.InsureeID', 'f.InsureeID');
  // The address is the insuree's current village when set (0 means none), else the family's.
  joinVillageChain(query, db.raw('coalesce(nullif(??, 0), ??)', ['t.CurrentVillage', 'f.LocationId']));
  return (
    query
      .leftJoin('tblPhotos as ph', 'ph.PhotoID', 't.PhotoID')
      .leftJoin('tblHF as hf', 'hf.HfID', 't.HFID')
      .select(
        't.*',
        'f.FamilyUUID as family_uuid',
        'f.FamilyAddress as family_address',
        'h.LastName as head_last_name',
        'h.OtherNames as head_other_names',
        'h.InsureeID as head_id',
        'ph.PhotoFolder as photo_folder',
        'ph.PhotoFileName as photo_file',
        'ph.PhotoDate as photo_date',
        'hf.HfUUID as hf_uuid',
        'hf.HFCode as hf_code',
      )
  );
}
