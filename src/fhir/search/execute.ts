/**
 * Runs a parsed search: one query for the page (keyset-paged on the sort key plus the primary key),
 * one COUNT when a total is asked for, and one query per _include / _revinclude parameter.
 */
import type { Knex } from 'knex';
import type { AnyResourceDefinition, RequestContext, Row } from '../types.js';
import type { IncludeSpec, SearchRequest } from './parse.js';
import type { FhirResource as Resource } from 'fhir/r4.js';
import { applySearch, currentRows, holdsKeyIn, referencedKeys } from './sql.js';
import { encodeCursor, type Cursor } from './paging.js';
import { selectWhere } from '../statements.js';

export interface SearchPage {
  rows: Row[];
  total?: number;
  next?: string;
  previous?: string;
}

export interface SortKey {
  column: string;
  descending: boolean;
  /** Whether the column can hold NULL: its keyset then needs a null-flag key. */
  nullable: boolean;
  /**
   * The key's value is the same on every row of the query (one source of a type over several tables:
   * its index, or NULL for a sort column it lacks): compared with the cursor here, not in SQL.
   */
  constant?: { value: number | null };
}

/** Columns of the row a key value is read from: 't.DOB' → 'DOB'. */
export const rowKey = (column: string) => column.replace(/^t\./, '');

export async function searchRows(def: AnyResourceDefinition, ctx: RequestContext, request: SearchRequest): Promise<SearchPage> {
  const t = def.table;
  const filtered = (qb: Knex.QueryBuilder) => applySearch(currentRows(def, ctx, qb), request.params, ctx);
  const wantTotal = request.total !== 'none' || request.count === 0;
  const countQuery = async () => {
    if (request.total === 'estimate') {
      const estimate = await ctx.dialect.estimateCount(ctx.db, filtered(ctx.db(`${t.name} as t`)).select(`t.${t.pk}`));
      if (estimate !== undefined) return Math.round(estimate);
    }
    const row = await filtered(ctx.db(`${t.name} as t`)).count({ n: '*' }).first();
    return Number((row as { n?: unknown } | undefined)?.n ?? 0);
  };
  if (request.count === 0) return { rows: [], total: await countQuery() };

  const keys: SortKey[] = [
    ...request.sort.map((s) => ({ column: s.column, descending: s.descending, nullable: true })),
    { column: `t.${t.pk}`, descending: false, nullable: false },
  ];
  const cursor = request.cursor;
  const backwards = cursor?.direction === 'previous';
  // The select, row scope, order and page size are compiled once per shape; the conditions per search.
  const offset = cursor ? 0 : request.offset;
  const shape = `${request.count} ${offset} ${backwards ? 'previous' : 'next'} ${keys.map((k) => `${k.column} ${k.descending ? 'desc' : 'asc'}`).join(', ')}`;
  const base = (db: Knex) => {
    const query = currentRows(def, ctx, def.select(db)).limit(request.count + 1);
    orderBy(query, db, keys, backwards);
    if (offset) query.offset(offset);
    return query;
  };
  const conditions = (query: Knex.QueryBuilder) => {
    applySearch(query, request.params, ctx);
    if (cursor) keysetWhere(query, ctx.db, keys, cursor);
  };
  const pageRows = selectWhere(def, ctx, ctx.db, shape, base, conditions);
  const [fetched, total] = await Promise.all([pageRows, wantTotal ? countQuery() : undefined]);
  const hasMore = fetched.length > request.count;
  const rows: Row[] = fetched.slice(0, request.count);
  if (backwards) rows.reverse();

  const keyOf = (row: Row): Cursor['key'] =>
    keys.flatMap((k) => {
      const value = row[rowKey(k.column)];
      const plain = value instanceof Date ? value.toISOString() : (value as string | number | null);
      return k.nullable ? [plain === null || plain === undefined ? 1 : 0, plain ?? 0] : [plain as string | number];
    });
  const page: SearchPage = { rows, total };
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (last && (backwards || hasMore)) page.next = encodeCursor({ direction: 'next', key: keyOf(last) });
  if (first && (cursor ? !backwards || hasMore : request.offset > 0)) page.previous = encodeCursor({ direction: 'previous', key: keyOf(first) });
  // The first page, when it holds everything, tells the total for free.
  if (page.total === undefined && !cursor && !request.offset && !hasMore) page.total = rows.length;
  return page;
}

const nullFlag = (db: Knex, column: string) => db.raw('(case when ?? is null then 1 else 0 end)', [column]);

/** NULLs sort last whatever the engine's habit, so keyset comparisons are the same everywhere. */
export function orderBy(query: Knex.QueryBuilder, db: Knex, keys: SortKey[], backwards: boolean) {
  for (const key of keys) {
    if (key.constant) continue;
    const dir = key.descending !== backwards ? 'desc' : 'asc';
    if (key.nullable) query.orderByRaw(`(case when ?? is null then 1 else 0 end) ${backwards ? 'desc' : 'asc'}`, [key.column]);
    query.orderBy(key.column, dir);
  }
}

/**
 * Rows strictly after (or before) the cursor in the sort order: a lexicographic tuple comparison. A
 * constant key decides the comparison for the whole query when it differs from the cursor's value:
 * past it, the rows whose earlier keys equal the cursor's qualify too (inclusive); before it, they do not.
 */
