/**
 * Which source of a type served from several tables holds an id: one UNION ALL query over the
 * sources' keys (row security applied per source), so reading from any table costs the same.
 * Ids are UUIDs, unique across tables; a business code that names rows in two sources is refused
 * (409), as a code naming two rows of one table is.
 */
import type { Knex } from 'knex';
import type { AnyResourceDefinition, MultiSourceType, RequestContext } from '../types.js';
import { isUuid } from '../ids.js';
import { conflict } from '../outcome.js';
import { findEntity, whereCurrent, whereEntityRow } from '../store.js';

export async function locateSource(
  multi: MultiSourceType,
  ctx: RequestContext,
  id: string,
  db: Knex = ctx.db,
): Promise<AnyResourceDefinition | undefined> {
  const uuid = isUuid(id);
  const branches = multi.sources.flatMap((def, index) => {
    const t = def.table;
    if (!uuid && !def.codeColumn) return [];
    // The index is our own integer: spliced as a literal so every branch's column has one type.
    const qb = db(`${t.name} as t`).select(db.raw(`${index} as ??`, ['_src']));
    if (uuid) {
      // History copies carry UUIDs of their own; only the entity row answers to the entity's UUID.
      whereEntityRow(qb.where(`t.${t.uuid}`, id.toLowerCase()), t);
    } else {
      whereCurrent(qb.where(`t.${def.codeColumn}`, id), t);
    }
    if (def.scope) def.scope(qb, ctx);
    return [qb];
  });
  if (branches.length === 0) return aliased(multi, ctx, id, db);
  const [first, ...rest] = branches;
  const union = rest.length ? first.unionAll(rest) : first;
  const found: { _src: number | string }[] = await db.select('u._src').from(union.as('u')).limit(2);
  const sources = [...new Set(found.map((f) => multi.sources[Number(f._src)]))];
  if (sources.length > 1) {
    throw conflict(`${multi.type}/${id}: the code names resources of several kinds (${sources.map((s) => s.source).join(', ')}); read by id or search by identifier`);
  }
  return sources[0] ?? aliased(multi, ctx, id, db);
}

/** Other names a read answers to (readAlias), tried source by source when no id or code matched. */
async function aliased(multi: MultiSourceType, ctx: RequestContext, id: string, db: Knex): Promise<AnyResourceDefinition | undefined> {
  if (isUuid(id)) return undefined;
  for (const def of multi.sources) if (def.readAlias?.(id) && (await findEntity(def, ctx, id, db))) return def;
  return undefined;
}
