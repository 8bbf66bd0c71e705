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
import type { DbConfig } from '../config.js';
import { createLegacySchema, createPerformanceIndexes } from './legacy-schema/index.js';
import { loadDemoData } from './demo/index.js';
import { migrateOwnTables, migrateOwnTablesExclusively } from './migrations/index.js';
import { NamedStatementsClient } from './named-statements.js';

// One representation of legacy values whatever the driver: dates stay 'YYYY-MM-DD' strings
// (no time-zone shift), numeric(18,2) amounts become numbers, bigint counts become numbers.
const DATE_OID = 1082;
const NUMERIC_OID = 1700;
const INT8_OID = 20;
pg.types.setTypeParser(DATE_OID, (value: string) => value);
pg.types.setTypeParser(NUMERIC_OID, (value: string) => Number(value));
pg.types.setTypeParser(INT8_OID, (value: string) => Number(value));

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
        acquireConnectionTimeout: db.poolTimeoutMs,
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
        acquireConnectionTimeout: db.poolTimeoutMs,
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

export function knexOverPglite(pglite: PGlite, poolTimeoutMs?: number): Knex {
  return knexFactory({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    acquireConnectionTimeout: poolTimeoutMs,
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
    const lockDb = knexFactory({ ...knexConfig(db), pool: { min: 0, max: 1 } });
    try {
      await migrateOwnTablesExclusively(knex, lockDb);
    } catch (error) {
      await knex.destroy();
      throw error;
    } finally {
      await lockDb.destroy();
    }
    return knex;
  }
  const isNew = !existsSync(join(db.pgliteDir, 'PG_VERSION'));
  mkdirSync(db.pgliteDir, { recursive: true });
  const knex = knexOverPglite(await openPglite(db.pgliteDir), db.poolTimeoutMs);
  if (isNew) await initialiseDatabase(knex, db.demoDataset);
  else await migrateOwnTables(knex);
  return knex;
}
