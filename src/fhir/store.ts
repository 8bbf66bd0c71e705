/**
 * Reads resources out of versioned legacy tables: by id or business code, by version, as history,
 * and as keyset-paged search results. Only current rows (ValidityTo NULL) are ever search matches.
 */
import type { Knex } from 'knex';
import type { AnyResourceDefinition, RequestContext, Row, VersionedTable } from './types.js';

import { isUuid } from './ids.js';
import { conflict } from './outcome.js';
import { lookup } from './statements.js';
export { isUuid };

const col = (table: VersionedTable, column: keyof Omit<VersionedTable, 'name'>) => `t.${table[column]}`;

export type RowState = 'current' | 'deleted';

/** Row-level security on a select of the resource's table. */
function scoped(def: AnyResourceDefinition, ctx: RequestContext, qb: Knex.QueryBuilder): Knex.QueryBuilder {
  if (def.scope) def.scope(qb, ctx);
  return qb;
}

export interface Version {
  versionId: string;
  lastUpdated: Date;
}

/** The version of a row is the instant it became valid; see db/legacy-history.ts. */
export function versionOf(row: Row, table: VersionedTable): Version {
  const from = row[table.validityFrom];
  const parsed = from instanceof Date ? from : new Date(String(from));
  // A few legacy tables allow ValidityFrom NULL (tblServices): such rows predate any tracked change.
  const lastUpdated = Number.isNaN(parsed.getTime()) ? new Date(0) : parsed;
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
  if (isUuid(id)) {
    // History copies carry UUIDs of their own; only the entity row answers to the entity's UUID.
    const rows = await lookup(def, ctx, db, 'uuid', id.toLowerCase(), (db, uuid) =>
      scoped(def, ctx, def.select(db))
        .where(col(t, 'uuid'), uuid)
        .where((q) => q.whereNull(col(t, 'legacyId')).orWhereRaw('?? = ??', [col(t, 'legacyId'), col(t, 'pk')]))
        .limit(1),
    );
    return rows[0];
  }
  const alias = def.readAlias?.(id);
  const byCode = def.codeColumn ? await findCurrent(def, ctx, db, `t.${def.codeColumn}`, id) : undefined;
  return byCode ?? (alias ? findCurrent(def, ctx, db, alias.column, alias.value) : undefined);
}

/**
 * The current row whose column holds the value. Business codes are unique among current rows only
 * by convention (a claim code per facility): a code that names several entities is refused rather
 * than answered with either.
 */
async function findCurrent(def: AnyResourceDefinition, ctx: RequestContext, db: Knex, column: string, value: string): Promise<Row | undefined> {
  const rows = await lookup(def, ctx, db, `current ${column}`, value, (db, value) =>
    scoped(def, ctx, def.select(db)).where(column, value).whereNull(col(def.table, 'validityTo')).limit(2),
  );
  if (rows.length > 1) throw conflict(`${def.type}/${value}: the code names several resources; read by id or search by identifier`);
  return rows[0];
}

/**
 * Every version of an entity, newest first: the entity row and its history copies. History copies
 * carry their own key and UUID; they are returned under the entity's, as versions of it.
 */
export async function findVersions(def: AnyResourceDefinition, ctx: RequestContext, entity: Row): Promise<Row[]> {
  const t = def.table;
  const pk = entity[t.pk];
  const rows: Row[] = await scoped(def, ctx, def.select(ctx.db))
    .where((q) =>
      q.where(col(t, 'pk'), Number(pk)).orWhere((h) => h.where(col(t, 'legacyId'), Number(pk)).whereNot(col(t, 'pk'), Number(pk))),
    )
    .orderBy(col(t, 'validityFrom'), 'desc')
    .orderBy(col(t, 'pk'), 'desc');
  return rows.map((row) => ({ ...row, [t.pk]: pk, [t.uuid]: entity[t.uuid] }));
}
