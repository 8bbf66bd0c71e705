/**
 * Claim ⇄ tblClaim + tblClaimItems + tblClaimServices (openIMIS claims). Rights: 111001 read and
 * search, 111002 enter (create), 111010 edit, 111004 delete; only entered claims change.
 * Claims are scoped to the caller's health facility or districts (scope.ts).
 */
import type { Claim } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { claimTable, selectClaim } from './table.js';
import { claimSearchParams } from './search-params.js';
import { claimToFhir } from './to-fhir.js';
import { loadClaimDetails } from './details.js';
import { scopeClaims } from './scope.js';
import { createClaim, deleteClaim, updateClaim } from './write.js';

export const CLAIM_READ = [111001];

export function claimResource(): ResourceDefinition<Claim> {
  return {
    type: 'Claim',
    profile: structureDefinition('openimis-claim'),
    // The openIMIS module's clients: contained resources referenced as "#Type/id", no priority, no insurance.
    acceptedDeviations: ['ref-1', 'dom-3', 'Claim.priority', 'Claim.insurance'],
    table: claimTable,
    codeColumn: 'ClaimCode',
    select: selectClaim,
    loadDetails: loadClaimDetails,
    toFhir: (row, ctx) => claimToFhir(row, ctx),
    searchParams: claimSearchParams,
    scope: scopeClaims,
    rights: {
      read: CLAIM_READ,
      vread: CLAIM_READ,
      'search-type': CLAIM_READ,
      'history-instance': CLAIM_READ,
      'history-type': CLAIM_READ,
      create: [111002],
      update: [111010],
      delete: [111004],
    },
    create: createClaim,
    update: updateClaim,
    delete: deleteClaim,
  };
}
