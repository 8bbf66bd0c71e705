/**
 * InsurancePlan → tblProduct values for an update, the inverse of to-fhir.ts through the same tables
 * (amounts.ts): every column is read from its one place, so nothing depends on element order. Every
 * problem is reported at once. Pure: the coverage area and the conversion product are returned as
 * references for write.ts to resolve. Columns the resource does not show (accounting codes,
 * distribution weights, capitation levels, the covered item and service lines) are not touched.
 */
import type { Extension, InsurancePlan, Quantity, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { Problems } from '../problems.js';
import { CODE_IDENTIFIER_TYPES, extensionName, identifierType } from '../ig.js';
import {
  BENEFIT_SYSTEM,
  CEILING_INTERPRETATIONS,
  COST_TYPE_SYSTEM,
  DEDUCTIBLE_COLUMNS,
  DISCOUNT_KINDS,
  GENERAL_COSTS,
  GENERAL_COST_SYSTEM,
  IG_LIMIT_SYSTEM,
  LIMIT_COLUMNS,
  LIMIT_SYSTEM,
  PERIOD_KINDS,
  PLAN_TYPE_SYSTEM,
  START_CYCLES,
  type AmountColumn,
} from './amounts.js';

export interface ProductInput {
  values: Row;
  coverageArea?: Reference;
  conversion?: Reference;
}

/** Columns that must hold a value (NOT NULL in every openIMIS schema). */
const PERIOD_REQUIRED = new Set(['GracePeriod']);

export function insurancePlanToProduct(plan: InsurancePlan, currency: string): ProductInput {
  const p = new Problems();
  const code = plan.identifier?.find((i) => CODE_IDENTIFIER_TYPES.has(identifierType(i) ?? ''))?.value;
  const values: Row = {
    ProductCode: p.text('InsurancePlan.identifier[Code]', code, { max: 8, required: true }),
    ProductName: p.text('InsurancePlan.name', plan.name, { max: 100, required: true }),
    DateFrom: p.date('InsurancePlan.period.start', plan.period?.start?.slice(0, 10), { required: true }),
    DateTo: p.date('InsurancePlan.period.end', plan.period?.end?.slice(0, 10), { required: true }),
  };
  if (values.DateFrom && values.DateTo && values.DateTo < values.DateFrom) p.add('InsurancePlan.period.end', 'is before the start');
  if ((plan.coverageArea?.length ?? 0) > 1) p.add('InsurancePlan.coverageArea', 'at most one region or district');
  if ((plan.coverage?.length ?? 0) > 1) p.add('InsurancePlan.coverage', 'one coverage (medical) only');
  if ((plan.plan?.length ?? 0) > 1) p.add('InsurancePlan.plan', 'one plan only');

  const benefits = plan.coverage?.[0]?.benefit ?? [];
  const benefitOf = (code: string) => benefits.find((b) => b.type?.coding?.some((c) => c.code === code && (c.system === BENEFIT_SYSTEM || c.system === PLAN_TYPE_SYSTEM)));
  const medical = benefitOf('medical');
  const igLimit = (limitCode: string) => medical?.limit?.find((l) => l.code?.coding?.some((c) => c.code === limitCode && c.system === IG_LIMIT_SYSTEM))?.value;
  values.InsurancePeriod = count(p, 'InsurancePlan.coverage.benefit[medical].limit[period]', igLimit('period'), true);
  values.MemberCount = count(p, 'InsurancePlan.coverage.benefit[medical].limit[memberCount]', igLimit('memberCount'), true);
  for (const spec of LIMIT_COLUMNS) {
    const limit = benefitOf(spec.benefit)?.limit?.filter((l) => l.code?.coding?.some((c) => c.code === spec.code && c.system === LIMIT_SYSTEM));
    if ((limit?.length ?? 0) > 1) p.add(`InsurancePlan.coverage.benefit[${spec.benefit}].limit[${spec.code}]`, 'is given twice');
    values[spec.column] = amount(p, `InsurancePlan.coverage.benefit[${spec.benefit}].limit[${spec.code}]`, spec.kind, limit?.[0]?.value, currency);
  }
  const specificCosts = plan.plan?.[0]?.specificCost ?? [];
  for (const spec of DEDUCTIBLE_COLUMNS) {
    const category = specificCosts.find((c) => c.category.coding?.some((x) => x.code === spec.benefit));
    const costs = (category?.benefit ?? []).flatMap((b) => b.cost ?? []).filter(
      (c) => c.type.coding?.some((x) => x.code === 'deductible' && x.system === COST_TYPE_SYSTEM) && c.qualifiers?.some((q) => q.coding?.some((x) => x.code === spec.code)),
    );
    if (costs.length > 1) p.add(`InsurancePlan.plan.specificCost[${spec.benefit}].cost[deductible ${spec.code}]`, 'is given twice');
    values[spec.column] = amount(p, `InsurancePlan.plan.specificCost[${spec.benefit}].cost[deductible ${spec.code}]`, spec.kind, costs[0]?.value, currency);
  }
  const generalCosts = plan.plan?.[0]?.generalCost ?? [];
  for (const cost of GENERAL_COSTS) {
    const where = `InsurancePlan.plan.generalCost[${cost.code}]`;
    const found = generalCosts.filter((g) => g.type?.coding?.some((c) => c.code === cost.code && c.system === GENERAL_COST_SYSTEM));
    if (found.length > 1) p.add(where, 'is given twice');
    values[cost.column] = amount(p, where, 'money', found[0]?.cost, currency);
    if (cost.code === 'lumpsum') {
      // The lump sum is NOT NULL; the threshold (members included in it) is shown only when set.
      if (values.LumpSum === null) p.add(where, 'is required (0 when the product has no lump sum)', 'required');
      values.Threshold = found[0]?.groupSize ?? 0;
    }
  }
  Object.assign(values, extensionValues(p, plan.extension ?? []));
  p.throwIfAny();
  return {
    values,
    coverageArea: plan.coverageArea?.[0],
    conversion: (plan.extension ?? []).find((e) => extensionName(e.url) === 'insurance-plan-conversion')?.valueReference,
  };
}

function extensionValues(p: Problems, extensions: Extension[]): Row {
  const values: Row = {};
  const named = (name: string) => extensions.filter((e) => extensionName(e.url) === name);
  const sub = (e: Extension, url: string) => e.extension?.find((x) => x.url === url);

  const installments = named('insurance-plan-max-installments');
  if (installments.length > 1) p.add('InsurancePlan.extension[insurance-plan-max-installments]', 'is given twice');
  values.MaxInstallments = count(p, 'InsurancePlan.extension[insurance-plan-max-installments]', wrap(installments[0]?.valueUnsignedInt), false);

  const cycles = named('insurance-plan-start-cycle').map((e) => e.valueString);
  if (cycles.length > START_CYCLES.length) p.add('InsurancePlan.extension[insurance-plan-start-cycle]', `at most ${START_CYCLES.length} cycles`);
  START_CYCLES.forEach((column, i) => {
    const cycle = cycles[i];
    if (cycle !== undefined && !/^(0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])$/.test(cycle)) {
      p.add('InsurancePlan.extension[insurance-plan-start-cycle]', `"${cycle}" is not a day of the year (DD-MM)`);
    }
    values[column] = cycle ?? null;
  });

  const periods = named('insurance-plan-period');
  for (const { column, kind } of PERIOD_KINDS) {
    const matches = periods.filter((e) => sub(e, 'kind')?.valueCode === kind);
    const where = `InsurancePlan.extension[insurance-plan-period ${kind}]`;
    if (matches.length > 1) p.add(where, 'is given twice');
    values[column] = count(p, where, sub(matches[0] ?? {}, 'months')?.valueQuantity, PERIOD_REQUIRED.has(column));
  }
  for (const e of periods) {
    const kind = sub(e, 'kind')?.valueCode;
    if (!PERIOD_KINDS.some((k) => k.kind === kind)) p.add('InsurancePlan.extension[insurance-plan-period]', `unknown kind "${kind}"; expected ${PERIOD_KINDS.map((k) => k.kind).join(', ')}`, 'code-invalid');
  }

  const discounts = named('insurance-plan-discount');
  for (const { kind, percentage, period } of DISCOUNT_KINDS) {
    const matches = discounts.filter((e) => sub(e, 'kind')?.valueCode === kind);
    const where = `InsurancePlan.extension[insurance-plan-discount ${kind}]`;
    if (matches.length > 1) p.add(where, 'is given twice');
    const percent = sub(matches[0] ?? {}, 'Percentage')?.valueDecimal;
    if (percent !== undefined && !(Number.isInteger(percent) && percent >= 0 && percent <= 100)) p.add(`${where}.Percentage`, 'must be a whole percentage from 0 to 100');
    values[percentage] = percent ?? 0;
    values[period] = count(p, `${where}.Period`, sub(matches[0] ?? {}, 'Period')?.valueQuantity, false) ?? 0;
  }
  for (const e of discounts) {
    const kind = sub(e, 'kind')?.valueCode;
    if (!DISCOUNT_KINDS.some((k) => k.kind === kind)) p.add('InsurancePlan.extension[insurance-plan-discount]', `unknown kind "${kind}"; expected renewal or enrolment`, 'code-invalid');
  }

  const interpretation = named('insurance-plan-ceiling-interpretation')[0]?.valueCoding?.code;
  if (interpretation !== undefined && !(interpretation in CEILING_INTERPRETATIONS)) {
    p.add('InsurancePlan.extension[insurance-plan-ceiling-interpretation]', `unknown code "${interpretation}"; expected I or H`, 'code-invalid');
  }
  values.CeilingInterpretation = interpretation ?? null;
  if (named('insurance-plan-conversion').length > 1) p.add('InsurancePlan.extension[insurance-plan-conversion]', 'at most one conversion product');
  return values;
}

