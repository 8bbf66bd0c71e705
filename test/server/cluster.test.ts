/**
 * WSGI_WORKERS=2: the server as two worker processes on one port behind a primary. Both serve; a
 * write on one drops the cached row scopes on the other at once (relayed by the primary, no Redis);
 * SIGTERM stops them all cleanly. Needs a database server (PGlite belongs to one process), so it
 * runs in the PostgreSQL pass of the tests.
 */
import t from 'tap';
import { request } from 'node:http';
import { openTestDatabase, testEngine } from '../helpers/databases.js';
import { freePort, startProcess, waitReady } from '../helpers/process.js';
import { DEMO } from '../../src/db/demo/facts.js';

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';

/** One request on a connection of its own, so that consecutive requests reach different workers. */
function send(url: string, opts: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: false,
        headers: {
          connection: 'close',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(body ? { 'content-type': 'application/fhir+json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

t.test('two workers serve one port and share scope changes', { skip: testEngine !== 'postgresql' && 'needs a database server: runs with TEST_DB=postgresql' }, async (t) => {
  const db = await openTestDatabase();
  t.teardown(() => db.drop());
  // The clerk's role may add locations (the demo clerk may not).
  const role = await db.knex('tblRole').where('RoleName', 'Clerk').first();
  await db.knex('tblRoleRight').insert([121901, 121902].map((RightID) => ({ RoleID: role.RoleID, RightID, ValidityFrom: new Date(), AuditUserId: 1 })));

  const port = await freePort();
  const server = startProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    DB_ENGINE: 'postgresql',
    DB_HOST: process.env.TEST_PG_HOST ?? '127.0.0.1',
    DB_PORT: process.env.TEST_PG_PORT ?? '5432',
    DB_USER: process.env.TEST_PG_USER ?? 'postgres',
    DB_PASSWORD: process.env.TEST_PG_PASSWORD ?? '',
    DB_NAME: db.name!,
    WSGI_WORKERS: '2',
    REDIS_URL: '',
    LOG_LEVEL: 'info',
  });
  t.teardown(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}/api/api_fhir_r4`;
  t.ok(await waitReady(`http://127.0.0.1:${port}/ready`, 90_000), 'ready within 90 s');
  // Both workers listen before the test goes on (the first may answer /ready alone).
  const giveUp = Date.now() + 60_000;
  while ((server.output().match(/Server listening at http:\/\/127\.0\.0\.1/g)?.length ?? 0) < 2 && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 100));
  t.match(server.output(), /"role":"primary"[^\n]*"workers":2[^\n]*"msg":"started the workers"/, 'the primary started two workers');

  const login = await send(`${base}/login/`, { method: 'POST', body: { username: DEMO.users.clerk.login, password: DEMO.users.clerk.password } });
  const clerk = login.body.token as string;
  t.ok(clerk, 'the clerk logs in');
  for (let i = 0; i < 4; i++) t.equal((await send(`${base}/Location?_count=1`, { token: clerk })).status, 200);
  const servedBy = new Set([...server.output().matchAll(/"pid":(\d+)[^\n]*"url":"\/api\/api_fhir_r4\/Location\?_count=1"[^\n]*"msg":"incoming request"/g)].map((m) => m[1]));
  t.equal(servedBy.size, 2, 'both workers served the clerk (and cached his scope)');

  const ward = await send(`${base}/Location`, {
    method: 'POST',
    token: clerk,
    body: {
      resourceType: 'Location',
      identifier: [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] }, value: 'R1D2W7' }],
      name: 'Place R1D2W7',
      status: 'active',
      mode: 'instance',
      physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: 'W' }] },
      partOf: { reference: 'Location/R1D2' },
    },
  });
  t.equal(ward.status, 201, 'the clerk creates a ward in his district through one worker');
  const reads = [];
  for (let i = 0; i < 4; i++) reads.push((await send(`${base}/Location/${ward.body.id}`, { token: clerk })).status);
  t.same(reads, [200, 200, 200, 200], 'both workers show him the ward at once, not when their cache expires');

  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0, 'SIGTERM stops the workers and the primary cleanly');
  t.match(server.output(), /"msg":"shutting down the workers"/);
  t.equal(server.output().match(/"signal":"SIGTERM","msg":"shutting down"/g)?.length, 2, 'each worker shut down gracefully');
});
