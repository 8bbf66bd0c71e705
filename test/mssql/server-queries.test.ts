/**
 * Every query the server issues, compiled for SQL Server and checked at the SQL level.
 *
 * The real server runs on the real test database (PGlite, or PostgreSQL with TEST_DB=postgresql)
 * and this file drives every interaction it supports; test/helpers/mssql-capture.ts captures each
 * query as it starts, compiles it again with Knex's mssql client (mssql Dialect fragments included)
 * and checks the result (checkStatement, same helper): it parses as T-SQL, no PostgreSQL-only syntax is left,
 * inserts that return ids use OUTPUT inserted, bit columns get booleans, uniqueidentifier and
 * datetime columns get values SQL Server can convert.
 *
 * Findings that need a change outside src/db/dialect are listed in KNOWN_MSSQL_ISSUES (same helper),
 * each with its fix; they are reported as tap "todo" (visible, not failing) and anything else fails.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { startServer } from '../helpers/app.js';
import { MssqlCapture, checkCapturedForMssql, type CapturedQuery, type MssqlStatement } from '../helpers/mssql-capture.js';
import { CodeTables } from '../../src/resources/code-tables.js';
import { loadMapping } from '../../src/resources/mappings.js';
import { migrateOwnTables } from '../../src/db/migrations/index.js';

/** Fewer distinct SQL Server statements than this means the capture or the driving broke. */
const MIN_DISTINCT_STATEMENTS = 100;

const capture = new MssqlCapture().installDialectTwins();
t.teardown(() => capture.close());
const server = await startServer(t);
capture.attach(server.db.knex);
const db = server.db.knex;

// ---- Set-up: demo rows the interactions need (read before the capture starts) ----------------
const head = await db('tblInsuree').whereNull('ValidityTo').where('IsHead', true).orderBy('InsureeID').first();
const withHistory = await db('tblInsuree as t')
  .whereNull('t.ValidityTo')
  .whereExists(db('tblInsuree as h').whereRaw('h."LegacyID" = t."InsureeID"').whereNot('h.InsureeID', db.ref('t.InsureeID')))
  .first('t.*');
const deleted = await db('tblInsuree').whereNotNull('ValidityTo').whereNull('LegacyID').first();
const withPhone = (await db('tblInsuree').whereNull('ValidityTo').whereNotNull('Phone').whereNot('Phone', '').first()) ?? head;
const withEmail = (await db('tblInsuree').whereNull('ValidityTo').whereNotNull('Email').whereNot('Email', '').first()) ?? head;
const villages = await db('tblLocations').whereNull('ValidityTo').where('LocationType', 'V').orderBy('LocationId').limit(2);
const facility = await db('tblHF').whereNull('ValidityTo').orderBy('HfID').first();
const headFamily = await db('tblFamilies').where('FamilyID', head.FamilyID).first();
// A family whose head is no longer current, so that creating a head into an existing family
// (history copy of tblFamilies + update) is driven too.
const [headless] = await db('tblFamilies')
  .insert({
    FamilyUUID: randomUUID(),
    InsureeID: deleted.InsureeID,
    LocationId: villages[0].LocationId,
    Poverty: false,
    isOffline: false,
    ValidityFrom: new Date(Date.now() - 86_400_000),
    AuditUserID: 1,
  })
  .returning(['FamilyID', 'FamilyUUID']);

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const ext = (name: string) => `${IG}/StructureDefinition/${name}`;
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const genderSystem = loadMapping('gender').system;

t.test('the demo database has what the interactions need', async (t) => {
  for (const [name, row] of Object.entries({ head, withHistory, deleted, facility, headFamily })) t.ok(row, name);
  t.equal(villages.length, 2, 'two villages');
});

// ---- Driving ------------------------------------------------------------------------------------
const statuses: { label: string; status: number; ms: number }[] = [];

async function call(label: string, path: string, init: Parameters<typeof server.fhir>[1] = {}) {
  const started = performance.now();
  const res = await capture.during(label, () => server.fhir(path, init));
  statuses.push({ label, status: res.status, ms: performance.now() - started });
  return res;
}

