/** Coverage search parameters, as data over tblPolicy columns. */
import { HEALTH_FACILITY } from '../organization/table.js';
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';
import { COVERAGE_CLASS, coverageStatus, policyStatus } from './to-fhir.js';
import { INSURER, legacyCodesByFhir } from './policy.js';

export const policyIdentifier: SearchParamDecl = {
  code: 'identifier',
  type: 'token',
  description: 'Policy UUID',
  tokens: [{ column: 't.PolicyUUID', lowerCase: true }],
};

export const policyStatusParam: SearchParamDecl = {
  code: 'policy-status',
  type: 'token',
  description: 'The openIMIS policy status: idle, active, suspended, expired, ready',
  definition: `${IG}/SearchParameter/policy-status`,
  tokens: [{ column: 't.PolicyStatus', system: policyStatus.system, codes: policyStatus.searchMap(), displays: policyStatus.displays() }],
};

export const insurancePlanParam: SearchParamDecl = {
  code: 'insurance-plan',
  type: 'reference',
  description: 'The product (InsurancePlan, by UUID or product code)',
  definition: `${IG}/SearchParameter/policy-insurance-plan`,
  column: 't.ProdID',
  target: 'InsurancePlan',
};

export const familyParam: SearchParamDecl = {
  code: 'family',
  type: 'reference',
  description: 'The family (Group) the policy covers',
  definition: `${IG}/SearchParameter/policy-family`,
  column: 't.FamilyID',
  target: 'Group',
};

/** The head of the family (tblFamilies.InsureeID): beneficiary and policy holder of a family policy. */
const familyHead = (code: string, description: string): SearchParamDecl => ({
  code,
  type: 'reference',
  description,
  column: 'v.InsureeID',
  target: 'Patient',
  via: { table: 'tblFamilies', from: 't.FamilyID', key: 'FamilyID' },
});

/**
 * Any insuree the policy covers: a current tblInsureePolicy row (Contract's covered members). R4's
 * Coverage `patient` is the beneficiary; openIMIS covers the whole family under its head, so "the
 * coverages of this patient" are those of every covered member.
 */
export const coveredPatientParam: SearchParamDecl = {
  code: 'patient',
  type: 'reference',
  description: 'Any insuree the policy covers (current tblInsureePolicy rows), not only the head of family',
  column: 'v.InsureeID',
  target: 'Patient',
  via: { table: 'tblInsureePolicy', from: 't.PolicyID', key: 'PolicyId', current: 'ValidityTo' },
};

export const coverageSearchParams: SearchParamDecl[] = [
  policyIdentifier,
  {
    code: 'status',
    type: 'token',
    description: 'draft (idle, ready), active, cancelled (suspended, expired)',
    tokens: [{ column: 't.PolicyStatus', system: coverageStatus.system, codes: legacyCodesByFhir('policy-status'), displays: coverageStatus.displays() }],
  },
  policyStatusParam,
  insurancePlanParam,
  familyParam,
  familyHead('beneficiary', 'The head of the family (Patient), as Coverage.beneficiary'),
  familyHead('policy-holder', 'The head of the family (Patient), as Coverage.policyHolder'),
  coveredPatientParam,
  {
    code: 'class-value',
    type: 'token',
    description: 'The product code (Coverage.class.value of the plan class)',
    tokens: [{ column: 'v.ProductCode' }],
    via: { table: 'tblProduct', from: 't.ProdID', key: 'ProdID' },
  },
  {
    code: 'class-type',
    type: 'token',
    description: 'plan: every policy has its product as a plan class',
    // Every served row is current: a NULL legacy value makes the token compare ValidityTo IS NULL.
    tokens: [{ column: 't.ValidityTo', system: COVERAGE_CLASS, codes: { plan: null as unknown as string } }],
  },
  {
    code: 'period',
    type: 'date',
    description: 'StartDate–ExpiryDate as a Period (FHIR range prefixes); not an R4 parameter of Coverage',
    definition: `${IG}/SearchParameter/coverage-period`,
    column: 't.StartDate',
    endColumn: 't.ExpiryDate',
    precision: 'day',
    sortColumn: 't.StartDate',
  },
  {
    code: 'payor',
    type: 'reference',
    description: 'Always the insurer, Organization/openIMIS-Implementation (configuration)',
    target: 'Organization',
    targetSource: HEALTH_FACILITY,
    constant: INSURER.id,
  },
];