const wrap = (value: number | undefined): Quantity | undefined => (value === undefined ? undefined : { value });

/** A whole, non-negative number of months, members or times. */
function count(p: Problems, where: string, quantity: Quantity | undefined, required: boolean): number | null {
  const value = quantity?.value;
  if (value === undefined || value === null) {
    if (required) p.add(where, 'is required', 'required');
    return null;
  }
  if (!Number.isInteger(value) || value < 0 || value > 32767) {
    p.add(where, 'must be a whole number from 0 to 32767');
    return null;
  }
  return value;
}

/** An amount (money, in the configured currency: a Money or a Quantity coded in ISO 4217) or a count. */
function amount(p: Problems, where: string, kind: AmountColumn['kind'], value: { value?: number; code?: string; currency?: string } | undefined, currency: string): number | null {
  if (value?.value === undefined || value.value === null) return null;
  if (kind === 'count') return count(p, where, value, false);
  const unit = value.currency ?? value.code;
  if (unit && unit !== currency) p.add(where, `the currency is ${currency}, not ${unit}`, 'business-rule');
  if (typeof value.value !== 'number' || !Number.isFinite(value.value) || value.value < 0 || value.value >= 1e16) {
    p.add(where, 'must be a non-negative amount');
    return null;
  }
  return value.value;
}
