/**
 * tblFamilies and the join a Group needs: the head of family (name, CHFID). The village chain of the
 * family address comes from the in-memory places, and the members (one row per family) from
 * loadDetails.
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
      .select(
        't.*',
        'h.InsureeUUID as head_uuid',
        'h.CHFID as head_chfid',
        'h.LastName as head_last_name',
        'h.OtherNames as head_other_names',
      )
  );
}
