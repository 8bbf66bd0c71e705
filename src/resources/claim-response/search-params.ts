/** ClaimResponse search parameters, as data over the same tblClaim columns as Claim. */
import type { SearchParamDecl } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { CLAIM_IDENTIFIER, CLAIM_STATUSES } from '../claim/search-params.js';
import { CLAIM_ADMINISTRATOR } from '../practitioner/table.js';

const outcome = loadMapping('claim-outcome');

/** remittance-outcome code → every claim status it stands for (complete: 1 and 16, partial: 4 and 8). */
const OUTCOME_CODES: Record<string, number[]> = {};
for (const status of CLAIM_STATUSES) {
  const code = outcome.toCode(status);
  if (code) (OUTCOME_CODES[code] ??= []).push(status);
}

export const claimResponseSearchParams: SearchParamDecl[] = [
  CLAIM_IDENTIFIER,
  { code: 'request', type: 'reference', description: 'The claim (same row and id)', column: 't.ClaimID', target: 'Claim' },
  { code: 'patient', type: 'reference', description: 'The insuree (Patient)', column: 't.InsureeID', target: 'Patient' },
  { code: 'requestor', type: 'reference', description: 'The claim administrator (Practitioner)', column: 't.ClaimAdminId', target: 'Practitioner', targetSource: CLAIM_ADMINISTRATOR },
  {
    code: 'outcome',
    type: 'token',
    description: 'queued (entered), partial (checked, processed), complete (rejected, valuated)',
    tokens: [{ column: 't.ClaimStatus', system: outcome.system, codes: OUTCOME_CODES }],
  },
  {
    code: 'created',
    type: 'date',
    description: 'When the current state of the adjudication was recorded (the version instant)',
    column: 't.ValidityFrom',
    precision: 'instant',
    sortColumn: 't.ValidityFrom',
  },
];
