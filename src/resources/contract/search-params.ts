/** Contract search parameters, as data over tblPolicy columns. */
import type { SearchParamDecl } from '../../fhir/types.js';
import { coveredPatientParam, familyParam, insurancePlanParam, policyIdentifier, policyStatusParam } from '../coverage/search-params.js';
import { contractStatus } from './to-fhir.js';
import { IG } from '../ig.js';
import { ENROLMENT_OFFICER } from '../practitioner/table.js';

export const contractSearchParams: SearchParamDecl[] = [
  policyIdentifier,
  {
    code: 'status',
    type: 'token',
    description: 'offered (idle), executed (active), disputed (suspended), terminated (expired), executable (ready)',
    tokens: [{ column: 't.PolicyStatus', system: contractStatus.system, codes: contractStatus.searchMap(), displays: contractStatus.displays() }],
  },
  policyStatusParam,
  { ...familyParam, code: 'subject', description: 'The family (Group) the policy covers', definition: undefined },
  { code: 'issued', type: 'date', description: 'Enrolment date', column: 't.EnrollDate', precision: 'day', sortColumn: 't.EnrollDate' },
  insurancePlanParam,
  { ...coveredPatientParam, description: 'A covered insuree (Contract.term.asset.typeReference: current tblInsureePolicy rows)' },
  {
    code: 'author',
    type: 'reference',
    description: 'The enrolment officer who sold the policy (Practitioner, by UUID or officer code)',
    definition: `${IG}/SearchParameter/contract-author`,
    column: 't.OfficerID',
    target: 'Practitioner',
    targetSource: ENROLMENT_OFFICER,
  },
];
