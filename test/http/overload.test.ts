/**
 * A request that finds no free database connection within DB_POOL_TIMEOUT is answered 503 with
 * Retry-After and an OperationOutcome, not 500, and the server serves again once one is free.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import knexFactory from 'knex';
import { openTestDatabase, PG, testEngine } from '../helpers/databases.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { loadConfig } from '../../src/config.js';

const server = await startServer(t, {}, { database: () => openTestDatabase({ max: 1, timeoutMs: 300 }) });
const read = () => server.fhir(`Patient/${DEMO.headInsuree.uuid}`);

t.test('no free connection in time: 503, transient, retry after a second', async (t) => {
  t.equal((await read()).status, 200, 'served while the connection is free');

  // A transaction holds the pool's only connection until released.
  let release!: () => void;
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const transaction = server.db.knex.transaction(async (trx) => {
    await trx.raw('select 1');
    holding();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await held;

  const busy = await read();
  t.equal(busy.status, 503);
  t.equal(busy.headers.get('retry-after'), '1');
  t.equal(busy.body.resourceType, 'OperationOutcome');
  t.equal(busy.body.issue[0].code, 'transient');

  release();
  await transaction;
  t.equal((await read()).status, 200, 'served again once the connection is back');
});

t.test('PostgreSQL refusing a new connection: 503 too', { skip: testEngine !== 'postgresql' && 'PGlite has one connection and no roles' }, async (t) => {
  // A role of its own, with the privileges of the tables' owner, whose new connections are then refused.
  const role = `fhir_test_limited_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: { ...PG, database: 'postgres' }, pool: { min: 0, max: 1 } });
  await admin.raw('create role ?? login in role ??', [role, PG.user]);
  t.teardown(async () => {
    await admin.raw('drop role if exists ??', [role]);
    await admin.destroy();
  });
  const limited = await startServer(t, {}, { database: () => openTestDatabase({ max: 50, timeoutMs: 5000, user: role }) });
  const readLimited = () => limited.fhir(`Patient/${DEMO.headInsuree.uuid}`);
  t.equal((await readLimited()).status, 200);

  await admin.raw('alter role ?? connection limit 0', [role]);
  // Every open connection busy: the next request needs a new one, which PostgreSQL refuses (53300).
  const client = limited.db.knex.client as unknown as { pool: { numFree(): number }; acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<unknown> };
  const held: unknown[] = [];
  while (client.pool.numFree() > 0) held.push(await client.acquireConnection());
  t.ok(held.length < 50, 'room in the pool for a new connection', { open: held.length });
  const started = Date.now();
  const refused = await readLimited();
  t.equal(refused.status, 503, 'a new connection refused: 503');
  t.equal(refused.headers.get('retry-after'), '1');
  t.equal(refused.body.issue[0].code, 'transient');
  t.ok(Date.now() - started < 5000, 'at once, not after the pool timeout', { elapsed: Date.now() - started });

  await admin.raw('alter role ?? connection limit -1', [role]);
  for (const connection of held) await client.releaseConnection(connection);
  t.equal((await readLimited()).status, 200, 'served again');
});

t.test('DB_POOL_TIMEOUT: 10 s unless set, within 100 ms and 10 minutes', async (t) => {
  t.equal(loadConfig({}).db.poolTimeoutMs, 10_000);
  t.equal(loadConfig({ DB_POOL_TIMEOUT: '2500' }).db.poolTimeoutMs, 2500);
  t.throws(() => loadConfig({ DB_POOL_TIMEOUT: '5' }), /DB_POOL_TIMEOUT/);
});
