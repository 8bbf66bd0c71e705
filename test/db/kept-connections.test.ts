/**
 * Direct SELECTs keep their connections between queries (src/db/kept-connections.ts), and knex's
 * pool still gets every connection it needs: for its own queries and transactions, at once or as
 * soon as a SELECT ends, after about a second away, when a connection broke, and when the pool is
 * destroyed. PostgreSQL pass only: other engines never take the direct path.
 */
import t, { type Test } from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openTestDatabase, PG, testEngine } from '../helpers/databases.js';
import { directSelect } from '../../src/db/named-statements.js';

interface Tarn {
  numUsed(): number;
  numFree(): number;
}
const skip = testEngine !== 'postgresql' && 'PostgreSQL pass only';

/** A database with a pool of `max` connections, whose acquire times out quickly, and its direct runner. */
async function database(t: Test, max: number) {
  const db = await openTestDatabase({ max, timeoutMs: 2000 });
  t.teardown(() => db.drop());
  const direct = directSelect(db.knex);
  if (!direct) throw new Error('the server’s PostgreSQL client should run SELECTs directly');
  const pool = (db.knex.client as { pool: Tarn }).pool;
  const backend = async () => (await direct('select pg_backend_pid() as pid', []))[0].pid as number;
  /** A SELECT that holds its connection for `ms`. */
  const slow = (ms: number) => direct('select pg_sleep($1) as slept', [ms / 1000]);
  return { ...db, direct, pool, backend, slow };
}

t.test('SELECTs one after the other run on one kept connection', { skip }, async (t) => {
  const { backend, pool } = await database(t, 4);
  const pids = new Set<number>();
  for (let i = 0; i < 20; i++) pids.add(await backend());
  t.equal(pids.size, 1, 'one backend served them all');
  t.equal(pool.numUsed(), 1, 'the pool counts the kept connection as in use');
  t.equal(pool.numFree(), 0);
});

t.test("knex's own queries get connections while SELECTs keep every one", { skip }, async (t) => {
  const { knex, backend, slow, pool } = await database(t, 2);
  await Promise.all([slow(50), slow(50)]);
  t.equal(pool.numUsed(), 2, 'both connections kept');
  t.equal(pool.numFree(), 0);
  // Without giving back, these would wait for the next sweep, or the 2 s acquire timeout.
  const started = Date.now();
  const [one, two] = await Promise.all([knex.raw('select 1 as one'), knex.transaction((trx) => trx.raw('select 2 as two'))]);
  t.same([one.rows, two.rows], [[{ one: 1 }], [{ two: 2 }]], 'a query and a transaction ran at once');
  t.ok(Date.now() - started < 500, `at once: ${Date.now() - started} ms`);
  t.ok(await backend(), 'and direct SELECTs still run');
});

t.test('a finished SELECT gives its connection to whoever waits', { skip }, async (t) => {
  const { knex, slow } = await database(t, 1);
  const started = Date.now();
  const select = slow(300);
  await sleep(50);
  const waiting = knex.raw('select 3 as three').then((result) => result); // asks the pool now
  await sleep(50);
  t.equal((knex.client as unknown as { pool: { numPendingAcquires(): number } }).pool.numPendingAcquires(), 1, 'the query waits for the connection');
  await select;
  t.same((await waiting).rows, [{ three: 3 }], 'the waiting query ran');
  t.ok(Date.now() - started < 800, 'as soon as the SELECT ended, not at the next sweep or the acquire timeout');
});

t.test('kept connections go back to the pool after about a second', { skip }, async (t) => {
  const { backend, pool } = await database(t, 4);
  await backend();
  t.equal(pool.numUsed(), 1);
  await sleep(2500);
  t.equal(pool.numUsed(), 0, 'none kept after the sweep');
  t.equal(pool.numFree(), 1, 'the pool has it, for its own idle reaping');
  t.ok(await backend(), 'and SELECTs take one again');
});

t.test('a connection whose server process ended is not used again', { skip }, async (t) => {
  const { name, backend } = await database(t, 2);
  const before = await backend();
  // From outside the pool: a query of the pool's own would be given the kept connection.
  const outside = new pg.Client({ ...PG, database: name });
  await outside.connect();
  await outside.query('select pg_terminate_backend($1)', [before]);
  await outside.end();
  await sleep(300); // the driver learns of it from the socket
  const after = await backend();
  t.not(after, before, 'the next SELECT ran on another connection');
  t.ok(await backend());
});

t.test('the pool is destroyed at once with connections kept, and SELECTs then fail as through knex', { skip }, async (t) => {
  const db = await openTestDatabase({ max: 3, timeoutMs: 2000 });
  const direct = directSelect(db.knex)!;
  await Promise.all([1, 2, 3].map(() => direct('select pg_sleep(0.05) as slept', [])));
  const started = Date.now();
  await db.drop();
  t.ok(Date.now() - started < 3000, `destroyed in ${Date.now() - started} ms`);
  await t.rejects(direct('select 1 as one', []), /Unable to acquire a connection/);
});
