/**
 * Turns parsed search parameters into WHERE clauses on a query whose main table is aliased `t`:
 * simple parameters (match.ts), hops to other tables (via.ts), references, chains and `_has`.
 */
import type { Knex } from 'knex';
import type { AnyResourceDefinition, RequestContext, SearchParamDecl } from '../types.js';
import type { ParsedParam } from './parse.js';
import { parseDateValue } from './dates.js';
import { isUuid } from '../ids.js';
import { whereCurrent } from '../store.js';
import { viaExists, viaIn, viaRows } from './via.js';
import { dateMatch, numberMatch, periodMatch, quantityMatch, stringMatch, tokenMatch, tokensAbsent, uriMatch, type SqlContext } from './match.js';

export type { SqlContext };
type Where = Knex.QueryBuilder;
type Simple = Extract<ParsedParam, { kind: 'simple' }>;
type ReferenceDecl = Extract<SearchParamDecl, { type: 'reference' }>;

/** Current rows of a resource's table, aliased `t`, narrowed to what the caller may see. */
export function currentRows(def: AnyResourceDefinition, ctx: SqlContext, qb: Where = ctx.db(`${def.table.name} as t`)): Where {
  whereCurrent(qb, def.table);
  if (def.scope && ctx.caller) def.scope(qb, ctx as RequestContext);
  return qb;
}

export function applySearch(qb: Where, params: ParsedParam[], ctx: SqlContext): Where {
  for (const param of params) qb.where((w) => applyOne(w, param, ctx));
  return qb;
}

function applyOne(w: Where, param: ParsedParam, ctx: SqlContext) {
  switch (param.kind) {
    case 'simple':
      return applySimple(w, param, ctx);
    case 'chain': {
      // The subquery aliases its table `t` too: inside it, `t` is the target.
      const target = param.target;
      const sub = applySearch(currentRows(target, ctx).select(`t.${target.table.pk}`), [param.inner], ctx);
      return holdsKeyIn(w, param.decl, sub, ctx);
    }
    case 'has': {
      const mainDef = ctx.resolve(param.decl.target, param.decl.targetSource)!;
      return w.whereIn(`t.${mainDef.table.pk}`, referencedKeys(param.source, param.decl, (q) => applySearch(q, [param.inner], ctx), ctx));
    }
    case 'any':
      for (const branch of param.params) w.orWhere((one) => applyOne(one, branch, ctx));
      return;
  }
}

/** The parameter's hop for whole-parameter matches; tokens carry theirs per column. */
const hopOf = (decl: SearchParamDecl) => (decl.type === 'token' ? undefined : decl.via);

function applySimple(w: Where, param: Simple, ctx: SqlContext) {
  const { decl } = param;
  if (param.modifier === 'missing') return missing(w, decl, param.values[0] === 'true', ctx);
  const anyValue = (q: Where) => {
    // One value needs no group of its own: the parameter's group holds it (each group costs a compile).
    if (param.values.length === 1) return void matchOne(q, param, param.values[0], ctx);
    for (const value of param.values) q.orWhere((one) => matchOne(one, param, value, ctx));
  };
  const via = hopOf(decl);
  return via ? viaIn(w, ctx.db, via, anyValue) : anyValue(w);
}

type TokenDecl = Extract<SearchParamDecl, { type: 'token' }>;
/** A token parameter's columns, each with the parameter's hop unless it has its own. */
const tokensByDecl = new WeakMap<TokenDecl, TokenDecl['tokens']>();

/**
 * Made once per declaration (search parameters are data that never change): copied on every
 * search, the columns came out in new shapes each time, and reading them missed V8's inline caches.
 */
function tokensOf(decl: TokenDecl): TokenDecl['tokens'] {
  let tokens = tokensByDecl.get(decl);
  if (!tokens) tokensByDecl.set(decl, (tokens = decl.tokens.map((token) => ({ ...token, via: token.via ?? decl.via }))));
  return tokens;
}

function matchOne(w: Where, param: Simple, value: string, ctx: SqlContext) {
  const { db, dialect } = ctx;
  const decl = param.decl;
  const now = ctx.now?.() ?? new Date();
  switch (decl.type) {
    case 'string':
      return stringMatch(w, decl.columns, param.modifier, value, db, dialect);
    case 'token': {
      const tokens = tokensOf(decl);
      if (param.modifier === 'not') {
        return w.whereNot((n) => tokenMatch(n, tokens, value, ctx, { negated: true })).orWhere((n) => tokensAbsent(n, tokens, ctx));
      }
      return tokenMatch(w, tokens, value, ctx, { text: param.modifier === 'text' });
    }
    case 'date': {
      const range = parseDateValue(value, decl.code);
      const precision = decl.precision === 'day' && decl.daysAsTimestamps ? 'day-timestamp' : decl.precision;
      if (decl.endColumn) return periodMatch(w, decl.column, decl.endColumn, precision, range, now);
      return dateMatch(w, decl.column, precision, range, now);
    }
    case 'number':
      return numberMatch(w, decl.column, value, decl.code, db);
    case 'quantity':
      return quantityMatch(w, decl.column, typeof decl.unit === 'function' ? decl.unit(ctx as RequestContext) : decl.unit, value, decl.code, db);
    case 'uri':
      return uriMatch(w, decl.column, param.modifier, value, ctx);
    case 'reference':
      return referenceMatch(w, decl, param.modifier, value, ctx);
  }
}

