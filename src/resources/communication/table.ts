/**
 * tblFeedback (one row per claim) and what a Communication needs from around it: the claim (its
 * UUID, code and feedback status), the insuree and the enrolment officer who collected the answers
 * (tblFeedback.CHFOfficerCode holds tblOfficer.OfficerID, despite its name).
 *
 * The feedback row has no insuree or facility of its own: they are the claim's. Search parameters
 * reach them through a hop on tblClaim (search-params.ts) and row security through the claim's
 * facility (index.ts), so every query reads tblFeedback as `t` and joins only for the mapper.
 */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

export const feedbackTable: VersionedTable = versionedTable('tblFeedback', 'FeedbackID', 'FeedbackUUID');

/** The hop from a feedback row to its claim. */
export const CLAIM_HOP = { table: 'tblClaim', from: 't.ClaimID', key: 'ClaimID' };

export function selectFeedback(db: Knex): Knex.QueryBuilder {
  return db('tblFeedback as t')
    .leftJoin('tblClaim as c', 'c.ClaimID', 't.ClaimID')
    .leftJoin('tblInsuree as i', 'i.InsureeID', 'c.InsureeID')
    .leftJoin('tblOfficer as o', 'o.OfficerID', 't.CHFOfficerCode')
    .select(
      't.*',
      'c.ClaimUUID as claim_uuid',
      'c.ClaimCode as claim_code',
      'c.FeedbackStatus as claim_feedback_status',
      'i.InsureeUUID as insuree_uuid',
      'i.CHFID as insuree_chfid',
      'o.OfficerUUID as officer_uuid',
      'o.Code as officer_code',
      'o.LastName as officer_last_name',
      'o.OtherNames as officer_other_names',
    );
}
