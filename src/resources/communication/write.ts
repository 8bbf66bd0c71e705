/**
 * Delivering feedback (POST Communication), as uspInsertFeedback and the openIMIS module do, in the
 * request's transaction: the claim must be current, visible to the caller, selected for feedback
 * (FeedbackStatus 4) and without feedback; the subject must be its insuree. Then one tblFeedback row
 * (FeedbackDate = `sent` or now, CHFOfficerCode = the collecting officer's id) and the claim marked
 * the openIMIS way: FeedbackStatus 8 (delivered), Feedback flag set, FeedbackID linked — written with
 * the legacy history helper, so the claim keeps its previous version as a history row.
 *
 * Errors keep the texts the openIMIS policies app recognises ("Claim does not exist", "Feedback
 * exists for this claim"): 422 for what the request names wrongly, 409 for a claim in the wrong state.
 */
import type { Communication, Reference } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, WriteContext } from '../../fhir/types.js';
import { conflict, forbidden } from '../../fhir/outcome.js';
import { isUuid } from '../../fhir/store.js';
import { insertVersioned, updateVersioned } from '../../db/legacy-history.js';
import { Problems } from '../problems.js';
import { referenceId } from '../ig.js';
import { claimTable } from '../claim/table.js';
import { scopeClaims } from '../claim/scope.js';
import { feedbackTable } from './table.js';
import { communicationToFeedback } from './from-fhir.js';

export const SELECTED = 4;
export const DELIVERED = 8;

export async function createFeedback(resource: Communication, ctx: WriteContext): Promise<number> {
  const input = communicationToFeedback(resource, ctx.at);
  const { tx } = ctx;
  const p = new Problems();
  const claim = await currentClaim(tx, input.claim, p);
  const insuree = await currentInsuree(tx, input.patient, p);
  if (claim && insuree && Number(insuree.InsureeID) !== Number(claim.InsureeID)) {
    p.add('Communication.subject', `Patient ${String(insuree.CHFID).trim()} is not the insuree of claim ${String(claim.ClaimCode).trim()}`);
  }
  const officerId = input.officer ? await officerOf(tx, input.officer, p) : await callerOfficer(tx, ctx.caller.username);
  p.throwIfAny();

  await assertClaimVisible(ctx, claim!);
  const existing = await tx('tblFeedback').where('ClaimID', claim!.ClaimID).first('FeedbackID');
  if (existing || claim!.FeedbackID != null || claim!.Feedback === true) {
    throw conflict(`Feedback exists for this claim (${String(claim!.ClaimCode).trim()})`);
  }
  if (Number(claim!.FeedbackStatus) !== SELECTED) {
    throw conflict(
      `Claim ${String(claim!.ClaimCode).trim()} is not selected for feedback (feedback status ${claim!.FeedbackStatus ?? 'none'}; feedback is delivered for status ${SELECTED})`,
    );
  }

  const audit = { userId: ctx.caller.userId, at: ctx.at };
  const { id } = await insertVersioned(
    tx,
    feedbackTable,
    {
      ClaimID: claim!.ClaimID,
      CareRendered: input.answers.CareRendered,
      PaymentAsked: input.answers.PaymentAsked,
      DrugPrescribed: input.answers.DrugPrescribed,
      DrugReceived: input.answers.DrugReceived,
      Asessment: input.answers.Asessment,
      CHFOfficerCode: officerId ?? null,
      FeedbackDate: input.sent ?? ctx.at,
    },
    audit,
  );
  await updateVersioned(tx, claimTable, claim!, { FeedbackStatus: DELIVERED, Feedback: true, FeedbackID: id }, audit);
  return id;
}

/** The current claim `about` names, by UUID or claim code, locked for the rest of the transaction. */
async function currentClaim(tx: Knex, ref: Reference, p: Problems): Promise<Row | undefined> {
  const id = referenceId(ref, 'Claim');
  if (!id) {
    p.add('Communication.about', 'must reference a Claim (by id or claim code)');
    return undefined;
  }
  const query = tx('tblClaim').whereNull('ValidityTo').forUpdate().limit(2);
  if (isUuid(id)) query.where('ClaimUUID', id.toLowerCase());
  else query.where('ClaimCode', id);
  const rows: Row[] = await query;
  if (rows.length === 0) p.add('Communication.about', `Claim does not exist: no current claim ${id}`);
  else if (rows.length > 1) p.add('Communication.about', `the claim code ${id} names several claims (one per health facility); reference the claim by id`);
  return rows.length === 1 ? rows[0] : undefined;
}

async function currentInsuree(tx: Knex, ref: Reference, p: Problems): Promise<Row | undefined> {
  const id = referenceId(ref, 'Patient');
  if (!id) {
    p.add('Communication.subject', 'must reference a Patient (by id or insurance number)');
    return undefined;
  }
  const query = tx('tblInsuree').whereNull('ValidityTo').first('InsureeID', 'CHFID');
  if (isUuid(id)) query.where('InsureeUUID', id.toLowerCase());
  else query.where('CHFID', id);
  const row: Row | undefined = await query;
  if (!row) p.add('Communication.subject', `names no current insuree (${id})`);
  return row;
}

/** The enrolment officer a recipient names (Practitioner by officer UUID or code). */
async function officerOf(tx: Knex, ref: Reference, p: Problems): Promise<number | undefined> {
  const id = referenceId(ref, 'Practitioner');
  if (!id) {
    p.add('Communication.recipient', 'must reference the enrolment officer who collected the feedback (Practitioner by id or officer code)');
    return undefined;
  }
  const query = tx('tblOfficer').whereNull('ValidityTo').first('OfficerID');
  if (isUuid(id)) query.where('OfficerUUID', id.toLowerCase());
  else query.where('Code', id);
  const row: Row | undefined = await query;
  if (!row) p.add('Communication.recipient', `names no current enrolment officer (${id})`);
  return row ? Number(row.OfficerID) : undefined;
}

/** The caller's own officer record, when the caller is an enrolment officer (login = officer code). */
async function callerOfficer(tx: Knex, username: string): Promise<number | undefined> {
  const row: Row | undefined = await tx('tblOfficer').whereNull('ValidityTo').where('Code', username).first('OfficerID');
  return row ? Number(row.OfficerID) : undefined;
}

/** Row security: feedback is delivered only on claims the caller may see (the Claim resource's scope). */
async function assertClaimVisible(ctx: WriteContext, claim: Row): Promise<void> {
  const query = ctx.tx('tblClaim as t').where('t.ClaimID', claim.ClaimID).first('t.ClaimID');
  scopeClaims(query, { ...ctx, db: ctx.tx });
  if (!(await query)) throw forbidden(`Claim ${String(claim.ClaimCode).trim()} is outside the claims you may deliver feedback on`);
}
