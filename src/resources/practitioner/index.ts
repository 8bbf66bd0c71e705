/**
 * Practitioner ⇄ tblClaimAdmin (claim administrators, qualification CA) and tblOfficer (enrolment
 * officers, qualification EO): ONE FHIR type over TWO tables.
 *
 * The engine's contract is one versioned table per type, and a UNION of both tables in select() would
 * break everything keyed on the table: the keys collide (ClaimAdminId 1 and OfficerID 1), counts,
 * chains, _has and reference searches go to the table itself, writes and history copies are per table,
 * and the rights differ (121601… for administrators, 121501… for officers). So each table is a complete
 * single-table definition of its own here, and the engine is asked to serve a type from several such
 * "sources" (the proposal is in the final report of this work and in docs once accepted):
 *
 * - `practitionerResource` — the claim administrators — is what is registered today;
 * - `officerPractitionerSource` — the enrolment officers — is complete (mapper, search, writes) and
 *   tested through the real engine on a server that registers it, but NOT registered in the
 *   application: Practitioner/<officer uuid> answers 404 until the engine merges sources.
 *
 * Row security (scope.ts): a restricted user sees the claim administrators of the facilities in his
 * districts and the officers of his districts, and writes only within them.
 *
 * Rights: claim administrators 121601 read, 121602 create, 121603 update, 121604 delete; enrolment
 * officers 121501…121504 (the module's empty read permissions are not copied).
 */
import type { Practitioner } from 'fhir/r4.js';
import type { ResourceDefinition, Rights } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { claimAdminTable, officerTable, selectClaimAdmin, selectOfficer } from './table.js';
import { claimAdminPractitionerParams, officerPractitionerParams } from './search-params.js';
import { claimAdminToPractitioner, officerToPractitioner } from './to-fhir.js';
import { claimAdminScope, officerScope } from './scope.js';
import { createClaimAdmin, createOfficer, deleteClaimAdmin, deleteOfficer, updateClaimAdmin, updateOfficer } from './write.js';

export function rightsOf(read: number, create: number, update: number, remove: number): Rights {
  return {
    read: [read],
    vread: [read],
    'search-type': [read],
    'history-instance': [read],
    'history-type': [read],
    create: [create],
    update: [update],
    delete: [remove],
  };
}

export const CLAIM_ADMIN_RIGHTS = rightsOf(121601, 121602, 121603, 121604);
export const OFFICER_RIGHTS = rightsOf(121501, 121502, 121503, 121504);

/** Claim administrators as Practitioner: the source registered today. */
export function practitionerResource(): ResourceDefinition<Practitioner> {
  return {
    type: 'Practitioner',
    profile: structureDefinition('openimis-claim-administrator-practitioner'),
    table: claimAdminTable,
    codeColumn: 'ClaimAdminCode',
    select: selectClaimAdmin,
    toFhir: (row) => claimAdminToPractitioner(row),
    searchParams: claimAdminPractitionerParams,
    scope: claimAdminScope,
    rights: CLAIM_ADMIN_RIGHTS,
    create: createClaimAdmin,
    update: updateClaimAdmin,
    delete: deleteClaimAdmin,
  };
}

/**
 * Enrolment officers as Practitioner. NOT REGISTERED: waits for the engine to serve one type from
 * several sources (see above). Complete and tested (test/http/practitioner-officer.test.ts).
 */
export function officerPractitionerSource(): ResourceDefinition<Practitioner> {
  return {
    type: 'Practitioner',
    profile: structureDefinition('openimis-enrolment-officer-practitioner'),
    table: officerTable,
    codeColumn: 'Code',
    select: selectOfficer,
    toFhir: (row) => officerToPractitioner(row),
    searchParams: officerPractitionerParams,
    scope: officerScope,
    rights: OFFICER_RIGHTS,
    create: createOfficer,
    update: updateOfficer,
    delete: deleteOfficer,
  };
}
