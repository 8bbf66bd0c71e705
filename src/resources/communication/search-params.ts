/** Communication search parameters, as data over tblFeedback and, through a hop, its claim (the insuree). */
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';
import { ENROLMENT_OFFICER } from '../practitioner/table.js';
import { CLAIM_HOP } from './table.js';

const claimParam = (code: string, description: string, definition?: string): SearchParamDecl => ({
  code,
  type: 'reference',
  description,
  column: 't.ClaimID',
  target: 'Claim',
  ...(definition ? { definition } : {}),
});

export const communicationSearchParams: SearchParamDecl[] = [
  {
    code: 'identifier',
    type: 'token',
    description: 'The feedback UUID (FeedbackUUID)',
    tokens: [{ column: 't.FeedbackUUID', lowerCase: true }],
  },
  { code: 'subject', type: 'reference', description: 'The insuree of the claim (Patient)', column: 'v.InsureeID', target: 'Patient', via: CLAIM_HOP },
  { code: 'patient', type: 'reference', description: 'The insuree of the claim (Patient)', column: 'v.InsureeID', target: 'Patient', via: CLAIM_HOP },
  claimParam('about', 'The claim the feedback is about (Communication.about)', `${IG}/SearchParameter/communication-about`),
  claimParam(
    'part-of',
    'The claim the feedback is about (Communication.about: the feedback is one step of the claim; openIMIS clients search the feedback of a claim this way)',
  ),
  {
    code: 'based-on',
    type: 'reference',
    description: 'The feedback request answered: CommunicationRequest/<claim id>',
    column: 't.ClaimID',
    target: 'CommunicationRequest',
  },
  {
    code: 'recipient',
    type: 'reference',
    description: 'The enrolment officer who collected the answers (Practitioner; tblFeedback.CHFOfficerCode)',
    column: 't.CHFOfficerCode',
    target: 'Practitioner',
    targetSource: ENROLMENT_OFFICER,
  },
  { code: 'sent', type: 'date', description: 'When the feedback was collected (FeedbackDate)', column: 't.FeedbackDate', precision: 'instant', sortColumn: 't.FeedbackDate' },
];
