/**
 * Claim → what entering it needs, with every problem of the resource reported at once. Pure:
 * references (patient, provider, enterer, items, services, diagnoses) are returned unresolved for
 * write.ts to look up.
 */
import type { Claim, ClaimItem, FhirResource, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { Problems } from '../problems.js';
import { CODE_IDENTIFIER_TYPES, findExtension, identifierType } from '../ig.js';

const visitType = loadMapping('claim-visit-type');

export interface LineInput {
  kind: 'item' | 'service';
  /** Reference to the Medication / ActivityDefinition (UUID or code, contained or not)… */
  ref?: Reference;
  /** …or only its code (productOrService). */
  code?: string;
  quantity: number;
  /** 0 when the client sent none: the price list or register price applies. */
  price: number;
  expression: string;
}

export interface ClaimInput {
  values: Row;
  patient?: Reference;
  provider?: Reference;
  enterer?: Reference;
  diagnoses: { code: string; expression: string }[];
  lines: LineInput[];
  contained: FhirResource[];
}

const MAX_DIAGNOSES = 5;

export function claimToInput(claim: Claim, currency: string, today: string): ClaimInput {
  const p = new Problems();
  const code = claim.identifier?.find((id) => CODE_IDENTIFIER_TYPES.has(identifierType(id) ?? ''))?.value;
  const dateClaimed = dateOf('Claim.created', claim.created, true, p);
  const dateFrom = dateOf('Claim.billablePeriod.start', claim.billablePeriod?.start, true, p);
  const dateTo = dateOf('Claim.billablePeriod.end', claim.billablePeriod?.end, false, p);
  if (dateFrom && dateTo && dateTo < dateFrom) p.add('Claim.billablePeriod.end', 'is before the start');
  if (dateFrom && dateClaimed && dateClaimed < dateFrom) p.add('Claim.created', 'is before the start of the billable period');
  for (const [expression, date] of [['Claim.created', dateClaimed], ['Claim.billablePeriod.start', dateFrom], ['Claim.billablePeriod.end', dateTo]] as const) {
    if (date && date > today) p.add(expression, 'is in the future');
  }

  const values: Row = {
    ClaimCode: p.text('Claim.identifier[Code]', code, { max: 8, required: true }),
    DateClaimed: dateClaimed,
    DateFrom: dateFrom,
    DateTo: dateTo,
    VisitType: visitTypeOf(claim, p),
    ...supportingInfoOf(claim, p),
  };
  for (const [element, ref] of [['patient', claim.patient], ['provider', claim.provider], ['enterer', claim.enterer]] as const) {
    if (!ref?.reference && !ref?.identifier?.value) p.add(`Claim.${element}`, 'is required', 'required');
  }
  moneyOf('Claim.total', claim.total, currency, p);
  const diagnoses = diagnosesOf(claim, p);
  const lines = (claim.item ?? []).map((item, i) => lineOf(item, `Claim.item[${i}]`, currency, p));
  if (lines.length === 0) p.add('Claim.item', 'a claim needs at least one item or service', 'required');
  p.throwIfAny();
  return {
    values,
    patient: claim.patient,
    provider: claim.provider,
    enterer: claim.enterer,
    diagnoses,
    lines,
    contained: (claim.contained ?? []) as FhirResource[],
  };
}

function visitTypeOf(claim: Claim, p: Problems): string | null {
  const coding = claim.type?.coding?.find((c) => !c.system || c.system === visitType.system) ?? claim.type?.coding?.[0];
  if (!coding?.code) {
    p.add('Claim.type', `the visit type is required: ${visitType.fhirCodes().join(', ')}`, 'required');
    return null;
  }
  if (!visitType.fhirCodes().includes(coding.code)) {
    p.add('Claim.type', `unknown visit type "${coding.code}"; expected ${visitType.fhirCodes().join(', ')}`, 'code-invalid');
    return null;
  }
  return String(visitType.toLegacy(coding.code));
}

function supportingInfoOf(claim: Claim, p: Problems): Row {
  const values: Row = { GuaranteeId: null, Explanation: null };
  (claim.supportingInfo ?? []).forEach((info, i) => {
    const expression = `Claim.supportingInfo[${i}]`;
    const category = info.category?.coding?.[0]?.code ?? info.category?.text;
    if (category === 'guarantee') values.GuaranteeId = p.text(`${expression}.valueString`, info.valueString, { max: 50, required: true });
    else if (category === 'explanation') values.Explanation = p.text(`${expression}.valueString`, info.valueString, { max: 100_000, required: true });
    // Attachments go to their own table (attachments.ts).
    else if (category !== 'attachment') p.add(`${expression}.category`, `unknown category "${category ?? ''}"; expected guarantee, explanation or attachment`, 'code-invalid');
  });
  return values;
}

function diagnosesOf(claim: Claim, p: Problems): { code: string; expression: string }[] {
  const list = [...(claim.diagnosis ?? [])].map((d, i) => ({ d, i })).sort((a, b) => (a.d.sequence ?? a.i) - (b.d.sequence ?? b.i));
  if (list.length === 0) p.add('Claim.diagnosis', 'at least one diagnosis (ICD code) is required', 'required');
  if (list.length > MAX_DIAGNOSES) p.add('Claim.diagnosis', `at most ${MAX_DIAGNOSES} diagnoses`);
  const out: { code: string; expression: string }[] = [];
  for (const { d, i } of list.slice(0, MAX_DIAGNOSES)) {
    const expression = `Claim.diagnosis[${i}].diagnosisCodeableConcept`;
    const code = d.diagnosisCodeableConcept?.coding?.find((c) => c.code)?.code;
    if (!code) p.add(expression, 'an ICD code is required', 'required');
    else out.push({ code: code.trim(), expression });
  }
  return out;
}

function lineOf(item: ClaimItem, expression: string, currency: string, p: Problems): LineInput {
  const ref = (findExtension(item.extension, 'claim-item-reference') ?? item.extension?.find((e) => e.valueReference))?.valueReference;
  const categories = [item.category?.text, ...(item.category?.coding ?? []).map((c) => c.code)].filter((c): c is string => !!c);
  const refType = ref?.type ?? /(?:^|#|\/)(Medication|ActivityDefinition)\//.exec(ref?.reference ?? '')?.[1];
  let kind: 'item' | 'service' | undefined = categories.includes('item') ? 'item' : categories.includes('service') ? 'service' : undefined;
  if (!kind && refType) kind = refType === 'Medication' ? 'item' : 'service';
  if (!kind) p.add(`${expression}.category`, 'must be item or service (or the line must reference a Medication or ActivityDefinition)', 'required');
  if (kind && refType && (refType === 'Medication') !== (kind === 'item')) {
    p.add(`${expression}.extension[claim-item-reference]`, `${kind} lines reference ${kind === 'item' ? 'a Medication' : 'an ActivityDefinition'}, not ${refType}`);
  }
  const code = item.productOrService?.coding?.find((c) => c.code)?.code ?? item.productOrService?.text;
  if (!ref && !code) p.add(`${expression}.extension[claim-item-reference]`, 'the Medication or ActivityDefinition of the line is required', 'required');
  const quantity = item.quantity?.value;
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0 || quantity >= 1e15) {
    p.add(`${expression}.quantity.value`, 'must be a positive number', quantity === undefined ? 'required' : 'invalid');
  } else if (!twoDecimals(quantity)) p.add(`${expression}.quantity.value`, 'has more than two decimals');
  const price = moneyOf(`${expression}.unitPrice`, item.unitPrice, currency, p) ?? 0;
  return { kind: kind ?? 'item', ref, code: code?.trim(), quantity: Number(quantity), price, expression };
}

function moneyOf(expression: string, value: { value?: number; currency?: string } | undefined, currency: string, p: Problems): number | undefined {
  if (!value || value.value === undefined || value.value === null) return undefined;
  if (typeof value.value !== 'number' || !Number.isFinite(value.value) || value.value < 0 || value.value >= 1e15) {
    p.add(`${expression}.value`, 'must be a non-negative amount');
    return undefined;
  }
  if (!twoDecimals(value.value)) p.add(`${expression}.value`, 'has more than two decimals');
  if (value.currency && value.currency !== currency) p.add(`${expression}.currency`, `${value.currency} is not the currency of this scheme (${currency})`);
  return value.value;
}

/** A date, or the date part of a dateTime (the openIMIS module accepted both). */
function dateOf(expression: string, value: unknown, required: boolean, p: Problems): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) p.add(expression, 'is required', 'required');
    return null;
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))) {
    return p.date(expression, value.slice(0, 10));
  }
  return p.date(expression, value);
}

const twoDecimals = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;
