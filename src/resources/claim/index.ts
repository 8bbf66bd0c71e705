/**
 * Claim ⇄ tblClaim + tblClaimItems + tblClaimServices (openIMIS claims). Rights: 111001 read and
 * search, 111002 enter (create), 111010 edit, 111004 delete; only entered claims change.
 * Claims are scoped to the caller's health facility or districts (scope.ts). Attachments live in
 * claim_ClaimAttachment where the database has it (attachments.ts).
 */
import type { Claim } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { claimTable, selectClaim } from './table.js';
import { claimSearchParams } from './search-params.js';
import { claimToFhir } from './to-fhir.js';
import { loadClaimDetails } from './details.js';
import { loadAttachments } from './attachments.js';
import { scopeClaims } from './scope.js';
import { createClaim, deleteClaim, updateClaim } from './write.js';

export const CLAIM_READ = [111001];

/** `attachments`: the database has openIMIS's claim attachment table (detected at start). */
export function claimResource(opts: { attachments: boolean } = { attachments: false }): ResourceDefinition<Claim> {
  return {
    type: 'Claim',
    profile: structureDefinition('openimis-claim'),
    // The openIMIS module's clients: contained resources referenced as "#Type/id", no priority, no insurance.
    acceptedDeviations: ['ref-1', 'dom-3', 'Claim.priority', 'Claim.insurance'],
    table: claimTable,
    codeColumn: 'ClaimCode',
    select: selectClaim,
    loadDetails: async (rows, ctx) => {
      await loadClaimDetails(rows, ctx);
      if (opts.attachments) await loadAttachments(rows, ctx);
    },
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
    create: (claim, ctx) => createClaim(claim, ctx, opts),
    update: (claim, current, ctx) => updateClaim(claim, current, ctx, opts),
    delete: (current, ctx) => deleteClaim(current, ctx, opts),
  };
}
