/** InsurancePlan search parameters, as data over tblProduct columns. */
import type { Knex } from 'knex';
import type { RequestContext, SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';

/** 00:00Z of today and of tomorrow: the mapper's status compares UTC days of ctx.now(). */
function days(ctx: RequestContext) {
  const today = new Date(`${ctx.now().toISOString().slice(0, 10)}T00:00:00Z`);
  return { today, tomorrow: new Date(today.getTime() + 86_400_000) };
}

/**
 * The status is the validity dates against today, by day, as the mapper (statusOf) computes it:
 * draft before DateFrom's day, retired after DateTo's day, active in between. Both columns are NOT NULL.
 */
const STATUS_CONDITIONS: Record<string, (w: Knex.QueryBuilder, ctx: RequestContext) => void> = {
  draft: (w, ctx) => w.where('t.DateFrom', '>=', days(ctx).tomorrow),
  active: (w, ctx) => w.where('t.DateFrom', '<', days(ctx).tomorrow).where('t.DateTo', '>=', days(ctx).today),
  retired: (w, ctx) => w.where('t.DateTo', '<', days(ctx).today),
};

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
  {
    code: 'status',
    type: 'token',
    description: 'draft (before DateFrom), active (DateFrom to DateTo), retired (after DateTo), by day against today',
    tokens: [
      {
        column: 't.DateFrom',
        system: 'http://hl7.org/fhir/publication-status',
        conditions: STATUS_CONDITIONS,
        displays: { draft: 'Draft', active: 'Active', retired: 'Retired' },
      },
    ],
  },
  {
    code: 'period',
    type: 'date',
    description: 'DateFrom–DateTo as a Period, by day (FHIR range prefixes); not an R4 parameter of InsurancePlan',
    definition: `${IG}/SearchParameter/insurance-plan-period`,
    column: 't.DateFrom',
    endColumn: 't.DateTo',
    precision: 'day',
    daysAsTimestamps: true,
    sortColumn: 't.DateFrom',
  },
];
