/**
 * Statements compiled once. knex builds and compiles a resource's select (quoted columns, joins, row
 * security) anew on every call, and that was most of the cost of compiling a read or a search. So:
 *
 * - a lookup (read by id, by code) is built and compiled once per resource definition, caller,
 *   lookup kind and SQL dialect, with a sentinel in place of the looked-up value, and later runs as
 *   the same SQL text with the value swapped into its binding;
 * - a search page's SELECT is compiled once per definition, caller and shape (sort, direction, page
 *   size) around a marker in its WHERE clause, and its own conditions (parameters, cursor) go into
 *   the marker's place: recorded, and compiled by knex only the first time their key is seen
 *   (recorded-where.ts).
 *
 * On PostgreSQL the SQL then runs straight on a pooled connection (directSelect).
 *
 * Keyed by the caller object: its row scope is part of the SQL (district ids, facility), and the
 * user directory replaces the object whenever the scope may have changed, which drops the entry.
 * Everything else a select or a scope puts into the SQL is fixed per definition.
 */
import type { Knex } from 'knex';
import type { AnyResourceDefinition, RequestContext, Row } from './types.js';
import { dialectFor } from '../db/dialect/index.js';
import { directSelect } from '../db/named-statements.js';
import { recordWhere, sameValues } from './recorded-where.js';
import { BoundedMap } from './bounded-map.js';

interface Compiled {
  sql: string;
  /** The same SQL in the driver's own placeholders ($1 for PostgreSQL). */
  native: string;
  bindings: unknown[];
  /** Where the looked-up value goes in `bindings`. */
  slot: number;
}

const SENTINEL = '\u0000openimis-fhir-lookup\u0000';
/** Entries per definition and caller: lookups are a handful, search shapes depend on the request. */
const MAX_ENTRIES = 100;
const compiled = new WeakMap<AnyResourceDefinition, WeakMap<object, BoundedMap<string, unknown>>>();

/** The entry of a definition, caller and key (which names the dialect), made once. */
function remembered<T>(def: AnyResourceDefinition, caller: object, key: string, make: () => T): T {
  let byCaller = compiled.get(def);
  if (!byCaller) compiled.set(def, (byCaller = new WeakMap()));
  let entries = byCaller.get(caller);
  if (!entries) byCaller.set(caller, (entries = new BoundedMap(MAX_ENTRIES)));
  if (entries.has(key)) return entries.get(key) as T;
  const made = make();
  entries.set(key, made);
  return made;
}

const dialectKey = (db: Knex) => (db.client as { dialect?: string }).dialect;

/**
 * Runs `build(query, value)` for the definition and caller: the first time through knex (keeping the
 * compiled SQL when the value appears exactly once among the bindings), afterwards as raw SQL.
 * `kind` names the lookup (its shape must depend on nothing else).
 */
export async function lookup(
  def: AnyResourceDefinition,
  ctx: RequestContext,
  db: Knex,
  kind: string,
  value: string,
  build: (db: Knex, value: string) => Knex.QueryBuilder,
): Promise<Row[]> {
  const caller = ctx.caller as object | undefined;
  if (!caller || typeof caller !== 'object') return build(db, value);
  // The same definitions may serve several databases (tests compile every query for SQL Server).
  const statement = remembered(def, caller, `${dialectKey(db)} lookup ${kind}`, () => compile(build(db, SENTINEL)));
  if (!statement) return build(db, value);
  const bindings = statement.bindings.slice();
  bindings[statement.slot] = value;
  const direct = directSelect(db);
  if (direct) return (await direct(statement.native, bindings)) as Row[];
  return viaKnex(db, statement.sql, bindings, () => build(db, value));
}

/** Runs compiled SQL through knex, noting the query it was compiled from (compiledFrom). */
async function viaKnex(db: Knex, sql: string, bindings: unknown[], from: () => Knex.QueryBuilder): Promise<Row[]> {
  const raw = db.raw(sql, bindings as Knex.RawBinding[]);
  compiledFrom.set(raw, from);
  return dialectFor(db).rawRows(await raw) as Row[];
}

/**
 * The query a lookup's raw SQL was compiled from, for whoever must compile the same query for
 * another dialect (the SQL Server check of test/helpers/mssql-capture.ts).
 */
export const compiledFrom = new WeakMap<Knex.Raw, () => Knex.QueryBuilder>();

function compile(query: Knex.QueryBuilder): Compiled | null {
  const compiled = query.toSQL();
  const { sql, bindings } = compiled;
  const slots = bindings.flatMap((b, i) => (b === SENTINEL ? [i] : []));
  if (slots.length !== 1 || !plainPlaceholders(sql, bindings)) return null;
  return { sql, native: compiled.toNative().sql, bindings: [...bindings], slot: slots[0] };
}

/**
 * Runs a built SELECT and returns its rows: on PostgreSQL compiled here and run straight on a pooled
 * connection (directSelect), skipping knex's runner, elsewhere through knex as usual.
 */
