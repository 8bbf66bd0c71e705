/**
 * _summary and _elements (http://hl7.org/fhir/R4/search.html#summary): the resource reduced to
 * the asked elements, tagged SUBSETTED so nobody mistakes it for the whole resource.
 */
import type { FhirResource } from 'fhir/r4.js';
import { SUMMARY_ELEMENTS } from './summary-elements.js';

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED', display: 'subsetted' };
const ALWAYS = new Set(['resourceType', 'id', 'meta']);

export function subset(resource: FhirResource, summary?: string, elements?: string[]): FhirResource {
  let keep: (name: string) => boolean;
  if (elements?.length) {
    const wanted = new Set(elements.map((e) => e.replace(new RegExp(`^${resource.resourceType}\\.`), '').split('.')[0]));
    keep = (name) => ALWAYS.has(name) || wanted.has(name);
  } else if (summary === 'true') {
    const listed = SUMMARY_ELEMENTS[resource.resourceType];
    keep = (name) => ALWAYS.has(name) || (listed ? listed.includes(name) : false);
  } else if (summary === 'text') {
    keep = (name) => ALWAYS.has(name) || name === 'text' || (SUMMARY_ELEMENTS[resource.resourceType]?.includes(name) ?? false) && isMandatory(resource, name);
  } else if (summary === 'data') {
    keep = (name) => name !== 'text';
  } else {
    return resource;
  }
  const reduced = Object.fromEntries(Object.entries(resource).filter(([name]) => keep(name))) as FhirResource;
  reduced.meta = { ...reduced.meta, tag: [...(reduced.meta?.tag ?? []), SUBSETTED] };
  return reduced;
}

/** Mandatory top-level elements stay in _summary=text; none of the mapped resources has any but status-like codes. */
function isMandatory(resource: FhirResource, name: string): boolean {
  return ['status', 'intent', 'kind', 'type', 'use'].includes(name) && name in resource;
}
