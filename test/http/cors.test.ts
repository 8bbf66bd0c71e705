/**
 * CORS: which browser origins may call the API (HOSTS; any in DEV without it, none in PROD), the
 * preflight answered before authentication, and the plain answer to callers that send no Origin.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';

const PORTAL = 'https://portal.example.org';

t.test('DEV without HOSTS: any origin', async (t) => {
  const server = await startServer(t);

  const plain = await server.fhir('Patient?_count=1');
  t.equal(plain.status, 200);
  t.equal(plain.headers.get('vary'), 'Origin', 'a cache keys on Origin even when none was sent');
  t.equal(plain.headers.get('access-control-allow-origin'), null, 'no CORS headers for a caller without Origin');
  t.equal(plain.headers.get('access-control-expose-headers'), null);

  const browser = await server.fhir('Patient?_count=1', { headers: { origin: 'https://any.example' } });
  t.equal(browser.status, 200);
  t.equal(browser.headers.get('access-control-allow-origin'), 'https://any.example');
  t.equal(browser.headers.get('vary'), 'Origin');
  t.same(browser.headers.get('access-control-expose-headers')?.split(', '), ['Location', 'ETag', 'Last-Modified', 'Content-Location', 'X-Request-Id']);

  const preflight = await fetch(`${server.base}/Patient/abc`, {
    method: 'OPTIONS',
    headers: { origin: 'https://any.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type' },
  });
  t.equal(preflight.status, 204, 'a preflight needs no credentials');
  t.equal(preflight.headers.get('access-control-allow-origin'), 'https://any.example');
  t.match(preflight.headers.get('access-control-allow-methods'), /\bPUT\b/);
  t.match(preflight.headers.get('access-control-allow-methods'), /\bPATCH\b/);
  t.match(preflight.headers.get('access-control-allow-headers'), /\bAuthorization\b/);
  t.match(preflight.headers.get('access-control-allow-headers'), /\bIf-Match\b/);
  t.equal(preflight.headers.get('access-control-max-age'), '600');
  t.equal(preflight.headers.get('content-length'), '0');
  t.equal(await preflight.text(), '');

  // A browser must be able to read a refusal too, or it reports a network error instead.
  const refused = await server.fhir('Patient', { token: null, headers: { origin: 'https://any.example' } });
  t.equal(refused.status, 401);
  t.equal(refused.headers.get('access-control-allow-origin'), 'https://any.example');
  t.equal(refused.body.resourceType, 'OperationOutcome');

  // OPTIONS that is not a preflight is no interaction of this server (and, like any, needs credentials).
  for (const headers of [{}, { origin: 'https://any.example' }] as Record<string, string>[]) {
    const anonymous = await server.fhir('Patient', { method: 'OPTIONS', headers, token: null });
    t.equal(anonymous.status, 401, `OPTIONS ${JSON.stringify(headers)} without credentials`);
    const options = await server.fhir('Patient', { method: 'OPTIONS', headers });
    t.equal(options.status, 404, `OPTIONS ${JSON.stringify(headers)}`);
    t.equal(options.body.resourceType, 'OperationOutcome');
  }
});

t.test('HOSTS: only the trusted origins', async (t) => {
  const server = await startServer(t, { HOSTS: `${PORTAL}/` });
  const trusted = await server.fhir('Patient?_count=1', { headers: { origin: PORTAL } });
  t.equal(trusted.headers.get('access-control-allow-origin'), PORTAL, 'a trailing slash in HOSTS does not matter');

  const untrusted = await server.fhir('Patient?_count=1', { headers: { origin: 'https://evil.example' } });
  t.equal(untrusted.status, 200, 'the answer itself is not withheld: the browser withholds it');
  t.equal(untrusted.headers.get('access-control-allow-origin'), null);
  t.equal(untrusted.headers.get('access-control-expose-headers'), null);
  t.equal(untrusted.headers.get('vary'), 'Origin');

  const preflight = await fetch(`${server.base}/Patient`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  t.not(preflight.status, 204, 'no preflight for an untrusted origin');
  t.equal(preflight.headers.get('access-control-allow-origin'), null);
  t.equal(preflight.headers.get('access-control-allow-methods'), null);

  const write = await server.fhir('Patient', { method: 'POST', headers: { origin: 'https://evil.example' }, body: '{"resourceType":"Patient"}' });
  t.equal(write.status, 403, 'a write from an untrusted origin is refused (CSRF)');
});

t.test('PROD without HOSTS: no browser origin', async (t) => {
  const server = await startServer(t, { MODE: 'PROD', SECRET_KEY: 'a-private-production-secret-for-tests' });
  const res = await server.fhir('Patient?_count=1', { headers: { origin: PORTAL } });
  t.equal(res.status, 200);
  t.equal(res.headers.get('access-control-allow-origin'), null);
  const preflight = await fetch(`${server.base}/Patient`, { method: 'OPTIONS', headers: { origin: PORTAL, 'access-control-request-method': 'GET' } });
  t.equal(preflight.headers.get('access-control-allow-origin'), null);
});
