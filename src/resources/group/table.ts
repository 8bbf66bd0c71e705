/**
 * tblFamilies and the joins a Group needs: the head of family (name, CHFID) and the village chain of
 * the family address. Members are not joined (one row per family): they come from loadDetails.
 */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';
import { joinVillageChain } from '../village-address.js';

export const familyTable: VersionedTable = versionedTable('tblFamilies', 'FamilyID', 'FamilyUUID');

export function selectFamily(db: Knex): Knex.QueryBuilder {
  return (
    joinVillageChain(db('tblFamilies as t'), 't.LocationId')
      // tblFamilies.InsureeID is the key of the head's current row (history copies get keys of their own).
      .leftJoin('tblInsuree as h', 'h.InsureeID', 't.InsureeID')
      .select(
        't.*',
        'h.InsureeUUID as head_uuid',
        'h.CHFID as head_chfid',
        'h.LastName as head_last_name',
        'h.OtherNames as head_other_names',
      )
  );
}
