/**
 * tblFeedback (one row per claim) and what a Communication needs from around it: the claim (its
 * UUID, code, insuree, facility and feedback status), the insuree and the enrolment officer who
 * collected the answers (tblFeedback.CHFOfficerCode holds tblOfficer.OfficerID, despite its name).
 *
 * Every query on Communication reads these rows as one derived table aliased `t` ("the feedback
 * rows"), so that the claim's InsureeID and HFID are columns of `t`: the engine matches search
 * parameters (subject, patient) and row security on `t` alone, also in its COUNT and `_has`
 * subqueries, which start from the bare table name. select() reads the derived table; the `scope`
 * hook (index.ts) puts it in place of the bare table in those other queries. The planner flattens
 * the derived table (inner joins on primary keys), so searches stay index-backed.
 */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

export const feedbackTable: VersionedTable = versionedTable('tblFeedback', 'FeedbackID', 'FeedbackUUID');

/** The feedback rows with their claim's columns, aliased `t`. */
export function feedbackRows(db: Knex): Knex.QueryBuilder {
  const rows = db('tblFeedback as f')
    .leftJoin('tblClaim as c', 'c.ClaimID', 'f.ClaimID')
    .leftJoin('tblInsuree as i', 'i.InsureeID', 'c.InsureeID')
    .leftJoin('tblOfficer as o', 'o.OfficerID', 'f.CHFOfficerCode')
    .select(
      'f.*',
      'c.InsureeID as InsureeID',
      'c.HFID as HFID',
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
  return rows.as('t');
}

export function selectFeedback(db: Knex): Knex.QueryBuilder {
  return db.from(feedbackRows(db)).select('t.*');
}

/** Makes any engine query on Communication read the feedback rows (see above). */
export function readFeedbackRows(qb: Knex.QueryBuilder, db: Knex): void {
  qb.from(feedbackRows(db));
}
