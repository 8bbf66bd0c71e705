/**
 * history-system (http://hl7.org/fhir/R4/http.html#history): `GET [base]/_history`, every version of
 * every resource the caller may see, newest first, over all registered types whose type history the
 * caller has the right to (a type without that right is left out, not refused), each type under its
 * own row security. A type served from several sources (tables) is read source by source, each with
 * its own rights and row security. `_since`, `_count` (default 100, at most 1000) and `_type` (a comma list) narrow
 * it; pages follow with keyset `next` links.
 *
 * Order: lastUpdated (millisecond, the versionId) descending, then type name (and source name), then
 * row key descending. A page asks each table for at most `_count + 1` versions after the cursor, in SQL on the
 * type's validity index, and merges those short sorted lists: the cost of a page does not grow with
 * the page number. Versions of one type stamped within the same millisecond (sub-millisecond legacy
 * timestamps) are ordered by key per page boundary, which may differ from the database's order
 * inside that millisecond.
 */
import type { Knex } from 'knex';
import { uuidKeyed, type AnyResourceDefinition, type RequestContext, type Row } from '../types.js';
import type { Query } from '../search/parse.js';
import { history as historyBundle, type HistoryItem } from '../bundle.js';
import { badRequest } from '../outcome.js';
import { decodeCursor, encodeCursor } from '../search/paging.js';
import { historyItems, historyParams, versionsQuery } from './history.js';
import type { FhirResponse } from './types.js';

const DEFAULT_COUNT = 100;

/** The boundary of a page: the last version served (its millisecond, table name as sortName gives it, row key). */
interface Boundary {
  at: number;
  type: string;
  /** An integer key, or the UUID of a table keyed by UUIDs (the modular tables). */
  pk: number | string;
}

/** Types whose history the caller may read: the type-history right of each (administrators: all). */
export function readableHistoryTypes(defs: AnyResourceDefinition[], ctx: RequestContext): AnyResourceDefinition[] {
  return defs.filter((def) => {
    const needed = def.rights['history-type'];
    if (needed === undefined) return false;
    return ctx.caller.isAdmin || needed.length === 0 || needed.some((right) => ctx.caller.rights.has(right));
  });
}

export async function systemHistory(query: Query, ctx: RequestContext, defs: AnyResourceDefinition[]): Promise<FhirResponse> {
  const { since, count: asked } = historyParams({ query });
  const count = Number.isFinite(asked) ? asked : DEFAULT_COUNT;
  const types = typesAsked(query._type, defs);
  const boundary = query._cursor === undefined ? undefined : boundaryOf(String(query._cursor));
  const readable = readableHistoryTypes(types, ctx).sort((a, b) => compareText(sortName(a), sortName(b)));

  // Up to count + 1 versions of each type after the boundary, then the first count + 1 of all.
  const candidates: { def: AnyResourceDefinition; row: Row; at: number; pk: number | string }[] = [];
  if (count > 0) {
    for (const def of readable) {
      const t = def.table;
      const q = versionsQuery(def, ctx)
        .orderBy(`t.${t.validityFrom}`, 'desc')
        .orderBy(`t.${t.pk}`, 'desc')
        .limit(count + 1);
      if (since) q.where(`t.${t.validityFrom}`, '>=', since);
      if (boundary) after(q, def, boundary);
      for (const row of (await q) as Row[]) {
        candidates.push({ def, row, at: millisecondOf(row[t.validityFrom]), pk: uuidKeyed(t) ? String(row[t.pk]).toLowerCase() : Number(row[t.pk]) });
      }
    }
  }
  candidates.sort((a, b) => b.at - a.at || compareText(sortName(a.def), sortName(b.def)) || compareKeys(b.pk, a.pk));
  const page = candidates.slice(0, count);
  const more = candidates.length > count;

  // Map each type's rows together (one loadDetails per type), then restore the page order.
  const items = new Map<(typeof page)[number], HistoryItem>();
  for (const def of readable) {
    const mine = page.filter((c) => c.def === def);
    if (!mine.length) continue;
    const mapped = await historyItems(def, mine.map((c) => c.row), ctx);
    mine.forEach((c, i) => items.set(c, mapped[i]));
  }

  const params = new URLSearchParams();
  if (query._since !== undefined) params.set('_since', String(query._since));
  if (query._type !== undefined) params.set('_type', [query._type].flat().join(','));
  params.set('_count', String(count));
  const link = (extra?: string) => `${ctx.baseUrl}/_history?${params.toString()}${extra ? `&_cursor=${extra}` : ''}`;
  const links = [{ relation: 'self', url: link(query._cursor === undefined ? undefined : String(query._cursor)) }];
  const last = page.at(-1);
  if (more && last) links.push({ relation: 'next', url: link(encodeCursor({ direction: 'next', key: [last.at, sortName(last.def), last.pk] })) });
  const bundle = historyBundle(page.map((c) => items.get(c)!), { baseUrl: ctx.baseUrl, links });
  // Bundle.total is the size of the whole history, which would cost a count of every table: left out.
  delete bundle.total;
  return { status: 200, body: bundle };
}

/** Versions strictly after the boundary in the page order (see the header comment). */
function after(q: Knex.QueryBuilder, def: AnyResourceDefinition, boundary: Boundary) {
  const column = `t.${def.table.validityFrom}`;
  const start = new Date(boundary.at);
  const end = new Date(boundary.at + 1);
  const order = compareText(sortName(def), boundary.type);
  if (order < 0) q.where(column, '<', start);
  else if (order > 0) q.where(column, '<', end);
  else {
    q.where((w) =>
      w.where(column, '<', start).orWhere((same) => same.where(column, '>=', start).where(column, '<', end).where(`t.${def.table.pk}`, '<', boundary.pk)),
    );
  }
}

function typesAsked(raw: Query[string], defs: AnyResourceDefinition[]): AnyResourceDefinition[] {
  if (raw === undefined) return defs;
  const names = [raw].flat().flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = names.filter((name) => !defs.some((d) => d.type === name));
  if (unknown.length) throw badRequest(`_type: ${unknown.join(', ')} is not a supported resource type`);
  return defs.filter((d) => names.includes(d.type));
}

function boundaryOf(raw: string): Boundary {
  const cursor = decodeCursor(raw);
  const [at, type, pk] = cursor.key;
  if (cursor.direction !== 'next' || cursor.key.length !== 3 || typeof at !== 'number' || typeof type !== 'string' || (typeof pk !== 'number' && typeof pk !== 'string')) {
    throw badRequest('_cursor is not a cursor issued by this server');
  }
  return { at, type, pk };
}

function millisecondOf(value: unknown): number {
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? 0 : date.getTime();
}

/** The type, and the source of a type served from several tables: what orders versions of one instant. */
function sortName(def: AnyResourceDefinition): string {
  return def.source ? `${def.type}/${def.source}` : def.type;
}

/** Integer keys by value, UUID keys as text (what lower-case UUIDs compare as in PostgreSQL). */
function compareKeys(a: number | string, b: number | string): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : compareText(String(a), String(b));
}

/** Names compared the same way everywhere (not by locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
