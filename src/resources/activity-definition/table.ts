/** tblServices, the register of medical services: one table, no joins. */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

export const serviceTable: VersionedTable = versionedTable('tblServices', 'ServiceID', 'ServiceUUID');

export function selectService(db: Knex): Knex.QueryBuilder {
  return db('tblServices as t').select('t.*');
}
