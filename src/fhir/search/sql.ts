/**
 * Turns parsed search parameters into WHERE clauses on a query whose main table is aliased `t`.
 * Every value is bound, never spliced into SQL; LIKE wildcards in user input are escaped.
 */
import type { Knex } from 'knex';
import type { Dialect } from '../../db/dialect/index.js';
import { escapeLike } from '../../db/dialect/index.js';
import type { AnyResourceDefinition, RequestContext, SearchParamDecl, TokenColumn } from '../types.js';
import { badRequest } from '../outcome.js';
import { splitToken, type ParsedParam } from './parse.js';
import { parseDateValue, dayOf, splitPrefix, type DateRange } from './dates.js';
import { isUuid } from '../ids.js';

type Where = Knex.QueryBuilder;
type Simple = Extract<ParsedParam, { kind: 'simple' }>;
export type SqlContext = Pick<RequestContext, 'db' | 'dialect' | 'resolve'> & Partial<RequestContext>;

/** Current rows of a resource's table, aliased `t`, narrowed to what the caller may see. */
export function currentRows(def: AnyResourceDefinition, ctx: SqlContext, qb: Where = ctx.db(`${def.table.name} as t`)): Where {
  qb.whereNull(`t.${def.table.validityTo}`);
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
      if (param.modifier === 'missing') return missing(w, param.decl, param.values[0] === 'true');
      for (const value of param.values) w.orWhere((one) => matchOne(one, param, value, ctx));
      return;
    case 'chain': {
      // The subquery aliases its table `t` too: inside it, `t` is the target.
      const target = param.target;
      const sub = currentRows(target, ctx).select(`t.${target.table.pk}`);
      return w.whereIn(param.decl.column, applySearch(sub, [param.inner], ctx));
    }
    case 'has': {
      const sub = currentRows(param.source, ctx).select(param.decl.column);
      const mainDef = ctx.resolve(param.decl.target, param.decl.targetSource)!;
      return w.whereIn(`t.${mainDef.table.pk}`, applySearch(sub, [param.inner], ctx));
    }
    case 'any':
      for (const branch of param.params) w.orWhere((one) => applyOne(one, branch, ctx));
      return;
  }
}

function matchOne(w: Where, param: Simple, value: string, ctx: SqlContext) {
  const { db, dialect } = ctx;
  const decl = param.decl;
  switch (decl.type) {
    case 'string':
      return stringMatch(w, decl.columns, param.modifier, value, db, dialect);
    case 'token':
      return param.modifier === 'not'
        ? w.whereNot((n) => tokenMatch(n, decl.tokens, value, db, dialect)).orWhere((n) => allNull(n, decl.tokens))
        : tokenMatch(w, decl.tokens, value, db, dialect);
    case 'date':
      return dateMatch(w, decl.column, decl.precision, parseDateValue(value, decl.code));
    case 'number':
      return numberMatch(w, decl.column, value, decl.code, db);
    case 'reference':
      return referenceMatch(w, decl, value, ctx);
  }
}

function missing(w: Where, decl: SearchParamDecl, isMissing: boolean) {
  const columns =
    decl.type === 'string' ? decl.columns : decl.type === 'token' ? decl.tokens.map((t) => t.column) : [decl.column];
  if (isMissing) for (const c of columns) w.whereNull(c);
  else w.where((any) => columns.forEach((c) => any.orWhereNotNull(c)));
}

function stringMatch(w: Where, columns: string[], modifier: string | undefined, value: string, db: Knex, dialect: Dialect) {
  for (const column of columns) {
    if (modifier === 'exact') w.orWhere(dialect.equalsSensitive(db, column, value));
    else if (modifier === 'contains') w.orWhere(dialect.likeInsensitive(db, column, `%${escapeLike(value)}%`));
    else w.orWhere(dialect.likeInsensitive(db, column, `${escapeLike(value)}%`));
  }
}

