/**
 * _summary and _elements (http://hl7.org/fhir/R4/search.html#summary): the resource reduced to
 * the asked elements, tagged SUBSETTED so nobody mistakes it for the whole resource.
 */
import type { FhirResource } from 'fhir/r4.js';
import { isSummary, property } from './model/index.js';

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED', display: 'subsetted' };
const ALWAYS = new Set(['resourceType', 'id', 'meta']);

export function subset(resource: FhirResource, summary?: string, elements?: string[]): FhirResource {
  let keep: (name: string) => boolean;
  if (elements?.length) {
    const wanted = new Set(elements.map((e) => e.replace(new RegExp(`^${resource.resourceType}\\.`), '').split('.')[0]));
    keep = (name) => ALWAYS.has(name) || wanted.has(name);
  } else if (summary === 'true') {
    // The elements the R4 definitions mark isSummary (the Σ flag).
    keep = (name) => ALWAYS.has(name) || isSummary(resource.resourceType, name);
  } else if (summary === 'text') {
    // The narrative, with the mandatory elements a valid resource cannot go without.
    keep = (name) => ALWAYS.has(name) || name === 'text' || (property(resource.resourceType, name)?.element.min ?? 0) > 0;
  } else if (summary === 'data') {
    keep = (name) => name !== 'text';
  } else {
    return resource;
  }
  const reduced = Object.fromEntries(Object.entries(resource).filter(([name]) => keep(name))) as FhirResource;
  reduced.meta = { ...reduced.meta, tag: [...(reduced.meta?.tag ?? []), SUBSETTED] };
  return reduced;
}
