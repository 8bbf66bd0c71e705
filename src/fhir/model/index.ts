/**
 * The FHIR R4 element model: for every resource, datatype and backbone element, its elements in
 * StructureDefinition order with type(s), cardinality, Σ (isSummary), ?! (isModifier) and XML
 * attribute flags. Generated from the official StructureDefinitions by scripts/build-fhir-model.ts
 * into r4-elements.json; nothing here knows of any particular server.
 *
 * Type names are FHIR type codes ("Patient", "HumanName", "dateTime") or, for backbone elements,
 * their path in the defining type ("Patient.contact", "Questionnaire.item", "Timing.repeat").
 * Element names are as in the StructureDefinition without "[x]": a choice element "value[x]" has
 * name "value" and choice = true; its JSON/XML property names are "valueQuantity", "valueString"...
 */
import data from './r4-elements.json' with { type: 'json' };
import type { ModelElement, ModelFile, ModelType } from './types.js';

export type { ModelElement, ModelFile, ModelType } from './types.js';

const model = data as unknown as ModelFile;

export const FHIR_VERSION: string = model.fhirVersion;

export type PrimitiveJson = 'boolean' | 'integer' | 'decimal' | 'string' | 'xhtml';

export interface TypeInfo {
  readonly name: string;
  readonly kind: 'primitive' | 'complex' | 'resource' | 'backbone';
  readonly base?: string;
  readonly abstract: boolean;
  /** Primitives only: the JSON representation of the value. */
  readonly json?: PrimitiveJson;
}

export interface ElementInfo {
  /** Name without "[x]": "birthDate", "value". */
  readonly name: string;
  /** Path in the type that defines it: "Resource.id", "Observation.value[x]", "Patient.contact.name". */
  readonly path: string;
  /** True for "[x]" elements, whose properties are named name + capitalised type. */
  readonly choice: boolean;
  /** Type codes (several only for a choice); a backbone element's type is its path. */
  readonly types: readonly string[];
  readonly min: number;
  readonly max: number | '*';
  /** True when the element repeats (max > 1): a JSON array. */
  readonly isArray: boolean;
  readonly summary: boolean;
  readonly modifier: boolean;
  /** Carried as an XML attribute rather than an element (Element.id, Extension.url). */
  readonly xmlAttr: boolean;
  /** Allowed target resource types of a Reference / canonical, when the definition restricts them. */
  readonly targets?: readonly string[];
  /** The type whose definition declares the element ("Resource", "DomainResource", "Patient"...). */
  readonly definedIn: string;
}

/** One JSON (or XML) property name resolved to its element and, for a choice, the chosen type. */
export interface PropertyInfo {
  readonly element: ElementInfo;
  /** The property's single type: the chosen one for a choice element. */
  readonly type: string;
  /** Position of the element in the type's element order (sorts properties into XML order). */
  readonly order: number;
}

const typeInfos = new Map<string, TypeInfo>();
for (const [name, t] of Object.entries(model.types)) {
  typeInfos.set(name, {
    name,
    kind: t.kind,
    ...(t.base ? { base: t.base } : {}),
    abstract: t.abstract === true,
    ...(t.json ? { json: t.json } : {}),
  });
}

function toElementInfo(owner: string, e: ModelElement): ElementInfo {
  const choice = e.n.endsWith('[x]');
  const max = e.max ?? 1;
  return Object.freeze({
    name: choice ? e.n.slice(0, -3) : e.n,
    path: `${owner}.${e.n}`,
    choice,
    types: Object.freeze([...e.t]),
    min: e.min ?? 0,
    max,
    isArray: max === '*' || max > 1,
    summary: e.s === 1,
    modifier: e.m === 1,
    xmlAttr: e.x === 1,
    ...(e.r ? { targets: Object.freeze([...e.r]) } : {}),
    definedIn: owner,
  });
}

const elementCache = new Map<string, readonly ElementInfo[]>();
const propertyCache = new Map<string, ReadonlyMap<string, PropertyInfo>>();

function rawType(name: string): ModelType | undefined {
  return Object.prototype.hasOwnProperty.call(model.types, name) ? model.types[name] : undefined;
}

/** Type information, or undefined for a name that is no R4 type nor backbone path. */
export function typeInfo(name: string): TypeInfo | undefined {
  return typeInfos.get(name);
}

export const isKnownType = (name: string): boolean => typeInfos.has(name);

/** A concrete resource type ("Patient"; not "Resource" or "DomainResource"). */
export function isResourceType(name: string): boolean {
  const t = typeInfos.get(name);
  return t !== undefined && t.kind === 'resource' && !t.abstract;
}

/** "Resource", "DomainResource" or a concrete resource type: an element of this type holds a resource. */
export function isResourceKind(name: string): boolean {
  return typeInfos.get(name)?.kind === 'resource';
}

export function isPrimitive(type: string): boolean {
  return typeInfos.get(type)?.kind === 'primitive';
}

