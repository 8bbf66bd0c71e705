/**
 * tblClaim row (a claim selected for feedback) → CommunicationRequest: the request for the insuree's
 * feedback on the claim, as the openIMIS module writes it (status from the feedback status through
 * mappings/communication-request-status.json, statusReason the raw feedback status, subject the insuree,
 * about the claim, recipient the claim administrator, the five questions as payload tagged with the
 * communication-payload-type extension) with its defect fixed: an id, the claim's UUID (the request
 * is the claim's feedback state, one per claim, as ClaimResponse is its adjudication).
 */
import type { CommunicationRequest } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { entererOf, patientOf } from '../claim/to-fhir.js';
import { reference } from '../ig.js';
import { FEEDBACK_QUESTIONS, payloadType } from '../communication/payload.js';

const requestStatus = loadMapping('communication-request-status');
const feedbackStatus = loadMapping('feedback-status');

export function claimToCommunicationRequest(row: Row): CommunicationRequest {
  const uuid = String(row.ClaimUUID).toLowerCase();
  const reason = feedbackStatus.toCoding(row.FeedbackStatus);
  const admin = entererOf(row);
  return {
    resourceType: 'CommunicationRequest',
    id: uuid,
    status: (requestStatus.toCode(row.FeedbackStatus) ?? 'unknown') as CommunicationRequest['status'],
    ...(reason ? { statusReason: { coding: [reason], text: reason.display } } : {}),
    subject: patientOf(row),
    about: [reference('Claim', uuid, String(row.ClaimCode).trim())],
    ...(admin ? { recipient: [admin] } : {}),
    payload: FEEDBACK_QUESTIONS.map((q) => ({ extension: [payloadType(q.code)], contentString: q.question })),
  };
}
