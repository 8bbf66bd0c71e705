/**
 * Parses a FHIR search query (http://hl7.org/fhir/R4/search.html) against the parameters the
 * resources declare. Repeated parameters AND together; comma-separated values OR. Chains
 * (`patient.name=x`, `patient:identifier=x`), reverse chains (`_has:Claim:patient:status=x`),
 * `_include` / `_revinclude` and `_sort` are resolved here, so the SQL layer only builds queries.
 */
import type { AnyResourceDefinition, SearchParamDecl } from '../types.js';
import { badRequest } from '../outcome.js';
import { decodeCursor, type Cursor } from './paging.js';
import { implicitParams } from './implicit.js';

export type Query = Record<string, string | string[] | undefined>;
export type Resolve = (type: string, source?: string) => AnyResourceDefinition | undefined;
/** The single-table definitions of a type: one, or each of its sources. */
export type Sources = (type: string) => AnyResourceDefinition[];
type ReferenceDecl = Extract<SearchParamDecl, { type: 'reference' }>;

export type ParsedParam =
  | { kind: 'simple'; decl: SearchParamDecl; modifier?: string; values: string[] }
  /** Rows whose reference points at a target row matching `inner`. */
  | { kind: 'chain'; decl: ReferenceDecl; target: AnyResourceDefinition; inner: ParsedParam }
  /** Rows referenced by a `source` row (through `decl`) that matches `inner`. */
  | { kind: 'has'; source: AnyResourceDefinition; decl: ReferenceDecl; inner: ParsedParam }
  /** Any of these holds: _has over a type with several sources, one branch per source. */
  | { kind: 'any'; params: ParsedParam[] };

export interface IncludeSpec {
  reverse: boolean;
  /** The resource type holding the reference. */
  source: AnyResourceDefinition;
  decl: ReferenceDecl;
  iterate: boolean;
}

export interface SortSpec {
  code: string;
  column: string;
  descending: boolean;
}

export interface SearchRequest {
  params: ParsedParam[];
  includes: IncludeSpec[];
  sort: SortSpec[];
  count: number;
  offset: number;
  cursor?: Cursor;
  total: 'none' | 'estimate' | 'accurate';
  summary?: 'true' | 'text' | 'data' | 'count' | 'false';
  elements?: string[];
  /** Names that were not understood (ignored unless handling=strict). */
  unknown: string[];
}

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;
const MAX_CHAIN_SUBQUERIES = 8;

/** The modifiers a parameter supports (reference modifiers that name a type or chain are parsed apart). */
export function modifiersOf(decl: SearchParamDecl): string[] {
  switch (decl.type) {
    case 'string':
      return ['exact', 'contains', 'missing'];
    case 'token':
      return ['not', 'missing', ...(decl.tokens.some((t) => t.display || t.displays) ? ['text'] : [])];
    case 'uri':
      return ['below', 'above', 'missing'];
    case 'reference':
      return ['missing', ...(decl.hierarchyDepth ? ['below', 'above'] : []), ...(decl.constant === undefined ? ['identifier'] : [])];
    default:
      return ['missing'];
  }
}

/** Result parameters handled by the engine itself, and legacy openIMIS paging names. */
const CONTROL = new Set(['_count', '_total', '_cursor', '_offset', 'page-offset', '_format', '_pretty', '_sort', '_summary', '_elements']);

export const paramsOf = (def: AnyResourceDefinition): SearchParamDecl[] => [...implicitParams(def.table), ...def.searchParams];

function findParam(def: AnyResourceDefinition, code: string): SearchParamDecl | undefined {
  return paramsOf(def).find((p) => p.code === code);
}