/** Columns whose values make the element present; a hop's columns are present when a row has them. */
function missing(w: Where, decl: SearchParamDecl, isMissing: boolean, ctx: SqlContext) {
  if (decl.type === 'reference' && decl.constant !== undefined) return isMissing ? w.whereRaw('1 = 0') : w;
  if (decl.type === 'token') {
    const tokens = tokensOf(decl);
    if (isMissing) return tokensAbsent(w, tokens, ctx);
    return w.where((any) => {
      for (const token of tokens) {
        if (token.via) any.orWhere((q) => viaIn(q, ctx.db, token.via!, (v) => v.whereNotNull(token.column)));
        else any.orWhereNotNull(token.column);
      }
    });
  }
  const columns = decl.type === 'string' ? decl.columns : decl.type === 'date' && decl.endColumn ? [decl.column, decl.endColumn] : [decl.column!];
  const present = (q: Where) => columns.forEach((c) => q.orWhereNotNull(c));
  const via = decl.via;
  if (via) return isMissing ? viaExists(w, ctx.db, via, present, true) : viaIn(w, ctx.db, via, present);
  if (isMissing) for (const c of columns) w.whereNull(c);
  else w.where(present);
}

/** Rows whose reference (through its hop, if any) holds one of the keys (a list or a subquery). */
export function holdsKeyIn(w: Where, decl: ReferenceDecl, keys: Where | (string | number)[], ctx: SqlContext) {
  if (decl.constant !== undefined) return w.whereRaw('1 = 0');
  const column = decl.column;
  return decl.via ? viaIn(w, ctx.db, decl.via, (v) => v.whereIn(column, keys)) : w.whereIn(column, keys);
}

/**
 * The target keys a source's current, visible rows reference through `decl`, among the source rows
 * `narrow` keeps (`_has`, `_include` of a hop).
 */
export function referencedKeys(source: AnyResourceDefinition, decl: ReferenceDecl, narrow: (q: Where) => Where, ctx: SqlContext): Where {
  const via = decl.via;
  if (!via) return narrow(currentRows(source, ctx).select(decl.column!));
  return viaRows(ctx.db, via).select(decl.column!).whereIn(`v.${via.key}`, narrow(currentRows(source, ctx).select(via.from)));
}

/** A reference value: "Type/id", a bare id or an absolute URL ending in Type/id. */
export function parseReference(value: string, target: string): { type: string; id: string } | undefined {
  const match = /(?:^|\/)([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(value);
  const [type, id] = match ? [match[1], match[2]] : [target, value];
  return type === target && /^[A-Za-z0-9\-.]{1,64}$/.test(id) ? { type, id } : undefined;
}

function referenceMatch(w: Where, decl: ReferenceDecl, modifier: string | undefined, value: string, ctx: SqlContext) {
  const ref = parseReference(value, decl.target);
  if (decl.constant !== undefined) return ref?.id === decl.constant ? w : w.whereRaw('1 = 0');
  const target = ref && ctx.resolve(decl.target, decl.targetSource);
  if (!ref || !target) return w.whereRaw('1 = 0');
  // UUIDs are stored lower case; comparing the column itself keeps its index usable.
  const sub = ctx.db(`${target.table.name} as t`).select(`t.${target.table.pk}`);
  if (isUuid(ref.id)) sub.where(`t.${target.table.uuid}`, ref.id.toLowerCase());
  else if (target.codeColumn) whereCurrent(sub.where(`t.${target.codeColumn}`, ref.id), target.table);
  else return w.whereRaw('1 = 0');
  if (modifier === 'below' || modifier === 'above') return hierarchyMatch(w, decl, target, sub, modifier, ctx);
  w.whereIn(decl.column, sub);
}

/**
 * `:below` / `:above` on a reference to the parent of the same type (Location.partOf), bounded by the
 * declared depth: one nested IN per level, no recursion, so every engine plans it alike.
 * below: the parent is the value, or the parent's parent, …; above: the value's parent, its parent, ….
 */
function hierarchyMatch(w: Where, decl: ReferenceDecl, target: AnyResourceDefinition, value: Where, modifier: 'below' | 'above', ctx: SqlContext) {
  const depth = decl.hierarchyDepth ?? 1;
  const parent = decl.column!.replace(/^t\./, '');
  const pk = target.table.pk;
  const level = (keys: Where) =>
    modifier === 'below'
      ? whereCurrent(ctx.db(`${target.table.name} as t`).select(`t.${pk}`).whereIn(`t.${parent}`, keys), target.table)
      : ctx.db(`${target.table.name} as t`).select(`t.${parent}`).whereIn(`t.${pk}`, keys);
  w.where((any) => {
    if (modifier === 'below') {
      // Rows whose parent is the value or one of its descendants down to depth - 1.
      let keys = value;
      for (let i = 0; i < depth; i++) {
        any.orWhereIn(decl.column!, keys);
        keys = level(keys);
      }
    } else {
      // Rows that are the value's parent, grandparent, … up to depth.
      let keys = level(value);
      for (let i = 0; i < depth; i++) {
        any.orWhereIn(`t.${pk}`, keys);
        keys = level(keys);
      }
    }
  });
}
