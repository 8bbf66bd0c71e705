/**
 * What the terminology operations ($expand, $lookup, $validate-code: expand.ts, lookup.ts,
 * validate-code.ts) need from a terminology: code systems and value sets by canonical url or id, the
 * concepts of a code system, and the expansion of a value set, paged and filtered by the provider (which
 * may read large code systems from a database). The engine knows no code system; the application
 * passes its Terminology to the operation factories.
 */
import type { Coding, ParametersParameter, ValueSet } from 'fhir/r4.js';
import type { RequestContext } from '../types.js';
import type { OperationRequest } from '../operations.js';
import { parameterValue } from '../operations.js';
import { badRequest } from '../outcome.js';

export interface Designation {
  /** BCP-47 language code, e.g. fr. */
  language?: string;
  use?: Coding;
  value: string;
}

export interface Concept {
  code: string;
  display?: string;
  designation?: Designation[];
}

export interface SystemConcept extends Concept {
  system: string;
}

export interface CodeSystemInfo {
  /** Canonical url. */
  url: string;
  id: string;
  name?: string;
  version?: string;
}

export interface ExpandOptions {
  /** Text the codes or displays must contain (the provider decides how it matches). */
  filter?: string;
  offset: number;
  count: number;
}

export interface Expansion {
  /** Codes in the whole expansion (with the filter), whatever the page. */
  total: number;
  contains: SystemConcept[];
}

/** Lookups name a code system or value set by canonical url (any variant the provider accepts) or by id. */
export interface ArtifactRef {
  url?: string;
  id?: string;
}

export interface Terminology {
  /** The code system, or undefined when unknown; throws a FhirError (403) when the caller may not use it. */
  codeSystem(ref: ArtifactRef, ctx: RequestContext): Promise<CodeSystemInfo | undefined>;
  /** The value set, or undefined when unknown; throws a FhirError (403) when the caller may not use it. */
  valueSet(ref: ArtifactRef, ctx: RequestContext): Promise<ValueSet | undefined>;
  /** The concept of a code system, or undefined when it has no such code. */
  lookup(system: CodeSystemInfo, code: string, ctx: RequestContext): Promise<Concept | undefined>;
  /** A page of the value set's expansion; throws a FhirError when it cannot be expanded. */
  expand(valueSet: ValueSet, options: ExpandOptions, ctx: RequestContext): Promise<Expansion>;
  /** The value set's concept for system|code (system undefined: in any of its systems), or undefined. */
  member(valueSet: ValueSet, system: string | undefined, code: string, ctx: RequestContext): Promise<SystemConcept | undefined>;
}

/** Expansions are paged: a client that asks for no count gets at most this many codes (and the total). */
export const MAX_EXPANSION = 1000;

/** A text input parameter, whatever value[x] it came as (GET gives strings). */
export function textParam(req: OperationRequest, name: string): string | undefined {
  const value = parameterValue(req.parameters, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw badRequest(`Parameter ${name} must be a primitive value`);
  }
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

export function integerParam(req: OperationRequest, name: string, min = 0): number | undefined {
  const text = textParam(req, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw badRequest(`Parameter ${name} must be an integer of at least ${min}, not "${text}"`);
  }
  return Number(text);
}

export function booleanParam(req: OperationRequest, name: string): boolean | undefined {
  const text = textParam(req, name);
  if (text === undefined) return undefined;
  if (text !== 'true' && text !== 'false') throw badRequest(`Parameter ${name} must be true or false, not "${text}"`);
  return text === 'true';
}

/** A Coding parameter (POSTed as valueCoding). */
export function codingParam(req: OperationRequest, name: string): Coding | undefined {
  const value = parameterValue(req.parameters, name);
  if (value === undefined) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badRequest(`Parameter ${name} must be a Coding`);
  return value as Coding;
}

/** The display in a language: the designation of that language when there is one, else the display. */
export function displayIn(concept: Concept, language: string | undefined): string | undefined {
  if (!language) return concept.display;
  const base = language.toLowerCase().split('-')[0];
  const match = concept.designation?.find((d) => d.language && d.language.toLowerCase().split('-')[0] === base);
  return match?.value ?? concept.display;
}

export const part = (name: string, value: Omit<ParametersParameter, 'name'>): ParametersParameter => ({ name, ...value });
