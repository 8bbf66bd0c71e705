/**
 * Reads resources out of versioned legacy tables: by id or business code, by version, as history,
 * and as keyset-paged search results. Only current rows (ValidityTo NULL) are ever search matches.
 */
import type { Knex } from 'knex';
import type { AnyResourceDefinition, RequestContext, Row, VersionedTable } from './types.js';
import type { SearchRequest } from './search/parse.js';
import { applySearch } from './search/sql.js';
import { encodeCursor, type Cursor } from './search/paging.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID_RE.test(id);

const col = (table: VersionedTable, column: keyof Omit<VersionedTable, 'name'>) => `t.${table[column]}`;

export type RowState = 'current' | 'deleted';

export interface Version {
  versionId: string;
  lastUpdated: Date;
}

/** The version of a row is the instant it became valid; see db/legacy-history.ts. */
export function versionOf(row: Row, table: VersionedTable): Version {
  const from = row[table.validityFrom];
  const lastUpdated = from instanceof Date ? from : new Date(String(from));
  return { versionId: String(lastUpdated.getTime()), lastUpdated };
}

export function stateOf(row: Row, table: VersionedTable): RowState {
  return row[table.validityTo] == null ? 'current' : 'deleted';
}

/** Finds an entity by its UUID, or by its business code among current rows. */
export async function findEntity(
  def: AnyResourceDefinition,
  ctx: RequestContext,
  id: string,
  db: Knex = ctx.db,
): Promise<Row | undefined> {
  const t = def.table;
  const query = def.select(db).first();
  if (isUuid(id)) {
    // History copies carry UUIDs of their own; only the entity row answers to the entity's UUID.
    query
      .where(col(t, 'uuid'), id.toLowerCase())
      .where((q) => q.whereNull(col(t, 'legacyId')).orWhereRaw('?? = ??', [col(t, 'legacyId'), col(t, 'pk')]));
  } else if (def.codeColumn) {
    query.where(`t.${def.codeColumn}`, id).whereNull(col(t, 'validityTo'));
  } else {
    return undefined;
  }
  return query;
}

/**
 * Every version of an entity, newest first: the entity row and its history copies. History copies
 * carry their own key and UUID; they are returned under the entity's, as versions of it.
 */
export async function findVersions(def: AnyResourceDefinition, ctx: RequestContext, entity: Row): Promise<Row[]> {
  const t = def.table;
  const pk = entity[t.pk];
  const rows: Row[] = await def
    .select(ctx.db)
    .where((q) =>
      q.where(col(t, 'pk'), Number(pk)).orWhere((h) => h.where(col(t, 'legacyId'), Number(pk)).whereNot(col(t, 'pk'), Number(pk))),
    )
    .orderBy(col(t, 'validityFrom'), 'desc')
    .orderBy(col(t, 'pk'), 'desc');
  return rows.map((row) => ({ ...row, [t.pk]: pk, [t.uuid]: entity[t.uuid] }));
}

export interface SearchPage {
  rows: Row[];
  total?: number;
  next?: string;
  previous?: string;
}

export async function searchRows(def: AnyResourceDefinition, ctx: RequestContext, request: SearchRequest): Promise<SearchPage> {
  const t = def.table;
  const pk = col(t, 'pk');
  const filtered = (qb: Knex.QueryBuilder) =>
    applySearch(qb.whereNull(col(t, 'validityTo')), request.params, ctx.db, ctx.dialect);

  const wantTotal = request.total !== 'none' || request.count === 0;
  const countQuery = () =>
    filtered(ctx.db(`${t.name} as t`))
      .count({ n: '*' })
      .first()
      .then((r) => Number((r as { n: unknown } | undefined)?.n ?? 0));

  if (request.count === 0) return { rows: [], total: await countQuery() };

  const cursor = request.cursor;
  const query = filtered(def.select(ctx.db)).limit(request.count + 1);
  if (cursor) {
    const key = Number(cursor.key[0]);
    if (cursor.direction === 'next') query.where(pk, '>', key).orderBy(pk, 'asc');
    else query.where(pk, '<', key).orderBy(pk, 'desc');
  } else {
    query.orderBy(pk, 'asc');
    if (request.offset) query.offset(request.offset);
  }
  const [fetched, total] = await Promise.all([query, wantTotal ? countQuery() : undefined]);

  const hasMore = fetched.length > request.count;
  const rows = fetched.slice(0, request.count);
  if (cursor?.direction === 'previous') rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const keyOf = (row: Row): Cursor['key'] => [Number(row[t.pk])];

  const page: SearchPage = { rows, total };
  const forward = cursor?.direction !== 'previous';
  if (last && (forward ? hasMore : true)) page.next = encodeCursor({ direction: 'next', key: keyOf(last) });
  if (first && (cursor ? (forward ? true : hasMore) : request.offset > 0)) {
    page.previous = encodeCursor({ direction: 'previous', key: keyOf(first) });
  }
  // The first page, when it holds everything, tells the total for free.
  if (page.total === undefined && !cursor && !request.offset && !hasMore) page.total = rows.length;
  return page;
}
