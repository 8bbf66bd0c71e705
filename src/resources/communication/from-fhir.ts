/**
 * Communication (delivered feedback) → the values of a tblFeedback row, pure. The rules of the openIMIS
 * module and of uspInsertFeedback: status completed, exactly one claim in `about`, the insuree as
 * `subject`, exactly five payloads, one per feedback question (extension communication-payload-type),
 * yes/no answers (true/false accepted too) and an assessment score from 0 to 5. Optional: `sent` (when
 * the answers were collected; default now) and the enrolment officer who collected them as
 * `recipient` (a Practitioner reference by officer UUID or code; default the caller when the caller is
 * an officer). Every problem is collected and thrown as one 422 naming the elements.
 */
import type { Communication, Reference } from 'fhir/r4.js';
import { Problems } from '../problems.js';
import { extensionName } from '../ig.js';
import { FEEDBACK_CODES, FEEDBACK_QUESTIONS, PAYLOAD_TYPE, type FeedbackQuestion } from './payload.js';

export interface FeedbackInput {
  claim: Reference;
  patient: Reference;
  officer?: Reference;
  answers: Record<FeedbackQuestion['code'], boolean | number>;
  sent?: Date;
}

const YES = new Set(['yes', 'true']);
const NO = new Set(['no', 'false']);

export function communicationToFeedback(resource: Communication, now: Date): FeedbackInput {
  const p = new Problems();
  if (resource.status !== 'completed') p.add('Communication.status', `must be "completed" (delivered feedback), not "${String(resource.status)}"`);
  if (!resource.about || resource.about.length !== 1) p.add('Communication.about', 'must name exactly one Claim, the claim the feedback is about', 'required');
  if (!resource.subject) p.add('Communication.subject', 'must name the insuree (Patient) of the claim', 'required');

  const answers: Partial<FeedbackInput['answers']> = {};
  const payload = resource.payload ?? [];
  if (payload.length !== FEEDBACK_QUESTIONS.length) {
    p.add('Communication.payload', `must hold exactly ${FEEDBACK_QUESTIONS.length} answers, one per feedback question (${FEEDBACK_CODES.join(', ')}); got ${payload.length}`);
  }
  payload.forEach((entry, i) => {
    const at = `Communication.payload[${i}]`;
    const types = (entry.extension ?? []).filter((e) => typeof e.url === 'string' && extensionName(e.url) === extensionName(PAYLOAD_TYPE));
    const codes = (types[0]?.valueCodeableConcept?.coding ?? []).map((c) => c.code).filter((c): c is string => Boolean(c));
    const question = FEEDBACK_QUESTIONS.find((q) => codes.includes(q.code));
    if (types.length !== 1 || !question) {
      p.add(`${at}.extension`, `needs one communication-payload-type extension with a feedback-payload code (${FEEDBACK_CODES.join(', ')})`);
      return;
    }
    if (question.code in answers) {
      p.add(`${at}.extension`, `answers ${question.code} a second time`);
      return;
    }
    const value = answerOf(question, entry.contentString);
    if (value === undefined) {
      const expected = question.answer === 'yes-no' ? '"yes" or "no"' : 'a score from 0 to 5';
      p.add(`${at}.contentString`, `the answer to ${question.code} must be ${expected}, not ${JSON.stringify(entry.contentString ?? null)}`);
      return;
    }
    answers[question.code] = value;
  });
  const missing = FEEDBACK_CODES.filter((code) => !(code in answers));
  if (payload.length === FEEDBACK_QUESTIONS.length && missing.length && p.empty) p.add('Communication.payload', `has no answer to ${missing.join(', ')}`);

  let sent: Date | undefined;
  if (resource.sent !== undefined) {
    sent = new Date(resource.sent);
    // A date without a time is the start of that day (UTC); a day of tolerance for clocks ahead of the server.
    if (Number.isNaN(sent.getTime())) p.add('Communication.sent', `"${resource.sent}" is not a valid dateTime`);
    else if (sent.getTime() > now.getTime() + 86_400_000) p.add('Communication.sent', 'cannot be in the future');
  }
  const recipients = resource.recipient ?? [];
  if (recipients.length > 1) p.add('Communication.recipient', 'names at most one enrolment officer (the one who collected the answers)');
  p.throwIfAny();
  return { claim: resource.about![0], patient: resource.subject!, officer: recipients[0], answers: answers as FeedbackInput['answers'], sent };
}

function answerOf(question: FeedbackQuestion, content: unknown): boolean | number | undefined {
  if (typeof content !== 'string') return undefined;
  const value = content.trim().toLowerCase();
  if (question.answer === 'yes-no') return YES.has(value) ? true : NO.has(value) ? false : undefined;
  return /^[0-5]$/.test(value) ? Number(value) : undefined;
}
