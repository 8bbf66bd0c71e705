/**
 * tblPolicy row (with its joins and details) → Contract: the policy as the agreement between the
 * scheme and a family, with its contributions and the members it covers. The openIMIS module's shape
 * (contract-premium extension, offer party, valued item = product with the policy value) with its
 * defects fixed: an id, FHIR contract-status codes, every contribution (the module showed one and
 * failed on two), references by UUID, a usePeriod only once the policy is in use.
 */
import type { Contract, ContractTermAsset, Extension } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { codeSystem, codeable, identifier, reference, structureDefinition } from '../ig.js';
import { loadMapping } from '../mappings.js';
import { dayOf, headName } from '../coverage/policy.js';
import { headReference, period, policyStage, statusOf } from '../coverage/to-fhir.js';
import { DETAILS, type PolicyDetails, type PremiumDetail } from './details.js';

export const contractStatus = loadMapping('contract-status');
export const payType = loadMapping('premium-pay-type');

export const PREMIUM_EXTENSION = structureDefinition('contract-premium');
const PAYER_SYSTEM = codeSystem('contract-premium-payer');
const PAYER_TYPE_SYSTEM = codeSystem('payer-type');
const CATEGORY_SYSTEM = codeSystem('contract-premium-category');
const PARTY_ROLE_SYSTEM = codeSystem('contract-resource-party-role');
const SCOPE_SYSTEM = codeSystem('contract-scope');
/** The module's legalState texts, kept beside the stage coding for its clients. */
export const STAGE_TEXT: Record<string, string> = { N: 'Offered', R: 'Renewed' };

export function policyToContract(row: Row, currency: string): Contract {
  const uuid = String(row.PolicyUUID).toLowerCase();
  const details: PolicyDetails = row[DETAILS] ?? { premiums: [], members: [] };
  const stage = policyStage.toCoding(row.PolicyStage);
  const contract: Contract = {
    resourceType: 'Contract',
    id: uuid,
    identifier: [identifier('UUID', uuid)],
    status: contractStatus.toCode(statusOf(row)) as Contract['status'],
    ...(stage ? { legalState: { coding: [stage], text: STAGE_TEXT[stage.code!] } } : {}),
    ...(dayOf(row.EnrollDate) ? { issued: dayOf(row.EnrollDate) } : {}),
    applies: period(row),
    subject: row.family_uuid ? [reference('Group', String(row.family_uuid).toLowerCase(), headName(row))] : [],
    ...(row.officer_uuid ? { author: reference('Practitioner', String(row.officer_uuid).toLowerCase(), row.officer_code ?? undefined) } : {}),
    scope: codeable(SCOPE_SYSTEM, 'informal', 'Informal Sector'),
    term: [
      {
        offer: { party: [{ reference: [headReference(row)], role: codeable(PARTY_ROLE_SYSTEM, 'beneficiary', 'Beneficiary') }] },
        asset: [asset(row, details, currency)],
      },
    ],
  };
  if (!contract.subject?.length) delete contract.subject;
  return contract;
}

function asset(row: Row, details: PolicyDetails, currency: string): ContractTermAsset {
  const result: ContractTermAsset = {};
  if (details.premiums.length) result.extension = details.premiums.map((p) => premiumExtension(p, currency));
  if (details.members.length) {
    result.typeReference = details.members.map((m) => reference('Patient', m.uuid, m.chfid || undefined));
  }
  result.period = [period(row)];
  // In use from the day the policy became effective (fully paid); an idle policy has no use period.
  const effective = dayOf(row.EffectiveDate);
  if (effective) result.usePeriod = [{ start: effective, ...(dayOf(row.ExpiryDate) ? { end: dayOf(row.ExpiryDate) } : {}) }];
  result.valuedItem = [
    {
      ...(row.product_uuid ? { entityReference: reference('InsurancePlan', String(row.product_uuid).toLowerCase(), row.product_code ?? undefined) } : {}),
      ...(row.PolicyValue !== null && row.PolicyValue !== undefined ? { net: { value: Number(row.PolicyValue), currency } } : {}),
    },
  ];
  return result;
}

/** One contract-premium extension per contribution: all of them, each complete. */
function premiumExtension(p: PremiumDetail, currency: string): Extension {
  const parts: Extension[] = [
    { url: 'identifier', valueIdentifier: identifier('UUID', p.uuid) },
    {
      url: 'payer',
      valueCodeableConcept: p.payerUuid
        ? { ...codeable(PAYER_TYPE_SYSTEM, p.payerType ?? '', p.payerTypeLabel), ...(p.payerName ? { text: p.payerName } : {}) }
        : codeable(PAYER_SYSTEM, 'beneficiary', 'Beneficiary'),
    },
  ];
  if (p.payerUuid) {
    parts.push({ url: 'party', valueReference: { type: 'Organization', identifier: identifier('UUID', p.payerUuid), ...(p.payerName ? { display: p.payerName } : {}) } });
  }
  parts.push(
    { url: 'category', valueCodeableConcept: codeable(CATEGORY_SYSTEM, 'C', 'Contribution and Others') },
    { url: 'amount', valueMoney: { value: p.amount, currency } },
    { url: 'receipt', valueString: p.receipt },
    { url: 'date', valueDate: p.payDate },
  );
  const type = payType.toCoding(p.payType);
  if (type) parts.push({ url: 'type', valueCodeableConcept: { coding: [type] } });
  if (p.isPhotoFee) parts.push({ url: 'photo-fee', valueBoolean: true });
  return { url: PREMIUM_EXTENSION, extension: parts };
}