/** How a primitive type's value is carried in JSON; undefined for non-primitives. */
export function primitiveJson(type: string): PrimitiveJson | undefined {
  return typeInfos.get(type)?.json;
}

/** Every concrete resource type of R4, sorted. */
export function resourceTypes(): string[] {
  return [...typeInfos.values()].filter((t) => t.kind === 'resource' && !t.abstract).map((t) => t.name).sort();
}

/**
 * The elements of a type in XML (StructureDefinition) order, inherited ones first: for Patient,
 * id, meta, implicitRules, language, text, contained, extension, modifierExtension, identifier...
 * Primitive types have no elements here (their value, id and extensions are implied).
 * Throws for an unknown type.
 */
export function elementsOf(type: string): readonly ElementInfo[] {
  const cached = elementCache.get(type);
  if (cached) return cached;
  const t = rawType(type);
  if (!t) throw new Error(`Unknown FHIR type ${type}`);
  const own = (t.elements ?? []).map((e) => toElementInfo(type, e));
  const all = Object.freeze(t.base && t.kind !== 'primitive' ? [...elementsOf(t.base), ...own] : own);
  elementCache.set(type, all);
  return all;
}

/** An element of a type by name (without "[x]"): element('Observation', 'value'). */
export function element(type: string, name: string): ElementInfo | undefined {
  return elementsOf(type).find((e) => e.name === name);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The JSON/XML property name of a choice element for one of its types: choiceName('value', 'Quantity') = 'valueQuantity'. */
export const choiceName = (name: string, type: string): string => name + capitalise(type);

/** Every property name a type may carry (choice elements expanded per type), with its element and type. */
export function propertiesOf(type: string): ReadonlyMap<string, PropertyInfo> {
  const cached = propertyCache.get(type);
  if (cached) return cached;
  const map = new Map<string, PropertyInfo>();
  const elements = elementsOf(type);
  const plain = new Set(elements.filter((e) => !e.choice).map((e) => e.name));
  elements.forEach((e, order) => {
    if (!e.choice) map.set(e.name, Object.freeze({ element: e, type: e.types[0], order }));
    else {
      for (const t of e.types) {
        const name = choiceName(e.name, t);
        if (!plain.has(name) && !map.has(name)) map.set(name, Object.freeze({ element: e, type: t, order }));
      }
    }
  });
  propertyCache.set(type, map);
  return map;
}

/** Resolves a JSON property name of a type: property('Observation', 'valueQuantity') → value[x] as Quantity. */
export function property(type: string, name: string): PropertyInfo | undefined {
  return isKnownType(type) ? propertiesOf(type).get(name) : undefined;
}

/**
 * Whether an element is marked Σ (part of _summary=true). `name` is an element or property name
 * ("deceased" or "deceasedBoolean"). Unknown elements are not in the summary.
 */
export function isSummary(type: string, name: string): boolean {
  if (!isKnownType(type)) return false;
  return (propertiesOf(type).get(name)?.element ?? element(type, name))?.summary ?? false;
}

/** Property names of a type that are Σ, in element order (choice elements expanded). */
export function summaryProperties(type: string): string[] {
  return [...propertiesOf(type)].filter(([, p]) => p.element.summary).map(([name]) => name);
}

/**
 * Resolves a dotted path of JSON property names, starting at a type:
 * resolvePath('Patient.contact.name.family') → the element HumanName.family with type 'string';
 * resolvePath('Observation.valueQuantity.value') → Quantity.value, 'decimal'. A choice element named
 * without its type ("Observation.value") resolves only when it is the last step (type undefined if
 * the choice has several types). Undefined when any step is unknown.
 */
export function resolvePath(path: string): { element: ElementInfo; type: string | undefined } | undefined {
  const steps = path.split('.');
  let type = steps[0];
  if (!isKnownType(type)) return undefined;
  let found: { element: ElementInfo; type: string | undefined } | undefined;
  for (let i = 1; i < steps.length; i++) {
    if (found && found.type === undefined) return undefined;
    const step = steps[i].endsWith('[x]') ? steps[i].slice(0, -3) : steps[i];
    const p = propertiesOf(type).get(step);
    if (p) found = { element: p.element, type: p.type };
    else {
      const e = element(type, step);
      if (!e?.choice) return undefined;
      found = { element: e, type: e.types.length === 1 ? e.types[0] : undefined };
    }
    if (found.type !== undefined) type = found.type;
  }
  return found;
}

/** The type at a path ("Patient.contact" → "Patient.contact", "Patient.birthDate" → "date"); undefined if unknown or ambiguous. */
export function typeOf(path: string): string | undefined {
  if (!path.includes('.')) return isKnownType(path) ? path : undefined;
  return resolvePath(path)?.type;
}

/** The element at a path ("Patient.name.given"), or undefined. */
export function elementAt(path: string): ElementInfo | undefined {
  return resolvePath(path)?.element;
}
