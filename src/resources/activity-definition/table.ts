/** tblServices, the register of medical services: one table, no joins. */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';

export const serviceTable: VersionedTable = {
  name: 'tblServices',
  pk: 'ServiceID',
  uuid: 'ServiceUUID',
  validityFrom: 'ValidityFrom',
  validityTo: 'ValidityTo',
  legacyId: 'LegacyID',
  auditUser: 'AuditUserID',
};

export function selectService(db: Knex): Knex.QueryBuilder {
  return db('tblServices as t').select('t.*');
}