export function keysetWhere(query: Knex.QueryBuilder, db: Knex, keys: SortKey[], cursor: Cursor) {
  const parts: { expr: Knex.Raw | string; descending: boolean; value: unknown }[] = [];
  const forward = cursor.direction === 'next';
  if (keys.reduce((n, k) => n + (k.nullable ? 2 : 1), 0) !== cursor.key.length) query.whereRaw('1 = 0');
  let i = 0;
  let inclusive = false;
  for (const key of keys) {
    const isNull = key.nullable ? cursor.key[i++] === 1 : false;
    const value = cursor.key[i++];
    if (key.constant) {
      // NULL sorts after any value; otherwise the constant compares as the key's order says.
      const c = key.constant.value;
      const equal = c === null ? isNull : !isNull && c === value;
      if (equal) continue;
      const after = c === null ? true : !isNull && (key.descending ? c < Number(value) : c > Number(value));
      inclusive = after === forward;
      break;
    }
    if (key.nullable) {
      parts.push({ expr: nullFlag(db, key.column), descending: false, value: isNull ? 1 : 0 });
      // Within the NULL group the column itself adds no order.
      if (!isNull) parts.push({ expr: key.column, descending: key.descending, value });
    } else {
      parts.push({ expr: key.column, descending: key.descending, value });
    }
  }
  if (parts.length === 0) {
    if (!inclusive) query.whereRaw('1 = 0');
    return;
  }
  query.where((any) => {
    parts.forEach((part, index) => {
      any.orWhere((one) => {
        for (const equal of parts.slice(0, index)) one.where(equal.expr as string, '=', equal.value as never);
        const greater = part.descending !== forward;
        one.where(part.expr as string, greater ? '>' : '<', part.value as never);
      });
    });
    if (inclusive) any.orWhere((one) => parts.forEach((equal) => one.where(equal.expr as string, '=', equal.value as never)));
  });
}

/** An included resource: a row of its table, or one of its type's configured fixed instances. */
export type Included = { def: AnyResourceDefinition; row: Row; fixed?: undefined } | { def: AnyResourceDefinition; row?: undefined; fixed: Resource };

/** Keys are per table: a type served from several tables has colliding keys across them. */
const keyOf = (item: Included) =>
  item.fixed ? `${item.def.type}/=${item.fixed.id}` : `${item.def.type}/${item.def.table.name}/${item.row[item.def.table.pk]}`;
const sameSource = (a: AnyResourceDefinition, b: AnyResourceDefinition | undefined) => b !== undefined && a.type === b.type && a.table.name === b.table.name;

/**
 * _include and _revinclude, one query per parameter (per source of the type holding the reference);
 * :iterate follows what was included. Matches are rows of one definition, or rows of several sources.
 */
export async function includeRows(
  ctx: RequestContext,
  matches: { def: AnyResourceDefinition; rows: Row[] } | Included[],
  specs: IncludeSpec[],
  maxPerParameter = 1000,
): Promise<Included[]> {
  if (specs.length === 0) return [];
  const pool: Included[] = Array.isArray(matches) ? matches : matches.rows.map((row) => ({ def: matches.def, row }));
  const seen = new Set(pool.map(keyOf));
  const included: Included[] = [];
  let frontier = pool;
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const found: Included[] = [];
    for (const spec of specs) {
      if (depth > 0 && !spec.iterate) continue;
      const from = (depth === 0 ? pool : frontier).filter((f): f is Included & { row: Row } => f.row !== undefined);
      for (const item of await includeOne(ctx, spec, from, maxPerParameter)) {
        const key = keyOf(item);
        if (seen.has(key)) continue;
        seen.add(key);
        found.push(item);
      }
    }
    included.push(...found);
    frontier = found;
  }
  return included;
}

async function includeOne(ctx: RequestContext, spec: IncludeSpec, from: { def: AnyResourceDefinition; row: Row }[], limit: number): Promise<Included[]> {
  const decl = spec.decl;
  if (!spec.reverse) {
    const target = ctx.resolve(decl.target, decl.targetSource)!;
    const sources = from.filter((f) => sameSource(f.def, spec.source));
    if (sources.length === 0) return [];
    if (decl.constant !== undefined) {
      // Every source row references the same configured instance.
      const fixed = target.fixedInstances?.(ctx).find((r: Resource) => r.id === decl.constant);
      return fixed ? [{ def: target, fixed }] : [];
    }
    const query = currentRows(target, ctx, target.select(ctx.db)).limit(limit);
    if (decl.via) {
      // The keys live in the hop's table: read them in the same query, from the source rows' keys.
      const pks = unique(sources.map((f) => f.row[f.def.table.pk]));
      query.whereIn(`t.${target.table.pk}`, referencedKeys(spec.source, decl, (q) => q.whereIn(`t.${spec.source.table.pk}`, pks), ctx));
    } else {
      const ids = unique(sources.map((f) => f.row[rowKey(decl.column)]));
      if (ids.length === 0) return [];
      query.whereIn(`t.${target.table.pk}`, ids);
    }
    const rows: Row[] = await query;
    return rows.map((row) => ({ def: target, row }));
  }
  const target = ctx.resolve(decl.target, decl.targetSource);
  const ids = unique(from.filter((f) => sameSource(f.def, target)).map((f) => f.row[f.def.table.pk]));
  if (ids.length === 0 || decl.constant !== undefined) return [];
  const rows: Row[] = await currentRows(spec.source, ctx, spec.source.select(ctx.db))
    .where((w) => holdsKeyIn(w, decl, ids, ctx))
    .limit(limit);
  return rows.map((row) => ({ def: spec.source, row }));
}

const unique = (values: unknown[]) => [...new Set(values.filter((v) => v !== null && v !== undefined))] as (string | number)[];
