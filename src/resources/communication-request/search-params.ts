/** CommunicationRequest search parameters, as data over the tblClaim columns of the claims selected for feedback. */
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';
import { loadMapping } from '../mappings.js';
import { CLAIM_ADMINISTRATOR } from '../practitioner/table.js';

const requestStatus = loadMapping('communication-request-status');
const feedbackStatus = loadMapping('feedback-status');

export const communicationRequestSearchParams: SearchParamDecl[] = [
  {
    code: 'status',
    type: 'token',
    description: 'active (selected for feedback), completed (delivered), revoked (bypassed); or the openIMIS feedback status 4, 8, 16',
    tokens: [
      { column: 't.FeedbackStatus', system: requestStatus.system, codes: requestStatus.searchMap(), displays: requestStatus.displays() },
      { column: 't.FeedbackStatus', system: feedbackStatus.system, codes: feedbackStatus.searchMap(), displays: feedbackStatus.displays() },
    ],
  },
  { code: 'subject', type: 'reference', description: 'The insuree of the claim (Patient)', column: 't.InsureeID', target: 'Patient' },
  { code: 'patient', type: 'reference', description: 'The insuree of the claim (Patient)', column: 't.InsureeID', target: 'Patient' },
  {
    code: 'about',
    type: 'reference',
    description: 'The claim (same row and id)',
    definition: `${IG}/SearchParameter/communication-request-about`,
    column: 't.ClaimID',
    target: 'Claim',
  },
  { code: 'recipient', type: 'reference', description: 'The claim administrator (Practitioner)', column: 't.ClaimAdminId', target: 'Practitioner', targetSource: CLAIM_ADMINISTRATOR },
];
