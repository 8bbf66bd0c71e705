/**
 * Location search parameters, as data over tblLocations columns. Health facility sites
 * (`physicalType=si` in the openIMIS module) are not locations here: they are Organization?type=prov,
 * so `si` is a known code that matches no Location.
 */
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';
import { loadMapping } from '../mappings.js';

const locationType = loadMapping('location-type');
const types = locationType.searchMap();
const allTypes = Object.values(types);

const physicalType = (code: string, description: string): SearchParamDecl => ({
  code,
  type: 'token',
  description,
  definition: `${IG}/SearchParameter/Location-physical-type`,
  tokens: [{ column: 't.LocationType', system: locationType.system, codes: types, displays: locationType.displays() }],
  sortColumn: 't.LocationType',
});

export const locationSearchParams: SearchParamDecl[] = [
  {
    code: 'identifier',
    type: 'token',
    description: 'Location code or UUID',
    tokens: [{ column: 't.LocationCode' }, { column: 't.LocationUUID', lowerCase: true }],
    sortColumn: 't.LocationCode',
  },
  { code: 'name', type: 'string', description: 'Name of the location', columns: ['t.LocationName'], sortColumn: 't.LocationName' },
  physicalType('physical-type', 'Level of the location: R region, D district, W ward/municipality, V village'),
  physicalType('physicalType', 'openIMIS module name of physical-type; its `si` (health facility sites) matches no Location: use Organization?type=prov'),
  {
    code: 'partof',
    type: 'reference',
    description: 'The location this one is part of; :below = anywhere under it (a region: its districts, wards and villages), :above = every level above',
    column: 't.ParentLocationId',
    target: 'Location',
    // region → district → ward → village: three levels below a region.
    hierarchyDepth: 3,
  },
  {
    code: 'status',
    type: 'token',
    description: 'Status of the location: every current location is active',
    tokens: [{ column: 't.LocationType', system: 'http://hl7.org/fhir/location-status', codes: { active: allTypes } }],
  },
];
