/**
 * tblProduct row → InsurancePlan, in the shape of the openIMIS module (identifiers UUID and Code,
 * type medical, general costs, the period/memberCount benefit limits) with its defects fixed: every
 * legacy column has one unambiguous place (no order-dependent extensions), ceilings and deductibles
 * are shown, the status follows the validity dates by day. See README.md for the layout.
 */
import type {
  Extension,
  InsurancePlan,
  InsurancePlanCoverageBenefit,
  InsurancePlanCoverageBenefitLimit,
  InsurancePlanPlanSpecificCost,
  Quantity,
} from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { codeable, identifier, reference, structureDefinition } from '../ig.js';
import {
  BENEFITS,
  BENEFIT_SYSTEM,
  CEILING_INTERPRETATIONS,
  CEILING_INTERPRETATION_SYSTEM,
  COST_TYPE_SYSTEM,
  DEDUCTIBLE_COLUMNS,
  DISCOUNT_KINDS,
  GENERAL_COSTS,
  GENERAL_COST_SYSTEM,
  IG_LIMIT_SYSTEM,
  LIMITS,
  LIMIT_COLUMNS,
  LIMIT_SYSTEM,
  PERIOD_KINDS,
  PLAN_TYPE_SYSTEM,
  START_CYCLES,
  type AmountColumn,
  type BenefitCode,
} from './amounts.js';

export const MEDICAL = { system: PLAN_TYPE_SYSTEM, code: 'medical', display: 'Medical' };

export function productToInsurancePlan(row: Row, currency: string, today: string): InsurancePlan {
  const uuid = String(row.ProdUUID).toLowerCase();
  const start = dayOf(row.DateFrom);
  const end = dayOf(row.DateTo);
  const plan: InsurancePlan = {
    resourceType: 'InsurancePlan',
    id: uuid,
    extension: extensions(row),
    identifier: [identifier('UUID', uuid), identifier('Code', row.ProductCode)],
    status: statusOf(start, end, today),
    type: [{ coding: [MEDICAL] }],
    name: String(row.ProductName),
    period: { ...(start ? { start } : {}), ...(end ? { end } : {}) },
  };
  if (row.location_uuid) {
    plan.coverageArea = [reference('Location', String(row.location_uuid).toLowerCase(), text(row.location_name))];
  }
  plan.coverage = [{ type: { coding: [MEDICAL] }, benefit: benefits(row, currency) }];
  const specificCost = deductibles(row, currency);
  plan.plan = [{ generalCost: generalCosts(row, currency), ...(specificCost.length ? { specificCost } : {}) }];
  return plan;
}

/** draft before DateFrom, active from DateFrom to DateTo (both days included), retired after. */
export function statusOf(start: string | undefined, end: string | undefined, today: string): InsurancePlan['status'] {
  if (start && today < start) return 'draft';
  if (end && today > end) return 'retired';
  return 'active';
}

function extensions(row: Row): Extension[] {
  const list: Extension[] = [];
  if (row.conversion_uuid) {
    list.push({
      url: structureDefinition('insurance-plan-conversion'),
      valueReference: reference('InsurancePlan', String(row.conversion_uuid).toLowerCase(), text(row.conversion_code)),
    });
  }
  if (present(row.MaxInstallments)) {
    list.push({ url: structureDefinition('insurance-plan-max-installments'), valueUnsignedInt: Number(row.MaxInstallments) });
  }
  // The cycles are a set of start days (DD-MM): their order means nothing.
  for (const column of START_CYCLES) {
    if (row[column]) list.push({ url: structureDefinition('insurance-plan-start-cycle'), valueString: String(row[column]).trim() });
  }
  for (const { column, kind } of PERIOD_KINDS) {
    if (!present(row[column])) continue;
    list.push({
      url: structureDefinition('insurance-plan-period'),
      extension: [
        { url: 'kind', valueCode: kind },
        { url: 'months', valueQuantity: months(row[column]) },
      ],
    });
  }
  for (const { kind, percentage, period } of DISCOUNT_KINDS) {
    // No discount (both empty or zero) is left out rather than shown as a 0 % discount.
    if (!Number(row[percentage] ?? 0) && !Number(row[period] ?? 0)) continue;
    list.push({
      url: structureDefinition('insurance-plan-discount'),
      extension: [
        { url: 'kind', valueCode: kind },
        ...(present(row[percentage]) ? [{ url: 'Percentage', valueDecimal: Number(row[percentage]) }] : []),
        ...(present(row[period]) ? [{ url: 'Period', valueQuantity: months(row[period]) }] : []),
      ],
    });
  }
  const interpretation = row.CeilingInterpretation ? String(row.CeilingInterpretation).trim() : '';
  if (interpretation) {
    list.push({
      url: structureDefinition('insurance-plan-ceiling-interpretation'),
      valueCoding: { system: CEILING_INTERPRETATION_SYSTEM, code: interpretation, display: CEILING_INTERPRETATIONS[interpretation] },
    });
  }
  list.push({
    url: structureDefinition('insurance-plan-covered-count'),
    extension: [
      { url: 'items', valueUnsignedInt: Number(row.covered_items ?? 0) },
      { url: 'services', valueUnsignedInt: Number(row.covered_services ?? 0) },
    ],
  });
  return list;
}

