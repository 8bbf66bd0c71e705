/**
 * Contract → the values of a new policy, its contributions and its covered members, with every
 * problem reported at once. Pure: references are returned unresolved for write.ts to look up.
 *
 * What a client sends (the openIMIS module's shape, see README.md):
 * - subject[0]: the family (Group), or its head (Patient);
 * - author: the enrolment officer (Practitioner);
 * - term[0].asset[0].valuedItem[0]: entityReference = the product (InsurancePlan), net = the policy value;
 * - term[0].asset[0].period[0] (or applies): start and expiry, expiry defaulting to the product's
 *   insurance period; issued: the enrolment date (default today);
 * - term[0].asset[0].typeReference: the members covered (default: every current member);
 * - term[0].asset[0].extension[contract-premium]: the contributions paid, any number;
 * - legalState: policy-stage N (new, default) or R (renewal), or the module's texts Offered/Renewed.
 */
import type { Contract, ContractTermAsset, Extension, Identifier, Reference } from 'fhir/r4.js';
import { isUuid } from '../../fhir/store.js';
import { Problems } from '../problems.js';
import { findExtension, identifierType } from '../ig.js';
import { STAGE_TEXT, payType } from './to-fhir.js';
import { policyStage } from '../coverage/to-fhir.js';

export interface PremiumInput {
  amount: number;
  receipt: string;
  payDate: string;
  payType: string;
  isPhotoFee: boolean;
  payer?: Reference;
}

export interface ContractInput {
  uuid?: string;
  subject?: Reference;
  officer?: Reference;
  product?: Reference;
  value: number;
  enrollDate: string;
  startDate: string;
  /** Absent: the product's insurance period decides. */
  expiryDate?: string;
  stage: 'N' | 'R';
  /** Absent: every current member of the family. */
  members?: Reference[];
  premiums: PremiumInput[];
}

export function contractToPolicy(contract: Contract, opts: { currency: string; today: string }): ContractInput {
  const p = new Problems();
  if (contract.status !== undefined && contract.status !== 'offered') {
    p.add('Contract.status', `a new policy is offered (idle), not ${contract.status}: its status follows from its contributions`, 'business-rule');
  }
  if ((contract.subject?.length ?? 0) !== 1) p.add('Contract.subject', 'exactly one family (Group) or head of family (Patient) is required', 'required');
  if (!contract.author) p.add('Contract.author', 'the enrolment officer (Practitioner) is required', 'required');
  if ((contract.term?.length ?? 0) !== 1 || (contract.term?.[0].asset?.length ?? 0) !== 1) {
    p.add('Contract.term', 'exactly one term with exactly one asset (the policy) is required', 'required');
  }
  const asset: ContractTermAsset = contract.term?.[0]?.asset?.[0] ?? {};
  const valued = asset.valuedItem ?? [];
  if (valued.length !== 1) p.add('Contract.term.asset.valuedItem', 'exactly one valued item (the product with the policy value) is required', 'required');
  const item = valued[0] ?? {};
  if (!item.entityReference) p.add('Contract.term.asset.valuedItem.entityReference', 'the product (InsurancePlan) is required', 'required');
  const value = money(p, 'Contract.term.asset.valuedItem.net', item.net, opts.currency, { required: true, positive: false });

  const enrollDate = dateOf(p, 'Contract.issued', contract.issued) ?? opts.today;
  if (enrollDate > opts.today) p.add('Contract.issued', 'the enrolment date is in the future');
  if ((asset.period?.length ?? 0) > 1) p.add('Contract.term.asset.period', 'at most one period');
  const period = asset.period?.[0] ?? contract.applies;
  const where = asset.period?.[0] ? 'Contract.term.asset.period' : 'Contract.applies';
  const startDate = dateOf(p, `${where}.start`, period?.start) ?? enrollDate;
  const expiryDate = dateOf(p, `${where}.end`, period?.end);
  if (expiryDate && expiryDate < startDate) p.add(`${where}.end`, 'is before the start');

  const members = asset.typeReference;
  if (members && members.length === 0) p.add('Contract.term.asset.typeReference', 'names no member');

  const input: ContractInput = {
    uuid: uuidOf(p, contract.identifier),
    subject: contract.subject?.[0],
    officer: contract.author,
    product: item.entityReference,
    value: value ?? 0,
    enrollDate,
    startDate,
    expiryDate,
    stage: stageOf(p, contract),
    members: members?.length ? members : undefined,
    premiums: premiumsOf(p, asset.extension, opts),
  };
  p.throwIfAny();
  return input;
}

