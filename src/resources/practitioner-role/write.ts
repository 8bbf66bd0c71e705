/**
 * PractitionerRole writes: the role lives on the practitioner's own row (tblClaimAdmin: the facility;
 * tblOfficer: district, villages, substitute, WorksTo), so
 * - create assigns a role to an existing practitioner who has none yet (the module's POST did the
 *   same to the row its `practitioner` names); one who has one is a 409: update it instead;
 * - update changes the role columns (history copy + in-place update); officer villages are closed and
 *   opened as rows of tblOfficerVillages;
 * - delete is not offered: the role goes with its Practitioner.
 */
import type { PractitionerRole, Reference } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, WriteContext } from '../../fhir/types.js';
import { conflict, unprocessable } from '../../fhir/outcome.js';
import { updateVersioned } from '../../db/legacy-history.js';
import { isUuid } from '../../fhir/store.js';
import { resolveReference, type LookupTable } from '../lookups.js';
import { assertLocationAllowed } from '../row-security.js';
import { referenceId } from '../ig.js';
import { claimAdminTable, officerTable } from '../practitioner/table.js';
import { loginsChanged } from '../practitioner/write.js';
import { roleToClaimAdmin, roleToOfficer, type OfficerRoleInput } from './from-fhir.js';

const FACILITIES: LookupTable = { table: 'tblHF', pk: 'HfID', uuid: 'HfUUID', code: 'HFCode' };
const CLAIM_ADMINS: LookupTable = { table: 'tblClaimAdmin', pk: 'ClaimAdminId', uuid: 'ClaimAdminUUID', code: 'ClaimAdminCode' };
const OFFICERS: LookupTable = { table: 'tblOfficer', pk: 'OfficerID', uuid: 'OfficerUUID', code: 'Code' };
const LOCATIONS: LookupTable = { table: 'tblLocations', pk: 'LocationId', uuid: 'LocationUUID', code: 'LocationCode' };
const audit = (ctx: WriteContext) => ({ userId: ctx.caller.userId, at: ctx.at });

// --- claim administrators -------------------------------------------------------------------------

export async function createClaimAdminRole(role: PractitionerRole, ctx: WriteContext): Promise<number> {
  const input = roleToClaimAdmin(role);
  const admin = await practitionerOf(ctx.tx, input.practitioner, CLAIM_ADMINS, 'claim administrator');
  if (admin.HFId) throw conflict(`Claim administrator ${admin.ClaimAdminCode} already has a role (a health facility); update PractitionerRole/${String(admin.ClaimAdminUUID).toLowerCase()}`);
  if (!input.organization) throw unprocessable('organization (the health facility) is required', ['PractitionerRole.organization']);
  await updateVersioned(ctx.tx, claimAdminTable, admin, { HFId: await facilityOf(ctx, input.organization) }, audit(ctx));
  loginsChanged(ctx, admin.ClaimAdminCode);
  return admin.ClaimAdminId;
}

export async function updateClaimAdminRole(role: PractitionerRole, current: Row, ctx: WriteContext): Promise<void> {
  const input = roleToClaimAdmin(role);
  if (input.practitioner) samePractitioner(await practitionerOf(ctx.tx, input.practitioner, CLAIM_ADMINS, 'claim administrator'), current, 'ClaimAdminId');
  const facilityId = input.organization ? await facilityOf(ctx, input.organization) : null;
  await updateVersioned(ctx.tx, claimAdminTable, current, { HFId: facilityId }, audit(ctx));
  loginsChanged(ctx, current.ClaimAdminCode);
}

async function facilityOf(ctx: WriteContext, ref: Reference): Promise<number> {
  const facility = await resolveReference(ctx.tx, ref, 'Organization', FACILITIES);
  if (!facility) throw unprocessable('organization names no current health facility', ['PractitionerRole.organization']);
  assertLocationAllowed(ctx, facility.LocationId, 'The health facility', 'districtIds');
  return facility.HfID;
}

// --- enrolment officers ---------------------------------------------------------------------------

export async function createOfficerRole(role: PractitionerRole, ctx: WriteContext): Promise<number> {
  const input = roleToOfficer(role);
  const officer = await practitionerOf(ctx.tx, input.practitioner, OFFICERS, 'enrolment officer');
  if (officer.LocationId) throw conflict(`Enrolment officer ${officer.Code} already has a role (a district); update PractitionerRole/${String(officer.OfficerUUID).toLowerCase()}`);
  await writeOfficerRole(ctx, officer, input);
  return officer.OfficerID;
}

