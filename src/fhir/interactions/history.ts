/**
 * history-instance and history-type (http://hl7.org/fhir/R4/http.html#history), from the legacy
 * history copies: every row of the table is a version of the entity its LegacyID names. A modular
 * table (VersionedTable.inPlace) holds the latest version of each entity only: that one is served.
 */
import type { FhirResource } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { AnyResourceDefinition, RequestContext, Row } from '../types.js';
import { findEntity, findVersions, stateOf } from '../store.js';
import { badRequest, notFound } from '../outcome.js';
import { history as historyBundle, type HistoryItem } from '../bundle.js';
import { parseDateValue } from '../search/dates.js';
import { toResources } from './common.js';
import type { FhirRequest, Handler } from './types.js';

const MAX_COUNT = 1000;

export const instanceHistory: Handler = async (req, ctx) => {
  const { def, id = '' } = req;
  const entity = await findEntity(def, ctx, id);
  if (!entity) throw notFound(def.type, id);
  const { since, count } = historyParams(req);
  const versions = await findVersions(def, ctx, entity);
  const mapped = await toResources(def, versions, ctx);
  const items: HistoryItem[] = mapped.map(({ resource, version }, index) => {
    // A modular row's version counter tells whether its only version served is the first one.
    const counter = def.table.inPlace ? Number(versions[index][def.table.inPlace.counter]) : 1;
    const oldest = index === versions.length - 1 && !(counter > 1);
    const deletion = index === 0 && stateOf(versions[0], def.table) === 'deleted';
    return { resource, ...version, method: deletion ? 'DELETE' : oldest ? 'POST' : 'PUT' };
  });
  const selected = items.filter((item) => !since || item.lastUpdated >= since).slice(0, count);
  const self = `${ctx.baseUrl}/${def.type}/${id}/_history`;
  return { status: 200, body: historyBundle(selected, { baseUrl: ctx.baseUrl, links: [{ relation: 'self', url: self }] }) };
};

/** Every version of every entity of the type, newest first, within _since and _count. */
export const typeHistory: Handler = async (req, ctx) => {
  const { def } = req;
  const { since, count } = historyParams(req);
  const t = def.table;
  const query = versionsQuery(def, ctx)
    .orderBy(`t.${t.validityFrom}`, 'desc')
    .orderBy(`t.${t.pk}`, 'desc')
    .limit(Number.isFinite(count) ? count : 100);
  if (since) query.where(`t.${t.validityFrom}`, '>=', since);
  const items = await historyItems(def, await query, ctx);
  return { status: 200, body: historyBundle(items, { baseUrl: ctx.baseUrl, links: [{ relation: 'self', url: `${ctx.baseUrl}/${def.type}/_history` }] }) };
};

/**
 * Every row of the type's table as a version of the entity its LegacyID names (row security
 * applied), with that entity's UUID and whether the row is the entity's first version; the caller
 * orders, bounds and narrows it (type and system history).
 */
export function versionsQuery(def: AnyResourceDefinition, ctx: RequestContext): Knex.QueryBuilder {
  const t = def.table;
  if (t.inPlace) {
    // Each row is its entity's latest version; its counter tells whether it is the first.
    const query = def
      .select(ctx.db)
      .select(`t.${t.uuid} as _entity_uuid`)
      .select(ctx.db.raw('(case when ?? > 1 then 0 else 1 end) as _first_version', [`t.${t.inPlace.counter}`]));
    if (def.scope) def.scope(query, ctx);
    return query;
  }
  const entityKey = ctx.db.raw('coalesce(??, ??)', [`t.${t.legacyId}`, `t.${t.pk}`]);
  const query = def
    .select(ctx.db)
    // Each version is served under its entity's UUID; its method depends on its place in the history.
    .join(`${t.name} as e`, `e.${t.pk}`, entityKey)
    .select(`e.${t.uuid} as _entity_uuid`)
    .select(
      ctx.db.raw(
        `(case when exists (select 1 from ?? as h where coalesce(??, ??) = ?? and ?? < ??) then 0 else 1 end) as _first_version`,
        [t.name, `h.${t.legacyId}`, `h.${t.pk}`, `e.${t.pk}`, `h.${t.validityFrom}`, `t.${t.validityFrom}`],
      ),
    );
  if (def.scope) def.scope(query, ctx);
  return query;
}

/** Rows of versionsQuery as history entries: POST for a first version, DELETE for a closed entity row, PUT otherwise. */
export async function historyItems(def: AnyResourceDefinition, selected: Row[], ctx: RequestContext): Promise<HistoryItem[]> {
  const t = def.table;
  const rows = selected.map((row: Row) => ({ ...row, [t.uuid]: row._entity_uuid }));
  const mapped = await toResources(def, rows, ctx);
  return mapped.map(({ resource, version }, index) => {
    const row = rows[index];
    const deletion = t.inPlace ? stateOf(row, t) === 'deleted' : row[t.validityTo] != null && row[t.legacyId] == null;
    return { resource: resource as FhirResource, ...version, method: deletion ? 'DELETE' : row._first_version ? 'POST' : 'PUT' };
  });
}

export function historyParams(req: Pick<FhirRequest, 'query'>): { since?: Date; count: number } {
  const since = req.query._since ? parseDateValue(String(req.query._since), '_since').start : undefined;
  const raw = req.query._count;
  if (raw === undefined) return { since, count: Infinity };
  const count = Number(raw);
  if (!/^\d+$/.test(String(raw)) || !Number.isSafeInteger(count)) throw badRequest('_count must be a non-negative integer');
  return { since, count: Math.min(count, MAX_COUNT) };
}

