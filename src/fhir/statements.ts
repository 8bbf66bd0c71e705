/**
 * Lookups compiled once. A read by id is the commonest request, and knex builds and compiles a
 * resource's select (dozens of quoted columns, joins, row security) anew on every call. So a
 * lookup's query is built and compiled once per resource definition, caller, lookup kind and SQL
 * dialect, with a sentinel in place of the looked-up value, and later runs as the same SQL text
 * with the value swapped into its binding (on PostgreSQL straight on a pooled connection, see
 * directSelect).
 *
 * Keyed by the caller object: its row scope is part of the SQL (district ids, facility), and the
 * user directory replaces the object whenever the scope may have changed, which drops the entry.
 * Everything else a select or a scope puts into the SQL is fixed per definition.
 */
import type { Knex } from 'knex';
import type { AnyResourceDefinition, RequestContext, Row } from './types.js';
import { dialectFor, type Dialect } from '../db/dialect/index.js';
import { directSelect } from '../db/named-statements.js';

interface Compiled {
  sql: string;
  /** The same SQL in the driver's own placeholders ($1 for PostgreSQL). */
  native: string;
  bindings: unknown[];
  /** Where the looked-up value goes in `bindings`. */
  slot: number;
  dialect: Dialect;
}

const SENTINEL = '\u0000openimis-fhir-lookup\u0000';
const compiled = new WeakMap<AnyResourceDefinition, WeakMap<object, Map<string, Compiled | null>>>();

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
  let byCaller = compiled.get(def);
  if (!byCaller) compiled.set(def, (byCaller = new WeakMap()));
  let byKind = byCaller.get(caller);
  if (!byKind) byCaller.set(caller, (byKind = new Map()));
  // The same definitions may serve several databases (tests compile every query for SQL Server).
  const key = `${(db.client as { dialect?: string }).dialect} ${kind}`;
  let statement = byKind.get(key);
  if (statement === undefined) {
    statement = compile(build(db, SENTINEL), dialectFor(db));
    byKind.set(key, statement);
  }
  if (!statement) return build(db, value);
  const bindings = statement.bindings.slice();
  bindings[statement.slot] = value;
  const direct = directSelect(db);
  if (direct) return (await direct(statement.native, bindings)) as Row[];
  const raw = db.raw(statement.sql, bindings as Knex.RawBinding[]);
  compiledFrom.set(raw, () => build(db, value));
  return statement.dialect.rawRows(await raw) as Row[];
}

/**
 * The query a lookup's raw SQL was compiled from, for whoever must compile the same query for
 * another dialect (the SQL Server check of test/helpers/mssql-capture.ts).
 */
export const compiledFrom = new WeakMap<Knex.Raw, () => Knex.QueryBuilder>();

function compile(query: Knex.QueryBuilder, dialect: Dialect): Compiled | null {
  const compiled = query.toSQL();
  const { sql, bindings } = compiled;
  const slots = bindings.flatMap((b, i) => (b === SENTINEL ? [i] : []));
  // Raw SQL gives `?` and `??` a meaning of their own: keep only SQL whose every `?` is a binding.
  const placeholders = sql.match(/\?/g)?.length ?? 0;
  if (slots.length !== 1 || placeholders !== bindings.length || sql.includes('??')) return null;
  return { sql, native: compiled.toNative().sql, bindings: [...bindings], slot: slots[0], dialect };
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