function tokenMatch(w: Where, tokens: TokenColumn[], value: string, db: Knex, dialect: Dialect) {
  const { system, code } = splitToken(value);
  let matchedAny = false;
  for (const token of tokens) {
    // "|code" asks for codes without a system; "s|code" for that system; "code" for any system.
    if (system !== undefined && (token.system ?? '') !== system) continue;
    if (code === undefined) {
      w.orWhereNotNull(token.column);
      matchedAny = true;
      continue;
    }
    const legacy = token.codes ? token.codes[code] : code;
    if (legacy === undefined) continue;
    // UUID columns: a value that is no UUID cannot match, and SQL Server would fail to convert it.
    const values = (Array.isArray(legacy) ? legacy : [legacy])
      .filter((v) => !token.lowerCase || (typeof v === 'string' && isUuid(v)))
      .map((v) => (token.lowerCase && typeof v === 'string' ? v.toLowerCase() : v));
    if (values.length === 0) continue;
    for (const v of values) {
      if (token.caseInsensitive && typeof v === 'string') w.orWhere(dialect.equalsInsensitive(db, token.column, v));
      else w.orWhere(token.column, v);
    }
    matchedAny = true;
  }
  // A code no column can hold matches nothing, rather than everything.
  if (!matchedAny) w.whereRaw('1 = 0');
}

function allNull(w: Where, tokens: TokenColumn[]) {
  for (const t of tokens) w.whereNull(t.column);
}

function dateMatch(w: Where, column: string, precision: 'day' | 'instant', range: DateRange) {
  // Date columns compare as 'YYYY-MM-DD' text on every engine; instants compare as timestamps.
  const lo = precision === 'day' ? dayOf(range.start) : range.start;
  const hi = precision === 'day' ? dayOf(range.end) : range.end;
  switch (range.prefix) {
    case 'eq':
      return w.where(column, '>=', lo).where(column, '<', hi);
    case 'ne':
      return w.where((n) => n.where(column, '<', lo).orWhere(column, '>=', hi));
    case 'gt':
    case 'sa':
      return w.where(column, '>=', hi);
    case 'ge':
      return w.where(column, '>=', lo);
    case 'lt':
    case 'eb':
      return w.where(column, '<', lo);
    case 'le':
      return w.where(column, '<', hi);
    case 'ap': {
      // Approximately: within 10 % of the distance between the value and now, at least a day.
      const now = Date.now();
      const slack = Math.max(Math.abs(now - range.start.getTime()) * 0.1, 86_400_000);
      const from = new Date(range.start.getTime() - slack);
      const to = new Date(range.end.getTime() + slack);
      return w
        .where(column, '>=', precision === 'day' ? dayOf(from) : from)
        .where(column, '<', precision === 'day' ? dayOf(to) : to);
    }
  }
}

function numberMatch(w: Where, column: string, raw: string, code: string, db: Knex) {
  const [prefix, text] = splitPrefix(raw);
  if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) throw badRequest(`${code}: "${raw}" is not a number`);
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) > 1e15) throw badRequest(`${code}: "${raw}" is out of range`);
  // eq matches the implicit precision of the value: 100 means [99.5, 100.5).
  const decimals = (text.split('.')[1] ?? '').replace(/[eE].*$/, '').length;
  const half = 0.5 * 10 ** -decimals;
  // Bound as decimals, so that 2.5 compares with an integer column instead of failing to cast.
  const n = (v: number) => db.raw('cast(? as decimal(38, 10))', [v]);
  switch (prefix) {
    case 'eq':
      return w.where(column, '>=', n(value - half)).where(column, '<', n(value + half));
    case 'ne':
      return w.where((x) => x.where(column, '<', n(value - half)).orWhere(column, '>=', n(value + half)));
    case 'gt':
    case 'sa':
      return w.where(column, '>', n(value));
    case 'ge':
      return w.where(column, '>=', n(value));
    case 'lt':
    case 'eb':
      return w.where(column, '<', n(value));
    case 'le':
      return w.where(column, '<=', n(value));
    case 'ap':
      return w.where(column, '>=', n(value - Math.abs(value) * 0.1)).where(column, '<=', n(value + Math.abs(value) * 0.1));
  }
}

function referenceMatch(w: Where, decl: Extract<SearchParamDecl, { type: 'reference' }>, value: string, ctx: SqlContext) {
  // Accepts "Type/id", a bare id and an absolute URL ending in Type/id.
  const match = /(?:^|\/)([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(value);
  const [type, id] = match ? [match[1], match[2]] : [decl.target, value];
  if (type !== decl.target || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) return w.whereRaw('1 = 0');
  const target = ctx.resolve(decl.target, decl.targetSource);
  if (!target) return w.whereRaw('1 = 0');
  // UUIDs are stored lower case; comparing the column itself keeps its index usable.
  const sub = ctx.db(target.table.name).select(target.table.pk);
  if (isUuid(id)) sub.where(target.table.uuid, id.toLowerCase());
  else if (target.codeColumn) sub.where(target.codeColumn, id).whereNull(target.table.validityTo);
  else return w.whereRaw('1 = 0');
  w.whereIn(decl.column, sub);
}