export function parseSearch(
  query: Query,
  def: AnyResourceDefinition,
  resolve: Resolve,
  strict: boolean,
  sources: Sources = (type) => [resolve(type)].filter((d): d is AnyResourceDefinition => d !== undefined),
): SearchRequest {
  const request: SearchRequest = { params: [], includes: [], sort: [], count: DEFAULT_COUNT, offset: 0, total: 'none', unknown: [] };
  const refuse = (name: string, why: string) => {
    if (strict) throw badRequest(why);
    request.unknown.push(name);
  };
  let subqueries = 0;

  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const occurrences = Array.isArray(raw) ? raw : [raw];
    if (CONTROL.has(name)) {
      applyControl(request, name, occurrences[occurrences.length - 1], def);
      continue;
    }
    if (name === '_include' || name === '_revinclude' || name.startsWith('_include:') || name.startsWith('_revinclude:')) {
      for (const value of occurrences) {
        const specs = parseInclude(name, value, def, resolve, sources);
        if (specs.length) request.includes.push(...specs);
        else refuse(name, `${name}=${value} names no reference search parameter`);
      }
      continue;
    }
    for (const occurrence of occurrences) {
      const parsed = parseParam(name, occurrence, def, resolve, sources);
      if (typeof parsed === 'string') {
        refuse(name, parsed);
        break;
      }
      if (parsed.kind !== 'simple' && ++subqueries > MAX_CHAIN_SUBQUERIES) {
        throw badRequest(`At most ${MAX_CHAIN_SUBQUERIES} chained or _has parameters per search`);
      }
      request.params.push(parsed);
    }
  }
  return request;
}

/** Returns the parsed parameter, or a message saying why the name is not understood. */
function parseParam(name: string, value: string, def: AnyResourceDefinition, resolve: Resolve, sources: Sources): ParsedParam | string {
  if (name.startsWith('_has:')) return parseHas(name, value, def, resolve, sources);
  const dot = name.indexOf('.');
  if (dot > 0) {
    const [head, typeModifier] = splitModifier(name.slice(0, dot));
    const decl = findParam(def, head);
    if (decl?.type !== 'reference') return `Unknown chained search parameter "${name}"`;
    if (decl.constant !== undefined) return `${head} always references ${decl.target}/${decl.constant}: it has no chain`;
    if (typeModifier !== undefined && typeModifier !== decl.target) return `${head} does not reference ${typeModifier}`;
    const target = resolve(decl.target, decl.targetSource);
    if (!target) return `${decl.target} is not served here`;
    const inner = parseParam(name.slice(dot + 1), value, target, resolve, sources);
    if (typeof inner === 'string') return inner;
    if (inner.kind !== 'simple') return 'Chains are supported one level deep';
    return { kind: 'chain', decl, target, inner };
  }
  const [code, modifier] = splitModifier(name);
  const decl = findParam(def, code);
  if (!decl) return `Unknown search parameter "${name}"`;
  if (decl.type === 'reference' && modifier !== undefined && !modifiersOf(decl).includes(modifier)) {
    // patient:identifier=x is a chain on the target's identifier; patient:Patient=x names the type.
    if (modifier === decl.target) return simple(decl, undefined, value, name);
    if (/^[A-Z][A-Za-z]+$/.test(modifier)) return `${code} does not reference ${modifier}`;
  }
  // An unsupported modifier is refused, not ignored: ignoring it would widen the search.
  if (modifier !== undefined && !modifiersOf(decl).includes(modifier)) throw badRequest(`Modifier :${modifier} is not supported on ${code} (${decl.type})`);
  if (decl.type === 'reference' && modifier === 'identifier') {
    const target = resolve(decl.target, decl.targetSource);
    if (!target) return `${decl.target} is not served here`;
    const identifierDecl = findParam(target, 'identifier');
    if (!identifierDecl) return `${decl.target} has no identifier`;
    return { kind: 'chain', decl, target, inner: simple(identifierDecl, undefined, value, name) };
  }
  return simple(decl, modifier, value, name);
}

function simple(decl: SearchParamDecl, modifier: string | undefined, value: string, name: string): ParsedParam {
  const values = splitValues(value);
  if (values.length === 0 || values.some((v) => v === '')) throw badRequest(`Search parameter ${name} has an empty value`);
  if (modifier === 'missing' && !values.every((v) => v === 'true' || v === 'false')) throw badRequest(`${name} takes true or false`);
  return { kind: 'simple', decl, modifier, values };
}

/**
 * _has:Claim:patient:status=x — Claims whose `patient` points here and whose status is x. A referring
 * type with several sources gives one branch per source whose reference points into this table.
 */
