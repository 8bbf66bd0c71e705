/**
 * Attacks through every door the CapabilityStatement lists (the search walk is attacks-search.test.ts):
 * - SQL injection and path traversal as ids of read, vread, history, update, patch and delete of
 *   every type;
 * - injection in credentials and conditional headers, forged tokens on writes;
 * - brute-force logins (the in-memory lock-out, without Redis);
 * each refused with a 4xx OperationOutcome, and the database unchanged at the end (every legacy
 * table's rows, compared by a digest of their full content).
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { INJECTIONS, TRAVERSALS, pool, snapshot } from '../helpers/attacks.js';

// Hundreds of requests: more time than a usual test file gets, for busy CI machines.
t.setTimeout(360_000);
const server = await startServer(t);
const db = server.db.knex;
const before = await snapshot(db);
const metadata = (await server.fhir('metadata', { token: null })).body;
const resources: { type: string; searchParam?: { name: string; type: string }[]; interaction: { code: string }[] }[] = metadata.rest[0].resource;

t.test('injection and path traversal in ids, version ids and history', async (t) => {
  const problems: string[] = [];
  const jobs: [string, string, string?][] = [];
  for (const resource of resources) {
    const type = resource.type;
    const codes = new Set(resource.interaction.map((i) => i.code));
    for (const raw of [...INJECTIONS.slice(0, 3).map(encodeURIComponent), ...TRAVERSALS]) {
      if (codes.has('read')) jobs.push(['GET', `${type}/${raw}`]);
      if (codes.has('vread')) jobs.push(['GET', `${type}/${raw}/_history/${raw}`]);
      if (codes.has('history-instance')) jobs.push(['GET', `${type}/${raw}/_history`]);
      if (codes.has('update')) jobs.push(['PUT', `${type}/${raw}`, JSON.stringify({ resourceType: type, id: decodeURIComponent(raw) })]);
      if (codes.has('patch')) jobs.push(['PATCH', `${type}/${raw}`, JSON.stringify([{ op: 'replace', path: '/active', value: false }])]);
      if (codes.has('delete')) jobs.push(['DELETE', `${type}/${raw}`]);
    }
  }
  await pool(jobs, 4, async ([method, path, body]) => {
    const headers = method === 'PATCH' ? { 'content-type': 'application/json-patch+json' } : undefined;
    const res = await server.fhir(path, { method, body, headers });
    const ok = res.status >= 400 && res.status < 500 && res.body?.resourceType === 'OperationOutcome';
    // Traversal may resolve to a type-level route (e.g. Type/../metadata); it must never reach a file or a 500.
    const resolvedElsewhere = res.status === 200 && method === 'GET' && /CapabilityStatement|Bundle/.test(res.body?.resourceType ?? '');
    if (!ok && !resolvedElsewhere) problems.push(`${method} ${path}: ${res.status} ${res.body?.resourceType ?? String(res.body).slice(0, 60)}`);
    if (typeof res.body === 'string' && /root:|\[boot loader\]/.test(res.body)) problems.push(`${method} ${path}: file content leaked`);
  });
  t.same(problems, [], `${jobs.length} requests with hostile ids: each a 4xx OperationOutcome`);
});

t.test('injection in credentials and conditional headers', async (t) => {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  for (const value of INJECTIONS.slice(0, 4)) {
    const login = await fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: value, password: value }) });
    t.equal(login.status, 401, `login as ${JSON.stringify(value)}`);
    const viaBasic = await server.fhir('Patient?_count=1', { token: null, headers: { authorization: basic(value, value) } });
    t.equal(viaBasic.status, 401, 'Basic');
    t.equal(viaBasic.body.resourceType, 'OperationOutcome');
    const viaRemote = await server.fhir('Patient?_count=1', { token: null, headers: { 'remote-user': value } });
    t.equal(viaRemote.status, 401, 'a gateway user header is ignored unless REMOTE_USER_AUTHENTICATION is on');
  }
  // Forged tokens on writes: refused before anything runs.
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const forged = [
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ username: 'Admin', exp: Math.floor(Date.now() / 1000) + 600 })}.`,
    `${server.adminToken.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`,
  ];
  for (const token of forged) {
    const del = await server.fhir(`Patient/${DEMO.headInsuree.uuid}`, { method: 'DELETE', token });
    t.equal(del.status, 401, 'DELETE with a forged token');
    t.equal(del.body.resourceType, 'OperationOutcome');
  }
  const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
  const body = JSON.stringify({
    resourceType: 'Location',
    identifier: [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] }, value: 'ATTACK1' }],
    name: 'Never created', status: 'active', mode: 'instance',
    physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: 'W' }] },
    partOf: { reference: `Location/${DEMO.locations.district.uuid}` },
  });
  const conditional = await server.fhir('Location', { method: 'POST', body, headers: { 'if-none-exist': `_lastUpdated=gt${encodeURIComponent(INJECTIONS[1]!)}` } });
  t.equal(conditional.status, 400, 'If-None-Exist with an injection: 400, nothing created');
  t.equal(conditional.body.resourceType, 'OperationOutcome');
  const conditionalDelete = await server.fhir(`Patient?identifier=${encodeURIComponent(INJECTIONS[0]!)}`, { method: 'DELETE' });
  t.ok([200, 204, 404].includes(conditionalDelete.status), `conditional delete with a tautology matches nothing: ${conditionalDelete.status}`);
  const current = await server.fhir(`Location/${DEMO.locations.village.uuid}`);
  const ifMatch = await server.fhir(`Location/${DEMO.locations.village.uuid}`, {
    method: 'PUT', body: JSON.stringify(current.body), headers: { 'if-match': `W/"1' OR '1'='1"` },
  });
  t.ok([400, 412].includes(ifMatch.status), `If-Match with an injection: ${ifMatch.status}`);
  t.equal(ifMatch.body.resourceType, 'OperationOutcome');
  t.equal((await server.fhir('Patient?_count=1', { headers: { accept: `application/fhir+json'; DROP TABLE x` } })).status, 406, 'hostile Accept');
});

t.test('brute force: the lock-out (in memory, without Redis) stops guessing, even with the right password', async (t) => {
  const guarded = await startServer(t, { LOGIN_LOCKOUT: 'true', LOGIN_LOCKOUT_FAILURE_LIMIT: '3' });
  const attempt = (password: string) =>
    fetch(`${guarded.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Clerk', password }) });
  for (let i = 0; i < 3; i++) t.equal((await attempt(`guess${i}`)).status, 401, `guess ${i + 1}: 401`);
  const locked = await attempt('clerk123');
  t.equal(locked.status, 429, 'the right password is refused while locked out');
  t.equal(((await locked.json()) as any).resourceType, 'OperationOutcome');
  t.ok(locked.headers.get('retry-after'), 'Retry-After');
  const basic = await guarded.fhir('Patient?_count=1', { token: null, headers: { authorization: `Basic ${Buffer.from('Clerk:clerk123').toString('base64')}` } });
  t.equal(basic.status, 429, 'HTTP Basic is locked out too');
  t.ok((await guarded.login('Admin', 'admin123')).length > 0, 'another user is not');
});

t.test('the database is unchanged', async (t) => {
  await server.app.flushAudit();
  t.same(await snapshot(db), before, 'every legacy table holds exactly the rows it held before the attacks');
});
