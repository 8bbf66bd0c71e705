/**
 * One search value against a parameter's columns, per parameter type: WHERE clauses on a query whose
 * main table is `t` (or, inside a hop, `v`). Every value is bound, never spliced into SQL; LIKE
 * wildcards in user input are escaped.
 */
import type { Knex } from 'knex';
import type { Dialect } from '../../db/dialect/index.js';
import { escapeLike } from '../../db/dialect/index.js';
import type { RequestContext, TokenColumn } from '../types.js';
import { badRequest } from '../outcome.js';
import { splitToken } from './parse.js';
import { dayOf, splitPrefix, type DateRange } from './dates.js';
import { viaExists, viaIn } from './via.js';
import { isUuid } from '../ids.js';

type Where = Knex.QueryBuilder;
export type SqlContext = Pick<RequestContext, 'db' | 'dialect' | 'resolve'> & Partial<RequestContext>;

export function stringMatch(w: Where, columns: string[], modifier: string | undefined, value: string, db: Knex, dialect: Dialect) {
  for (const column of columns) {
    if (modifier === 'exact') w.orWhere(dialect.equalsSensitive(db, column, value));
    else if (modifier === 'contains') w.orWhere(dialect.likeInsensitive(db, column, `%${escapeLike(value)}%`));
    else w.orWhere(dialect.likeInsensitive(db, column, `${escapeLike(value)}%`));
  }
}

type Condition = (w: Where) => void;

/**
 * Any token column matching the value (OR). `text` matches display text instead of codes. `negated`:
 * the caller wraps this in NOT, so hops are written as EXISTS (NOT IN would drop rows without one).
 */
export function tokenMatch(w: Where, tokens: TokenColumn[], value: string, ctx: SqlContext, opts: { text?: boolean; negated?: boolean } = {}) {
  const matching = tokens.flatMap((token) => {
    const condition = opts.text ? textCondition(token, value, ctx) : codeCondition(token, value, ctx);
    return condition ? [{ token, condition }] : [];
  });
  // A code no column can hold matches nothing, rather than everything.
  if (matching.length === 0) return void w.whereRaw('1 = 0');
  // A single column's condition goes straight into the caller's group (each group costs a compile).
  if (matching.length === 1 && !matching[0].token.via) return void matching[0].condition(w);
  for (const { token, condition } of matching) {
    const via = token.via;
    if (!via) w.orWhere(condition);
    else if (opts.negated) w.orWhere((q) => viaExists(q, ctx.db, via, condition, false));
    else w.orWhere((q) => viaIn(q, ctx.db, via, condition));
  }
}

/** "|code" asks for codes without a system; "s|code" for that system; "code" for any system. */
function codeCondition(token: TokenColumn, value: string, ctx: SqlContext): Condition | undefined {
  const { system, code } = splitToken(value);
  if (system !== undefined && (token.system ?? '') !== system) return undefined;
  if (code === undefined) return (q) => q.whereNotNull(token.column);
  return codesCondition(token, [code], ctx);
}

function codesCondition(token: TokenColumn, codes: string[], ctx: SqlContext): Condition | undefined {
  if (token.conditions) {
    const built = codes.map((code) => token.conditions![code]).filter((c) => c !== undefined);
    if (built.length === 0) return undefined;
    return (q) => built.forEach((condition) => q.orWhere((one) => condition(one, ctx as RequestContext)));
  }
  const values = codes.flatMap((code) => {
    const legacy = token.codes ? token.codes[code] : code;
    if (legacy === undefined) return [];
    // UUID columns: a value that is no UUID cannot match, and SQL Server would fail to convert it.
    return (Array.isArray(legacy) ? legacy : [legacy])
      .filter((v) => !token.lowerCase || (typeof v === 'string' && isUuid(v)))
      .map((v) => (token.lowerCase && typeof v === 'string' ? v.toLowerCase() : v));
  });
  if (values.length === 0) return undefined;
  return (q) => {
    for (const v of values) {
      if (token.caseInsensitive && typeof v === 'string') q.orWhere(ctx.dialect.equalsInsensitive(ctx.db, token.column, v));
      else q.orWhere(token.column, v);
    }
  };
}

