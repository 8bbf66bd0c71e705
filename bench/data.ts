/**
 * The benchmark database: a dedicated PostgreSQL database filled by the national-scale generator
 * (scripts/seed.ts, run as a child process), and the random ids / values the load is drawn from.
 */
import pg from 'pg';
import { spawnChild, type Child } from './procs.js';

export interface BenchDb {
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
}

export function benchDbFromEnv(env = process.env): BenchDb {
  return {
    host: env.DB_HOST || '127.0.0.1',
    port: Number(env.DB_PORT || 5432),
    user: env.DB_USER || 'postgres',
    password: env.DB_PASSWORD || '',
    name: env.BENCH_DB_NAME || 'openimis_fhir_bench',
  };
}

export const describeDb = (db: BenchDb) => `postgresql://${db.user}@${db.host}:${db.port}/${db.name}`;

async function withClient<T>(db: BenchDb, database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface DbState {
  exists: boolean;
  currentInsurees: number;
  admin: boolean;
}

/** Whether the database exists, how many current insurees it holds and whether Admin exists. */
export async function inspect(db: BenchDb): Promise<DbState> {
  const exists = await withClient(db, 'postgres', async (c) =>
    (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name])).rowCount === 1);
  if (!exists) return { exists, currentInsurees: 0, admin: false };
  return withClient(db, db.name, async (c) => {
    const tables = await c.query(`SELECT to_regclass('"tblInsuree"') AS i, to_regclass('"tblUsers"') AS u`);
    if (!tables.rows[0].i || !tables.rows[0].u) return { exists, currentInsurees: 0, admin: false };
    const n = await c.query('SELECT count(*)::int AS n FROM "tblInsuree" WHERE "ValidityTo" IS NULL');
    const admin = await c.query(`SELECT 1 FROM "tblUsers" WHERE "LoginName" = 'Admin' AND "ValidityTo" IS NULL`);
    return { exists, currentInsurees: n.rows[0].n, admin: (admin.rowCount ?? 0) > 0 };
  });
}

export async function createDatabase(db: BenchDb): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(db.name)) throw new Error(`BENCH_DB_NAME must be a plain lower-case identifier (got "${db.name}")`);
  await withClient(db, 'postgres', (c) => c.query(`CREATE DATABASE ${db.name}`));
}

/** Runs `npm run seed -- --insurees N --reset` against the bench database, bounded in time. */
export async function seed(db: BenchDb, insurees: number, timeoutMs: number): Promise<void> {
  const child: Child = spawnChild({
    name: 'seed',
    command: process.execPath,
    args: ['--import', 'tsx', 'scripts/seed.ts', '--insurees', String(insurees), '--reset'],
    env: {
      DB_ENGINE: 'postgresql',
      DB_HOST: db.host,
      DB_PORT: String(db.port),
      DB_USER: db.user,
      DB_PASSWORD: db.password,
      DB_NAME: db.name,
    },
    inheritOutput: true,
  });
  const code = await child.waitExit(timeoutMs);
  if (code !== 0) throw new Error(`the seed exited with ${code === null ? 'a timeout' : `code ${code}`}`);
}

export interface Samples {
  uuids: string[];
  chfids: string[];
  namePrefixes: string[];
  /** UUIDs of health facilities with claims (Claim?provider=). */
  facilities: string[];
  /** Keys (InsureeID) that start the last pages of Patient?gender=female&_count=20. */
  lastPageKeys: number[];
}

/** Random current insurees: their UUIDs, CHFIDs and the first three letters of their last names. */
export async function sample(db: BenchDb, n: number): Promise<Samples> {
  return withClient(db, db.name, async (c) => {
    const { rows } = await c.query<{ uuid: string; chfid: string; last: string }>(
      `SELECT "InsureeUUID" AS uuid, "CHFID" AS chfid, "LastName" AS last
         FROM "tblInsuree"
        WHERE "ValidityTo" IS NULL AND "CHFID" IS NOT NULL AND length("LastName") >= 3
        ORDER BY random() LIMIT $1`,
      [n],
    );
    if (rows.length < Math.min(n, 100)) throw new Error(`only ${rows.length} current insurees to sample from`);
    const facilities = await c.query<{ uuid: string }>(
      `SELECT "HfUUID" AS uuid FROM "tblHF" h
        WHERE "ValidityTo" IS NULL AND EXISTS (SELECT 1 FROM "tblClaim" c WHERE c."HFID" = h."HfID" AND c."ValidityTo" IS NULL)`,
    );
    // The cursor of a last page is the key of the row before it: the 20 last female insurees and
    // the 20 before them, ..., the last ten pages.
    const last = await c.query<{ id: number }>(
      `SELECT "InsureeID" AS id FROM "tblInsuree" WHERE "ValidityTo" IS NULL AND "Gender" = 'F'
        ORDER BY "InsureeID" DESC OFFSET 20 LIMIT 200`,
    );
    return {
      uuids: rows.map((r) => r.uuid.toLowerCase()),
      chfids: rows.map((r) => r.chfid),
      namePrefixes: rows.map((r) => r.last.slice(0, 3)),
      facilities: facilities.rows.map((r) => r.uuid.toLowerCase()),
      lastPageKeys: last.rows.filter((_r, i) => i % 20 === 0).map((r) => Number(r.id)),
    };
  });
}

/** Makes sure the database holds at least `insurees` current insurees and the Admin user. */
export async function prepare(db: BenchDb, insurees: number, log: (s: string) => void): Promise<DbState> {
  let state = await inspect(db);
  // The generator's --insurees counts persons; some of them leave or die, so a database seeded with
  // N holds a little fewer current insurees (about 99 %). Within 10 % is "as wanted".
  if (state.exists && state.currentInsurees >= insurees * 0.9) {
    log(`${describeDb(db)} holds ${state.currentInsurees.toLocaleString('en')} current insurees: reusing it`);
  } else {
    if (!state.exists) {
      log(`creating ${describeDb(db)}`);
      await createDatabase(db);
    }
    log(`${describeDb(db)} holds ${state.currentInsurees.toLocaleString('en')} current insurees; seeding ${insurees.toLocaleString('en')} (npm run seed -- --insurees ${insurees} --reset)`);
    const started = Date.now();
    // About 2 minutes per 100k on this class of machine; generous bound.
    await seed(db, insurees, Math.max(15 * 60_000, (insurees / 100_000) * 20 * 60_000));
    log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    state = await inspect(db);
    if (state.currentInsurees < insurees * 0.9) {
      throw new Error(`the generator made only ${state.currentInsurees.toLocaleString('en')} current insurees for --insurees ${insurees}`);
    }
  }
  if (!state.admin) throw new Error(`${describeDb(db)} has no current Admin user: the generator must create Admin / admin123`);
  return state;
}
