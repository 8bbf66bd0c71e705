/** tblItems, the register of medicines and medical consumables: one table, no joins. */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';

export const itemTable: VersionedTable = {
  name: 'tblItems',
  pk: 'ItemID',
  uuid: 'ItemUUID',
  validityFrom: 'ValidityFrom',
  validityTo: 'ValidityTo',
  legacyId: 'LegacyID',
  auditUser: 'AuditUserID',
};

export function selectItem(db: Knex): Knex.QueryBuilder {
  return db('tblItems as t').select('t.*');
}