/** `:text`: the display starts with the value, or one of its words does (case-insensitive). */
function textCondition(token: TokenColumn, value: string, ctx: SqlContext): Condition | undefined {
  const wanted = value.trim().toLowerCase();
  const parts: Condition[] = [];
  if (token.display) {
    const column = token.display;
    const escaped = escapeLike(wanted);
    parts.push((q) => q.orWhere(ctx.dialect.likeInsensitive(ctx.db, column, `${escaped}%`)).orWhere(ctx.dialect.likeInsensitive(ctx.db, column, `% ${escaped}%`)));
  }
  if (token.displays) {
    // A word of the display starts with the value: "vill" finds "City/Village".
    const word = new RegExp(`(^|[^\\p{L}\\p{N}])${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'iu');
    const codes = Object.entries(token.displays)
      .filter(([, display]) => word.test(display))
      .map(([code]) => code);
    const byCode = codes.length ? codesCondition(token, codes, ctx) : undefined;
    if (byCode) parts.push((q) => q.orWhere(byCode));
  }
  if (parts.length === 0) return undefined;
  return (q) => parts.forEach((part) => part(q));
}

/** No token column holds a value (for `:not`, which also matches resources without the element). */
export function tokensAbsent(w: Where, tokens: TokenColumn[], ctx: SqlContext) {
  for (const token of tokens) {
    if (token.via) viaExists(w, ctx.db, token.via, (v) => v.whereNotNull(token.column), true);
    else w.whereNull(token.column);
  }
}

/** A date column as a point: the value's range [lo, hi) against the column's own day or instant. */
export function dateMatch(w: Where, column: string, precision: Precision, range: DateRange, now: Date) {
  const { lo, hi } = bounds(range, precision);
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
      const near = approximately(range, precision, now);
      return w.where(column, '>=', near.lo).where(column, '<', near.hi);
    }
  }
}

/**
 * A Period [start, end] against the value's range [lo, hi), following search.html#prefix on ranges;
 * a NULL start or end is open. The end column is inclusive at its precision: a day column's end
 * covers that whole day, so `end < hi` means the period ends within or before the value's range.
 *   eq  the value's range contains the period: start >= lo and end < hi          ne  not eq
 *   gt  the period reaches past the value's range: end >= hi or open
 *   lt  the period starts before the value's range: start < lo or open
 *   ge  the period reaches into [lo, ∞): end >= lo or open (gt or eq, and the periods that straddle lo)
 *   le  the period reaches into (-∞, hi): start < hi or open (lt or eq, and those that straddle hi)
 *   sa  starts after the value: start >= hi                       eb  ends before it: end < lo
 *   ap  the period overlaps the value widened by the ap margin
 * ge and le read "at or above the value" as the range from the value's start, as single dates do
 * (dateMatch): so `period=ge2024-06-01&period=le2024-06-01` finds the periods that include that day,
 * also those starting or ending on it.
 */
export function periodMatch(w: Where, start: string, end: string, precision: Precision, range: DateRange, now: Date) {
  const { lo, hi } = bounds(range, precision);
  const within = (q: Where) => q.whereNotNull(start).whereNotNull(end).where(start, '>=', lo).where(end, '<', hi);
  const endsFrom = (bound: unknown) => (q: Where) => q.whereNull(end).orWhere(end, '>=', bound as string);
  const startsBefore = (bound: unknown) => (q: Where) => q.whereNull(start).orWhere(start, '<', bound as string);
  switch (range.prefix) {
    case 'eq':
      return w.where(within);
    case 'ne':
      return w.whereNot(within);
    case 'gt':
      return w.where(endsFrom(hi));
    case 'ge':
      return w.where(endsFrom(lo));
    case 'lt':
      return w.where(startsBefore(lo));
    case 'le':
      return w.where(startsBefore(hi));
    case 'sa':
      return w.where(start, '>=', hi);
    case 'eb':
      return w.where(end, '<', lo);
    case 'ap': {
      const near = approximately(range, precision, now);
      return w.where(startsBefore(near.hi)).where(endsFrom(near.lo));
    }
  }
}

/** 'day' over date columns, 'day-timestamp' over timestamp columns holding days, 'instant'. */
export type Precision = 'day' | 'day-timestamp' | 'instant';

/**
 * Date columns compare as 'YYYY-MM-DD' text on every engine; instants compare as timestamps; days in
 * timestamp columns as the UTC midnights of those days.
 */
function bounds(range: { start: Date; end: Date }, precision: Precision): { lo: string | Date; hi: string | Date } {
  if (precision === 'instant') return { lo: range.start, hi: range.end };
  const lo = dayOf(range.start);
  const hi = dayOf(range.end);
  return precision === 'day' ? { lo, hi } : { lo: new Date(`${lo}T00:00:00Z`), hi: new Date(`${hi}T00:00:00Z`) };
}

/** Approximately: within 10 % of the distance between the value and now, at least a day. */
function approximately(range: DateRange, precision: Precision, now: Date) {
  const slack = Math.max(Math.abs(now.getTime() - range.start.getTime()) * 0.1, 86_400_000);
  return bounds({ start: new Date(range.start.getTime() - slack), end: new Date(range.end.getTime() + slack) }, precision);
}

/** `[prefix]number`; returns the prefix, the value and the half-width of its implicit precision. */
export function parseNumber(raw: string, code: string) {
  const [prefix, text] = splitPrefix(raw);
  if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) throw badRequest(`${code}: "${raw}" is not a number`);
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) > 1e15) throw badRequest(`${code}: "${raw}" is out of range`);
  // eq matches the implicit precision of the value: 100 means [99.5, 100.5).
  const decimals = (text.split('.')[1] ?? '').replace(/[eE].*$/, '').length;
  return { prefix, value, half: 0.5 * 10 ** -decimals };
}

export function numberMatch(w: Where, column: string, raw: string, code: string, db: Knex) {
  const { prefix, value, half } = parseNumber(raw, code);
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

/**
 * `[prefix]number|system|code`, `number||code` or `number`: the number as for number parameters; a
 * unit, when given, must be the column's (no unit conversion), else nothing matches.
 */
export function quantityMatch(w: Where, column: string, unit: { system: string; code: string } | undefined, raw: string, code: string, db: Knex) {
  const [number, system, unitCode, ...rest] = raw.split('|');
  if (rest.length) throw badRequest(`${code}: "${raw}" is not a quantity (number|system|code)`);
  const systemOk = !system || system === unit?.system;
  const codeOk = unitCode === undefined || unitCode === '' || unitCode === unit?.code;
  if (!systemOk || !codeOk) {
    parseNumber(number, code);
    return w.whereRaw('1 = 0');
  }
  return numberMatch(w, column, number, code, db);
}

/**
 * uri: exact by default; `:below` the URI and everything under it (by path segment); `:above` the URI
 * and every URI it lies under. Both are index-friendly: a prefix LIKE, or equality on the value's own
 * prefixes.
 */
export function uriMatch(w: Where, column: string, modifier: string | undefined, value: string, ctx: SqlContext) {
  const base = value.replace(/\/+$/, '');
  if (modifier === 'below') {
    return w.where((q) => q.whereIn(column, [...new Set([value, base])]).orWhere(ctx.dialect.likeSensitive(ctx.db, column, `${escapeLike(base)}/%`)));
  }
  if (modifier === 'above') {
    const prefixes: string[] = [];
    const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.exec(base)?.[0].length ?? 0;
    for (let i = base.indexOf('/', scheme); i > 0; i = base.indexOf('/', i + 1)) prefixes.push(base.slice(0, i), `${base.slice(0, i)}/`);
    return w.whereIn(column, [...new Set([...prefixes, base, value])]);
  }
  return w.where(column, value);
}
