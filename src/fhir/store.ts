/**
 * Reads resources out of versioned legacy tables: by id or business code, by version, as history,
 * and as keyset-paged search results. Only current rows (ValidityTo NULL; in a modular table, rows
 * not flagged deleted) are ever search matches.
 */
import type { Knex } from 'knex';
import type { AnyResourceDefinition, RequestContext, Row, VersionedTable } from './types.js';

import { isUuid } from './ids.js';
import { conflict } from './outcome.js';
import { lookup } from './statements.js';
export { isUuid };

const col = (table: VersionedTable, column: keyof Omit<VersionedTable, 'name'>) => `t.${table[column]}`;

export type RowState = 'current' | 'deleted';

/** Narrows a select to the current rows of the table aliased `alias`: not closed, or not flagged deleted. */
export function whereCurrent(qb: Knex.QueryBuilder, table: VersionedTable, alias = 't'): Knex.QueryBuilder {
  return table.inPlace ? qb.where(`${alias}.${table.inPlace.deleted}`, false) : qb.whereNull(`${alias}.${table.validityTo}`);
}

/** Narrows a select to entity rows: legacy history copies carry UUIDs of their own; a modular table holds entities only. */
export function whereEntityRow(qb: Knex.QueryBuilder, table: VersionedTable, alias = 't'): Knex.QueryBuilder {
  if (table.inPlace) return qb;
  return qb.where((q) => q.whereNull(`${alias}.${table.legacyId}`).orWhereRaw('?? = ??', [`${alias}.${table.legacyId}`, `${alias}.${table.pk}`]));
}

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
  if (table.inPlace) return isTrue(row[table.inPlace.deleted]) ? 'deleted' : 'current';
  return row[table.validityTo] == null ? 'current' : 'deleted';
}

/** Booleans as the drivers give them (true, 1, '1', Buffer [1] for bit). */
function isTrue(value: unknown): boolean {
  if (Buffer.isBuffer(value)) return value[0] === 1;
  return value === true || value === 1 || value === '1' || value === 't';
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
      whereEntityRow(scoped(def, ctx, def.select(db)).where(col(t, 'uuid'), uuid), t).limit(1),
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
    whereCurrent(scoped(def, ctx, def.select(db)).where(column, value), def.table).limit(2),
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
  // A modular table keeps only the latest version of its rows.
  if (t.inPlace) return [entity];
  const pk = entity[t.pk];
  const rows: Row[] = await scoped(def, ctx, def.select(ctx.db))
    .where((q) =>
      q.where(col(t, 'pk'), Number(pk)).orWhere((h) => h.where(col(t, 'legacyId'), Number(pk)).whereNot(col(t, 'pk'), Number(pk))),
    )
    .orderBy(col(t, 'validityFrom'), 'desc')
    .orderBy(col(t, 'pk'), 'desc');
  return rows.map((row) => ({ ...row, [t.pk]: pk, [t.uuid]: entity[t.uuid] }));
}
