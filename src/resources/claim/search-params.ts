/** Claim search parameters, as data over tblClaim columns. */
import { HEALTH_FACILITY } from '../organization/table.js';
import type { SearchParamDecl, TokenColumn } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { CLAIM_ADMINISTRATOR } from '../practitioner/table.js';

const claimStatus = loadMapping('claim-status');
const visitType = loadMapping('claim-visit-type');

export const CLAIM_STATUSES = [1, 2, 4, 8, 16];
const STATUS_NAMES: Record<string, number> = { rejected: 1, entered: 2, checked: 4, processed: 8, valuated: 16 };

/** openIMIS claim status by number (1, 2, 4, 8, 16) or name (rejected, entered, checked, processed, valuated). */
export const CLAIM_STATUS_TOKEN: TokenColumn = {
  column: 't.ClaimStatus',
  system: claimStatus.system,
  codes: { ...claimStatus.searchMap(), ...STATUS_NAMES },
};

export const CLAIM_IDENTIFIER: SearchParamDecl = {
  code: 'identifier',
  type: 'token',
  description: 'Claim code (unique per health facility) or UUID',
  tokens: [{ column: 't.ClaimCode' }, { column: 't.ClaimUUID', lowerCase: true }],
};

export const claimSearchParams: SearchParamDecl[] = [
  CLAIM_IDENTIFIER,
  { code: 'patient', type: 'reference', description: 'The insuree (Patient)', column: 't.InsureeID', target: 'Patient' },
  { code: 'provider', type: 'reference', description: 'The health facility (Organization)', column: 't.HFID', target: 'Organization', targetSource: HEALTH_FACILITY },
  {
    code: 'facility',
    type: 'reference',
    description: 'The health facility, as an Organization (openIMIS has no separate facility location)',
    column: 't.HFID',
    target: 'Organization',
    targetSource: HEALTH_FACILITY,
  },
  { code: 'enterer', type: 'reference', description: 'The claim administrator (Practitioner)', column: 't.ClaimAdminId', target: 'Practitioner', targetSource: CLAIM_ADMINISTRATOR },
  { code: 'created', type: 'date', description: 'Date claimed', column: 't.DateClaimed', precision: 'day', sortColumn: 't.DateClaimed' },
  {
    code: 'use',
    type: 'token',
    description: 'Always claim',
    tokens: [{ column: 't.ClaimStatus', system: 'http://hl7.org/fhir/claim-use', codes: { claim: CLAIM_STATUSES } }],
  },
  {
    code: 'status',
    type: 'token',
    description:
      'openIMIS claim status: 1 rejected, 2 entered, 4 checked, 8 processed, 16 valuated (by number or name); active (FHIR fm-status) matches every current claim',
    tokens: [CLAIM_STATUS_TOKEN, { column: 't.ClaimStatus', system: 'http://hl7.org/fhir/fm-status', codes: { active: CLAIM_STATUSES } }],
  },
  {
    code: 'type',
    type: 'token',
    description: 'Visit type: E emergency, R referral, O other',
    definition: 'https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/claim-type',
    tokens: [{ column: 't.VisitType', system: visitType.system, codes: visitType.searchMap(), displays: visitType.displays() }],
  },
];
