/**
 * ClaimResponse ⇄ tblClaim (+ lines): the adjudication view of the same claim rows, same ids.
 * Read-only here (adjudication is an operation of its own). Rights: 111001 read and search.
 */
import type { ClaimResponse } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { claimTable, selectClaim } from '../claim/table.js';
import { loadClaimDetails } from '../claim/details.js';
import { scopeClaims } from '../claim/scope.js';
import { CLAIM_READ } from '../claim/index.js';
import { claimResponseSearchParams } from './search-params.js';
import { claimResponseToFhir } from './to-fhir.js';

export function claimResponseResource(): ResourceDefinition<ClaimResponse> {
  return {
    type: 'ClaimResponse',
    profile: structureDefinition('openimis-claim-response'),
    table: claimTable,
    codeColumn: 'ClaimCode',
    select: selectClaim,
    loadDetails: loadClaimDetails,
    toFhir: (row, ctx) => claimResponseToFhir(row, ctx),
    searchParams: claimResponseSearchParams,
    scope: scopeClaims,
    rights: {
      read: CLAIM_READ,
      vread: CLAIM_READ,
      'search-type': CLAIM_READ,
      'history-instance': CLAIM_READ,
      'history-type': CLAIM_READ,
    },
  };
}
