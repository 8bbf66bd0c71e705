/**
 * PractitionerRole ⇄ tblClaimAdmin (claim administrator at his health facility, code CA) and
 * tblOfficer (enrolment officer in his district and villages, with his substitute, code EO).
 *
 * Like Practitioner (see ../practitioner/index.ts), one type over two tables: the claim administrators
 * are registered today (`practitionerRoleResource`); the officers (`officerPractitionerRoleSource`)
 * are complete and tested through the real engine but NOT registered until the engine serves one type
 * from several sources.
 *
 * Rights: claim administrators 121601 read, 121602 create (assign the facility), 121603 update;
 * officers 121501, 121502, 121503. No delete: a role goes with its Practitioner.
 */
import type { PractitionerRole } from 'fhir/r4.js';
import type { ResourceDefinition, Rights } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { claimAdminTable, officerTable, selectClaimAdmin, selectOfficer } from '../practitioner/table.js';
import { CLAIM_ADMIN_RIGHTS, OFFICER_RIGHTS } from '../practitioner/index.js';
import { claimAdminScope, officerScope } from '../practitioner/scope.js';
import { claimAdminRoleParams, officerRoleParams } from './search-params.js';
import { claimAdminToRole, officerToRole } from './to-fhir.js';
import { loadOfficerVillages } from './villages.js';
import { createClaimAdminRole, createOfficerRole, updateClaimAdminRole, updateOfficerRole } from './write.js';

const withoutDelete = ({ delete: _delete, ...rights }: Rights): Rights => rights;

/** Claim administrators as PractitionerRole: the source registered today. */
export function practitionerRoleResource(): ResourceDefinition<PractitionerRole> {
  return {
    type: 'PractitionerRole',
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

/**
 * Enrolment officers as PractitionerRole. NOT REGISTERED: waits for the engine to serve one type from
 * several sources. Complete and tested (test/http/practitioner-officer.test.ts).
 */
export function officerPractitionerRoleSource(): ResourceDefinition<PractitionerRole> {
  return {
    type: 'PractitionerRole',
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
