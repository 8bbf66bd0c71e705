/**
 * CommunicationRequest ⇄ tblClaim rows whose FeedbackStatus is 4 (selected for feedback), 8 (delivered)
 * or 16 (bypassed): the request for an insuree's feedback on a claim. id = the claim's UUID (one request
 * per claim; the module emitted none), versions = the claim's versions while it was selected.
 * Read-only: selecting a claim for feedback is a claim-review step, and answering it is a Communication.
 * Rights as Communication: 111010 (the module) or 111001 (claim search; the enrolment officers who
 * collect feedback hold it). Row security: the Claim resource's scope.
 */
import type { CommunicationRequest } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { claimTable, selectClaim } from '../claim/table.js';
import { scopeClaims } from '../claim/scope.js';
import { FEEDBACK_READ } from '../communication/index.js';
import { REQUEST_FEEDBACK_STATUSES } from '../communication/to-fhir.js';
import { communicationRequestSearchParams } from './search-params.js';
import { claimToCommunicationRequest } from './to-fhir.js';

export function communicationRequestResource(): ResourceDefinition<CommunicationRequest> {
  return {
    type: 'CommunicationRequest',
    profile: structureDefinition('openimis-communication-request'),
    table: claimTable,
    codeColumn: 'ClaimCode',
    select: selectClaim,
    toFhir: (row) => claimToCommunicationRequest(row),
    searchParams: communicationRequestSearchParams,
    scope: (qb, ctx) => {
      qb.whereIn('t.FeedbackStatus', REQUEST_FEEDBACK_STATUSES);
      scopeClaims(qb, ctx);
    },
    rights: {
      read: FEEDBACK_READ,
      vread: FEEDBACK_READ,
      'search-type': FEEDBACK_READ,
      'history-instance': FEEDBACK_READ,
      'history-type': FEEDBACK_READ,
    },
  };
}
