/**
 * Opens the configured database as a Knex instance: PostgreSQL (pg), SQL Server (tedious) or the
 * embedded PGlite, which is created on first use with the openIMIS legacy schema and, unless
 * DEMO_DATASET=false, the demo dataset.
 */
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import ClientPgLite from 'knex-pglite';
// @ts-expect-error knex ships no types for its dialect modules
import ClientPG from 'knex/lib/dialects/postgres/index.js';
import { createHash } from 'node:crypto';
import type { DbConfig } from '../config.js';
import { createLegacySchema, createPerformanceIndexes } from './legacy-schema/index.js';
import { loadDemoData } from './demo/index.js';
import { migrateOwnTables } from './migrations/index.js';

// One representation of legacy values whatever the driver: dates stay 'YYYY-MM-DD' strings
// (no time-zone shift), numeric(18,2) amounts become numbers, bigint counts become numbers.
const DATE_OID = 1082;
const NUMERIC_OID = 1700;
const INT8_OID = 20;
pg.types.setTypeParser(DATE_OID, (value: string) => value);
pg.types.setTypeParser(NUMERIC_OID, (value: string) => Number(value));
pg.types.setTypeParser(INT8_OID, (value: string) => Number(value));

/**
 * PostgreSQL plans each unnamed statement anew, and planning a resource's select with its joins costs
 * several times executing it. SELECTs therefore go as named statements (named by a hash of their
 * text), planned once per connection. Search shapes vary, so only the first MAX_NAMED distinct
 * statements get a name; the rest stay unnamed rather than fill the server's statement cache.
 */
const MAX_NAMED = 2000;
/** SQL text → statement name, so that a statement seen before costs a lookup, not a hash. */
const named = new Map<string, string>();
function statementName(sql: string): string | undefined {
  let name = named.get(sql);
  if (!name && named.size < MAX_NAMED) {
    name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    named.set(sql, name);
  }
  return name;
}
class NamedStatementsClient extends (ClientPG as { new (config: unknown): object }) {
  _query(connection: unknown, obj: { sql: string; options?: Record<string, unknown> }) {
    if (/^\s*select/i.test(obj.sql) && !obj.options?.name) {
      const name = statementName(obj.sql);
      if (name) obj.options = { ...obj.options, name };
    }
    return (ClientPG.prototype as { _query(c: unknown, o: unknown): Promise<unknown> })._query.call(this, connection, obj);
  }
}

type PooledClient = { acquireConnection(): Promise<pg.Client>; releaseConnection(connection: pg.Client): Promise<unknown> };

/**
 * Runs a SELECT already compiled to PostgreSQL's own SQL ($1, $2, ...) straight on a pooled pg
 * connection, as a named statement: knex's query runner (builder promise, events, query object,
 * response processing) costs about as much node CPU as the driver's own work on a short read.
 * Undefined where knex must run the query: other drivers, transactions (their connection is held by
 * knex), and a Knex instance whose queries someone observes (knex `query` / `start` listeners, as
 * the tests that inspect SQL attach), so that observers see every query.
 */
export function directSelect(db: Knex): DirectSelect | undefined {
  if (!(db.client instanceof NamedStatementsClient) || db.isTransaction) return undefined;
  if (db.listenerCount('query') > 0 || db.listenerCount('start') > 0) return undefined;
  let run = directRunners.get(db.client);
  if (!run) directRunners.set(db.client, (run = runnerOn(db.client as unknown as PooledClient)));
  return run;
}

type DirectSelect = (sql: string, values: unknown[]) => Promise<Record<string, unknown>[]>;
/** One runner per knex client (pool), made once rather than on every query. */
const directRunners = new WeakMap<object, DirectSelect>();

function runnerOn(client: PooledClient): DirectSelect {
  return async (sql, values) => {
    const connection = await client.acquireConnection();
    try {
      const name = statementName(sql);
      const result = await connection.query(name ? { name, text: sql, values } : { text: sql, values });
      return result.rows;
    } finally {
      await client.releaseConnection(connection);
    }
  };
}

/**
 * Session settings of every PostgreSQL connection. Memoize (PostgreSQL 14+) sizes its cache from
 * the planner's row estimate of the whole join, not from the LIMIT of a page: on a page of 20
 * insurees out of 50,000 the three memoized lookups allocated ~20 ms of hash tables per query
 * (measured, PostgreSQL 15), twenty times the cost of the query itself. Plain index lookups do.
 */
const SESSION_SETTINGS = `DO $$ BEGIN
  IF current_setting('server_version_num')::int >= 140000 THEN PERFORM set_config('enable_memoize', 'off', false); END IF;
END $$`;

function configureSession(connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) {
  connection.query(SESSION_SETTINGS).then(
    () => done(null, connection),
    (error: Error) => done(error, connection),
  );
}

export function knexConfig(db: DbConfig): Knex.Config {
  switch (db.engine) {
    case 'postgresql':
      return {
        client: NamedStatementsClient as unknown as typeof Knex.Client,
        connection: { host: db.host, port: db.port, database: db.name, user: db.user, password: db.password, ...db.options },
        pool: { min: 0, max: db.poolMax, afterCreate: configureSession },
      };
    case 'mssql':
      return {
        client: 'mssql',
        connection: {
          server: db.host,
          port: db.port,
          database: db.name,
          user: db.user,
          password: db.password,
          options: { encrypt: false, trustServerCertificate: true, ...db.options },
        },
        pool: { min: 0, max: db.poolMax },
      };
    case 'pglite':
      return { client: ClientPgLite as unknown as typeof Knex.Client, dialect: 'postgres', connection: {} };
  }
}

/** Creates a PGlite instance with the same value parsers as the pg driver. */
export async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<PGlite> {
  // Options go in the first argument: new PGlite(undefined, options) ignores them.
  const pglite = new PGlite({
    dataDir,
    loadDataDir,
    parsers: { [DATE_OID]: (v: string) => v, [NUMERIC_OID]: (v: string) => Number(v), [INT8_OID]: (v: string) => Number(v) },
  });
  await pglite.waitReady;
  return pglite;
}

export function knexOverPglite(pglite: PGlite): Knex {
  return knexFactory({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: () => ({ pglite }) as unknown as Knex.StaticConnectionConfig,
  });
}

/** Creates the legacy schema (and the demo data) in an empty database. */
export async function initialiseDatabase(knex: Knex, withDemo: boolean): Promise<void> {
  await createLegacySchema(knex);
  await createPerformanceIndexes(knex);
  if (withDemo) await loadDemoData(knex);
  await migrateOwnTables(knex);
}

/** Opens the database; the server's own tables (fhir_*) are migrated at every start. */
export async function openDatabase(db: DbConfig): Promise<Knex> {
  if (db.engine !== 'pglite') {
    const knex = knexFactory(knexConfig(db));
    await migrateOwnTables(knex);
    return knex;
  }
  const isNew = !existsSync(join(db.pgliteDir, 'PG_VERSION'));
  mkdirSync(db.pgliteDir, { recursive: true });
  const knex = knexOverPglite(await openPglite(db.pgliteDir));
  if (isNew) await initialiseDatabase(knex, db.demoDataset);
  else await migrateOwnTables(knex);
  return knex;
}
