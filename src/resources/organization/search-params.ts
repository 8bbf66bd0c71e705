/**
 * Organization search parameters, as data over tblHF columns. Every tblHF row is a health facility,
 * type `prov`; the insurer (`ins`) and policy holders (`bus`) are not served from this table, so
 * those codes match nothing here.
 */
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';
import { loadMapping } from '../mappings.js';
import { ORGANIZATION_TYPE_SYSTEM } from './to-fhir.js';

const level = loadMapping('organization-hf-level');
const careType = loadMapping('organization-hf-care-type');
const allLevels = Object.values(level.searchMap());

const identifierTokens = [{ column: 't.HFCode' }, { column: 't.HfUUID', lowerCase: true }];

export const organizationSearchParams: SearchParamDecl[] = [
  { code: 'identifier', type: 'token', description: 'Health facility code or UUID', tokens: identifierTokens, sortColumn: 't.HFCode' },
  {
    code: 'code',
    type: 'token',
    description: 'openIMIS module name of identifier (health facility code or UUID)',
    definition: `${IG}/SearchParameter/Organization-code`,
    tokens: identifierTokens,
  },
  { code: 'name', type: 'string', description: 'Name of the health facility', columns: ['t.HFName'], sortColumn: 't.HFName' },
  {
    code: 'type',
    type: 'token',
    description: 'Kind of organization: every health facility is prov (healthcare provider)',
    tokens: [{ column: 't.HFLevel', system: ORGANIZATION_TYPE_SYSTEM, codes: { prov: allLevels } }],
  },
  {
    code: 'active',
    type: 'token',
    description: 'Whether the organization is active: every current health facility is (deleted ones answer 410)',
    tokens: [{ column: 't.HFLevel', codes: { true: allLevels } }],
  },
  { code: 'address', type: 'string', description: 'Address line of the health facility', columns: ['t.HFAddress'] },
  {
    code: 'location',
    type: 'reference',
    description: 'The district Location the health facility is in (address-location-reference)',
    definition: `${IG}/SearchParameter/Organization-location`,
    column: 't.LocationId',
    target: 'Location',
  },
  {
    code: 'hf-level',
    type: 'token',
    description: 'Health facility level: D dispensary, C health centre, H hospital',
    definition: `${IG}/SearchParameter/Organization-hf-level`,
    tokens: [{ column: 't.HFLevel', system: level.system, codes: level.searchMap(), displays: level.displays() }],
    sortColumn: 't.HFLevel',
  },
  {
    code: 'hf-care-type',
    type: 'token',
    description: 'Health facility care type: O out-patient, I in-patient, B both',
    definition: `${IG}/SearchParameter/Organization-hf-care-type`,
    tokens: [{ column: 't.HFCareType', system: careType.system, codes: careType.searchMap(), displays: careType.displays() }],
  },
];
