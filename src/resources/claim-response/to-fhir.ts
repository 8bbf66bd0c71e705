/**
 * tblClaim row (with its joins and details) → ClaimResponse: the adjudication of the claim as far
 * as its status goes, in the wire format of the openIMIS FHIR module (outcome from the claim
 * status, one adjudication per status reached with the approved / adjusted / valuated amounts, a
 * single "rejected" adjudication with its reason for rejected lines, totals per status) with its
 * defects fixed: `created` is when this state was recorded (not the time of the request), the
 * insurer a real Organization reference, review notes as process notes, rejections as errors.
 */
import type { ClaimResponse, ClaimResponseItem, ClaimResponseItemAdjudication, CodeableConcept, Money, Reference } from 'fhir/r4.js';
import type { RequestContext, Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { identifier, reference } from '../ig.js';
import { money } from '../medication/register.js';
import { detailsOf, type ClaimLine } from '../claim/details.js';
import { claimIdentifiers, entererOf, itemReference, patientOf, visitTypeOf } from '../claim/to-fhir.js';

const claimStatus = loadMapping('claim-status');
const outcome = loadMapping('claim-outcome');
const rejection = loadMapping('claim-rejection-reason');

const REJECTED = 1;
const ENTERED = 2;
const CHECKED = 4;
const PROCESSED = 8;
const VALUATED = 16;

/** The insurer: the scheme itself, the Organization the openIMIS module serves as openIMIS-Implementation. */
export const INSURER: Reference = {
  reference: 'Organization/openIMIS-Implementation',
  type: 'Organization',
  identifier: identifier('Code', 'openIMIS'),
  display: 'openIMIS',
};

export function claimResponseToFhir(row: Row, ctx: Pick<RequestContext, 'currency'>): ClaimResponse {
  const details = detailsOf(row);
  const status = Number(row.ClaimStatus);
  const uuid = String(row.ClaimUUID).toLowerCase();
  const from = row.ValidityFrom instanceof Date ? row.ValidityFrom : new Date(String(row.ValidityFrom));
  const notes: NonNullable<ClaimResponse['processNote']> = [];
  const note = (text: string) => {
    notes.push({ number: notes.length + 1, type: 'display', text });
    return notes.length;
  };
  if (row.Adjustment && String(row.Adjustment).trim()) note(String(row.Adjustment));

  const claimReason = Number(row.RejectionReason ?? 0);
  const lines = [...details.items, ...details.services];
  const errors: NonNullable<ClaimResponse['error']> = [];
  const items: ClaimResponseItem[] = lines.map((line, i) => {
    const rejected = isRejected(line, status);
    const item: ClaimResponseItem = {
      extension: [itemReference(line)],
      itemSequence: i + 1,
      adjudication: rejected ? [rejectedAdjudication(line, claimReason, ctx.currency)] : acceptedAdjudications(line, status, ctx.currency),
    };
    if (line.justification && line.justification.trim()) item.noteNumber = [note(line.justification)];
    if (rejected) errors.push({ itemSequence: i + 1, code: reasonOf(line.rejectionReason || claimReason) });
    return item;
  });
  if (status === REJECTED && claimReason !== 0) errors.unshift({ code: reasonOf(claimReason) });

  const response: ClaimResponse = {
    resourceType: 'ClaimResponse',
    id: uuid,
    identifier: claimIdentifiers(row),
    status: 'active',
    type: visitTypeOf(row),
    use: 'claim',
    patient: patientOf(row),
    created: from.toISOString(),
    insurer: INSURER,
    request: reference('Claim', uuid, String(row.ClaimCode).trim()),
    outcome: (outcome.toCode(status) ?? 'queued') as ClaimResponse['outcome'],
    disposition: claimStatus.toCoding(status)?.display,
    item: items,
    total: totals(row, status, lines, ctx.currency),
  };
  const requestor = entererOf(row);
  if (requestor) response.requestor = requestor;
  if (items.length === 0) delete response.item;
  if (notes.length) response.processNote = notes;
  if (errors.length) response.error = errors;
  return response;
}

/** A line is rejected when it was refused at submission or review, or when the whole claim was. */
function isRejected(line: ClaimLine, status: number): boolean {
  return status === REJECTED || line.rejectionReason !== 0 || line.status === 2;
}

function rejectedAdjudication(line: ClaimLine, claimReason: number, currency: string): ClaimResponseItemAdjudication {
  return {
    category: category(REJECTED),
    reason: reasonOf(line.rejectionReason || claimReason),
    amount: money(line.priceAsked, currency),
    value: line.qtyProvided,
  };
}

/** One adjudication per status the claim reached: entered (asked), checked (approved), processed (adjusted), valuated. */
function acceptedAdjudications(line: ClaimLine, status: number, currency: string): ClaimResponseItemAdjudication[] {
  const accepted = reasonOf(0);
  const approvedQty = line.qtyApproved !== null && line.qtyApproved !== 0 ? line.qtyApproved : line.qtyProvided;
  const list: ClaimResponseItemAdjudication[] = [
    { category: category(ENTERED), reason: accepted, amount: money(line.priceAsked, currency), value: line.qtyProvided },
  ];
  const approved = line.priceApproved ?? line.priceAsked;
  const adjusted = line.priceAdjusted ?? approved;
  if (status >= CHECKED) list.push({ category: category(CHECKED), reason: accepted, amount: money(approved, currency), value: approvedQty });
  if (status >= PROCESSED) list.push({ category: category(PROCESSED), reason: accepted, amount: money(adjusted, currency), value: approvedQty });
  if (status === VALUATED) {
    list.push({ category: category(VALUATED), reason: accepted, amount: money(line.priceValuated ?? adjusted, currency), value: approvedQty });
  }
  return list;
}

/**
 * Totals per status reached. The claim's own amounts (Claimed, Approved, Valuated, the latter after
 * deductibles) are used where openIMIS keeps them; the adjusted total is summed from the lines.
 */
function totals(row: Row, status: number, lines: ClaimLine[], currency: string): ClaimResponse['total'] {
  const accepted = lines.filter((l) => !isRejected(l, status));
  const sum = (price: (l: ClaimLine) => number, qty: (l: ClaimLine) => number) =>
    accepted.reduce((total, l) => total + Math.round(price(l) * qty(l) * 100), 0) / 100;
  const approvedQty = (l: ClaimLine) => (l.qtyApproved !== null && l.qtyApproved !== 0 ? l.qtyApproved : l.qtyProvided);
  const approved = (l: ClaimLine) => l.priceApproved ?? l.priceAsked;
  const adjusted = (l: ClaimLine) => l.priceAdjusted ?? approved(l);
  const amount = (value: unknown, fallback: number): Money => money(value === null || value === undefined ? fallback : Number(value), currency);

  const list = [{ category: category(ENTERED), amount: amount(row.Claimed, lines.reduce((t, l) => t + l.priceAsked * l.qtyProvided, 0)) }];
  if (status === REJECTED) return list;
  if (status >= CHECKED) list.push({ category: category(CHECKED), amount: amount(row.Approved, sum(approved, approvedQty)) });
  if (status >= PROCESSED) list.push({ category: category(PROCESSED), amount: amount(null, sum(adjusted, approvedQty)) });
  if (status === VALUATED) {
    list.push({ category: category(VALUATED), amount: amount(row.Valuated, sum((l) => l.priceValuated ?? adjusted(l), approvedQty)) });
  }
  return list;
}

function category(status: number): CodeableConcept {
  const coding = claimStatus.toCoding(status)!;
  return { coding: [coding], text: coding.display };
}

function reasonOf(reason: number): CodeableConcept {
  const coding = rejection.toCoding(reason) ?? { system: rejection.system, code: String(reason) };
  return { coding: [coding], ...(coding.display ? { text: coding.display } : {}) };
}
