/**
 * tblLocations row → Location, in the wire format of the openIMIS FHIR module (identifiers UUID and
 * Code, physicalType from the location-type code system, partOf with the parent's code as display)
 * with canonical single-slash URLs. Every served version is active: a closed location is either an
 * older version of a current one or deleted (410), never an "inactive" resource.
 */
import type { Location } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { identifier, reference } from '../ig.js';

const locationType = loadMapping('location-type');

export function rowToLocation(row: Row): Location {
  const uuid = String(row.LocationUUID).toLowerCase();
  const location: Location = {
    resourceType: 'Location',
    id: uuid,
    identifier: [identifier('UUID', uuid), ...(row.LocationCode ? [identifier('Code', String(row.LocationCode))] : [])],
    status: 'active',
    ...(row.LocationName ? { name: String(row.LocationName) } : {}),
    mode: 'instance',
  };
  const type = locationType.toCoding(row.LocationType);
  if (type) location.physicalType = { coding: [type] };
  if (row.parent_uuid) {
    location.partOf = reference('Location', String(row.parent_uuid).toLowerCase(), row.parent_code ? String(row.parent_code) : undefined);
  }
  return location;
}
