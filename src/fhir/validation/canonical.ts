/**
 * Canonical URLs of the openIMIS IG and the variants clients and the openIMIS FHIR module send for
 * them: a doubled slash (`…_r4_ig//StructureDefinition/x`), the page form
 * (`…/StructureDefinition-x`, `….html`), relative (`CodeSystem/x`), the fhir.openimis.org host, and
 * the unit-price extension written under CodeSystem/. The validator accepts them (with a warning)
 * wherever the mappers do, and reports the canonical form.
 */
export const IG_BASE = 'https://openimis.github.io/openimis_fhir_r4_ig';

const VARIANT = /^(?:(?:https?:\/\/(?:openimis\.github\.io\/openimis_fhir_r4_ig|fhir\.openimis\.org))\/+)?(StructureDefinition|CodeSystem|ValueSet)[/-]([A-Za-z0-9_.-]+?)(?:\.html)?(?:\|[^|]*)?$/;

export type ArtifactKind = 'StructureDefinition' | 'CodeSystem' | 'ValueSet';

/** The canonical IG URL a variant stands for (or the url itself, without |version, when it is none). */
export function canonicalOf(url: string, kind?: ArtifactKind): string {
  const match = VARIANT.exec(url);
  if (!match) return url.replace(/\|[^|]*$/, '');
  const found = match[1] as ArtifactKind;
  return `${IG_BASE}/${kind ?? found}/${match[2]}`;
}

/** The id of an IG artifact URL in any of its forms, or undefined for other URLs. */
export function igArtifactId(url: string): { kind: ArtifactKind; id: string } | undefined {
  const match = VARIANT.exec(url);
  return match ? { kind: match[1] as ArtifactKind, id: match[2] } : undefined;
}

/** "Patient" for http://hl7.org/fhir/StructureDefinition/Patient. */
export function coreTypeOf(url: string): string | undefined {
  const match = /^https?:\/\/hl7\.org\/fhir\/StructureDefinition\/([A-Z][A-Za-z]+)$/.exec(url);
  return match?.[1];
}
