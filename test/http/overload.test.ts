/**
 * A request that finds no free database connection within DB_POOL_TIMEOUT is answered 503 with
 * Retry-After and an OperationOutcome, not 500, and the server serves again once one is free.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { openTestDatabase } from '../helpers/databases.js';
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

t.test('DB_POOL_TIMEOUT: 10 s unless set, within 100 ms and 10 minutes', async (t) => {
  t.equal(loadConfig({}).db.poolTimeoutMs, 10_000);
  t.equal(loadConfig({ DB_POOL_TIMEOUT: '2500' }).db.poolTimeoutMs, 2500);
  t.throws(() => loadConfig({ DB_POOL_TIMEOUT: '5' }), /DB_POOL_TIMEOUT/);
});
