/**
 * Creating, updating and deleting families the openIMIS way, each in the request's transaction with
 * legacy history rows (history copy + in-place update; soft delete).
 *
 * - create: a family around an existing insuree who becomes its head. He leaves the family he was in
 *   (a history copy of his insuree row); one who already heads a family is refused (409). Other
 *   members join through Patient (extension patient-group-reference), never as a side effect here.
 * - update: address (village + text), poverty, family type, confirmation; the head may change to
 *   another current member of the family (both insuree rows get history copies).
 * - delete: as the openIMIS insuree module's FamilyService.set_deleted(delete_members=True) does —
 *   tblInsuree.FamilyID is NOT NULL, so members cannot stay without a family: every current member is
 *   soft-deleted with his coverage rows, then the family. Refused (409) while the family holds a
 *   policy that is not expired (idle, active, suspended or ready): that would leave live coverage of
 *   deleted insurees.
 */
import type { Group, Reference } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, VersionedTable, WriteContext } from '../../fhir/types.js';
import { conflict, unprocessable } from '../../fhir/outcome.js';
import { deleteVersioned, insertVersioned, updateVersioned } from '../../db/legacy-history.js';
import { findCurrent, resolveReference, type LookupTable } from '../lookups.js';
import { assertLocationAllowed } from '../row-security.js';
import { referenceId } from '../ig.js';
import type { CodeTables } from '../code-tables.js';
import { familyTable } from './table.js';
import { groupToFamily, type GroupInput } from './from-fhir.js';

const insureeTable: VersionedTable = { ...familyTable, name: 'tblInsuree', pk: 'InsureeID', uuid: 'InsureeUUID' };
const INSUREES: LookupTable = { table: 'tblInsuree', pk: 'InsureeID', uuid: 'InsureeUUID', code: 'CHFID' };
const VILLAGES: LookupTable = { table: 'tblLocations', pk: 'LocationId', uuid: 'LocationUUID', code: 'LocationCode', where: { LocationType: 'V' } };
/** Policy statuses that still cover (or will cover) someone: idle, active, suspended, ready. */
const LIVE_POLICY_STATUSES = [1, 2, 4, 16];

export async function createFamily(group: Group, ctx: WriteContext, codes: CodeTables): Promise<number> {
  const input = groupToFamily(group, codes);
  const { tx } = ctx;
  const audit = { userId: ctx.caller.userId, at: ctx.at };
  const head = await resolveHead(tx, input);
  if (!head) throw unprocessable('The head of the family names no current insuree', ['Group.identifier']);
  if (head.IsHead) {
    const family = await tx('tblFamilies').where('FamilyID', head.FamilyID).first('FamilyUUID');
    throw conflict(`Insuree ${head.CHFID} already heads the family ${String(family?.FamilyUUID ?? head.FamilyID).toLowerCase()}`);
  }
  const others = await membersOtherThan(tx, input.members, [head]);
  if (others.length) {
    throw unprocessable('A new family has only its head as member; other insurees join it through Patient (extension patient-group-reference)', ['Group.member']);
  }
  const headFamily = await tx('tblFamilies').where('FamilyID', head.FamilyID).first('LocationId');
  assertLocationAllowed(ctx, headFamily?.LocationId, 'The head of the family');
  const village = await resolveVillage(tx, input);
  assertLocationAllowed(ctx, village.LocationId, 'The family address');
  const { id } = await insertVersioned(tx, familyTable, { ...input.values, InsureeID: head.InsureeID, LocationId: village.LocationId, isOffline: false }, audit);
  await updateVersioned(tx, insureeTable, head, { FamilyID: id, IsHead: true }, audit);
  return id;
}

