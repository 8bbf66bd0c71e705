/** InsurancePlan search parameters, as data over tblProduct columns. */
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';

export const insurancePlanSearchParams: SearchParamDecl[] = [
  {
    code: 'identifier',
    type: 'token',
    description: 'Product code or UUID',
    tokens: [{ column: 't.ProductCode' }, { column: 't.ProdUUID', lowerCase: true }],
    sortColumn: 't.ProductCode',
  },
  { code: 'name', type: 'string', description: 'Product name', columns: ['t.ProductName'], sortColumn: 't.ProductName' },
  {
    code: 'coverage-area',
    type: 'reference',
    description: 'The region or district the product is sold in (no match for national products)',
    definition: `${IG}/SearchParameter/insurance-plan-coverage-area`,
    column: 't.LocationId',
    target: 'Location',
  },
];
