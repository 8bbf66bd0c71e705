/**
 * Creating and updating insurees the openIMIS way. A head of family without a family gets a new
 * tblFamilies row in the same transaction (the family ↔ head cycle is closed before COMMIT, which the
 * deferred foreign keys allow); any other insuree must name its family.
 */
import type { Patient } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, VersionedTable, WriteContext } from '../../fhir/types.js';
import { conflict, unprocessable } from '../../fhir/outcome.js';
import { deleteVersioned, insertVersioned, updateVersioned } from '../../db/legacy-history.js';
import { FACILITIES, VILLAGES, findFamily, resolveReference } from '../lookups.js';
import { referenceId } from '../ig.js';
import { assertLocationAllowed } from '../row-security.js';
import type { CodeTables } from '../code-tables.js';
import { insureeTable } from './table.js';
import { patientToInsuree, type PatientInput } from './from-fhir.js';

const familyTable: VersionedTable = { ...insureeTable, name: 'tblFamilies', pk: 'FamilyID', uuid: 'FamilyUUID' };

export async function createInsuree(patient: Patient, ctx: WriteContext, codes: CodeTables): Promise<number> {
  const input = patientToInsuree(patient, codes);
  const { tx } = ctx;
  const audit = { userId: ctx.caller.userId, at: ctx.at };
  await ensureUniqueChfid(tx, String(input.values.CHFID));
  const village = await resolveVillage(tx, input);
  const facilityId = await resolveFacility(tx, input);
  let family = await resolveFamily(tx, input);

  if (!family && !input.isHead) {
    throw unprocessable('A Patient who is not head of a family must reference its family (extension patient-group-reference)', ['Patient.extension']);
  }
  if (family && input.isHead && (await familyHasHead(tx, family))) {
    throw unprocessable('The referenced family already has a head', ['Patient.extension']);
  }
  assertLocationAllowed(ctx, village?.LocationId ?? family?.LocationId, 'The family of this insuree');
  let createdFamily = false;
  if (!family) {
    if (!village) throw unprocessable('A new head of family needs an address with a village (address-location-reference)', ['Patient.address']);
    // InsureeID 0 is the openIMIS placeholder until the head exists (closed below, before COMMIT).
    const { id } = await insertVersioned(
      tx,
      familyTable,
      { InsureeID: 0, LocationId: village.LocationId, FamilyAddress: input.addressText, Poverty: false, isOffline: false },
      audit,
    );
    family = (await tx('tblFamilies').where('FamilyID', id).first()) as Row;
    createdFamily = true;
  }
  const { id } = await insertVersioned(
    tx,
    insureeTable,
    { ...input.values, ...currentAddress(input, village, family), FamilyID: family.FamilyID, IsHead: input.isHead, HFID: facilityId, isOffline: false },
    audit,
  );
  if (createdFamily) await tx('tblFamilies').where('FamilyID', family.FamilyID).update({ InsureeID: id });
  else if (input.isHead) await updateVersioned(tx, familyTable, family, { InsureeID: id }, audit);
  return id;
}

export async function updateInsuree(patient: Patient, current: Row, ctx: WriteContext, codes: CodeTables): Promise<void> {
  const input = patientToInsuree(patient, codes);
  const { tx } = ctx;
  if (input.values.CHFID !== current.CHFID) await ensureUniqueChfid(tx, String(input.values.CHFID));
  if (input.isHead !== Boolean(current.IsHead)) {
    throw unprocessable('The head of a family is changed on the family (Group), not on the Patient', ['Patient.extension']);
  }
  const village = await resolveVillage(tx, input);
  const facilityId = await resolveFacility(tx, input);
  const family = (await resolveFamily(tx, input)) ?? (await tx('tblFamilies').where('FamilyID', current.FamilyID).first());
  if (input.isHead && family.FamilyID !== current.FamilyID) {
    throw unprocessable('A head of family cannot move to another family', ['Patient.extension']);
  }
  assertLocationAllowed(ctx, village?.LocationId ?? family.LocationId, 'The new address of this insuree');
  await updateVersioned(
    tx,
    insureeTable,
    current,
    { ...input.values, ...currentAddress(input, village, family), FamilyID: family.FamilyID, HFID: facilityId },
    { userId: ctx.caller.userId, at: ctx.at },
  );
}

/**
 * Removes a member from the insurance the openIMIS way (uspAPIDeleteMemberFamily): the insuree row is
 * closed with a history copy and its policy coverage rows are closed too. A head of family goes only
 * with the family.
 */
export async function deleteInsuree(current: Row, ctx: WriteContext): Promise<void> {
  if (current.IsHead) throw conflict('The head of a family cannot be deleted on its own; delete the family (Group)');
  const audit = { userId: ctx.caller.userId, at: ctx.at };
  const at = await deleteVersioned(ctx.tx, insureeTable, current, audit);
  await ctx.tx('tblInsureePolicy').where('InsureeID', current.InsureeID).whereNull('ValidityTo').update({ ValidityTo: at });
}

/** The insuree's own village is kept only where it differs from the family's. */
function currentAddress(input: PatientInput, village: Row | undefined, family: Row | undefined): Row {
  if (!village || (family && village.LocationId === family.LocationId)) return { CurrentVillage: null, CurrentAddress: null };
  return { CurrentVillage: village.LocationId, CurrentAddress: input.addressText };
}

async function ensureUniqueChfid(tx: Knex, chfid: string) {
  const clash = await tx('tblInsuree').where('CHFID', chfid).whereNull('ValidityTo').first('InsureeID');
  if (clash) throw conflict(`An insuree with insurance number ${chfid} already exists`);
}

async function resolveVillage(tx: Knex, input: PatientInput): Promise<Row | undefined> {
  if (!input.village) return undefined;
  const village = await resolveReference(tx, input.village, 'Location', VILLAGES);
  if (!village) throw unprocessable('The address location-reference names no current village', ['Patient.address']);
  return village;
}

async function resolveFacility(tx: Knex, input: PatientInput): Promise<number | null> {
  if (!input.facility) return null;
  const facility = await resolveReference(tx, input.facility, 'Organization', FACILITIES);
  if (!facility) throw unprocessable('generalPractitioner names no current health facility', ['Patient.generalPractitioner']);
  return facility.HfID;
}

/** A family is referenced by its UUID or, as openIMIS does, by the CHFID of its head. */
async function resolveFamily(tx: Knex, input: PatientInput): Promise<Row | undefined> {
  if (!input.family) return undefined;
  const id = referenceId(input.family, 'Group');
  const family = id ? await findFamily(tx, id) : undefined;
  if (!family) throw unprocessable('patient-group-reference names no current family', ['Patient.extension']);
  return family;
}

async function familyHasHead(tx: Knex, family: Row): Promise<boolean> {
  const head = await tx('tblInsuree').where('InsureeID', family.InsureeID).whereNull('ValidityTo').where('IsHead', true).first('InsureeID');
  return Boolean(head);
}

