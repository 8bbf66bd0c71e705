/**
 * tblProduct and what an InsurancePlan needs besides its own columns: the coverage area (region or
 * district), the conversion product, and how many items and services the product covers (counted
 * in SQL: the lists themselves stay out of the resource, see README.md).
 */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

export const productTable: VersionedTable = versionedTable('tblProduct', 'ProdID', 'ProdUUID');

/** Current covered lines of the product: correlated counts, portable to every engine. */
function coveredCount(db: Knex, table: 'tblProductItems' | 'tblProductServices', alias: string): Knex.Raw {
  return db.raw(`(select count(*) from ?? as c where c.?? = ?? and c.?? is null) as ??`, [
    table,
    'ProdID',
    't.ProdID',
    'ValidityTo',
    alias,
  ]);
}

export function selectProduct(db: Knex): Knex.QueryBuilder {
  return db('tblProduct as t')
    .leftJoin('tblLocations as l', 'l.LocationId', 't.LocationId')
    .leftJoin('tblProduct as cp', 'cp.ProdID', 't.ConversionProdID')
    .select(
      't.*',
      'l.LocationUUID as location_uuid',
      'l.LocationCode as location_code',
      'l.LocationName as location_name',
      'cp.ProdUUID as conversion_uuid',
      'cp.ProductCode as conversion_code',
      coveredCount(db, 'tblProductItems', 'covered_items'),
      coveredCount(db, 'tblProductServices', 'covered_services'),
    );
}
