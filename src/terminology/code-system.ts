/**
 * The CodeSystem and ValueSet resources of the catalogue. An IG code system is served as profiles/
 * has it; a database one (content `not-present` in the IG) complete: every code of its table, in the
 * table's order, the openIMIS label as display and the French label (AltLanguage) as a designation.
 */
import type { CodeSystem, CodeSystemConcept, ValueSet } from 'fhir/r4.js';
import type { RequestContext } from '../fhir/types.js';
import type { Concept } from '../fhir/operations/terminology.js';
import type { CodeSystemEntry, ValueSetEntry } from './catalogue.js';

/** The concepts of a database code system, every one (a CodeSystem is complete or says it is not). */
export async function conceptsOf(entry: CodeSystemEntry, ctx: RequestContext): Promise<Concept[]> {
  return entry.source.page(ctx, { offset: 0, count: Infinity });
}

export function codeSystemResource(entry: CodeSystemEntry, concepts?: Concept[]): CodeSystem {
  if (!entry.fromDatabase || !concepts) return structuredClone(entry.definition);
  const { resourceType, id, url, version, name, title, status, experimental, publisher, description, caseSensitive } = entry.definition;
  const intro = description?.replace(/\s*Not enumerated here:.*$/, '');
  return {
    resourceType,
    id,
    url,
    ...(version ? { version } : {}),
    ...(name ? { name } : {}),
    ...(title ? { title } : {}),
    status,
    ...(experimental !== undefined ? { experimental } : {}),
    ...(publisher ? { publisher } : {}),
    description: `${intro ? `${intro} ` : ''}Served complete from ${entry.source.origin} of this openIMIS implementation; French labels (AltLanguage) as designations.`,
    ...(caseSensitive !== undefined ? { caseSensitive } : {}),
    content: 'complete',
    count: concepts.length,
    ...(concepts.length ? { concept: concepts.map(toConcept) } : {}),
  };
}

function toConcept(c: Concept): CodeSystemConcept {
  return {
    code: c.code,
    ...(c.display ? { display: c.display } : {}),
    ...(c.designation?.length ? { designation: c.designation.map((d) => ({ ...d })) } : {}),
  };
}

export function valueSetResource(entry: ValueSetEntry): ValueSet {
  return structuredClone(entry.definition);
}
