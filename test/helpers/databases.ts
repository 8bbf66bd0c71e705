/**
 * Test databases, real ones: the embedded PGlite (restored per test file from a snapshot of the
 * schema + demo data) or the local PostgreSQL (a fresh database per test file, copied from a
 * template). TEST_DB=postgresql selects the latter; PGlite is the default.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { initialiseDatabase, knexConfig, knexOverPglite, openPglite } from '../../src/db/connect.js';
import { createLegacySchema } from '../../src/db/legacy-schema/index.js';
import { migrateOwnTables } from '../../src/db/migrations/index.js';
import { PgCopyTarget, PgliteCopyTarget, seedDatabase, type GeneratorOptions } from '../../src/db/generator/index.js';
import type { SeedSummary } from '../../src/db/generator/index.js';

export type TestEngine = 'pglite' | 'postgresql';
export const testEngine: TestEngine = process.env.TEST_DB === 'postgresql' ? 'postgresql' : 'pglite';

const CACHE = join(process.cwd(), '.cache');
const SNAPSHOT = join(CACHE, 'pglite-demo.tgz');
export const PG = {
  host: process.env.TEST_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.TEST_PG_PORT ?? 5432),
  user: process.env.TEST_PG_USER ?? 'postgres',
  password: process.env.TEST_PG_PASSWORD ?? '',
};
export const TEMPLATE_DB = process.env.TEST_PG_TEMPLATE ?? 'openimis_fhir_test_template';

const adminKnex = () => knexFactory({ client: 'pg', connection: { ...PG, database: 'postgres' }, pool: { min: 0, max: 1 } });

/** Builds what every test file starts from; run once by tap's `before` script. */
export async function prepareTemplates(): Promise<void> {
  if (testEngine === 'pglite') {
    mkdirSync(CACHE, { recursive: true });
    const pglite = await openPglite();
    const knex = knexOverPglite(pglite);
    await initialiseDatabase(knex, true);
    const dump = await pglite.dumpDataDir('gzip');
    writeFileSync(`${SNAPSHOT}.tmp`, Buffer.from(await dump.arrayBuffer()));
    renameSync(`${SNAPSHOT}.tmp`, SNAPSHOT);
    await knex.destroy();
    return;
  }
  const admin = adminKnex();
  try {
    await admin.raw('drop database if exists ?? with (force)', [TEMPLATE_DB]);
    await admin.raw('create database ??', [TEMPLATE_DB]);
  } finally {
    await admin.destroy();
  }
  const knex = knexFactory({ client: 'pg', connection: { ...PG, database: TEMPLATE_DB }, pool: { min: 0, max: 1 } });
  try {
    await initialiseDatabase(knex, true);
  } finally {
    await knex.destroy();
  }
}

export interface TestDatabase {
  knex: Knex;
  engine: TestEngine;
  /** Database name (PostgreSQL only). */
  name?: string;
  drop(): Promise<void>;
}

/**
 * A private copy of the demo database for one test file, with the server's own pool settings unless
 * given (PGlite has one connection), as PostgreSQL's own user unless given.
 */
export async function openTestDatabase(pool: { max?: number; timeoutMs?: number; user?: string } = {}): Promise<TestDatabase> {
  if (testEngine === 'pglite') {
    if (!existsSync(SNAPSHOT)) await prepareTemplates();
    const pglite = await openPglite(undefined, new Blob([readFileSync(SNAPSHOT)]));
    const knex = knexOverPglite(pglite, pool.timeoutMs);
    return { knex, engine: 'pglite', drop: () => knex.destroy() };
  }
  const name = `openimis_fhir_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = adminKnex();
  try {
    await admin.raw('create database ?? template ??', [name, TEMPLATE_DB]);
  } finally {
    await admin.destroy();
  }
  // The server's own PostgreSQL client (named statements, session settings, direct SELECTs).
  const knex = knexFactory(knexConfig({ engine: 'postgresql', ...PG, user: pool.user ?? PG.user, name, options: {}, pgliteDir: '', demoDataset: false, poolMax: pool.max ?? 10, poolTimeoutMs: pool.timeoutMs }));
  return {
    knex,
    engine: 'postgresql',
    name,
    async drop() {
      await knex.destroy();
      const admin2 = adminKnex();
      try {
        await admin2.raw('drop database if exists ?? with (force)', [name]);
      } finally {
        await admin2.destroy();
      }
    },
  };
}

/**
 * A fresh database holding only what the data generator makes (`npm run seed`): the legacy schema,
 * a generated scheme of `opts.insurees` persons, and the server's own tables. PGlite in memory, or a
 * new PostgreSQL database (the generator's COPY over the pg pool, as the seed script does).
 */
export async function openGeneratedDatabase(opts: GeneratorOptions): Promise<TestDatabase & { summary: SeedSummary }> {
  if (testEngine === 'pglite') {
    const pglite = await openPglite();
    const knex = knexOverPglite(pglite);
    await createLegacySchema(knex);
    const summary = await seedDatabase(knex, new PgliteCopyTarget(pglite), { parallel: 1, run: async (sql) => void (await pglite.exec(sql)) }, opts);
    await migrateOwnTables(knex);
    return { knex, engine: 'pglite', summary, drop: () => knex.destroy() };
  }
  const name = `openimis_fhir_generated_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = adminKnex();
  try {
    await admin.raw(`create database ?? encoding 'UTF8' template template0`, [name]);
  } finally {
    await admin.destroy();
  }
  const knex = knexFactory({ client: 'pg', connection: { ...PG, database: name }, pool: { min: 0, max: 10 } });
  // The family pass keeps ten COPY streams open at once, each on its own connection (as scripts/seed.ts).
  const pool = new pg.Pool({ ...PG, database: name, max: 14 });
  const drop = async () => {
    await knex.destroy();
    const admin2 = adminKnex();
    try {
      await admin2.raw('drop database if exists ?? with (force)', [name]);
    } finally {
      await admin2.destroy();
    }
  };
  try {
    await createLegacySchema(knex);
    const runner = { parallel: 2, run: async (sql: string) => void (await pool.query(sql)) };
    const summary = await seedDatabase(knex, new PgCopyTarget(pool), runner, opts);
    await migrateOwnTables(knex);
    return { knex, engine: 'postgresql', name, summary, drop };
  } catch (error) {
    await drop();
    throw error;
  } finally {
    await pool.end();
  }
}
