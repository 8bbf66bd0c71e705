/**
 * Several servers opening one database at the same moment (replicas, the benchmark's targets): the
 * server's own tables are migrated by one of them, the others wait and start. On the local
 * PostgreSQL, in a database that holds nothing yet (SQL Server's lock: test/mssql/dialect-and-checks).
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { PG } from '../helpers/databases.js';
import { openDatabase } from '../../src/db/connect.js';
import { MIGRATIONS_TABLE } from '../../src/db/migrations/index.js';
import { lockNumber } from '../../src/db/dialect/index.js';
import { postgres } from '../../src/db/dialect/postgres.js';
import type { DbConfig } from '../../src/config.js';

const admin = () => knexFactory({ client: 'pg', connection: { ...PG, database: 'postgres' }, pool: { min: 0, max: 1 } });

t.test('servers starting together on a new database all start, and migrate once', async (t) => {
  const name = `openimis_fhir_migrate_${process.pid}_${randomBytes(3).toString('hex')}`;
  const a = admin();
  await a.raw('create database ??', [name]);
  await a.destroy();
  t.teardown(async () => {
    const b = admin();
    await b.raw('drop database if exists ?? with (force)', [name]);
    await b.destroy();
  });
  // A pool of one connection each: the lock must not need a second one from the server's pool.
  const config: DbConfig = { engine: 'postgresql', ...PG, name, options: {}, pgliteDir: '', demoDataset: false, poolMax: 1, poolTimeoutMs: 5000 };
  const servers = await Promise.allSettled(Array.from({ length: 6 }, () => openDatabase(config)));
  const opened = servers.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  t.teardown(() => Promise.all(opened.map((db) => db.destroy())));
  t.same(
    servers.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : [])),
    [],
    'no server failed to open the database',
  );
  const applied = await opened[0](MIGRATIONS_TABLE).select('name');
  t.same(applied.map((m) => m.name), ['001_fhir_audit_event'], 'each migration applied once');
  t.ok(await opened[0].schema.hasTable('fhir_audit_event'), 'the audit table is there');
  for (const db of opened) t.same((await db.raw('select 1 as one')).rows, [{ one: 1 }], 'every server can query');
  const held = await opened[0].raw(`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = ?)`, [name]);
  t.equal(held.rows[0].n, 0, 'no lock is left held');
});

t.test('lock numbers are stable, signed 64-bit, distinct by name', async (t) => {
  const n = lockNumber('openimis-fhir: migrations');
  t.equal(lockNumber('openimis-fhir: migrations'), n);
  t.not(lockNumber('openimis-fhir: other'), n);
  t.ok(BigInt(n) >= -(2n ** 63n) && BigInt(n) < 2n ** 63n, n);
  const pg = knexFactory({ client: 'pg' });
  t.teardown(() => pg.destroy());
  t.same(postgres.exclusiveLock(pg, 'x').toSQL().toNative(), { sql: 'select pg_advisory_xact_lock($1)', bindings: [lockNumber('x')] });
});
