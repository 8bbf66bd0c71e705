/**
 * The two openIMIS tables behind Practitioner (and PractitionerRole): tblClaimAdmin (claim
 * administrators, qualification CA) and tblOfficer (enrolment officers, qualification EO). Each is a
 * versioned table of its own, with its own keys, codes and rights; see index.ts for how they are served.
 */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

/** The names of the two sources of Practitioner and PractitionerRole, for references into them. */
export const CLAIM_ADMINISTRATOR = 'claim-administrator';
export const ENROLMENT_OFFICER = 'enrolment-officer';

export const claimAdminTable: VersionedTable = {
  name: 'tblClaimAdmin',
  pk: 'ClaimAdminId',
  uuid: 'ClaimAdminUUID',
  validityFrom: 'ValidityFrom',
  validityTo: 'ValidityTo',
  legacyId: 'LegacyID',
  // Spelled so in the legacy schema (tblOfficer has AuditUserID).
  auditUser: 'AuditUserId',
};

export const officerTable: VersionedTable = versionedTable('tblOfficer', 'OfficerID', 'OfficerUUID');

/** A claim administrator with the health facility he administers claims for. */
export function selectClaimAdmin(db: Knex): Knex.QueryBuilder {
  return db('tblClaimAdmin as t')
    .leftJoin('tblHF as hf', 'hf.HfID', 't.HFId')
    .select('t.*', 'hf.HfUUID as hf_uuid', 'hf.HFCode as hf_code', 'hf.HFName as hf_name');
}

/** An enrolment officer with his district (LocationId) and his substitute (OfficerIDSubst). */
export function selectOfficer(db: Knex): Knex.QueryBuilder {
  return db('tblOfficer as t')
    .leftJoin('tblLocations as l', 'l.LocationId', 't.LocationId')
    .leftJoin('tblOfficer as s', 's.OfficerID', 't.OfficerIDSubst')
    .select(
      't.*',
      'l.LocationUUID as location_uuid',
      'l.LocationCode as location_code',
      'l.LocationName as location_name',
      's.OfficerUUID as substitute_uuid',
      's.Code as substitute_code',
    );
}