function patient(chfid: string, extensions: object[], more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ type: idType('Code'), value: chfid }],
    name: [{ use: 'usual', family: 'Mssql', given: ['Capture', 'Test'] }],
    gender: 'female',
    birthDate: '1991-06-18',
    maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] },
    telecom: [{ system: 'phone', value: '+255 700 111 222' }, { system: 'email', value: 'capture@example.org' }],
    extension: [{ url: ext('patient-card-issued'), valueBoolean: true }, { url: ext('patient-vulnerability-status'), valueBoolean: false }, ...extensions],
    ...more,
  };
}
const isHead = (value: boolean) => ({ url: ext('patient-is-head'), valueBoolean: value });
const groupRef = (reference: object) => ({ url: ext('patient-group-reference'), valueReference: reference });
const address = (villageRef: string, text = 'Plot 9, Capture street') => [
  { type: 'physical', text, extension: [{ url: ext('address-location-reference'), valueReference: { reference: villageRef } }] },
];
const post = (label: string, body: unknown) => call(label, 'Patient', { method: 'POST', body: JSON.stringify(body) });

capture.start();

t.test('drive every interaction', async (t) => {
  // Start-up and service routes.
  await capture.during('start-up: code tables', () => CodeTables.load(db));
  await capture.during('GET /ready', () => fetch(`${server.origin}/ready`));
  const metadata = await call('GET metadata', 'metadata', { token: null });
  t.equal(metadata.status, 200);

  // Authentication: each path loads the user (the directory cache is emptied first).
  server.app.users.forget('Admin');
  await capture.during('POST login', () => server.login('Admin', 'admin123'));
  await capture.during('POST login (unknown user)', () =>
    fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'NoSuchUser', password: 'x' }) }),
  );
  await capture.during('POST login (technical user, core_User → core_TechnicalUser)', () => server.login('TechAdmin', 'techadmin123'));
  server.app.users.forget('Admin');
  const basic = `Basic ${Buffer.from('Admin:admin123').toString('base64')}`;
  await call('GET Patient with HTTP Basic', 'Patient?_count=1', { token: null, headers: { authorization: basic } });

  // read / vread / history
  await call('read by UUID', `Patient/${head.InsureeUUID}`);
  await call('read by upper-case UUID', `Patient/${String(head.InsureeUUID).toUpperCase()}`);
  await call('read by CHFID', `Patient/${head.CHFID}`);
  await call('read unknown', 'Patient/00000000-0000-4000-8000-000000000000');
  await call('read deleted', `Patient/${deleted.InsureeUUID}`);
  await call('read conditional', `Patient/${head.InsureeUUID}`, { headers: { 'if-modified-since': new Date().toUTCString() } });
  const history = await call('history', `Patient/${withHistory.InsureeUUID}/_history`);
  await call('history _since _count', `Patient/${withHistory.InsureeUUID}/_history?_since=2000-01-01&_count=1`);
  for (const entry of (history.body?.entry ?? []).slice(-2)) {
    await call('vread', `Patient/${withHistory.InsureeUUID}/_history/${entry.resource.meta.versionId}`);
  }
  await call('vread deleted', `Patient/${deleted.InsureeUUID}/_history/1`);
  await call('read Group by head CHFID', `Group/${head.CHFID}`);
  const system = await call('system history', '_history?_count=5');
  const next = system.body?.link?.find((l: { relation: string }) => l.relation === 'next')?.url;
  if (next) await call('system history, next page', next.slice(next.indexOf('_history')));
  await call('system history _since _type', '_history?_since=2000-01-01&_type=Patient,Claim&_count=2');

  // search: every declared parameter of every resource, with its modifiers and prefixes.
  const resources: { type: string; searchParam?: { name: string; type: string }[] }[] = metadata.body.rest[0].resource;
  for (const resource of resources) {
    // Patient gets every modifier, prefix and value form; the other types each form once.
    const full = resource.type === 'Patient';
    for (const param of resource.searchParam ?? []) {
      // Two rows a page: the SQL is the same whatever the page size, the mapping work is not.
      for (const query of searchQueries(resource.type, param, full)) {
        await call(`search ${resource.type}?${query}`, `${resource.type}?${query}${/(^|&)_count=/.test(query) ? '' : '&_count=2'}`);
      }
      if (param.type === 'reference') await driveReference(resource.type, param.name, resources.map((r) => r.type));
    }
    for (const [label, query] of resultParameterQueries(resource, full)) await call(label, `${resource.type}?${query}`);
  }
  await call('POST _search', 'Patient/_search', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `gender=female&name=${encodeURIComponent(head.LastName.slice(0, 2))}&_count=5`,
  });

  // Paging: every next page, back once, openIMIS page-offset, _offset, totals.
  let page = (await call('paging: first page', 'Patient?_count=7&_total=accurate')).body;
  const pages = [];
  for (let i = 0; i < 200 && page; i++) {
    pages.push(page);
    const next = page.link?.find((l: { relation: string }) => l.relation === 'next');
    page = next ? (await call('paging: next', next.url)).body : undefined;
  }
  t.ok(pages.length > 2, 'several pages');
  const previous = pages.at(-1).link.find((l: { relation: string }) => l.relation === 'previous');
  if (previous) {
    const back = (await call('paging: previous', previous.url)).body;
    const again = back.link?.find((l: { relation: string }) => l.relation === 'previous');
    if (again) await call('paging: previous again', again.url);
  }
  await call('paging: page-offset', 'Patient?_count=7&page-offset=2');
  await call('paging: _offset', 'Patient?_count=7&_offset=5');
  await call('_count=0', 'Patient?_count=0');
  await call('_count=0 with a filter', `Patient?_count=0&gender=male`);
  await call('_summary=count', 'Patient?_summary=count&name=a');
  await call('_total=accurate with a filter', `Patient?_total=accurate&gender=female&_count=3`);
  for (const sort of ['birthdate', '-birthdate', '_lastUpdated', 'family,-given']) {
    let sorted = (await call(`_sort=${sort}`, `Patient?_sort=${sort}&_count=4`)).body;
    for (let i = 0; i < 2 && sorted?.link; i++) {
      const next = sorted.link.find((l: { relation: string }) => l.relation === 'next');
      if (!next) break;
      sorted = (await call(`_sort=${sort}: next`, next.url)).body;
    }
    const back = sorted?.link?.find((l: { relation: string }) => l.relation === 'previous');
    if (back) await call(`_sort=${sort}: previous`, back.url);
  }

  // Writes. A head of family with a new family (village and facility by UUID).
  const created = await post(
    'create head of a new family',
    patient('800000001', [isHead(true)], {
      address: address(`Location/${villages[0].LocationUUID}`),
      generalPractitioner: [{ reference: `Organization/${facility.HfUUID}` }],
    }),
  );
  t.equal(created.status, 201, JSON.stringify(created.body));
  // Members: family by UUID with their own village by code and the facility by code; by head CHFID.
  const member = await post(
    'create member (family by UUID, village and facility by code)',
    patient('800000002', [isHead(false), groupRef({ reference: `Group/${created.body?.extension?.find((e: { url: string }) => e.url === ext('patient-group-reference'))?.valueReference?.reference?.split('/')[1]}` })], {
      address: address(`Location/${villages[1].LocationCode}`, 'Room 2'),
      generalPractitioner: [{ reference: `Organization/${facility.HFCode}` }],
    }),
  );
  t.equal(member.status, 201, JSON.stringify(member.body));
  const byChfid = await post(
    'create member (family by head CHFID)',
    patient('800000003', [isHead(false), groupRef({ type: 'Group', identifier: { type: idType('Code'), value: head.CHFID } })]),
  );
  t.equal(byChfid.status, 201, JSON.stringify(byChfid.body));
  const intoHeadless = await post('create head of an existing family without head', patient('800000004', [isHead(true), groupRef({ reference: `Group/${headless.FamilyUUID}` })]));
  t.equal(intoHeadless.status, 201, JSON.stringify(intoHeadless.body));
  t.equal((await post('create head of a family that has one', patient('800000005', [isHead(true), groupRef({ reference: `Group/${headFamily.FamilyUUID}` })]))).status, 422);
  t.equal((await post('create with a duplicate CHFID', patient(head.CHFID, [isHead(true)], { address: address(`Location/${villages[0].LocationUUID}`) }))).status, 409);
  t.equal((await post('create with an unknown village', patient('800000006', [isHead(true)], { address: address('Location/00000000-0000-4000-8000-000000000000') }))).status, 422);
  t.equal((await post('create with an unknown family', patient('800000007', [isHead(false), groupRef({ reference: 'Group/00000000-0000-4000-8000-000000000000' })]))).status, 422);

  // Updates: with If-Match, changing the CHFID and the family; stale; without If-Match; 404.
  const id = member.body.id;
  const changed = { ...member.body, identifier: [{ type: idType('Code'), value: '800000012' }], telecom: [{ system: 'phone', value: '+255 711 000 000' }] };
  changed.extension = [
    ...changed.extension.filter((e: { url: string }) => e.url !== ext('patient-group-reference')),
    groupRef({ reference: `Group/${headFamily.FamilyUUID}` }),
  ];
  const updated = await call('update with If-Match', `Patient/${id}`, { method: 'PUT', body: JSON.stringify(changed), headers: { 'if-match': member.headers.get('etag')! } });
  t.equal(updated.status, 200, JSON.stringify(updated.body));
  t.equal((await call('update with a stale If-Match', `Patient/${id}`, { method: 'PUT', body: JSON.stringify(changed), headers: { 'if-match': member.headers.get('etag')! } })).status, 412);
  t.equal((await call('update, Prefer: return=minimal', `Patient/${id}`, { method: 'PUT', body: JSON.stringify(changed), headers: { prefer: 'return=minimal' } })).status, 200);
  t.equal((await call('update unknown', 'Patient/00000000-0000-4000-8000-000000000000', { method: 'PUT', body: JSON.stringify({ ...changed, id: undefined }) })).status, 404);
  await call('history after updates', `Patient/${id}/_history`);

  const byType = new Map<string, { n: number; ms: number }>();
  for (const s of statuses) {
    const key = /^search (\w+)/.exec(s.label)?.[1] ?? /\((\w+)\)$/.exec(s.label)?.[1] ?? s.label.split(/[ :]/)[0];
    const entry = byType.get(key) ?? { n: 0, ms: 0 };
    entry.n++;
    entry.ms += s.ms;
    byType.set(key, entry);
  }
  t.comment(`${statuses.length} requests: ${[...byType].map(([k, v]) => `${k} ${v.n} in ${Math.round(v.ms)} ms`).join(', ')}`);
  const failures = statuses.filter((s) => s.status >= 500).map(({ label, status }) => ({ label, status }));
  t.same(failures, [], 'no interaction failed with a server error');
});

