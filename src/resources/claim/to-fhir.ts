/**
 * tblClaim row (with its joins and details) → Claim, in the wire format of the openIMIS FHIR module
 * (identifiers UUID and Code, items then services each with the claim-item-reference extension,
 * supportingInfo guarantee, explanation and attachments, diagnoses from tblICDCodes) with its defects fixed:
 * canonical code-system URLs, coverage of the policy that covers the visit.
 */
import type { Claim, ClaimItem, ClaimSupportingInfo, Extension, Reference } from 'fhir/r4.js';
import type { RequestContext, Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { codeSystem, identifier, reference, structureDefinition } from '../ig.js';
import { money } from '../medication/register.js';
import { dayText, detailsOf, type ClaimLine } from './details.js';
import { attachmentInfo } from './attachments.js';

const visitType = loadMapping('claim-visit-type');

export const ITEM_CATEGORY = codeSystem('claim-item-category');
export const SUPPORTING_INFO_CATEGORY = codeSystem('claim-supporting-info-category');
export const DIAGNOSIS_SYSTEM = codeSystem('diagnosis-ICD10-level1');
export const CLAIM_ITEM_REFERENCE = structureDefinition('claim-item-reference');

export function claimToFhir(row: Row, ctx: Pick<RequestContext, 'currency'>): Claim {
  const details = detailsOf(row);
  const uuid = String(row.ClaimUUID).toLowerCase();
  const from = dayText(row.DateFrom)!;
  const claim: Claim = {
    resourceType: 'Claim',
    id: uuid,
    identifier: claimIdentifiers(row),
    status: 'active',
    type: visitTypeOf(row),
    use: 'claim',
    patient: patientOf(row),
    billablePeriod: { start: from, end: dayText(row.DateTo) ?? from },
    created: dayText(row.DateClaimed)!,
    provider: providerOf(row),
    priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal', display: 'Normal' }] },
    insurance: [
      {
        sequence: 1,
        focal: true,
        coverage: details.coverageUuid ? reference('Coverage', details.coverageUuid) : { display: 'No policy of the insuree was found' },
      },
    ],
    total: money(row.Claimed, ctx.currency),
  };
  const enterer = entererOf(row);
  if (enterer) claim.enterer = enterer;
  const supportingInfo = supportingInfoOf(row);
  if (supportingInfo.length) claim.supportingInfo = supportingInfo;
  if (details.diagnoses.length) {
    claim.diagnosis = details.diagnoses.map((d, i) => ({
      sequence: i + 1,
      diagnosisCodeableConcept: { coding: [{ system: DIAGNOSIS_SYSTEM, code: d.code, display: d.name }], text: d.name },
    }));
  }
  const lines = [...details.items, ...details.services];
  if (lines.length) claim.item = lines.map((line, i) => claimItem(line, i + 1, ctx.currency));
  return claim;
}

function claimItem(line: ClaimLine, sequence: number, currency: string): ClaimItem {
  return {
    sequence,
    extension: [itemReference(line)],
    category: { coding: [{ system: ITEM_CATEGORY, code: line.kind, display: line.kind === 'item' ? 'Item' : 'Service' }], text: line.kind },
    productOrService: { text: line.refCode },
    quantity: { value: line.qtyProvided },
    unitPrice: money(line.priceAsked, currency),
    net: money(Math.round(line.priceAsked * line.qtyProvided * 100) / 100, currency),
  };
}

/** The claim-item-reference extension: the Medication or ActivityDefinition of a line. */
export function itemReference(line: ClaimLine): Extension {
  return { url: CLAIM_ITEM_REFERENCE, valueReference: reference(line.kind === 'item' ? 'Medication' : 'ActivityDefinition', line.refUuid, line.refCode) };
}

export function claimIdentifiers(row: Row) {
  const uuid = String(row.ClaimUUID).toLowerCase();
  return [identifier('UUID', uuid), identifier('Code', String(row.ClaimCode).trim())];
}

export function visitTypeOf(row: Row) {
  const coding = visitType.toCoding(row.VisitType);
  return coding ? { coding: [coding], text: coding.display } : { text: 'unknown' };
}

export function patientOf(row: Row): Reference {
  return row.insuree_uuid ? reference('Patient', String(row.insuree_uuid).toLowerCase(), text(row.insuree_chfid)) : { display: 'unknown insuree' };
}

export function providerOf(row: Row): Reference {
  return row.hf_uuid ? reference('Organization', String(row.hf_uuid).toLowerCase(), text(row.hf_code)) : { display: 'unknown health facility' };
}

export function entererOf(row: Row): Reference | undefined {
  return row.admin_uuid ? reference('Practitioner', String(row.admin_uuid).toLowerCase(), text(row.admin_code)) : undefined;
}

function supportingInfoOf(row: Row): ClaimSupportingInfo[] {
  const info: ClaimSupportingInfo[] = [];
  const add = (code: string, display: string, value: unknown) => {
    if (value === null || value === undefined || String(value).trim() === '') return;
    info.push({ sequence: info.length + 1, category: { coding: [{ system: SUPPORTING_INFO_CATEGORY, code, display }] }, valueString: String(value) });
  };
  add('guarantee', 'Guarantee Id', row.GuaranteeId);
  add('explanation', 'Explanation', row.Explanation);
  info.push(...attachmentInfo(row, info.length + 1));
  return info;
}

const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value).trim());