function parseHas(name: string, value: string, def: AnyResourceDefinition, resolve: Resolve, sources: Sources): ParsedParam | string {
  const [, type, refCode, ...rest] = name.split(':');
  const referring = type ? sources(type) : [];
  if (!referring.length) return `_has: ${type} is not served here`;
  if (rest.length === 0) return '_has needs a search parameter of the referring resource';
  const branches: ParsedParam[] = [];
  let why = `_has: ${type}.${refCode} does not reference ${def.type}`;
  for (const source of referring) {
    const decl = findParam(source, refCode ?? '');
    if (decl?.type !== 'reference' || decl.target !== def.type || (decl.targetSource ?? def.source) !== def.source) continue;
    if (decl.constant !== undefined) {
      why = `_has: ${type}.${refCode} references a configured ${def.type}, not searchable rows`;
      continue;
    }
    const inner = parseParam(rest.join(':'), value, source, resolve, sources);
    if (typeof inner === 'string') why = inner;
    else if (inner.kind !== 'simple') why = '_has is supported one level deep';
    else branches.push({ kind: 'has', source, decl, inner });
  }
  if (branches.length === 0) return why;
  return branches.length === 1 ? branches[0] : { kind: 'any', params: branches };
}

/**
 * _include=Claim:patient[:Patient], _revinclude=Claim:patient, with :iterate. A type with several
 * sources gives one spec per source that declares the parameter.
 */
function parseInclude(name: string, value: string, def: AnyResourceDefinition, resolve: Resolve, sources: Sources): IncludeSpec[] {
  const reverse = name.startsWith('_revinclude');
  const iterate = name.endsWith(':iterate') || name.endsWith(':recurse');
  const [type, code, targetType] = value.split(':');
  const specs: IncludeSpec[] = [];
  for (const source of sources(type)) {
    const decl = findParam(source, code ?? '');
    if (decl?.type !== 'reference') continue;
    if (targetType && targetType !== decl.target) continue;
    if (!iterate && !reverse && source.type !== def.type) continue;
    if (!iterate && reverse && decl.target !== def.type) continue;
    if (!resolve(decl.target, decl.targetSource)) continue;
    specs.push({ reverse, source, decl, iterate });
  }
  return specs;
}

function applyControl(request: SearchRequest, name: string, value: string, def: AnyResourceDefinition) {
  switch (name) {
    case '_count': {
      const count = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(count)) throw badRequest(`_count must be a non-negative integer`);
      request.count = Math.min(count, MAX_COUNT);
      return;
    }
    case '_total':
      if (value !== 'none' && value !== 'estimate' && value !== 'accurate') throw badRequest('_total must be none, estimate or accurate');
      request.total = value;
      return;
    case '_cursor':
      request.cursor = decodeCursor(value);
      return;
    case '_offset':
    case 'page-offset': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw badRequest(`${name} must be a non-negative integer`);
      // openIMIS clients send page-offset as a 1-based page number.
      request.offset = name === 'page-offset' ? Math.max(n - 1, 0) * request.count : n;
      return;
    }
    case '_sort':
      request.sort = value.split(',').filter(Boolean).map((item) => {
        const descending = item.startsWith('-');
        const code = descending ? item.slice(1) : item;
        const decl = findParam(def, code);
        if (!decl?.sortColumn) throw badRequest(`_sort: ${code} is not a sortable search parameter of ${def.type}`);
        return { code, column: decl.sortColumn, descending };
      });
      return;
    case '_summary':
      if (!['true', 'text', 'data', 'count', 'false'].includes(value)) throw badRequest('_summary must be true, text, data, count or false');
      request.summary = value as SearchRequest['summary'];
      if (value === 'count') request.count = 0;
      return;
    case '_elements':
      request.elements = value.split(',').map((e) => e.trim()).filter(Boolean);
      return;
  }
}

function splitModifier(name: string): [string, string | undefined] {
  const colon = name.indexOf(':');
  return colon < 0 ? [name, undefined] : [name.slice(0, colon), name.slice(colon + 1)];
}

/** Splits on commas that are not escaped with a backslash, and unescapes \, \| \$ \\. */
export function splitValues(raw: string): string[] {
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      current += raw[++i];
    } else if (c === ',') {
      values.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  values.push(current);
  return values;
}

/** Splits a token into system and code: "s|c", "|c" (no system), "s|" (any code), "c" (any system). */
export function splitToken(value: string): { system?: string; code?: string } {
  const bar = value.indexOf('|');
  if (bar < 0) return { code: value };
  return { system: value.slice(0, bar), code: value.slice(bar + 1) || undefined };
}
