/**
 * The process as a newcomer runs it: `npm start` creates the embedded database on first start,
 * serves /health, /ready and the FHIR API, and shuts down gracefully. Invalid configuration stops
 * the start with a clear message and no stack trace.
 */
import t from 'tap';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess as start, waitReady } from '../helpers/process.js';

t.test('invalid configuration stops the start with a clear message', async (t) => {
  const { exited, output } = start({ PORT: 'eighty', DB_ENGINE: 'oracle', LOG_LEVEL: 'silent' });
  t.equal(await exited, 1);
  t.match(output(), /Invalid configuration/);
  t.match(output(), /PORT must be an integer/);
  t.notMatch(output(), /\n\s+at .*\.(ts|js):\d+/, 'no stack trace');
});

t.test('first start creates the embedded database; SIGTERM lets in-flight requests finish', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'openimis-fhir-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const { child, exited, output } = start({ PORT: String(port), HOST: '127.0.0.1', PGLITE_DIR: join(dir, 'pglite'), LOG_LEVEL: 'info' });
  t.teardown(() => child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  t.ok(await waitReady(`${base}/ready`, 90_000), 'ready within 90 s');
  t.ok(existsSync(join(dir, 'pglite', 'PG_VERSION')), 'the database lives on disk');
  const health = await fetch(`${base}/health`);
  t.equal(health.status, 200);
  t.ok(health.headers.get('x-request-id'), 'every response carries a request id');
  const echoed = await fetch(`${base}/health`, { headers: { 'x-request-id': 'trace-me-42' } });
  t.equal(echoed.headers.get('x-request-id'), 'trace-me-42', 'an incoming request id is kept');
  const metadata = await fetch(`${base}/api/api_fhir_r4/metadata`);
  t.equal(metadata.status, 200);
  const login = await fetch(`${base}/api/api_fhir_r4/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'Admin', password: 'admin123' }),
  });
  const { token } = (await login.json()) as { token: string };
  t.ok(token, 'the demo Admin can log in');

  const inFlight = fetch(`${base}/api/api_fhir_r4/Patient?_count=1000&_total=accurate`, { headers: { authorization: `Bearer ${token}` } });
  // SIGTERM once the server has logged the request's arrival: on a busy machine a fixed delay may
  // signal before the request is sent, and a request arriving after close() rightly gets 503.
  const arrival = /"url":"[^"]*Patient\?_count=1000[^"]*"[^\n]*"msg":"incoming request"/;
  const giveUp = Date.now() + 30_000;
  while (!arrival.test(output()) && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 1));
  t.match(output(), arrival, 'the server received the request');
  child.kill('SIGTERM');
  const response = await inFlight;
  t.equal(response.status, 200, 'the in-flight request completed');
  t.equal(((await response.json()) as any).resourceType, 'Bundle');
  t.equal(await exited, 0, 'clean exit');
  t.match(output(), /"msg":"shutting down"/, 'structured pino logs');
});
