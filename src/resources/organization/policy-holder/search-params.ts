/**
 * Search parameters of the policy holders, as data over tblPolicyHolder columns. Parameters only
 * health facilities have (hf-level, hf-care-type, address) match no policy holder, and these match
 * no health facility where the facilities do not declare them (sources/README.md).
 */
import type { SearchParamDecl } from '../../../fhir/types.js';
import { IG } from '../../ig.js';
import { ORGANIZATION_TYPE_SYSTEM } from '../to-fhir.js';

const identifierTokens = [{ column: 't.PolicyHolderCode' }, { column: 't.UUID', lowerCase: true }];

export const policyHolderSearchParams: SearchParamDecl[] = [
  { code: 'identifier', type: 'token', description: 'Policy holder code or UUID', tokens: identifierTokens, sortColumn: 't.PolicyHolderCode' },
  {
    code: 'code',
    type: 'token',
    description: 'openIMIS module name of identifier (policy holder code or UUID)',
    definition: `${IG}/SearchParameter/Organization-code`,
    tokens: identifierTokens,
  },
  { code: 'name', type: 'string', description: 'Trade name of the policy holder', columns: ['t.TradeName'], sortColumn: 't.TradeName' },
  {
    code: 'type',
    type: 'token',
    // Searches see current rows only, whose isDeleted is false: `bus` names them all.
    description: 'Kind of organization: every policy holder is bus (non-healthcare business)',
    tokens: [{ column: 't.isDeleted', system: ORGANIZATION_TYPE_SYSTEM, codes: { bus: false } }],
  },
  {
    code: 'active',
    type: 'token',
    description: 'Whether the organization is active: every current policy holder is (deleted ones answer 410)',
    tokens: [{ column: 't.isDeleted', codes: { true: false } }],
  },
  {
    code: 'location',
    type: 'reference',
    description: 'The Location the policy holder is in (address-location-reference)',
    definition: `${IG}/SearchParameter/Organization-location`,
    column: 't.LocationsId',
    target: 'Location',
  },
];
