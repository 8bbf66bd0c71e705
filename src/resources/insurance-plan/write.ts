/**
 * Updating a product the openIMIS way: the current row is copied into a history row, then changed in
 * place (db/legacy-history.ts). Its covered item and service lines keep pointing at the current row,
 * so they need no copy. Products are not created or deleted through FHIR: a product is set up with
 * its covered lines and price lists, which the resource does not carry.
 */
import type { InsurancePlan } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, WriteContext } from '../../fhir/types.js';
import { conflict, unprocessable } from '../../fhir/outcome.js';
import { updateVersioned } from '../../db/legacy-history.js';
import { resolveReference, type LookupTable } from '../lookups.js';
import { productTable } from './table.js';
import { insurancePlanToProduct } from './from-fhir.js';
import { dayOf } from './to-fhir.js';

const AREAS: LookupTable = { table: 'tblLocations', pk: 'LocationId', uuid: 'LocationUUID', code: 'LocationCode' };
const PRODUCTS: LookupTable = { table: 'tblProduct', pk: 'ProdID', uuid: 'ProdUUID', code: 'ProductCode' };

export async function updateProduct(plan: InsurancePlan, current: Row, ctx: WriteContext): Promise<void> {
  const input = insurancePlanToProduct(plan, ctx.currency);
  const { tx } = ctx;
  if (input.values.ProductCode !== current.ProductCode) await ensureUniqueCode(tx, String(input.values.ProductCode));
  let locationId: number | null = null;
  if (input.coverageArea) {
    const area = await resolveReference(tx, input.coverageArea, 'Location', AREAS);
    if (!area || !['R', 'D'].includes(String(area.LocationType).trim())) {
      throw unprocessable('coverageArea names no current region or district', ['InsurancePlan.coverageArea']);
    }
    locationId = area.LocationId;
  }
  let conversionId: number | null = null;
  if (input.conversion) {
    const conversion = await resolveReference(tx, input.conversion, 'InsurancePlan', PRODUCTS);
    if (!conversion) throw unprocessable('insurance-plan-conversion names no current product', ['InsurancePlan.extension']);
    if (conversion.ProdID === current.ProdID) throw unprocessable('A product cannot convert into itself', ['InsurancePlan.extension']);
    conversionId = conversion.ProdID;
  }
  // The resource carries days: an unchanged day keeps the stored instant (openIMIS keeps a time of
  // day); a new day is written as its UTC midnight, an instant (SQL Server reads date text by DATEFORMAT).
  for (const column of ['DateFrom', 'DateTo']) {
    const day = input.values[column];
    input.values[column] = dayOf(current[column]) === day ? current[column] : new Date(`${day}T00:00:00Z`);
  }
  await updateVersioned(
    tx,
    productTable,
    current,
    { ...input.values, LocationId: locationId, ConversionProdID: conversionId },
    { userId: ctx.caller.userId, at: ctx.at },
  );
}

async function ensureUniqueCode(tx: Knex, code: string) {
  const clash = await tx('tblProduct').where('ProductCode', code).whereNull('ValidityTo').first('ProdID');
  if (clash) throw conflict(`A product with code ${code} already exists`);
}
