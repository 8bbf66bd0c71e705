/**
 * Communication ⇄ tblFeedback: the feedback of an insuree on a claim (one per claim), id = FeedbackUUID.
 * Create = deliver feedback (write.ts): right 111009, as the openIMIS module. Read and search: 111010
 * (select feedback, the module's right) or 111001 (claim search: openIMIS's own claim query shows a
 * claim's feedback with it, and the enrolment officers who deliver feedback hold it, not 111010).
 * No update or delete: openIMIS has no such change. Row security: the claim's (the Claim resource's
 * scope, applied to the feedback's claim).
 */
import type { Communication } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { scopeClaimsOf } from '../claim/scope.js';
import { feedbackTable, selectFeedback } from './table.js';
import { communicationSearchParams } from './search-params.js';
import { feedbackToCommunication } from './to-fhir.js';
import { createFeedback } from './write.js';

export const FEEDBACK_READ = [111001, 111010];
export const FEEDBACK_DELIVER = [111009];

export function communicationResource(): ResourceDefinition<Communication> {
  return {
    type: 'Communication',
    profile: structureDefinition('openimis-communication'),
    table: feedbackTable,
    select: selectFeedback,
    toFhir: (row) => feedbackToCommunication(row),
    searchParams: communicationSearchParams,
    // The claim's row security: feedback on the claims the caller may see.
    scope: (qb, ctx) => scopeClaimsOf(qb, ctx, 't.ClaimID'),
    rights: {
      read: FEEDBACK_READ,
      vread: FEEDBACK_READ,
      'search-type': FEEDBACK_READ,
      'history-instance': FEEDBACK_READ,
      'history-type': FEEDBACK_READ,
      create: FEEDBACK_DELIVER,
    },
    create: createFeedback,
  };
}
