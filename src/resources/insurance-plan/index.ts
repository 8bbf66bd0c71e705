/**
 * InsurancePlan ⇄ tblProduct (openIMIS product). Read and update (no create or delete: a product is
 * set up with its covered lines and price lists, which the resource does not carry). Rights: 121001
 * search; the product add/edit/delete rights (121002–121004) also allow reading; 121003 edit.
 */
import type { InsurancePlan } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { productTable, selectProduct } from './table.js';
import { insurancePlanSearchParams } from './search-params.js';
import { productToInsurancePlan } from './to-fhir.js';
import { updateProduct } from './write.js';

const READ = [121001, 121002, 121003, 121004];

export function insurancePlanResource(): ResourceDefinition<InsurancePlan> {
  return {
    type: 'InsurancePlan',
    profile: structureDefinition('openimis-insurance-plan'),
    table: productTable,
    codeColumn: 'ProductCode',
    select: selectProduct,
    toFhir: (row, ctx) => productToInsurancePlan(row, ctx.currency, ctx.now().toISOString().slice(0, 10)),
    searchParams: insurancePlanSearchParams,
    rights: {
      read: READ,
      vread: READ,
      'search-type': READ,
      'history-instance': READ,
      'history-type': READ,
      update: [121003],
    },
    update: updateProduct,
  };
}
