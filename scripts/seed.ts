/**
 * Fills a PostgreSQL database with a national-scale openIMIS legacy dataset.
 *
 *   npm run seed -- --insurees 1000000 --reset
 *
 * Target: the normal configuration (DB_* variables / .env), PostgreSQL by default, or --database-url.
 * See --help.
 */
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { mkdirSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { ConfigError, loadConfig, loadEnv } from '../src/config.js';
import { knexConfig, knexOverPglite, openPglite } from '../src/db/connect.js';
import { createLegacySchema, LEGACY_TABLES, quoteIdent } from '../src/db/legacy-schema/index.js';
import {
  DATA_TABLES, DEFAULT_CLAIMS_PER_INSUREE_YEAR, PgCopyTarget, PgliteCopyTarget, seedDatabase,
  type LoadTarget, type SeedSummary, type SqlRunner,
} from '../src/db/generator/index.js';
import { dayOf, isoDay, todayDay } from '../src/db/generator/dates.js';
import { ProgressBar } from '../src/db/generator/progress.js';

const USAGE = `Usage: npm run seed -- [options]

  --insurees N          persons to generate (default 100000)
  --seed S              seed of the pseudo-random generator (default 1)
  --reset               drop every legacy table and recreate the schema first (deletes all data)
  --database-url URL    postgres://user:password@host:port/database (default: DB_* configuration)
  --today YYYY-MM-DD    reference date of the dataset (default: today, UTC)
  --claims-per-year R   claims per insuree and year of coverage (default ${DEFAULT_CLAIMS_PER_INSUREE_YEAR})
  --help

The database comes from DB_ENGINE/DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD (or .env); the engine
defaults to postgresql here. PGlite is accepted for at most ${20_000} insurees, SQL Server not at all.
Without --reset a missing schema is created, and a database that already holds openIMIS data is refused.`;

const PGLITE_LIMIT = 20_000;

class UsageError extends Error {}

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        insurees: { type: 'string' },
        seed: { type: 'string' },
        reset: { type: 'boolean', default: false },
        'database-url': { type: 'string' },
        today: { type: 'string' },
        'claims-per-year': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const { values } = parsed;
  const int = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const v = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be an integer >= ${min} (got "${raw}")`);
    return v;
  };
  const rate = values['claims-per-year'] === undefined ? DEFAULT_CLAIMS_PER_INSUREE_YEAR : Number(values['claims-per-year']);
  if (!Number.isFinite(rate) || rate < 0 || rate > 50) throw new UsageError('--claims-per-year must be a number between 0 and 50');
  let today = todayDay();
  if (values.today !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.today)) throw new UsageError('--today must be YYYY-MM-DD');
    today = dayOf(values.today);
  }
  return {
    help: values.help,
    insurees: int('insurees', values.insurees, 100_000, 1),
    seed: int('seed', values.seed, 1, 0),
    reset: values.reset,
    databaseUrl: values['database-url'],
    today,
    claimsPerInsureeYear: rate,
  };
}

interface Connection {
  knex: Knex;
  target: LoadTarget;
  runner: SqlRunner;
  describe: string;
  close(): Promise<void>;
}

async function connectPostgres(connection: pg.PoolConfig, describe: string): Promise<Connection> {
  const pool = new pg.Pool({ ...connection, max: 14 });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    const e = err as { code?: string; message: string };
    const hint = e.code === '3D000' ? ' (create it first, e.g. psql -c "create database <name>")'
      : e.code === 'ECONNREFUSED' ? ' (is PostgreSQL running? check DB_HOST / DB_PORT)' : '';
    throw new UsageError(`Cannot connect to ${describe}: ${e.message}${hint}`);
  }
  const knex = knexFactory({ client: 'pg', connection: connection as Knex.PgConnectionConfig, pool: { min: 0, max: 4 } });
  const target = new PgCopyTarget(pool);
  const runner: SqlRunner = {
    parallel: 2,
    async run(sql) {
      const client = await pool.connect();
      try {
        await client.query("SET maintenance_work_mem = '512MB'; SET work_mem = '128MB'");
        await client.query(sql);
      } finally {
        client.release();
      }
    },
  };
  return {
    knex, target, runner, describe,
    async close() {
      await target.abort();
      await knex.destroy();
      await pool.end();
    },
  };
}

async function connectPglite(dir: string): Promise<Connection> {
  mkdirSync(dir, { recursive: true });
  const pglite: PGlite = await openPglite(dir);
  const knex = knexOverPglite(pglite);
  return {
    knex,
    target: new PgliteCopyTarget(pglite),
    runner: { parallel: 1, run: async (sql) => void (await pglite.exec(sql)) },
    describe: `PGlite in ${dir}`,
    async close() {
      await knex.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

async function prepareSchema(knex: Knex, reset: boolean): Promise<string> {
  const names = LEGACY_TABLES.map((t) => t.name);
  const present = (await knex.raw<{ rows: { table_name: string }[] }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ANY(string_to_array(?, ','))",
    [names.join(',')],
  )).rows.length;
  if (reset) {
    if (present > 0) await knex.raw(`DROP TABLE IF EXISTS ${names.map(quoteIdent).join(', ')} CASCADE`);
    await createLegacySchema(knex);
    return present > 0 ? `dropped ${present} legacy tables and recreated the schema` : 'created the legacy schema';
  }
  if (present === 0) {
    await createLegacySchema(knex);
    return 'created the legacy schema';
  }
  if (present < names.length) {
    throw new UsageError(`The database has an incomplete legacy schema (${present} of ${names.length} tables). Re-run with --reset to recreate it.`);
  }
  const holding: string[] = [];
  for (const table of DATA_TABLES) {
    const row = await knex.raw<{ rows: { any: boolean }[] }>(`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table)}) AS any`);
    if (row.rows[0].any) holding.push(table);
  }
  if (holding.length) {
    throw new UsageError(`The database already holds openIMIS data (${holding.join(', ')}). `
      + 'Re-run with --reset to drop and recreate every legacy table (this deletes all data in them).');
  }
  return 'using the existing, empty legacy schema';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function report(summary: SeedSummary, wallMs: number): void {
  const post = new Map<string, number>();
  for (const t of summary.timings) post.set(t.table, (post.get(t.table) ?? 0) + t.ms);
  const rows = summary.tables.map((t) => [t.table, t.rows.toLocaleString('en'), (t.bytes / 1e6).toFixed(1), seconds(t.ms), seconds(post.get(t.table) ?? 0)]);
  const header = ['table', 'rows', 'MB', 'COPY open', 'indexes/FK/analyze'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${line(header)}`);
  for (const r of rows) console.log(line(r));
  const totalRows = summary.tables.reduce((a, t) => a + t.rows, 0);
  console.log(`${'total'.padEnd(widths[0])}  ${totalRows.toLocaleString('en').padStart(widths[1])}`);
  if (post.has('(all)')) console.log(`FHIR performance indexes: ${seconds(post.get('(all)')!)}`);
  console.log('\nPhases:');
  for (const p of summary.phases) console.log(`  ${p.phase.padEnd(48)} ${seconds(p.ms).padStart(8)}`);
  console.log(`\nCurrent claims by ClaimStatus: ${Object.entries(summary.claimStatus).sort((a, b) => Number(a[0]) - Number(b[0])).map(([s, n]) => `${s}: ${n.toLocaleString('en')}`).join(', ')}`);
  for (const note of summary.notes) console.log(`- ${note}`);
  console.log(`\nDone in ${seconds(wallMs)}.`);
}