/** coverage[0].benefit: the whole cover first (period, member count, overall ceilings), then each care kind. */
function benefits(row: Row, currency: string): InsurancePlanCoverageBenefit[] {
  const general: InsurancePlanCoverageBenefitLimit[] = [
    { value: { value: Number(row.InsurancePeriod), unit: 'months', system: 'http://unitsofmeasure.org', code: 'mo' }, code: codeable(IG_LIMIT_SYSTEM, 'period', 'Period') },
    { value: { value: Number(row.MemberCount), unit: 'members' }, code: codeable(IG_LIMIT_SYSTEM, 'memberCount', 'Member Count') },
  ];
  const byBenefit = new Map<BenefitCode, InsurancePlanCoverageBenefitLimit[]>([['medical', general]]);
  for (const spec of LIMIT_COLUMNS) {
    if (!present(row[spec.column])) continue;
    const limits = byBenefit.get(spec.benefit) ?? [];
    limits.push({ value: quantity(spec, row[spec.column], currency), code: codeable(LIMIT_SYSTEM, spec.code, LIMITS[spec.code]) });
    byBenefit.set(spec.benefit, limits);
  }
  return [...byBenefit].map(([code, limit]) => ({ type: benefitType(code), limit }));
}

function deductibles(row: Row, currency: string): InsurancePlanPlanSpecificCost[] {
  const byCategory = new Map<BenefitCode, AmountColumn[]>();
  for (const spec of DEDUCTIBLE_COLUMNS) {
    if (present(row[spec.column])) byCategory.set(spec.benefit, [...(byCategory.get(spec.benefit) ?? []), spec]);
  }
  return [...byCategory].map(([category, specs]) => ({
    category: benefitType(category),
    benefit: [
      {
        type: benefitType(category),
        cost: specs.map((spec) => ({
          type: codeable(COST_TYPE_SYSTEM, 'deductible', 'Deductible'),
          qualifiers: [codeable(LIMIT_SYSTEM, spec.code, LIMITS[spec.code])],
          value: quantity(spec, row[spec.column], currency),
        })),
      },
    ],
  }));
}

function generalCosts(row: Row, currency: string) {
  return GENERAL_COSTS.filter((c) => c.code === 'lumpsum' || Number(row[c.column] ?? 0) !== 0).map((c) => ({
    type: codeable(GENERAL_COST_SYSTEM, c.code, c.display),
    ...(c.code === 'lumpsum' && Number(row.Threshold ?? 0) > 0 ? { groupSize: Number(row.Threshold) } : {}),
    cost: { value: Number(row[c.column] ?? 0), currency },
  }));
}

export function benefitType(code: BenefitCode) {
  return code === 'medical' ? { coding: [MEDICAL] } : codeable(BENEFIT_SYSTEM, code, BENEFITS[code]);
}

function quantity(spec: AmountColumn, value: unknown, currency: string): Quantity {
  return spec.kind === 'money'
    ? { value: Number(value), unit: currency, system: 'urn:iso:std:iso:4217', code: currency }
    : { value: Number(value) };
}

const months = (value: unknown): Quantity => ({ value: Number(value), unit: 'months', system: 'http://unitsofmeasure.org', code: 'mo' });

const present = (value: unknown) => value !== null && value !== undefined && value !== '';

const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));

/** The day of a legacy date or timestamp: 'YYYY-MM-DD'. */
export function dayOf(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}
