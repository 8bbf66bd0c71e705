/**
 * Canonical URLs and element shapes of the openIMIS FHIR R4 implementation guide, written the way
 * the openIMIS FHIR module writes them on the wire (identifier types UUID / Code, references with
 * type and identifier) but always as absolute, single-slash canonical URLs.
 */
import type { CodeableConcept, Extension, Identifier, Reference } from 'fhir/r4.js';
import { BoundedMap } from '../fhir/bounded-map.js';

export const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
export const structureDefinition = canonicalsUnder(`${IG}/StructureDefinition/`);
export const codeSystem = canonicalsUnder(`${IG}/CodeSystem/`);
export const IDENTIFIER_TYPES = codeSystem('openimis-identifiers');

/**
 * The canonical URL of each IG artefact, made once. A resource carries a dozen of them; built anew
 * they are fresh concatenations that JSON.stringify must first flatten: 2 µs of a Patient's 10 µs
 * serialization (bench/README.md, ninth round).
 */
function canonicalsUnder(prefix: string): (id: string) => string {
  // The ids are the IG's own, a fixed set; the bound only guards against a caller passing data.
  const urls = new BoundedMap<string, string>(1000);
  return (id) => {
    let url = urls.get(id);
    if (url === undefined) urls.set(id, (url = prefix + id));
    return url;
  };
}

/** Identifier type codes clients send for a business code; `Code` is what we emit. */
export const CODE_IDENTIFIER_TYPES = new Set(['Code', 'MR', 'LC', 'FI', 'SB']);

export function identifier(type: 'UUID' | 'Code' | 'DBID', value: unknown): Identifier {
  return { type: { coding: [{ system: IDENTIFIER_TYPES, code: type }] }, value: String(value) };
}

export function identifierType(id: Identifier): string | undefined {
  return id.type?.coding?.[0]?.code ?? undefined;
}

export function reference(type: string, uuid: string, display?: string): Reference {
  return { reference: `${type}/${uuid}`, type, identifier: identifier('UUID', uuid), ...(display ? { display } : {}) };
}

export function codeable(system: string, code: unknown, display?: string): CodeableConcept {
  return { coding: [{ system, code: String(code), ...(display ? { display } : {}) }] };
}

/**
 * Finds an extension by its IG name, accepting the variants the openIMIS module and IG builds
 * produced (doubled slash, "StructureDefinition-<name>", relative URLs).
 */
export function findExtension(extensions: Extension[] | undefined, name: string): Extension | undefined {
  return extensions?.find((e) => typeof e.url === 'string' && extensionName(e.url) === name);
}

export function extensionName(url: string): string {
  const match = /(?:StructureDefinition[/-]|CodeSystem\/)([^/]+)$/.exec(url);
  return match ? match[1] : url;
}

/** The id part of "Type/id", "#Type/id", "#id" or an absolute URL ending in Type/id. */
export function referenceId(ref: Reference | undefined, type: string): string | undefined {
  const text = ref?.reference;
  if (text) {
    const match = new RegExp(`(?:^|/|#)${type}/([A-Za-z0-9\\-.]{1,64})$`).exec(text);
    if (match) return match[1];
    if (!text.includes('/') && !text.startsWith('#') && (!ref?.type || ref.type === type)) return text;
    return undefined;
  }
  if (ref?.identifier?.value && (!ref.type || ref.type === type)) return ref.identifier.value;
  return undefined;
}