const YOUNG_GENERATION_FLAG = '--max-semi-space-size=';

/**
 * The generator allocates millions of short-lived rows; a larger young generation cuts the garbage
 * collection time by about a third. V8 reads the flag only at start-up, so the script runs itself
 * again in a child process with the flag (unless it already has it). Resolves with the child's exit
 * code, or null when this process should do the work itself.
 */
function relaunchWithLargerYoungGeneration(): Promise<number | null> {
  const hasFlag = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.startsWith(YOUNG_GENERATION_FLAG));
  if (hasFlag || process.env.OPENIMIS_SEED_CHILD) return Promise.resolve(null);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${YOUNG_GENERATION_FLAG}128`, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, OPENIMIS_SEED_CHILD: '1' },
    });
    const ignore = () => {}; // Ctrl-C reaches the child directly; wait for it to stop
    process.on('SIGINT', ignore);
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('error', () => resolve(null));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
  });
}

async function main(): Promise<number> {
  const relaunched = await relaunchWithLargerYoungGeneration();
  if (relaunched !== null) return relaunched;
  const started = Date.now();
  const opts = parseOptions();
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const env = loadEnv();
  if (!env.DB_ENGINE?.trim() && !env.DB_DEFAULT?.trim()) env.DB_ENGINE = 'postgresql';
  const config = loadConfig(env);
  let conn: Connection;
  if (opts.databaseUrl) {
    conn = await connectPostgres({ connectionString: opts.databaseUrl }, opts.databaseUrl.replace(/:[^:@/]*@/, ':***@'));
  } else if (config.db.engine === 'postgresql') {
    const c = knexConfig(config.db).connection as pg.PoolConfig;
    conn = await connectPostgres(c, `postgresql://${config.db.user}@${config.db.host}:${config.db.port}/${config.db.name}`);
  } else if (config.db.engine === 'pglite') {
    if (opts.insurees > PGLITE_LIMIT) {
      throw new UsageError(`PGlite (single-threaded, in-process) is only meant for small datasets: --insurees ${opts.insurees} is above ${PGLITE_LIMIT}. `
        + 'Use PostgreSQL (DB_ENGINE=postgresql DB_HOST=… DB_NAME=…, or --database-url) or fewer insurees.');
    }
    conn = await connectPglite(config.db.pgliteDir);
  } else {
    throw new UsageError('The seed writes with PostgreSQL COPY; SQL Server (DB_ENGINE=mssql) is not supported. Seed a PostgreSQL database instead.');
  }

  let bar: ProgressBar | undefined;
  try {
    console.log(`Seeding ${conn.describe}: ${opts.insurees.toLocaleString('en')} insurees, seed ${opts.seed}, today ${isoDay(opts.today)}, `
      + `${opts.claimsPerInsureeYear} claims per insuree-year`);
    console.log(`Schema: ${await prepareSchema(conn.knex, opts.reset)}`);
    bar = new ProgressBar('insurees');
    const summary = await seedDatabase(conn.knex, conn.target, conn.runner, opts, {
      progress: (done, total) => bar!.update(done, total),
      step: (name) => {
        if (name === 'indexes and foreign keys') bar!.finish();
        if (name !== 'families') console.log(`… ${name}`);
      },
    });
    report(summary, Date.now() - started);
    return 0;
  } finally {
    await conn.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError || err instanceof ConfigError) console.error(`\n${err.message}`);
    else console.error('\nSeed failed:', err);
    process.exit(1);
  },
);
