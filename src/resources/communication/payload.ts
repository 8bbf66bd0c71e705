/**
 * The five openIMIS feedback questions: the tblFeedback column each answer lives in, the code of the
 * IG's feedback-payload code system that tags it (extension communication-payload-type), and the
 * question a CommunicationRequest asks. Four are yes/no answers, the assessment a score from 0 to 5.
 */
import type { CodeableConcept, Extension } from 'fhir/r4.js';
import { loadMapping } from '../mappings.js';
import { structureDefinition } from '../ig.js';

export const PAYLOAD_TYPE = structureDefinition('communication-payload-type');
const payloadCodes = loadMapping('feedback-payload');

export interface FeedbackQuestion {
  /** The feedback-payload code, also the tblFeedback column. */
  code: 'CareRendered' | 'PaymentAsked' | 'DrugPrescribed' | 'DrugReceived' | 'Asessment';
  answer: 'yes-no' | 'score';
  question: string;
}

export const FEEDBACK_QUESTIONS: readonly FeedbackQuestion[] = [
  { code: 'CareRendered', answer: 'yes-no', question: 'Did you receive the care the health facility claimed for? (yes/no)' },
  { code: 'PaymentAsked', answer: 'yes-no', question: 'Were you asked to pay for this care? (yes/no)' },
  { code: 'DrugPrescribed', answer: 'yes-no', question: 'Were drugs prescribed to you? (yes/no)' },
  { code: 'DrugReceived', answer: 'yes-no', question: 'Did you receive the prescribed drugs? (yes/no)' },
  { code: 'Asessment', answer: 'score', question: 'How satisfied are you with the care received, from 0 (not at all) to 5 (fully)?' },
];

export const FEEDBACK_CODES = FEEDBACK_QUESTIONS.map((q) => q.code);

/** The communication-payload-type extension of a question. */
export function payloadType(code: FeedbackQuestion['code']): Extension {
  const coding = payloadCodes.toCoding(code)!;
  const concept: CodeableConcept = { coding: [coding] };
  return { url: PAYLOAD_TYPE, valueCodeableConcept: concept };
}