export async function updateFamily(group: Group, current: Row, ctx: WriteContext, codes: CodeTables): Promise<void> {
  const input = groupToFamily(group, codes);
  const { tx } = ctx;
  const audit = { userId: ctx.caller.userId, at: ctx.at };
  const village = await resolveVillage(tx, input);
  // The family itself is visible (the engine found it through the scope); its new village must be too.
  assertLocationAllowed(ctx, village.LocationId, 'The family address');
  const members: Row[] = await tx('tblInsuree').where('FamilyID', current.FamilyID).whereNull('ValidityTo');
  const head = await resolveHead(tx, input);
  if (!head) throw unprocessable('The head of the family names no current insuree', ['Group.identifier']);
  if (!members.some((m) => m.InsureeID === head.InsureeID)) {
    throw unprocessable(`Insuree ${head.CHFID} is not a member of this family; only a member can become its head`, ['Group.identifier']);
  }
  // Members are listed for information: they join and leave through Patient, so a list must be the
  // current one (in any order) rather than be silently ignored.
  if (input.members.length) {
    const listed = await membersOtherThan(tx, input.members, []);
    const known = new Set(members.map((m) => m.InsureeID));
    if (listed.length !== members.length || listed.some((m) => !known.has(m.InsureeID))) {
      throw unprocessable(
        'Group.member must list the current members of the family: insurees join or leave it through Patient (extension patient-group-reference) and Patient delete',
        ['Group.member'],
      );
    }
  }
  if (head.InsureeID !== current.InsureeID) {
    const oldHead = members.find((m) => m.InsureeID === current.InsureeID);
    if (oldHead) await updateVersioned(tx, insureeTable, oldHead, { IsHead: false }, audit);
    await updateVersioned(tx, insureeTable, head, { IsHead: true }, audit);
  }
  await updateVersioned(tx, familyTable, current, { ...input.values, InsureeID: head.InsureeID, LocationId: village.LocationId }, audit);
}

export async function deleteFamily(current: Row, ctx: WriteContext): Promise<void> {
  const { tx } = ctx;
  const audit = { userId: ctx.caller.userId, at: ctx.at };
  const live = await tx('tblPolicy')
    .where('FamilyID', current.FamilyID)
    .whereNull('ValidityTo')
    .whereIn('PolicyStatus', LIVE_POLICY_STATUSES)
    .first('PolicyUUID', 'PolicyStatus');
  if (live) {
    throw conflict(
      `The family holds policy ${String(live.PolicyUUID).toLowerCase()} (status ${live.PolicyStatus}) that is not expired; cancel or let it expire before deleting the family`,
    );
  }
  const members: Row[] = await tx('tblInsuree').where('FamilyID', current.FamilyID).whereNull('ValidityTo');
  for (const member of members) {
    const at = await deleteVersioned(tx, insureeTable, member, audit);
    await tx('tblInsureePolicy').where('InsureeID', member.InsureeID).whereNull('ValidityTo').update({ ValidityTo: at });
  }
  await deleteVersioned(tx, familyTable, current, audit);
}

/** The head from identifier[Code] (CHFID) and/or the first member; both must name the same insuree. */
async function resolveHead(tx: Knex, input: GroupInput): Promise<Row | undefined> {
  const byCode = input.headChfid ? await findCurrent(tx, INSUREES, input.headChfid) : undefined;
  if (input.headChfid && !byCode) throw unprocessable(`No current insuree has the insurance number ${input.headChfid}`, ['Group.identifier']);
  const byMember = input.headReference ? await resolveInsuree(tx, input.headReference, 'Group.member[0].entity') : undefined;
  if (byCode && byMember && byCode.InsureeID !== byMember.InsureeID) {
    throw unprocessable('identifier[Code] (the head CHFID) and the first member name different insurees', ['Group.identifier', 'Group.member[0]']);
  }
  return byCode ?? byMember;
}

async function resolveInsuree(tx: Knex, ref: Reference, expression: string): Promise<Row> {
  const insuree = await resolveReference(tx, ref, 'Patient', INSUREES);
  if (!insuree) throw unprocessable(`${expression} names no current insuree (${referenceId(ref, 'Patient') ?? 'no id'})`, [expression]);
  return insuree;
}

/** The insurees the member references name, less the given ones (by key); unknown references are a 422. */
async function membersOtherThan(tx: Knex, refs: Reference[], except: Row[]): Promise<Row[]> {
  const out = new Map<number, Row>();
  for (const [index, ref] of refs.entries()) {
    const insuree = await resolveInsuree(tx, ref, `Group.member[${index}].entity`);
    if (!except.some((e) => e.InsureeID === insuree.InsureeID)) out.set(insuree.InsureeID, insuree);
  }
  return [...out.values()];
}

async function resolveVillage(tx: Knex, input: GroupInput): Promise<Row> {
  const village = await resolveReference(tx, input.village, 'Location', VILLAGES);
  if (!village) throw unprocessable('The group-address location-reference names no current village', ['Group.extension[group-address]']);
  return village;
}
