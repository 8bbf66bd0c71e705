/**
 * Practitioner ⇄ tblClaimAdmin (claim administrators, qualification CA) and tblOfficer (enrolment
 * officers, qualification EO): ONE FHIR type over TWO tables, served by the engine as two sources
 * (src/fhir/sources): each table is a complete single-table definition with its own keys, codes,
 * search parameters, row security, writes and rights; ids are the UUIDs, unique across both.
 *
 * - reads, updates, deletes and histories go to the table that holds the id (a code that names a
 *   claim administrator and an officer at once is a 409: read by UUID);
 * - a search pages over both tables in one order (claim administrators first unless _sort says);
 *   parameters of one kind only (none here: both declare the same) apply to that kind;
 * - a create goes to the kind the body names: meta.profile, else qualification CA / EO (the module's
 *   rule); a claim administrator may also be recognised by the facility extension `reference`.
 *
 * Row security (scope.ts): a restricted user sees the claim administrators of the facilities in his
 * districts and the officers of his districts, and writes only within them.
 *
 * Rights: claim administrators 121601 read, 121602 create, 121603 update, 121604 delete; enrolment
 * officers 121501…121504 (the module's empty read permissions are not copied). A caller with the
 * rights of one kind only searches that kind and is refused (403) the other's resources.
 */
import type { Practitioner } from 'fhir/r4.js';
import type { ResourceDefinition, Rights } from '../../fhir/types.js';
import { findExtension, structureDefinition } from '../ig.js';
import { CLAIM_ADMINISTRATOR, ENROLMENT_OFFICER, claimAdminTable, officerTable, selectClaimAdmin, selectOfficer } from './table.js';
import { claimAdminPractitionerParams, officerPractitionerParams } from './search-params.js';
import { claimAdminToPractitioner, officerToPractitioner } from './to-fhir.js';
import { claimAdminScope, officerScope } from './scope.js';
import { createClaimAdmin, createOfficer, deleteClaimAdmin, deleteOfficer, updateClaimAdmin, updateOfficer } from './write.js';
import { declaredQualification } from './from-fhir.js';
import { FACILITY_EXTENSION } from './to-fhir.js';


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

/** Claim administrators as Practitioner. */
export function practitionerResource(): ResourceDefinition<Practitioner> {
  return {
    type: 'Practitioner',
    source: CLAIM_ADMINISTRATOR,
    takes: {
      rule: 'qualification CA (or no qualification and the health-facility extension reference)',
      test: (p) => {
        const code = declaredQualification(p);
        return code === 'CA' || (code === undefined && Boolean(findExtension(p.extension, FACILITY_EXTENSION)));
      },
    },
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

/** Enrolment officers as Practitioner. */
export function officerPractitionerSource(): ResourceDefinition<Practitioner> {
  return {
    type: 'Practitioner',
    source: ENROLMENT_OFFICER,
    takes: { rule: 'qualification EO', test: (p) => declaredQualification(p) === 'EO' },
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
