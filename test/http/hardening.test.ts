/**
 * MODE=PROD hardening: security headers, CORS/CSRF from the trusted origins, the rate limit shared
 * through Redis, the login lock-out; and the DEV defaults that leave them off.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startServer } from '../helpers/app.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await new Promise<boolean>((resolve) => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.connect().then(
    () => probe.quit().then(() => resolve(true)),
    () => resolve(false),
  );
});

t.test('PROD: security headers, trusted origins, rate limit shared through Redis, lock-out', { skip: !redisUp && 'Redis is not reachable' }, async (t) => {
  // Counts from an earlier run (the other database suite runs minutes later) must not leak in.
  const cleaner = new Redis(REDIS_URL);
  const stale = [...(await cleaner.keys('openimis-fhir-ratelimit:*')), ...(await cleaner.keys('openimis-fhir-lockout:*'))];
  if (stale.length) await cleaner.del(...stale);
  await cleaner.quit();
  // A rate small enough to reach.
  const server = await startServer(t, {
    MODE: 'PROD',
    SECRET_KEY: 'a-private-production-secret-for-tests',
    HOSTS: 'https://portal.example.org',
    RATELIMIT_RATE: '40/m',
    REDIS_URL,
    LOGIN_LOCKOUT_FAILURE_LIMIT: '3',
  });
  const run = randomBytes(4).toString('hex');
  const metadata = await fetch(`${server.base}/metadata`, { headers: { 'x-forwarded-for': run } });
  t.equal(metadata.headers.get('strict-transport-security'), 'max-age=63072000; includeSubDomains');
  t.equal(metadata.headers.get('content-security-policy'), "default-src 'self'");
  t.equal(metadata.headers.get('x-frame-options'), 'DENY');
  t.equal(metadata.headers.get('x-content-type-options'), 'nosniff');
  t.equal(metadata.headers.get('referrer-policy'), 'no-referrer');
  t.equal(metadata.headers.get('permissions-policy'), 'geolocation=(), microphone=()');

  const preflight = await fetch(`${server.base}/Patient`, { method: 'OPTIONS', headers: { origin: 'https://portal.example.org', 'access-control-request-method': 'GET' } });
  t.equal(preflight.headers.get('access-control-allow-origin'), 'https://portal.example.org', 'trusted origin allowed');
  const evil = await fetch(`${server.base}/Patient`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
  t.not(evil.headers.get('access-control-allow-origin'), 'https://evil.example', 'untrusted origin not allowed');
  const csrf = await server.fhir('Patient', { method: 'POST', headers: { origin: 'https://evil.example' }, body: '{"resourceType":"Patient"}' });
  t.equal(csrf.status, 403, 'a write from an untrusted origin is refused');
  t.equal(csrf.body.resourceType, 'OperationOutcome');

  // Lock-out: after 3 failures, even the right password is refused for a while.
  const login = (password: string) =>
    fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Clerk', password }) });
  for (let i = 0; i < 3; i++) t.equal((await login('wrong')).status, 401);
  const locked = await login('clerk123');
  t.equal(locked.status, 429, 'locked out');
  t.equal(((await locked.json()) as any).resourceType, 'OperationOutcome');
  t.ok(locked.headers.get('retry-after'));

  // Rate limit: 40 requests a minute per IP, then 429 with an OperationOutcome.
  let limited: Response | undefined;
  for (let i = 0; i < 60 && !limited; i++) {
    const res = await fetch(`${server.base}/metadata`);
    if (res.status === 429) limited = res;
  }
  t.ok(limited, 'the limit is reached');
  t.equal(((await limited!.json()) as any).issue[0].code, 'throttled');
  const health = await fetch(`${server.origin}/health`);
  t.equal(health.status, 200, 'health checks are not limited');
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys('openimis-fhir-ratelimit:*');
  await redis.quit();
  t.ok(keys.length > 0, 'the counts live in Redis, shared by every instance');
});

t.test('DEV defaults: no security headers, no rate limit, no lock-out', async (t) => {
  const server = await startServer(t);
  const res = await fetch(`${server.base}/metadata`);
  t.notOk(res.headers.get('strict-transport-security'));
  for (let i = 0; i < 6; i++) {
    await fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Admin', password: 'x' }) });
  }
  t.equal((await server.login('Admin', 'admin123')).length > 0, true, 'no lock-out in DEV');
});

t.test('oversized and deeply nested bodies are refused without harm', async (t) => {
  const server = await startServer(t, { DATA_UPLOAD_MAX_MEMORY_SIZE: '65536' });
  const big = await server.fhir('Patient', { method: 'POST', body: JSON.stringify({ resourceType: 'Patient', text: 'x'.repeat(70_000) }) });
  t.equal(big.status, 413);
  t.equal(big.body.resourceType, 'OperationOutcome');
  const nested = await server.fhir('Patient', { method: 'POST', body: '{"resourceType":"Patient","extension":' + '['.repeat(5000) + ']'.repeat(5000) + '}' });
  t.ok(nested.status >= 400 && nested.status < 500, `deep nesting → ${nested.status}`);
  t.equal(nested.body.resourceType, 'OperationOutcome');
});
