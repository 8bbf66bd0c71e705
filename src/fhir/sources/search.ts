/**
 * Search over a type served from several tables. The query is parsed once per source (each is a
 * complete single-table definition); a parameter applies to the sources that declare it, and a
 * source that does not declare a parameter the search uses matches nothing (it has no such element),
 * except for `:missing=true`, which all its rows satisfy. A parameter no source knows is unknown.
 *
 * Paging stays keyset-fast and exact: ONE query over the sources' keys, a UNION ALL of each source's
 * own keyset page (its filtered rows after the cursor, ordered and cut at the page size, projected to
 * source index, primary key and sort values), ordered again by (sort values, NULLs last, source index,
 * key) and cut, so the database is the only authority on order and each branch is an index-driven
 * top-N; then one query per source for the page's full rows. Totals add up one COUNT per source.
 *
 * Keys: integer keys travel as `_pk`; a source keyed by UUID (a modular table) puts its key in `_uk`
 * instead, NULL in the other (one SQL type per union column). Rows of one source are ordered by the
 * one column that holds their key, so the union's order within a source is the branch's own order; a
 * cursor holds that one key value, compared only with the source it came from (`_src` decides first).
 */
import type { Knex } from 'knex';
import { uuidKeyed, type AnyResourceDefinition, type MultiSourceType, type RequestContext, type Row } from '../types.js';
import { badRequest } from '../outcome.js';
import { parseSearch, paramsOf, type Query, type Resolve, type SearchRequest, type Sources } from '../search/parse.js';
import { applySearch, currentRows } from '../search/sql.js';
import { keysetWhere, orderBy, type SortKey } from '../search/execute.js';
import { encodeCursor, type Cursor } from '../search/paging.js';

export interface SourceBranch {
  def: AnyResourceDefinition;
  /** Index of the source in the type's list: part of the sort key and of cursors. */
  index: number;
  request: SearchRequest;
  /** Sort columns of this source, undefined where it has no such value (sorts as NULL). */
  sortColumns: (string | undefined)[];
}

export interface MultiSearchRequest extends Omit<SearchRequest, 'params' | 'sort'> {
  /** The sources that can match (parameters all declared or :missing=true). */
  branches: SourceBranch[];
  sort: { code: string; descending: boolean }[];
}

export interface MultiSearchPage {
  items: { def: AnyResourceDefinition; row: Row }[];
  total?: number;
  next?: string;
  previous?: string;
}

export function parseMultiSearch(query: Query, multi: MultiSourceType, resolve: Resolve, sources: Sources, strict: boolean): MultiSearchRequest {
  const { _sort, ...rest } = query;
  const parsed = multi.sources.map((def) => parseSearch(rest, def, resolve, false, sources));
  const unknown = parsed[0].unknown.filter((name) => parsed.every((p) => p.unknown.includes(name)));
  if (strict && unknown.length) throw badRequest(`Unknown search parameter "${unknown[0]}" (on every kind of ${multi.type})`);
  const sort = parseSort(_sort === undefined ? undefined : [_sort].flat().pop(), multi);
  const missingTrue = (name: string) => name.endsWith(':missing') && [query[name]].flat().every((v) => v === 'true');
  const branches = parsed.flatMap((request, index): SourceBranch[] => {
    const def = multi.sources[index];
    if (request.unknown.some((name) => !unknown.includes(name) && !missingTrue(name))) return [];
    const declared = paramsOf(def);
    const sortColumns = sort.map((s) => declared.find((p) => p.code === s.code)?.sortColumn);
    return [{ def, index, request, sortColumns }];
  });
  const { params: _params, sort: _sorted, ...common } = parsed[0];
  return { ...common, unknown, branches, sort };
}

function parseSort(value: string | undefined, multi: MultiSourceType) {
  if (!value) return [];
  return value.split(',').filter(Boolean).map((item) => {
    const descending = item.startsWith('-');
    const code = descending ? item.slice(1) : item;
    if (!multi.sources.some((def) => paramsOf(def).some((p) => p.code === code && p.sortColumn))) {
      throw badRequest(`_sort: ${code} is not a sortable search parameter of ${multi.type}`);
    }
    return { code, descending };
  });
}

