/**
 * Location → tblLocations values, with every problem reported at once. Pure: the parent reference
 * is returned unresolved for write.ts to look up (the openIMIS module validated partOf and then
 * ignored it; here it is the ParentLocationId).
 */
import type { Location, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { Problems } from '../problems.js';
import { CODE_IDENTIFIER_TYPES, identifierType } from '../ig.js';
import { codingOf } from './codings.js';

const locationType = loadMapping('location-type');

export interface LocationInput {
  values: Row;
  parent?: Reference;
}

export function locationToRow(location: Location): LocationInput {
  const p = new Problems();
  const code = location.identifier?.find((id) => CODE_IDENTIFIER_TYPES.has(identifierType(id) ?? ''))?.value;
  const values: Row = {
    LocationCode: p.text('Location.identifier[Code]', code, { max: 8, required: true }),
    LocationName: p.text('Location.name', location.name, { max: 50, required: true }),
    LocationType: typeOf(location, p),
  };
  if (location.status !== undefined && location.status !== 'active') {
    p.add('Location.status', `only active locations are written; "${String(location.status)}" is not accepted (DELETE the location instead)`, 'business-rule');
  }
  if (location.partOf !== undefined && (location.partOf === null || typeof location.partOf !== 'object')) {
    p.add('Location.partOf', 'must be a Reference');
  }
  p.throwIfAny();
  return { values, parent: location.partOf ?? undefined };
}

function typeOf(location: Location, p: Problems): string | null {
  const coding = codingOf(location.physicalType, 'location-type');
  if (!coding?.code) {
    p.add('Location.physicalType', `is required; expected one of ${locationType.fhirCodes().join(', ')}`, 'required');
    return null;
  }
  if (coding.code === 'si') {
    p.add('Location.physicalType', 'health facilities (site, si) are written as Organization resources of type prov', 'not-supported');
    return null;
  }
  try {
    return String(locationType.toLegacy(coding.code));
  } catch {
    p.add('Location.physicalType', `unknown code "${coding.code}"; expected one of ${locationType.fhirCodes().join(', ')}`, 'code-invalid');
    return null;
  }
}
