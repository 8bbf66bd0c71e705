/** Coverage search parameters, as data over tblPolicy columns. */
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';
import { coverageStatus, policyStatus } from './to-fhir.js';
import { legacyCodesByFhir } from './policy.js';

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
  tokens: [{ column: 't.PolicyStatus', system: policyStatus.system, codes: policyStatus.searchMap() }],
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

export const coverageSearchParams: SearchParamDecl[] = [
  policyIdentifier,
  {
    code: 'status',
    type: 'token',
    description: 'draft (idle, ready), active, cancelled (suspended, expired)',
    tokens: [{ column: 't.PolicyStatus', system: coverageStatus.system, codes: legacyCodesByFhir('policy-status') }],
  },
  policyStatusParam,
  insurancePlanParam,
  familyParam,
];