export async function searchMultiRows(ctx: RequestContext, request: MultiSearchRequest): Promise<MultiSearchPage> {
  const { db } = ctx;
  const filtered = (b: SourceBranch, qb: Knex.QueryBuilder) => applySearch(currentRows(b.def, ctx, qb), b.request.params, ctx);
  const wantTotal = request.total !== 'none' || request.count === 0;
  const countOne = async (b: SourceBranch) => {
    const from = () => filtered(b, db(`${b.def.table.name} as t`));
    if (request.total === 'estimate') {
      const estimate = await ctx.dialect.estimateCount(db, from().select(`t.${b.def.table.pk}`));
      if (estimate !== undefined) return Math.round(estimate);
    }
    const row = await from().count({ n: '*' }).first();
    return Number((row as { n?: unknown } | undefined)?.n ?? 0);
  };
  const countQuery = async () => (await Promise.all(request.branches.map(countOne))).reduce((a, b) => a + b, 0);
  if (request.branches.length === 0) return { items: [], total: wantTotal ? 0 : undefined };
  if (request.count === 0) return { items: [], total: await countQuery() };

  const cursor = request.cursor;
  const backwards = cursor?.direction === 'previous';
  const withUuidKeys = request.branches.some((b) => uuidKeyed(b.def.table));
  // Each source's own keyset page (its index and a sort column it lacks are constants there), so each
  // branch is an index-driven top-N; the union then orders at most (sources × page) rows.
  const selects = request.branches.map((b) => {
    const branchKeys: SortKey[] = [
      ...request.sort.map((s, i): SortKey => {
        const column = b.sortColumns[i];
        return column ? { column, descending: s.descending, nullable: true } : { column: `_s${i}`, descending: s.descending, nullable: true, constant: { value: null } };
      }),
      { column: '_src', descending: false, nullable: false, constant: { value: b.index } },
      { column: `t.${b.def.table.pk}`, descending: false, nullable: false },
    ];
    const branch = filtered(b, db(`${b.def.table.name} as t`))
      .select(
        // Our own integer, spliced as a literal so the column has one type in every branch.
        db.raw(`${b.index} as ??`, ['_src']),
        `t.${b.def.table.pk} as ${uuidKeyed(b.def.table) ? '_uk' : '_pk'}`,
        ...b.sortColumns.flatMap((column, i) => (column ? [db.ref(column).as(`_s${i}`)] : [])),
      )
      .limit((cursor ? 0 : request.offset) + request.count + 1);
    orderBy(branch, db, branchKeys, backwards);
    if (cursor) keysetWhere(branch, db, branchKeys, cursor);
    // A derived table: ORDER BY and TOP/LIMIT inside a UNION member, valid on every engine. The NULL of
    // a sort column the source lacks is selected out here, where the UNION gives it the others' type.
    const alias = `b${b.index}`;
    const keyColumns = !withUuidKeys
      ? [`${alias}._pk`]
      : uuidKeyed(b.def.table)
        ? [db.raw('null as ??', ['_pk']), `${alias}._uk`]
        : [`${alias}._pk`, db.raw('null as ??', ['_uk'])];
    return db
      .select(`${alias}._src`, ...keyColumns, ...b.sortColumns.map((column, i) => sortValue(db, b, alias, column, i)))
      .from(branch.as(alias));
  });
  const [first, ...rest] = selects;
  const keys: SortKey[] = [
    ...request.sort.map((s, i) => ({ column: `u._s${i}`, descending: s.descending, nullable: true })),
    { column: 'u._src', descending: false, nullable: false },
    { column: 'u._pk', descending: false, nullable: false },
    ...(withUuidKeys ? [{ column: 'u._uk', descending: false, nullable: false }] : []),
  ];
  const query = db.select('u.*').from((rest.length ? first.unionAll(rest) : first).as('u')).limit(request.count + 1);
  orderBy(query, db, keys, backwards);
  if (!cursor && request.offset) query.offset(request.offset);

  const [fetched, total] = await Promise.all([query as Promise<Row[]>, wantTotal ? countQuery() : undefined]);
  const hasMore = fetched.length > request.count;
  const keyRows = fetched.slice(0, request.count);
  if (backwards) keyRows.reverse();
  const items = await fullRows(ctx, request.branches, keyRows);

  // The cursor holds one key value: the integer or the UUID of the row's source.
  const cursorKeys = keys.filter((k) => k.column !== 'u._uk');
  const keyOf = (row: Row): Cursor['key'] =>
    cursorKeys.flatMap((k) => {
      if (k.column === 'u._pk' && row._pk == null) return [String(row._uk).toLowerCase()];
      const value = row[k.column.slice(2)];
      const plain = value instanceof Date ? value.toISOString() : (value as string | number | null);
      return k.nullable ? [plain === null || plain === undefined ? 1 : 0, plain ?? 0] : [Number(plain)];
    });
  const page: MultiSearchPage = { items, total };
  const firstKey = keyRows[0];
  const lastKey = keyRows[keyRows.length - 1];
  if (lastKey && (backwards || hasMore)) page.next = encodeCursor({ direction: 'next', key: keyOf(lastKey) });
  if (firstKey && (cursor ? !backwards || hasMore : request.offset > 0)) page.previous = encodeCursor({ direction: 'previous', key: keyOf(firstKey) });
  if (page.total === undefined && !cursor && !request.offset && !hasMore) page.total = items.length;
  return page;
}

/**
 * A branch's sort value as the union selects it: NULL for a column the source lacks; a UUID column
 * as text, so that it unites with the UUIDs other tables keep as text (lower-case UUIDs order alike
 * as uuid and as text, so the branch's own order stays the union's).
 */
function sortValue(db: Knex, b: SourceBranch, alias: string, column: string | undefined, i: number) {
  if (!column) return db.raw('null as ??', [`_s${i}`]);
  if (uuidKeyed(b.def.table) && column === `t.${b.def.table.uuid}`) return db.raw('cast(?? as varchar(36)) as ??', [`${alias}._s${i}`, `_s${i}`]);
  return `${alias}._s${i}`;
}

/** A key row's key: the integer of `_pk`, else the UUID of `_uk`. */
const keyOfRow = (k: Row): number | string => (k._pk == null ? String(k._uk).toLowerCase() : Number(k._pk));

/** The page's rows with every column their mappers need: one query per source, in the page's order. */
async function fullRows(ctx: RequestContext, branches: SourceBranch[], keyRows: Row[]) {
  const bySource = new Map<number, Map<number | string, Row>>();
  await Promise.all(
    branches.map(async (b) => {
      const ids = keyRows.filter((k) => Number(k._src) === b.index).map(keyOfRow);
      if (!ids.length) return;
      const rows: Row[] = await b.def.select(ctx.db).whereIn(`t.${b.def.table.pk}`, ids);
      const pk = b.def.table.pk;
      bySource.set(b.index, new Map(rows.map((r) => [uuidKeyed(b.def.table) ? String(r[pk]).toLowerCase() : Number(r[pk]), r])));
    }),
  );
  return keyRows.flatMap((k) => {
    const branch = branches.find((b) => b.index === Number(k._src))!;
    const row = bySource.get(branch.index)?.get(keyOfRow(k));
    return row ? [{ def: branch.def, row }] : [];
  });
}