function uuidOf(p: Problems, identifiers: Identifier[] | undefined): string | undefined {
  const uuid = identifiers?.find((i) => identifierType(i) === 'UUID')?.value;
  if (uuid === undefined) return undefined;
  if (!isUuid(uuid)) {
    p.add('Contract.identifier', `"${uuid}" is not a UUID`);
    return undefined;
  }
  return uuid.toLowerCase();
}

function stageOf(p: Problems, contract: Contract): 'N' | 'R' {
  const state = contract.legalState;
  if (!state) return 'N';
  const coding = state.coding?.find((c) => !c.system || c.system === policyStage.system);
  if (coding?.code) {
    if (coding.code === 'N' || coding.code === 'R') return coding.code;
    p.add('Contract.legalState', `unknown policy stage "${coding.code}"; expected N (new) or R (renewal)`, 'code-invalid');
    return 'N';
  }
  const byText = Object.entries(STAGE_TEXT).find(([, label]) => label.toLowerCase() === state.text?.trim().toLowerCase());
  if (byText) return byText[0] as 'N' | 'R';
  p.add('Contract.legalState', 'expected a policy-stage coding (N or R) or the text Offered or Renewed', 'code-invalid');
  return 'N';
}

function premiumsOf(p: Problems, extensions: Extension[] | undefined, opts: { currency: string; today: string }): PremiumInput[] {
  const premiums: PremiumInput[] = [];
  const receipts = new Set<string>();
  (extensions ?? []).forEach((ext, index) => {
    if (!findExtension([ext], 'contract-premium')) return;
    const where = `Contract.term.asset.extension[contract-premium][${index}]`;
    const part = (name: string) => ext.extension?.find((e) => e.url === name);
    const amount = money(p, `${where}.amount`, part('amount')?.valueMoney, opts.currency, { required: true, positive: true });
    const receipt = p.text(`${where}.receipt`, part('receipt')?.valueString, { max: 50, required: true });
    const payDate = dateOf(p, `${where}.date`, part('date')?.valueDate, true);
    if (payDate && payDate > opts.today) p.add(`${where}.date`, 'the payment date is in the future');
    const type = part('type')?.valueCodeableConcept?.coding?.find((c) => !c.system || c.system === payType.system)?.code;
    if (!type) p.add(`${where}.type`, `the payment type is required (${payType.fhirCodes().join(', ')})`, 'required');
    else if (!payType.fhirCodes().includes(type)) p.add(`${where}.type`, `unknown payment type "${type}"; expected ${payType.fhirCodes().join(', ')}`, 'code-invalid');
    if (receipt && receipts.has(receipt)) p.add(`${where}.receipt`, `receipt ${receipt} is given twice`, 'duplicate');
    if (receipt) receipts.add(receipt);
    const isPhotoFee = p.boolean(`${where}.photo-fee`, part('photo-fee')?.valueBoolean, false);
    if (amount !== undefined && receipt && payDate && type) {
      premiums.push({ amount, receipt, payDate, payType: type, isPhotoFee, payer: part('party')?.valueReference });
    }
  });
  return premiums;
}

function money(
  p: Problems,
  where: string,
  value: { value?: number; currency?: string } | undefined,
  currency: string,
  opts: { required: boolean; positive: boolean },
): number | undefined {
  if (value?.value === undefined || value.value === null) {
    if (opts.required) p.add(where, 'an amount is required', 'required');
    return undefined;
  }
  if (typeof value.value !== 'number' || !Number.isFinite(value.value) || value.value < 0 || (opts.positive && value.value === 0)) {
    p.add(where, `must be a ${opts.positive ? 'positive' : 'non-negative'} amount`);
    return undefined;
  }
  if (value.value >= 1e16) p.add(where, 'is too large', 'too-long');
  if (value.currency && value.currency !== currency) p.add(where, `the currency is ${currency}, not ${value.currency}`, 'business-rule');
  return value.value;
}

/** A date or a dateTime, kept as its day. */
function dateOf(p: Problems, where: string, value: unknown, required = false): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) p.add(where, 'is required', 'required');
    return undefined;
  }
  const day = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) ? value.slice(0, 10) : value;
  return p.date(where, day) ?? undefined;
}