export async function updateOfficerRole(role: PractitionerRole, current: Row, ctx: WriteContext): Promise<void> {
  const input = roleToOfficer(role);
  if (input.practitioner) samePractitioner(await practitionerOf(ctx.tx, input.practitioner, OFFICERS, 'enrolment officer'), current, 'OfficerID');
  await writeOfficerRole(ctx, current, input);
}

async function writeOfficerRole(ctx: WriteContext, officer: Row, input: OfficerRoleInput) {
  const { tx } = ctx;
  const { district, villages } = await locationsOf(tx, input.locations);
  assertLocationAllowed(ctx, district.LocationId, 'The district of the officer', 'districtIds');
  let substituteId: number | null = null;
  if (input.substitute) {
    const substitute = await resolveReference(tx, input.substitute, 'Practitioner', OFFICERS);
    if (!substitute) throw unprocessable('practitioner-role-substitution-reference names no current enrolment officer', ['PractitionerRole.extension']);
    if (substitute.OfficerID === officer.OfficerID) throw unprocessable('an officer cannot substitute for himself', ['PractitionerRole.extension']);
    substituteId = substitute.OfficerID;
  }
  const at = await updateVersioned(tx, officerTable, officer, { LocationId: district.LocationId, OfficerIDSubst: substituteId, WorksTo: input.worksTo }, audit(ctx));
  loginsChanged(ctx, officer.Code);
  const assigned: Row[] = await tx('tblOfficerVillages').where('OfficerId', officer.OfficerID).whereNull('ValidityTo');
  const wanted = new Set(villages.map((v) => v.LocationId));
  const closing = assigned.filter((a) => !wanted.has(a.LocationId)).map((a) => a.OfficerVillageId);
  if (closing.length) await tx('tblOfficerVillages').whereIn('OfficerVillageId', closing).update({ ValidityTo: at, AuditUserID: ctx.caller.userId });
  const have = new Set(assigned.map((a) => a.LocationId));
  const opening = villages.filter((v) => !have.has(v.LocationId));
  if (opening.length) {
    await tx('tblOfficerVillages').insert(
      opening.map((v) => ({ OfficerId: officer.OfficerID, LocationId: v.LocationId, ValidityFrom: at, ValidityTo: null, LegacyID: null, AuditUserID: ctx.caller.userId })),
    );
  }
}

/** Exactly one district (LocationType D) and any villages (V) of that district. */
async function locationsOf(tx: Knex, refs: Reference[]): Promise<{ district: Row; villages: Row[] }> {
  const found: Row[] = [];
  for (const [index, ref] of refs.entries()) {
    const location = await resolveReference(tx, ref, 'Location', LOCATIONS);
    if (!location) throw unprocessable(`PractitionerRole.location[${index}] names no current location`, [`PractitionerRole.location[${index}]`]);
    found.push(location);
  }
  const districts = found.filter((l) => l.LocationType === 'D');
  const villages = found.filter((l) => l.LocationType === 'V');
  if (districts.length !== 1) throw unprocessable('PractitionerRole.location must name exactly one district', ['PractitionerRole.location']);
  if (villages.length + 1 !== found.length) throw unprocessable('PractitionerRole.location holds the district and villages only', ['PractitionerRole.location']);
  const district = districts[0];
  if (villages.length) {
    const inDistrict = await tx('tblLocations as v')
      .join('tblLocations as w', 'w.LocationId', 'v.ParentLocationId')
      .whereIn('v.LocationId', villages.map((v) => v.LocationId))
      .where('w.ParentLocationId', district.LocationId)
      .pluck('v.LocationId');
    const outside = villages.filter((v) => !inDistrict.includes(v.LocationId));
    if (outside.length) {
      throw unprocessable(`villages outside the district ${district.LocationCode}: ${outside.map((v) => v.LocationCode).join(', ')}`, ['PractitionerRole.location']);
    }
  }
  return { district, villages };
}

// --- shared ---------------------------------------------------------------------------------------

async function practitionerOf(tx: Knex, ref: Reference | undefined, spec: LookupTable, what: string): Promise<Row> {
  const id = referenceId(ref, 'Practitioner');
  if (!id) throw unprocessable(`practitioner (the ${what}) is required`, ['PractitionerRole.practitioner']);
  const row = await resolveReference(tx, ref, 'Practitioner', spec);
  if (!row) throw unprocessable(`practitioner names no current ${what} (${isUuid(id) ? id.toLowerCase() : id})`, ['PractitionerRole.practitioner']);
  return row;
}

function samePractitioner(named: Row, current: Row, pk: string) {
  if (named[pk] !== current[pk]) {
    throw unprocessable('A role belongs to its practitioner (it lives on his row); it cannot move to another one', ['PractitionerRole.practitioner']);
  }
}
