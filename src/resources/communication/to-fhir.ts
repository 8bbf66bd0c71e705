/**
 * tblFeedback row (with its claim, insuree and officer) → Communication: the feedback of the insuree on
 * a claim, as the openIMIS module writes it (status completed, subject the insuree, about the claim,
 * five payloads tagged with the communication-payload-type extension, yes/no answers and the
 * assessment score as contentString) with its defects fixed: an id (the FeedbackUUID) and a UUID
 * identifier, `sent` (FeedbackDate), the request it answers (basedOn the claim's CommunicationRequest),
 * the insuree as sender and the enrolment officer who collected the answers as recipient.
 */
import type { Communication, CommunicationPayload, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { identifier, reference } from '../ig.js';
import { FEEDBACK_QUESTIONS, payloadType } from './payload.js';

/** Feedback statuses of a claim that make it a CommunicationRequest (selected, delivered, bypassed). */
export const REQUEST_FEEDBACK_STATUSES = [4, 8, 16];

export function feedbackToCommunication(row: Row): Communication {
  const uuid = String(row.FeedbackUUID).toLowerCase();
  const claimUuid = row.claim_uuid ? String(row.claim_uuid).toLowerCase() : undefined;
  const patient = row.insuree_uuid ? reference('Patient', String(row.insuree_uuid).toLowerCase(), text(row.insuree_chfid)) : undefined;
  const answersRequest = claimUuid !== undefined && REQUEST_FEEDBACK_STATUSES.includes(Number(row.claim_feedback_status));
  const sent = instant(row.FeedbackDate);
  const officer = officerOf(row);
  return {
    resourceType: 'Communication',
    id: uuid,
    identifier: [identifier('UUID', uuid)],
    ...(answersRequest ? { basedOn: [reference('CommunicationRequest', claimUuid)] } : {}),
    status: 'completed',
    subject: patient ?? { display: 'unknown insuree' },
    about: [claimUuid ? reference('Claim', claimUuid, text(row.claim_code)) : { display: 'unknown claim' }],
    ...(sent ? { sent } : {}),
    ...(officer ? { recipient: [officer] } : {}),
    ...(patient ? { sender: patient } : {}),
    payload: FEEDBACK_QUESTIONS.map((q): CommunicationPayload => ({
      extension: [payloadType(q.code)],
      contentString: answerText(q.answer, row[q.code]),
    })),
  };
}

/** yes / no for the four questions (an unanswered one reads "no", as openIMIS stores it: bit default 0), the score as digits. */
function answerText(answer: 'yes-no' | 'score', value: unknown): string {
  if (answer === 'score') return value === null || value === undefined ? 'unknown' : String(Number(value));
  return value === true || value === 1 || value === '1' ? 'yes' : 'no';
}

/** The enrolment officer who collected the answers (Practitioner by UUID; his name as display). */
function officerOf(row: Row): Reference | undefined {
  if (!row.officer_uuid) return undefined;
  const name = [row.officer_other_names, row.officer_last_name].map(text).filter(Boolean).join(' ');
  return reference('Practitioner', String(row.officer_uuid).toLowerCase(), name || text(row.officer_code));
}

function instant(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value).trim());
