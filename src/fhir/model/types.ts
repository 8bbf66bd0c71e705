/**
 * Shape of the generated r4-elements.json (written by scripts/build-fhir-model.ts). Short keys keep
 * the file small; src/fhir/model/index.ts turns them into the readable ElementInfo.
 */
export interface ModelElement {
  /** Name as in the StructureDefinition, "value[x]" for a choice. */
  n: string;
  /** Type codes; a backbone is named by its path ("Patient.contact"). */
  t: string[];
  /** Minimum cardinality, omitted when 0. */
  min?: number;
  /** Maximum cardinality, omitted when 1. */
  max?: number | '*';
  /** isSummary (Σ). */
  s?: 1;
  /** isModifier (?!). */
  m?: 1;
  /** Represented as an XML attribute (Element.id, Extension.url). */
  x?: 1;
  /** Target resource types of Reference / canonical (from targetProfile), when restricted. */
  r?: string[];
}

export interface ModelType {
  kind: 'primitive' | 'complex' | 'resource' | 'backbone';
  /** Base type whose elements come first (Element, BackboneElement, DomainResource, Quantity...). */
  base?: string;
  abstract?: true;
  /** Primitives only: how the value is carried in JSON. */
  json?: 'boolean' | 'integer' | 'decimal' | 'string' | 'xhtml';
  /** Own elements in StructureDefinition order; absent for primitives. */
  elements?: ModelElement[];
}

export interface ModelFile {
  fhirVersion: string;
  source: string;
  types: Record<string, ModelType>;
}
