/**
 * Creating, updating and deleting claim administrators (tblClaimAdmin) and enrolment officers
 * (tblOfficer) the legacy way: history copy + in-place update, soft delete. The openIMIS module
 * updated claim administrators in place without history and could not route these writes at all.
 *
 * The role side (facility of a claim administrator; district, villages and substitute of an officer)
 * is PractitionerRole's; a Practitioner write changes the facility only when it carries the module's
 * `reference` extension, so a client unaware of it does not detach the administrator by omission.
 *
 * Codes are logins: a claim administrator or officer with HasLogin signs in with his code, so the code
 * of one who has a login cannot change and he cannot be deleted here (409): that is user
 * administration in openIMIS.
 */
import type { Practitioner } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, VersionedTable, WriteContext } from '../../fhir/types.js';
import { conflict, unprocessable } from '../../fhir/outcome.js';
import { deleteVersioned, insertVersioned, updateVersioned } from '../../db/legacy-history.js';
import { resolveReference, type LookupTable } from '../lookups.js';
import { assertLocationAllowed, scopeChanged } from '../row-security.js';
import { claimAdminTable, officerTable } from './table.js';
import { practitionerToClaimAdmin, practitionerToOfficer, type PractitionerInput } from './from-fhir.js';

const FACILITIES: LookupTable = { table: 'tblHF', pk: 'HfID', uuid: 'HfUUID', code: 'HFCode' };
const audit = (ctx: WriteContext) => ({ userId: ctx.caller.userId, at: ctx.at });

// --- claim administrators -------------------------------------------------------------------------

export async function createClaimAdmin(practitioner: Practitioner, ctx: WriteContext): Promise<number> {
  const input = practitionerToClaimAdmin(practitioner);
  await ensureUniqueCode(ctx.tx, claimAdminTable, 'ClaimAdminCode', String(input.values.ClaimAdminCode));
  const facilityId = await resolveFacility(ctx, input);
  const { id } = await insertVersioned(ctx.tx, claimAdminTable, { ...input.values, HFId: facilityId ?? null, HasLogin: false }, audit(ctx));
  return id;
}

export async function updateClaimAdmin(practitioner: Practitioner, current: Row, ctx: WriteContext): Promise<void> {
  const input = practitionerToClaimAdmin(practitioner);
  await checkCodeChange(ctx.tx, claimAdminTable, 'ClaimAdminCode', current, String(input.values.ClaimAdminCode));
  const facilityId = await resolveFacility(ctx, input);
  const values = { ...input.values, ...(facilityId !== undefined ? { HFId: facilityId } : {}) };
  await updateVersioned(ctx.tx, claimAdminTable, current, values, audit(ctx));
  loginsChanged(ctx, current.ClaimAdminCode, input.values.ClaimAdminCode);
}

export async function deleteClaimAdmin(current: Row, ctx: WriteContext): Promise<void> {
  if (current.HasLogin) throw conflict(`Claim administrator ${current.ClaimAdminCode} has a user login; remove it in openIMIS user administration first`);
  await deleteVersioned(ctx.tx, claimAdminTable, current, audit(ctx));
  loginsChanged(ctx, current.ClaimAdminCode);
}

/** undefined: no facility given (unchanged); a key otherwise. */
async function resolveFacility(ctx: WriteContext, input: PractitionerInput): Promise<number | undefined> {
  if (!input.facility) return undefined;
  const facility = await resolveReference(ctx.tx, input.facility, 'Organization', FACILITIES);
  if (!facility) throw unprocessable('The extension reference names no current health facility', ['Practitioner.extension[reference]']);
  assertLocationAllowed(ctx, facility.LocationId, 'The health facility', 'districtIds');
  return facility.HfID;
}

// --- enrolment officers ---------------------------------------------------------------------------

export async function createOfficer(practitioner: Practitioner, ctx: WriteContext): Promise<number> {
  const input = practitionerToOfficer(practitioner);
  await ensureUniqueCode(ctx.tx, officerTable, 'Code', String(input.values.Code));
  const { id } = await insertVersioned(ctx.tx, officerTable, { ...input.values, HasLogin: false }, audit(ctx));
  return id;
}

export async function updateOfficer(practitioner: Practitioner, current: Row, ctx: WriteContext): Promise<void> {
  const input = practitionerToOfficer(practitioner);
  await checkCodeChange(ctx.tx, officerTable, 'Code', current, input.values.Code);
  await updateVersioned(ctx.tx, officerTable, current, input.values, audit(ctx));
  loginsChanged(ctx, current.Code, input.values.Code);
}

/** The officer and his village assignments; refused while he has a login or substitutes for someone. */
export async function deleteOfficer(current: Row, ctx: WriteContext): Promise<void> {
  if (current.HasLogin) throw conflict(`Enrolment officer ${current.Code} has a user login; remove it in openIMIS user administration first`);
  const substituted = await ctx.tx('tblOfficer').where('OfficerIDSubst', current.OfficerID).whereNull('ValidityTo').first('Code');
  if (substituted) throw conflict(`Enrolment officer ${current.Code} is the substitute of ${substituted.Code}; name another substitute first`);
  const at = await deleteVersioned(ctx.tx, officerTable, current, audit(ctx));
  await ctx.tx('tblOfficerVillages').where('OfficerId', current.OfficerID).whereNull('ValidityTo').update({ ValidityTo: at, AuditUserID: ctx.caller.userId });
  loginsChanged(ctx, current.Code);
}

/** A claim administrator's or officer's code is a login: its row scope follows his facility or villages. */
export function loginsChanged(ctx: WriteContext, ...codes: unknown[]) {
  const usernames = [...new Set(codes.filter((c) => c != null && c !== '').map((c) => String(c).trim()))];
  if (usernames.length) scopeChanged(ctx, { usernames });
}

// --- shared ---------------------------------------------------------------------------------------

async function ensureUniqueCode(tx: Knex, table: VersionedTable, column: string, code: string) {
  const clash = await tx(table.name).where(column, code).whereNull(table.validityTo).first(table.pk);
  if (clash) throw conflict(`A current ${table.name === 'tblOfficer' ? 'enrolment officer' : 'claim administrator'} already has the code ${String(code)}`);
}

async function checkCodeChange(tx: Knex, table: VersionedTable, column: string, current: Row, code: unknown) {
  if (String(code) === String(current[column] ?? '').trim()) return;
  if (current.HasLogin) throw conflict(`The code ${current[column]} is a user login and cannot change here`);
  await ensureUniqueCode(tx, table, column, String(code));
}
