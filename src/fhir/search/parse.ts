/**
 * Parses a FHIR search query (http://hl7.org/fhir/R4/search.html) into a SearchRequest against the
 * parameters a resource declares. Repeated parameters AND together; comma-separated values OR.
 */
import type { SearchParamDecl } from '../types.js';
import { badRequest } from '../outcome.js';
import { decodeCursor, type Cursor } from './paging.js';

export type Query = Record<string, string | string[] | undefined>;

export interface ParsedParam {
  decl: SearchParamDecl;
  modifier?: string;
  values: string[];
}

export interface SearchRequest {
  params: ParsedParam[];
  count: number;
  offset: number;
  cursor?: Cursor;
  total: 'none' | 'estimate' | 'accurate';
  /** Names that were not understood (ignored unless handling=strict). */
  unknown: string[];
}

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;

const MODIFIERS: Record<SearchParamDecl['type'], string[]> = {
  string: ['exact', 'contains', 'missing'],
  token: ['not', 'missing'],
  date: ['missing'],
  number: ['missing'],
  reference: ['missing'],
};

/** Result parameters handled by the engine itself, and legacy openIMIS paging names. */
const CONTROL = new Set(['_count', '_total', '_cursor', '_offset', 'page-offset', '_format', '_pretty']);

export function parseSearch(query: Query, declared: SearchParamDecl[], strict: boolean): SearchRequest {
  const byCode = new Map(declared.map((d) => [d.code, d]));
  const request: SearchRequest = { params: [], count: DEFAULT_COUNT, offset: 0, total: 'none', unknown: [] };

  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const occurrences = Array.isArray(raw) ? raw : [raw];
    if (CONTROL.has(name)) {
      applyControl(request, name, occurrences[occurrences.length - 1]);
      continue;
    }
    const [code, modifier] = splitModifier(name);
    const decl = byCode.get(code);
    if (!decl || (modifier !== undefined && !MODIFIERS[decl.type].includes(modifier))) {
      if (strict) {
        throw badRequest(
          decl ? `Modifier :${modifier} is not supported on ${code}` : `Unknown search parameter "${name}"`,
        );
      }
      request.unknown.push(name);
      continue;
    }
    for (const occurrence of occurrences) {
      const values = splitValues(occurrence);
      if (values.length === 0 || values.some((v) => v === '')) {
        throw badRequest(`Search parameter ${name} has an empty value`);
      }
      if (modifier === 'missing' && !values.every((v) => v === 'true' || v === 'false')) {
        throw badRequest(`${name} takes true or false`);
      }
      request.params.push({ decl, modifier, values });
    }
  }
  return request;
}

function applyControl(request: SearchRequest, name: string, value: string) {
  switch (name) {
    case '_count': {
      const count = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(count)) throw badRequest(`_count must be a non-negative integer`);
      request.count = Math.min(count, MAX_COUNT);
      return;
    }
    case '_total':
      if (value !== 'none' && value !== 'estimate' && value !== 'accurate') {
        throw badRequest('_total must be none, estimate or accurate');
      }
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