// The server migrates its own tables (fhir_*) at every start (src/db/connect.ts), on SQL Server too:
// run the migrations again as on a first start (tables dropped) and as on every later one.
t.test('migrations of the fhir_* tables, as at a first and a later start', async (t) => {
  await capture.paused(async () => {
    await server.app.flushAudit();
    for (const table of ['fhir_audit_event', 'fhir_knex_migrations', 'fhir_knex_migrations_lock']) await db.schema.dropTableIfExists(table);
  });
  await capture.during('migrate (first start)', () => migrateOwnTables(db));
  await capture.during('migrate (later start)', () => migrateOwnTables(db));
  t.ok(await capture.paused(() => db.schema.hasTable('fhir_audit_event')), 'the audit table is back');
});

// ---- Checks ---------------------------------------------------------------------------------------
t.test('SQL Server compile of every query the server issued', async (t) => {
  capture.stop();
  const shapes = checkCapturedForMssql(t, capture, { minDistinct: MIN_DISTINCT_STATEMENTS });
  // Beyond the floor: the kinds of statement the capture must have seen, so that a broken capture or
  // a driving step that stopped reaching the database fails here.
  const all = [...shapes.values()];
  const has = (what: string, test: (s: MssqlStatement, c: CapturedQuery[]) => boolean) => t.ok(all.some((x) => test(x.statement, x.captures)), what);
  has('a select with TOP', (s) => /^select top \(@p\d+\)/.test(s.native.sql));
  has('a page with OFFSET … FETCH', (s) => /\boffset @p\d+ rows fetch next @p\d+ rows only$/.test(s.native.sql));
  has('a count', (s) => /\bcount\(\*\) as \[n\]/.test(s.native.sql));
  has('an insert with OUTPUT inserted', (s) => /^insert into \[tblInsuree\] .* output inserted\.\[InsureeID\] values/.test(s.native.sql));
  has('a history copy (insert … select)', (s) => /^insert into \[tblInsuree\] \(.*\) select /.test(s.native.sql));
  has('an update', (s) => /^update \[tblInsuree\] set /.test(s.native.sql));
  has('a columnInfo lookup', (s) => /INFORMATION_SCHEMA\.COLUMNS/.test(s.native.sql));
  has('the audit table DDL, with an IDENTITY key', (s) => /^create table \[fhir_audit_event\] \(\[AuditEventID\] int identity\(1,1\) not null primary key/i.test(s.native.sql));
  has("Knex's migration lock", (s) => /^update \[fhir_knex_migrations_lock\] set \[is_locked\] = @p0 where \[is_locked\] = @p1/.test(s.native.sql));
  has('a bit bound as Bit', (s) => s.types.includes('Bit'));
  has('a mssql Dialect LIKE fragment', (s, c) => c.some((x) => x.dialectMethods.includes('likeInsensitive')) && / like @p\d+ escape '\\'/.test(s.native.sql));
  has('a mssql Dialect case-insensitive equality', (_s, c) => c.some((x) => x.dialectMethods.includes('equalsInsensitive')));
});

// ---- Search queries from the CapabilityStatement ----------------------------------------------------
const DATE_PREFIXES = ['', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];

function searchQueries(type: string, param: { name: string; type: string; documentation?: string }, full: boolean): string[] {
  const p = param.name;
  // The CapabilityStatement names each parameter's modifiers in its documentation.
  const modifiers = /\(modifiers: ([^)]*)\)/.exec(param.documentation ?? '')?.[1].split(' ') ?? [];
  const q = (name: string, value: string) => `${name}=${encodeURIComponent(value)}`;
  const out: string[] = [];
  const values = sampleValues(type, p, param.type);
  switch (param.type) {
    case 'string':
      out.push(q(p, values[0]), q(`${p}:exact`, values[1] ?? values[0]), q(`${p}:missing`, 'true'));
      if (full) {
        out.push(q(`${p}:contains`, values[0].slice(1) || values[0]), q(p, 'x%_[y]\\z'), q(`${p}:missing`, 'false'));
        out.push(`${q(p, values[0])},${encodeURIComponent('zz')}`, `${q(p, values[0])}&${q(p, values[0])}`);
      }
      break;
    case 'token':
      out.push(q(p, values[0]), q(`${p}:not`, values[0]));
      if (modifiers.includes(':text')) out.push(q(`${p}:text`, 'a'), `${q(`${p}:text`, 'a')},b`);
      if (full) {
        for (const value of values) out.push(q(p, value), q(p, `|${value}`), q(`${p}:not`, value));
        out.push(q(p, `http://example.org/system|${values[0]}`), q(p, 'http://example.org/system|'), `${q(p, values[0])},${encodeURIComponent(values[1] ?? 'x')}`);
        if (type === 'Patient' && p === 'gender') out.push(q(p, `${genderSystem}|female`), q(p, `${genderSystem}|`));
        out.push(q(`${p}:missing`, 'true'), q(`${p}:missing`, 'false'));
      }
      break;
    case 'date':
      if (full) {
        // Every prefix on the first value; the other precisions (month, year, instant) with eq only.
        for (const prefix of DATE_PREFIXES) out.push(q(p, `${prefix}${values[0]}`));
        for (const value of values.slice(1)) out.push(q(p, value));
        out.push(`${q(p, `ge${values[0]}`)}&${q(p, `le${values[0]}`)}`, q(`${p}:missing`, 'false'));
      } else {
        // Every prefix: a Period parameter (two columns) has its own SQL for each.
        for (const prefix of DATE_PREFIXES) out.push(q(p, `${prefix}${values[1] ?? values[0]}`));
        out.push(q(`${p}:missing`, 'true'));
      }
      break;
    case 'quantity':
      for (const prefix of DATE_PREFIXES) out.push(q(p, `${prefix}10`));
      out.push(q(p, '10|urn:iso:std:iso:4217|USD'), q(p, '10||mg'), q(`${p}:missing`, 'true'));
      break;
    case 'uri':
      out.push(q(p, 'http://example.org/a/b'), q(`${p}:below`, 'http://example.org/a_%'), q(`${p}:above`, 'http://example.org/a/b/c'), q(`${p}:missing`, 'false'));
      break;
    case 'number':
      for (const prefix of full ? DATE_PREFIXES : ['', 'ne', 'gt']) out.push(q(p, `${prefix}10`));
      if (full) out.push(q(p, '10.5'), q(`${p}:missing`, 'true'));
      break;
    case 'reference':
      out.push(q(p, '00000000-0000-4000-8000-000000000000'), q(p, 'X1'), q(`${p}:identifier`, 'X1'), q(`${p}:missing`, 'true'));
      if (modifiers.includes(':below')) out.push(q(`${p}:below`, 'X1'), q(`${p}:above`, 'X1'));
      out.push(q('_include', `${type}:${p}`), `${q('_include:iterate', `${type}:${p}`)}&_count=3`);
      break;
    default:
      out.push(q(p, values[0] ?? 'x'));
  }
  return [...new Set(out)];
}

