/**
 * PractitionerRole ⇄ tblClaimAdmin (claim administrator at his health facility, code CA) and
 * tblOfficer (enrolment officer in his district and villages, with his substitute, code EO): like
 * Practitioner (see ../practitioner/index.ts), one type over two tables served as two sources. The
 * role has the id of its practitioner (it lives on his row).
 *
 * Search parameters of one kind: `organization` (claim administrators), `location` and `substitute`
 * (officers); a search with one of them finds that kind only (`location:missing=true` finds the claim
 * administrators, who have none).
 *
 * A create goes to the kind the body names: meta.profile, else code CA / EO (the module's rule),
 * else its shape: an organization makes a claim administrator's role, a location an officer's.
 *
 * Rights: claim administrators 121601 read, 121602 create (assign the facility), 121603 update;
 * officers 121501, 121502, 121503. No delete: a role goes with its Practitioner.
 */
import type { PractitionerRole } from 'fhir/r4.js';
import type { ResourceDefinition, Rights } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { CLAIM_ADMINISTRATOR, ENROLMENT_OFFICER, claimAdminTable, officerTable, selectClaimAdmin, selectOfficer } from '../practitioner/table.js';
import { CLAIM_ADMIN_RIGHTS, OFFICER_RIGHTS } from '../practitioner/index.js';
import { qualification, type Qualification } from '../practitioner/to-fhir.js';
import { claimAdminScope, officerScope } from '../practitioner/scope.js';
import { claimAdminRoleParams, officerRoleParams } from './search-params.js';
import { claimAdminToRole, officerToRole } from './to-fhir.js';
import { loadOfficerVillages } from './villages.js';
import { createClaimAdminRole, createOfficerRole, updateClaimAdminRole, updateOfficerRole } from './write.js';

const withoutDelete = ({ delete: _delete, ...rights }: Rights): Rights => rights;

/** The role code a body declares (CA or EO), if any. */
function declaredRole(role: PractitionerRole): string | undefined {
  for (const concept of role.code ?? []) {
    const code = concept.coding?.find((c) => !c.system || c.system === qualification.system)?.code;
    if (code) return code;
  }
  return undefined;
}

const takesRole = (code: Qualification, shape: (role: PractitionerRole) => boolean) => (role: PractitionerRole) => {
  const declared = declaredRole(role);
  return declared === code || (declared === undefined && shape(role));
};

/** Claim administrators as PractitionerRole. */
export function practitionerRoleResource(): ResourceDefinition<PractitionerRole> {
  return {
    type: 'PractitionerRole',
    source: CLAIM_ADMINISTRATOR,
    takes: { rule: 'code CA (or no code and an organization)', test: takesRole('CA', (r) => Boolean(r.organization) && !r.location?.length) },
    profile: structureDefinition('openimis-claim-administrator-practitioner-role'),
    table: claimAdminTable,
    codeColumn: 'ClaimAdminCode',
    select: selectClaimAdmin,
    toFhir: (row) => claimAdminToRole(row),
    searchParams: claimAdminRoleParams,
    scope: claimAdminScope,
    rights: withoutDelete(CLAIM_ADMIN_RIGHTS),
    create: createClaimAdminRole,
    update: updateClaimAdminRole,
  };
}

/** Enrolment officers as PractitionerRole. */
export function officerPractitionerRoleSource(): ResourceDefinition<PractitionerRole> {
  return {
    type: 'PractitionerRole',
    source: ENROLMENT_OFFICER,
    takes: { rule: 'code EO (or no code and a location)', test: takesRole('EO', (r) => Boolean(r.location?.length) && !r.organization) },
    profile: structureDefinition('openimis-enrolment-officer-practitioner-role'),
    table: officerTable,
    codeColumn: 'Code',
    select: selectOfficer,
    loadDetails: loadOfficerVillages,
    toFhir: (row) => officerToRole(row),
    searchParams: officerRoleParams,
    scope: officerScope,
    rights: withoutDelete(OFFICER_RIGHTS),
    create: createOfficerRole,
    update: updateOfficerRole,
  };
}