export async function selectRows(db: Knex, query: Knex.QueryBuilder): Promise<Row[]> {
  const direct = directSelect(db);
  if (!direct) return query;
  const { sql, bindings } = query.toSQL().toNative();
  return (await direct(sql, bindings as unknown[])) as Row[];
}

/** Raw SQL gives `?` and `??` a meaning of their own: SQL passes as raw SQL when its every `?` is a binding. */
const plainPlaceholders = (sql: string, bindings: readonly unknown[]) => (sql.match(/\?/g)?.length ?? 0) === bindings.length && !sql.includes('??');

interface Template {
  /** The SQL before and after the marker, and the bindings of each part. */
  before: string;
  after: string;
  bindingsBefore: unknown[];
  bindingsAfter: unknown[];
  /**
   * The whole SQL by conditions key, and the same in the driver's placeholders once it ran direct:
   * the same string each time, so that naming its statement costs a lookup by a hash already
   * computed, not a concatenation, a rewrite of its placeholders and a hash of the whole text.
   */
  finished: BoundedMap<string, { sql: string; native?: string }>;
}

const MARKER = '1 = 1 /* search conditions */';
/** A query of nothing but conditions compiles to this, then the conditions. */
const CONDITIONS_ONLY = 'select 1 where ';

/**
 * Runs a search page's SELECT: `base(db)` (select, row scope, order, limit) with the WHERE conditions
 * `where` adds. The base is compiled once per definition, caller and `shape`, which must name
 * everything `base` puts into the SQL and its bindings; `where` is recorded on each call. Whatever
 * cannot be spliced that way (conditions that are more than a WHERE) runs as one query as before.
 */
export async function selectWhere(
  def: AnyResourceDefinition,
  ctx: RequestContext,
  db: Knex,
  shape: string,
  base: (db: Knex) => Knex.QueryBuilder,
  where: (qb: Knex.QueryBuilder) => void,
): Promise<Row[]> {
  const whole = () => {
    const query = base(db);
    where(query);
    return query;
  };
  const caller = ctx.caller as object | undefined;
  if (!caller || typeof caller !== 'object') return selectRows(db, whole());
  const template = remembered(def, caller, `${dialectKey(db)} search ${shape}`, () => templateOf(base(db).whereRaw(MARKER)));
  const conditions = template && conditionsOf(db, where);
  if (!conditions) return selectRows(db, whole());
  const direct = directSelect(db);
  const all = [...template.bindingsBefore, ...conditions.bindings, ...template.bindingsAfter];
  let finished = conditions.key === undefined ? undefined : template.finished.get(conditions.key);
  if (!finished) {
    finished = { sql: template.before + conditions.sql + template.after };
    if (conditions.key !== undefined) template.finished.set(conditions.key, finished);
  }
  const sql = finished.sql;
  if (direct) return (await direct((finished.native ??= positional(db, sql)), all)) as Row[];
  return viaKnex(db, sql, all, whole);
}

/** Conditions' SQL by dialect and recording key (recorded-where.ts); bounded, as keys depend on the request. */
const conditionsSql = new BoundedMap<string, string>(1000);

/**
 * The conditions `where` adds, as SQL for the marker's place and their bindings: from a recording
 * whose key was compiled before, else compiled by knex (and remembered under the recording's key
 * when knex bound the recorded values). Undefined when they are more than a WHERE.
 */
function conditionsOf(db: Knex, where: (qb: Knex.QueryBuilder) => void): { sql: string; bindings: unknown[]; key?: string } | undefined {
  const recording = recordWhere(where);
  const key = recording && `${dialectKey(db)}${recording.key}`;
  const known = key && conditionsSql.get(key);
  if (known) return { sql: known, bindings: recording.values, key };
  const query = db.queryBuilder().select(db.raw('1'));
  where(query);
  const { sql: probe, bindings } = query.toSQL();
  const sql = probe === 'select 1' ? MARKER : probe.startsWith(CONDITIONS_ONLY) ? `(${probe.slice(CONDITIONS_ONLY.length)})` : undefined;
  if (sql === undefined || !plainPlaceholders(probe, bindings)) return undefined;
  if (!key || !sameValues(recording.values, bindings)) return { sql, bindings: [...bindings] };
  conditionsSql.set(key, sql);
  return { sql, bindings: [...bindings], key };
}

function templateOf(query: Knex.QueryBuilder): Template | null {
  const { sql, bindings } = query.toSQL();
  const at = sql.indexOf(MARKER);
  if (at < 0 || sql.indexOf(MARKER, at + 1) >= 0 || !plainPlaceholders(sql, bindings)) return null;
  const before = sql.slice(0, at);
  const split = before.match(/\?/g)?.length ?? 0;
  return { before, after: sql.slice(at + MARKER.length), bindingsBefore: bindings.slice(0, split), bindingsAfter: bindings.slice(split), finished: new BoundedMap(MAX_ENTRIES) };
}

/** `?` placeholders in the driver's own form ($1 for PostgreSQL), as knex's toNative writes them. */
const positional = (db: Knex, sql: string): string => (db.client as { positionBindings(sql: string): string }).positionBindings(sql);