/**
 * The CapabilityStatement does not name a reference's target type: ask with the type modifier for
 * every served type at once; the self link keeps only the one understood (the target). Then drive
 * the chain, _has and _revinclude forms against it.
 */
async function driveReference(type: string, code: string, types: string[]) {
  const uuid = '00000000-0000-4000-8000-000000000000';
  const probe = await call(`search ${type}?${code}:<Type>`, `${type}?${types.map((x) => `${code}:${x}=${uuid}`).join('&')}&_count=0`);
  const self: string = probe.body?.link?.find((l: { relation: string }) => l.relation === 'self')?.url ?? '';
  const query = new URLSearchParams(self.split('?')[1] ?? '');
  for (const target of types.filter((x) => query.has(`${code}:${x}`))) {
    await call(`search ${type}?${code}.identifier (chain to ${target})`, `${type}?${code}.identifier=X1&_count=3`);
    await call(`search ${target}?_has:${type}:${code}:_id`, `${target}?_has:${type}:${code}:_id=${uuid}&_count=3`);
    await call(`search ${target}?_revinclude=${type}:${code}`, `${target}?_revinclude=${type}:${code}&_count=3`);
  }
}

/** Values that match demo rows where we know the parameter, else plausible ones. */
function sampleValues(type: string, code: string, paramType: string): string[] {
  if (type === 'Patient') {
    switch (code) {
      case 'identifier':
        return [head.CHFID, head.InsureeUUID];
      case '_id':
        return [head.InsureeUUID, String(head.InsureeUUID).toUpperCase()];
      case 'name':
      case 'family':
        return [head.LastName.slice(0, 3).toLowerCase(), head.LastName];
      case 'given':
        return [head.OtherNames.slice(0, 3).toLowerCase(), head.OtherNames];
      case 'birthdate':
        return [head.DOB, head.DOB.slice(0, 7), head.DOB.slice(0, 4)];
      case '_lastUpdated':
        return ['2020-01-01T10:00:00Z', '2020-01-01', '2020'];
      case 'gender':
        return ['female', 'male', 'other'];
      case 'phone':
        return [withPhone.Phone ?? '+255 700 000 001'];
      case 'email':
        return [String(withEmail.Email ?? 'someone@example.org').toUpperCase()];
    }
  }
  if (code === '_id') return ['00000000-0000-4000-8000-000000000000'];
  if (paramType === 'date') return ['2020-01-01T10:00:00Z', '2020-01-01', '2020'];
  if (paramType === 'number') return ['10'];
  return ['a1', 'A1'];
}

/** _sort on each parameter (both ways for Patient), and the result parameters. */
function resultParameterQueries(resource: { type: string; searchParam?: { name: string }[] }, full: boolean): [string, string][] {
  const out: [string, string][] = [];
  // The keyset SQL of _sort is the same for every column but for its name: three columns will do
  // for the other types.
  for (const param of (resource.searchParam ?? []).slice(0, full ? undefined : 3)) {
    out.push([`_sort=${param.name}`, `_sort=${param.name}&_count=2`]);
    if (full) out.push([`_sort=-${param.name}`, `_sort=-${param.name}&_count=2`]);
  }
  if (full) out.push(['_elements', '_elements=id&_count=2'], ['_summary=count', '_summary=count']);
  return out.map(([label, query]) => [`${label} (${resource.type})`, query]);
}
