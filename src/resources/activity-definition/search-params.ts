/** ActivityDefinition search parameters, as data over tblServices columns. */
import type { SearchParamDecl } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';

const serviceType = loadMapping('activity-definition-service-type');

export const activityDefinitionSearchParams: SearchParamDecl[] = [
  {
    code: 'insurance-plan',
    type: 'reference',
    description: 'The products (InsurancePlan) that list the service: current tblProductServices lines',
    definition: 'https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/activity-definition-insurance-plan',
    column: 'v.ProdID',
    target: 'InsurancePlan',
    via: { table: 'tblProductServices', from: 't.ServiceID', key: 'ServiceID', current: 'ValidityTo' },
  },
  {
    code: 'identifier',
    type: 'token',
    description: 'Service code or UUID',
    tokens: [{ column: 't.ServCode' }, { column: 't.ServiceUUID', lowerCase: true }],
  },
  {
    code: 'code',
    type: 'token',
    description: 'openIMIS service code (ServCode)',
    definition: 'https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/activity-definition-code',
    tokens: [{ column: 't.ServCode' }],
    sortColumn: 't.ServCode',
  },
  { code: 'name', type: 'string', description: 'Service code (ActivityDefinition.name)', columns: ['t.ServCode'], sortColumn: 't.ServCode' },
  { code: 'title', type: 'string', description: 'Service name (ActivityDefinition.title)', columns: ['t.ServName'], sortColumn: 't.ServName' },
  {
    code: 'status',
    type: 'token',
    description: 'active (every current service)',
    // Every served row is current: a NULL legacy value makes the token compare ValidityTo IS NULL.
    tokens: [{ column: 't.ValidityTo', system: 'http://hl7.org/fhir/publication-status', codes: { active: null as unknown as string } }],
  },
  {
    code: 'topic',
    type: 'token',
    description: 'Service type: P preventive, C curative',
    tokens: [{ column: 't.ServType', system: serviceType.system, codes: serviceType.searchMap(), displays: serviceType.displays() }],
  },
];
