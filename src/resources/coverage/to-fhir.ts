/**
 * tblPolicy row (with its joins) → Coverage. The openIMIS module's shape (UUID identifier, plan
 * class = product code and name, beneficiary and policy holder = the head of family) with its
 * defects fixed: an id, references by UUID instead of bare CHFIDs, the insurer as payor, FHIR
 * status codes for every policy status (mappings/policy-status.json) and one extension URL per date.
 */
import type { Coverage, Extension, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { identifier, reference, structureDefinition } from '../ig.js';
import { loadMapping } from '../mappings.js';
import { INSURER, dayOf, headName } from './policy.js';

export const coverageStatus = loadMapping('policy-status');
export const policyStatus = loadMapping('openimis-policy-status');
export const policyStage = loadMapping('policy-stage');

export const COVERAGE_CLASS = 'http://terminology.hl7.org/CodeSystem/coverage-class';
const RELATIONSHIP = 'http://terminology.hl7.org/CodeSystem/subscriber-relationship';
/** R5 Coverage.insurancePlan, carried in R4 by the standard cross-version extension. */
export const INSURANCE_PLAN_EXTENSION = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Coverage.insurancePlan';

/** An empty status is idle, the SQL Server default. */
export const statusOf = (row: Row) => row.PolicyStatus ?? 1;

export function policyToCoverage(row: Row): Coverage {
  const uuid = String(row.PolicyUUID).toLowerCase();
  const head = headReference(row);
  const coverage: Coverage = {
    resourceType: 'Coverage',
    id: uuid,
    extension: extensions(row),
    identifier: [identifier('UUID', uuid)],
    status: (coverageStatus.toCode(statusOf(row)) ?? 'draft') as Coverage['status'],
    policyHolder: head,
    beneficiary: head,
    relationship: { coding: [{ system: RELATIONSHIP, code: 'self', display: 'Self' }] },
    period: period(row),
    payor: [insurerReference()],
    class: [
      {
        type: { coding: [{ system: COVERAGE_CLASS, code: 'plan', display: 'Plan' }] },
        value: String(row.product_code ?? ''),
        ...(row.product_name ? { name: String(row.product_name) } : {}),
      },
    ],
    contract: [{ reference: `Contract/${uuid}`, type: 'Contract' }],
  };
  return coverage;
}

function extensions(row: Row): Extension[] {
  const list: Extension[] = [];
  const enrolled = dayOf(row.EnrollDate);
  if (enrolled) list.push({ url: structureDefinition('coverage-enroll-date'), valueDate: enrolled });
  const effective = dayOf(row.EffectiveDate);
  if (effective) list.push({ url: structureDefinition('coverage-effective-date'), valueDate: effective });
  const status = policyStatus.toCoding(statusOf(row));
  if (status) list.push({ url: structureDefinition('coverage-policy-status'), valueCoding: status });
  const stage = policyStage.toCoding(row.PolicyStage);
  if (stage) list.push({ url: structureDefinition('coverage-policy-stage'), valueCoding: stage });
  if (row.product_uuid) {
    list.push({ url: INSURANCE_PLAN_EXTENSION, valueReference: reference('InsurancePlan', String(row.product_uuid).toLowerCase(), row.product_code ?? undefined) });
  }
  return list;
}

export function period(row: Row) {
  const start = dayOf(row.StartDate);
  const end = dayOf(row.ExpiryDate);
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/** The head of the family: beneficiary and policy holder of a family policy. */
export function headReference(row: Row): Reference {
  if (!row.head_uuid) return { display: 'Family without a head of family' };
  return reference('Patient', String(row.head_uuid).toLowerCase(), headName(row));
}

export function insurerReference(): Reference {
  return { reference: `Organization/${INSURER.id}`, type: 'Organization', identifier: identifier('Code', INSURER.code), display: INSURER.name };
}
