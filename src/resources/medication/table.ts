/** tblItems, the register of medicines and medical consumables: one table, no joins. */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

export const itemTable: VersionedTable = versionedTable('tblItems', 'ItemID', 'ItemUUID');

export function selectItem(db: Knex): Knex.QueryBuilder {
  return db('tblItems as t').select('t.*');
}
