/**
 * PractitionerRole search parameters, as data. The role lives on the practitioner's row, so
 * `practitioner` is the row's own key; the claim administrator's facility is `organization`; the
 * officer's district is `location` (his villages are rows of tblOfficerVillages: searching them needs
 * a reference through a link table, an engine need).
 */
import { HEALTH_FACILITY } from '../organization/table.js';
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';
import { CLAIM_ADMINISTRATOR, ENROLMENT_OFFICER } from '../practitioner/table.js';

const identifier = (code: string, uuid: string, what: string): SearchParamDecl => ({
  code: 'identifier',
  type: 'token',
  description: `Code or UUID of the ${what} (the role shares them with the Practitioner)`,
  tokens: [{ column: code }, { column: uuid, lowerCase: true }],
});

export const claimAdminRoleParams: SearchParamDecl[] = [
  identifier('t.ClaimAdminCode', 't.ClaimAdminUUID', 'claim administrator'),
  { code: 'practitioner', type: 'reference', description: 'The claim administrator (Practitioner, by UUID or code)', column: 't.ClaimAdminId', target: 'Practitioner', targetSource: CLAIM_ADMINISTRATOR },
  { code: 'organization', type: 'reference', description: 'The health facility (Organization, by UUID or code)', column: 't.HFId', target: 'Organization', targetSource: HEALTH_FACILITY },
];

export const officerRoleParams: SearchParamDecl[] = [
  identifier('t.Code', 't.OfficerUUID', 'enrolment officer'),
  { code: 'practitioner', type: 'reference', description: 'The enrolment officer (Practitioner, by UUID or code)', column: 't.OfficerID', target: 'Practitioner', targetSource: ENROLMENT_OFFICER },
  { code: 'location', type: 'reference', description: 'The district of the officer (Location, by UUID or code)', column: 't.LocationId', target: 'Location' },
  {
    code: 'substitute',
    type: 'reference',
    description: 'The substitute officer (extension practitioner-role-substitution-reference; Practitioner, by UUID or code)',
    definition: `${IG}/SearchParameter/practitioner-role-substitute`,
    column: 't.OfficerIDSubst',
    target: 'Practitioner',
    targetSource: ENROLMENT_OFFICER,
  },
];
