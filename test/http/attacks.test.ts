/**
 * Attacks through every door the CapabilityStatement lists, data-driven from /metadata so that a new
 * resource or search parameter is attacked too:
 * - SQL injection and LIKE / escape metacharacters in every declared search parameter of every
 *   resource type (also with the :exact, :contains, :not and :missing modifiers, and in _sort, _id,
 *   _include): 200 or 400, never 500; a tautology widens nothing;
 * - the same strings, and path traversal, as ids of read, vread, history, update, patch and delete;
 * - injection in credentials and conditional headers;
 * - brute-force logins (the in-memory lock-out, without Redis);
 * each refused with a 4xx OperationOutcome, and the database unchanged at the end (every legacy
 * table's rows, compared by a digest of their full content).
 */
import t from 'tap';
import type { Knex } from 'knex';
import { startServer } from '../helpers/app.js';
import { LEGACY_TABLES } from '../../src/db/legacy-schema/index.js';
import { DEMO } from '../../src/db/demo/facts.js';

const INJECTIONS = [
  `x' OR '1'='1`,
  `'; DROP TABLE "tblInsuree"; --`,
  `1); UPDATE "tblInsuree" SET "LastName" = 'pwned'; --`,
  `" OR ""="`,
  `%' OR 1=1 --`,
  `_%\\[]^*?`,
  `1 UNION SELECT "LoginName", "StoredPassword" FROM "tblUsers" --`,
  `\u0000\u0008\u001a`,
  `x|y' OR 'a'='a`,
  `$\{7*7}{{7*7}}<script>`,
];
const TAUTOLOGIES = new Set([INJECTIONS[0], INJECTIONS[3], INJECTIONS[4], INJECTIONS[8]]);
const MODIFIERS: Record<string, string[]> = { string: ['', ':exact', ':contains'], token: ['', ':not'], reference: ['', ':missing'], date: [''], number: [''] };
const TRAVERSALS = ['..%2F..%2Fmetadata', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%5C..%5Cwindows', '%252e%252e%252f', 'a%00b', 'x%27%20OR%20%271%27%3D%271'];

/** A digest per legacy table (every column of every row), so any change anywhere shows. */
async function snapshot(db: Knex): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of LEGACY_TABLES) {
    const result = await db.raw(`SELECT count(*) AS n, md5(coalesce(string_agg(md5(x::text), ',' ORDER BY md5(x::text)), '')) AS digest FROM "${table.name}" x`);
    const row = (result as { rows: { n: number; digest: string }[] }).rows[0]!;
    out[table.name] = `${row.n}:${row.digest}`;
  }
  return out;
}

/** Runs the jobs a few at a time. */
async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const server = await startServer(t);
const db = server.db.knex;
const before = await snapshot(db);
const metadata = (await server.fhir('metadata', { token: null })).body;
const resources: { type: string; searchParam?: { name: string; type: string }[]; interaction: { code: string }[] }[] = metadata.rest[0].resource;

t.test('SQL injection and metacharacters in every search parameter of every resource type', async (t) => {
  const jobs: { type: string; query: string; tautology: boolean; label: string }[] = [];
  for (const resource of resources) {
    for (const param of resource.searchParam ?? []) {
      for (const modifier of MODIFIERS[param.type] ?? ['']) {
        for (const value of modifier === ':missing' ? [`true' OR '1'='1`, 'maybe'] : INJECTIONS) {
          const query = `${param.name}${modifier}=${encodeURIComponent(value)}`;
          jobs.push({ type: resource.type, query, tautology: TAUTOLOGIES.has(value) && modifier !== ':not', label: `${resource.type}?${param.name}${modifier}` });
        }
      }
      if (param.type === 'token') jobs.push({ type: resource.type, query: `${param.name}=${encodeURIComponent(`${INJECTIONS[0]}|${INJECTIONS[1]}`)}`, tautology: true, label: `${resource.type}?${param.name}=system|code` });
      if (param.type === 'date' || param.type === 'number') {
        for (const prefix of ['gt', 'le', 'ne']) jobs.push({ type: resource.type, query: `${param.name}=${prefix}${encodeURIComponent(INJECTIONS[2])}`, tautology: false, label: `${resource.type}?${param.name}=${prefix}…` });
      }
    }
    for (const value of INJECTIONS.slice(0, 3)) {
      jobs.push({ type: resource.type, query: `_id=${encodeURIComponent(value)}`, tautology: true, label: `${resource.type}?_id` });
      jobs.push({ type: resource.type, query: `_sort=${encodeURIComponent(value)}`, tautology: false, label: `${resource.type}?_sort` });
      jobs.push({ type: resource.type, query: `_include=${encodeURIComponent(`${resource.type}:${value}`)}`, tautology: false, label: `${resource.type}?_include` });
    }
  }
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  await pool(jobs, 4, async ({ type, query, tautology, label }) => {
    const res = await server.fhir(`${type}?${query}&_count=5&_total=accurate`);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status === 200) {
      if (res.body?.resourceType !== 'Bundle') problems.push(`${label}: 200 without a Bundle`);
      // A tautology must not turn into "every row": at most what a literal match could find (none).
      else if (typeof res.body.total !== 'number') problems.push(`${label}: no total`);
      else if (tautology && res.body.total > 0 && !(type === 'CodeSystem' || type === 'ValueSet')) problems.push(`${label} (${query}): ${res.body.total} matches`);
    } else if (res.status !== 400) problems.push(`${label} (${query}): ${res.status}`);
    else if (res.body?.resourceType !== 'OperationOutcome') problems.push(`${label}: 400 without an OperationOutcome`);
  });
  t.same(problems, [], `${jobs.length} searches over ${resources.length} types: 200 or 400 only (${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')})`);
  t.ok(jobs.length > 500, `the walk is wide (${jobs.length} requests)`);
});

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
