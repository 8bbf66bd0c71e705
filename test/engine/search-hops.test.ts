/**
 * The engine's search features beyond the main table's own columns, on resources that know nothing of
 * openIMIS: hops to other tables (via) in search, :missing, :not, chains, _has, _include, _revinclude,
 * counts and paging, with row security kept; Periods with every prefix; codes that are conditions;
 * a constant reference to a configured instance; quantity and uri parameters; :text, :above, :below;
 * unsupported modifiers refused. Every query is compiled and checked for SQL Server too.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { MssqlCapture, checkCapturedForMssql } from '../helpers/mssql-capture.js';
import { createFakeTables, hopChild, hopParent, CONFIGURED_SERVICE } from './fake-resources.js';

const P = (n: number) => `aaaaaaaa-0000-4000-8000-00000000000${n}`;
const C = (n: number) => `bbbbbbbb-0000-4000-8000-00000000000${n}`;
const at = new Date('2024-01-01T00:00:00Z');

const capture = new MssqlCapture().installDialectTwins();
t.teardown(() => capture.close());
const server = await startServer(t, {}, {
  extraResources: [hopParent, hopChild],
  beforeStart: async (db) => {
    await createFakeTables(db.knex);
    const row = (uuid: string, more: object) => ({ ValidityFrom: at, AuditUserID: 1, ...more, [uuid.startsWith('a') ? 'ParentUUID' : 'ChildUUID']: uuid });
    // P1 ← P2 ← P3 (UpperID), PX is hidden by row security.
    await db.knex('test_parent').insert([
      row(P(1), { Code: 'P1', Name: 'Alpha north', Url: 'http://example.org/fhir/services/alpha' }),
      row(P(2), { Code: 'P2', Name: 'Beta', Url: 'http://example.org/fhir/services/beta', UpperID: 1 }),
      row(P(3), { Code: 'P3', Name: 'Gamma', Url: 'http://other.org/x', UpperID: 2 }),
      row(P(4), { Code: 'PX', Name: 'Hidden parent', UpperID: 1 }),
    ]);
    await db.knex('test_child').insert([
      row(C(1), { Name: 'One', Rank: 1, ParentID: 1, Starts: '2020-01-01', Ends: '2020-12-31', Amount: 10.5 }),
      row(C(2), { Name: 'Two', Rank: 2, ParentID: 1, Starts: '2020-06-01', Ends: '2020-06-30', Amount: 100 }),
      row(C(3), { Name: 'Three', Rank: 3, ParentID: 2, Starts: '2019-01-01', Ends: null, Amount: 250.75 }),
      row(C(4), { Name: 'Four', Rank: 4, ParentID: 4, Starts: null, Ends: '2020-03-31', Amount: null }),
      row(C(5), { Name: 'Five', Rank: 5, ParentID: null, Starts: '2021-01-01', Ends: '2021-12-31', Amount: 100.2 }),
      row(C(6), { Name: 'Six', Rank: null, ParentID: null, Starts: null, Ends: null, Amount: 0 }),
      row(C(7), { Name: 'Hidden', Rank: 2, ParentID: 2, Starts: '2020-06-10', Ends: '2020-06-11', Amount: 100 }),
    ]);
    // Current links: P1 {1, 2}, P2 {2, 4, 7 (hidden)}, PX {5}; P1–3 closed.
    await db.knex('test_membership').insert([
      { ParentID: 1, ChildID: 1 },
      { ParentID: 1, ChildID: 2 },
      { ParentID: 1, ChildID: 3, ValidityTo: at },
      { ParentID: 2, ChildID: 2 },
      { ParentID: 2, ChildID: 4 },
      { ParentID: 2, ChildID: 7 },
      { ParentID: 4, ChildID: 5 },
    ]);
  },
});
capture.attach(server.db.knex);
capture.start();

const strict = { headers: { prefer: 'handling=strict' } };
const names = (body: any, mode = 'match') =>
  (body.entry ?? [])
    .filter((e: any) => e.search.mode === mode)
    .map((e: any) => e.resource.name?.[0]?.family ?? e.resource.name)
    .sort();
async function found(path: string): Promise<string[]> {
  const res = await server.fhir(path, strict);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return names(res.body);
}

t.test('a reference through a link table: search, :missing, chain, _has, with row security', async (t) => {
  t.same(await found(`HealthcareService?member=Person/${C(2)}`), ['Alpha north', 'Beta'], 'both parents linked to Two');
  t.same(await found(`HealthcareService?member=${C(3)}`), [], 'a closed link does not count');
  t.same(await found(`HealthcareService?member=${C(5)}`), [], 'the only parent linked to Five is hidden');
  t.same(await found('HealthcareService?member:missing=true'), ['Gamma'], ':missing=true: no current link');
  t.same(await found('HealthcareService?member:missing=false'), ['Alpha north', 'Beta'], ':missing=false');
  t.same(await found('HealthcareService?member.name=Fou'), ['Beta'], 'chain through the link');
  t.same(await found('HealthcareService?member.name=Hidden'), [], 'the chain keeps the target row security');
  t.same(await found('HealthcareService?member:Person.name=One&member.name=Two'), ['Alpha north'], 'two chains AND');
  t.same(await found('Person?_has:HealthcareService:member:name=Alpha'), ['One', 'Two'], '_has through the link');
  t.same(await found('Person?_has:HealthcareService:member:identifier=PX'), [], '_has keeps the source row security');
  t.same(await found('Person?_has:HealthcareService:member:identifier=P2'), ['Four', 'Two'], '_has does not reveal hidden rows');
});

t.test('a token through a hop: codes, :not, :missing, :text', async (t) => {
  t.same(await found('Person?parent-code=P1'), ['One', 'Two']);
  t.same(await found('Person?parent-code=P1,P2'), ['One', 'Three', 'Two'], 'OR inside one hop');
  t.same(await found('Person?parent-code=PX'), ['Four'], 'the hop table is a link: the parent row security is not the child’s');
  t.same(await found('Person?parent-code:not=P1'), ['Five', 'Four', 'Six', 'Three'], ':not keeps rows without a parent');
  t.same(await found('Person?parent-code:missing=true'), ['Five', 'Six']);
  t.same(await found('Person?parent-code:missing=false'), ['Four', 'One', 'Three', 'Two']);
  t.same(await found('Person?parent-code:text=nor'), ['One', 'Two'], ':text matches a word of the display');
  t.same(await found('Person?parent-code:text=BET'), ['Three'], ':text ignores case');
});

t.test('_include and _revinclude through the link: one query each, row security kept', async (t) => {
  const queries: string[] = [];
  const listener = (q: { sql: string }) => queries.push(q.sql);
  server.db.knex.on('query', listener);
  const res = await server.fhir(`HealthcareService?_id=${P(2)}&_include=HealthcareService:member`, strict);
  server.db.knex.off('query', listener);
  t.same(names(res.body, 'include'), ['Four', 'Two'], 'the current, visible members');
  t.equal(queries.filter((q) => /test_(child|parent|membership)/.test(q)).length, 2, 'one query for the page, one for the include');
  const all = await server.fhir('HealthcareService?_include=HealthcareService:member&_count=10', strict);
  t.same(names(all.body, 'include'), ['Four', 'One', 'Two'], 'each member once');
  const rev = await server.fhir(`Person?_id=${C(2)}&_revinclude=HealthcareService:member`, strict);
  t.same(names(rev.body, 'include'), ['Alpha north', 'Beta']);
  const hidden = await server.fhir(`Person?_id=${C(5)}&_revinclude=HealthcareService:member`, strict);
  t.same(names(hidden.body, 'include'), [], 'the hidden parent is not revincluded');
  const iterate = await server.fhir(`HealthcareService?_id=${P(1)}&_include=HealthcareService:member&_revinclude:iterate=HealthcareService:member`, strict);
  t.same(names(iterate.body, 'include'), ['Beta', 'One', 'Two'], ':iterate follows the link back');
});

t.test('counts and paging over a hop', async (t) => {
  const counted = await server.fhir('HealthcareService?member:missing=false&_total=accurate&_count=1', strict);
  t.equal(counted.body.total, 2);
  t.equal((await server.fhir('Person?parent-code=P1,P2&_summary=count', strict)).body.total, 3);
  const seen: string[] = [];
  let next: string | undefined = 'Person?parent-code:missing=false&_count=1&_sort=-period';
  for (let i = 0; next && i < 10; i++) {
    const page: { body: any } = await server.fhir(next, strict);
    seen.push(...names(page.body));
    next = page.body.link.find((l: any) => l.relation === 'next')?.url;
  }
  t.same(seen.sort(), ['Four', 'One', 'Three', 'Two'], 'every row once, page by page');
});

t.test('Period prefixes (search.html#prefix on ranges)', async (t) => {
  const cases: [string, string[]][] = [
    ['2020', ['One', 'Two']],
    ['eq2020-06', ['Two']],
    ['ne2020', ['Five', 'Four', 'Six', 'Three']],
    ['gt2020-06-15', ['Five', 'One', 'Six', 'Three', 'Two']],
    ['lt2020-06-15', ['Four', 'One', 'Six', 'Three', 'Two']],
    ['ge2020-07', ['Five', 'One', 'Six', 'Three']],
    ['le2020-06', ['Four', 'One', 'Six', 'Three', 'Two']],
    ['le2020-06-01', ['Four', 'One', 'Six', 'Three', 'Two']],
    ['ge2020-06-30', ['Five', 'One', 'Six', 'Three', 'Two']],
    ['gt2020-06-30', ['Five', 'One', 'Six', 'Three']],
    ['lt2020-06-01', ['Four', 'One', 'Six', 'Three']],
    ['sa2020', ['Five']],
    ['eb2020-06-01', ['Four']],
    ['ap2025-06-15', ['Six', 'Three']],
    ['2020-06-15T10:00:00Z', []],
  ];
  for (const [value, expected] of cases) t.same(await found(`Person?period=${value}`), expected, value);
  t.same(await found('Person?period=ge2020-01-01&period=le2020-12-31'), ['Four', 'One', 'Six', 'Three', 'Two'], 'AND of two prefixes');
  t.same(await found('Person?period:missing=true'), ['Six']);
  t.equal((await found('Person?period:missing=false')).length, 5);
  t.equal((await server.fhir('Person?period=2020-13')).status, 400);
});

t.test('codes that are conditions built at request time', async (t) => {
  t.same(await found('Person?state=current'), ['Six', 'Three']);
  t.same(await found('Person?state=ended'), ['Five', 'Four', 'One', 'Two']);
  t.same(await found('Person?state:not=current'), ['Five', 'Four', 'One', 'Two']);
  t.same(await found('Person?state=current,ended'), ['Five', 'Four', 'One', 'Six', 'Three', 'Two']);
  t.same(await found('Person?state=unknown'), []);
});

t.test('a constant reference to a configured instance', async (t) => {
  t.equal((await found(`Person?insurer=HealthcareService/${CONFIGURED_SERVICE.id}`)).length, 6, 'every visible row');
  t.equal((await found(`Person?insurer=${server.base}/HealthcareService/${CONFIGURED_SERVICE.id}`)).length, 6, 'absolute URL');
  t.same(await found(`Person?insurer=HealthcareService/${P(1)}`), [], 'another value: none');
  t.same(await found('Person?insurer:missing=true'), []);
  const res = await server.fhir('Person?_include=Person:insurer&_count=3', strict);
  const included = res.body.entry.filter((e: any) => e.search.mode === 'include');
  t.equal(included.length, 1, 'the instance once');
  t.equal(included[0].fullUrl, `${server.base}/HealthcareService/${CONFIGURED_SERVICE.id}`);
  t.equal(included[0].resource.meta.versionId, '1');
  t.equal((await server.fhir('Person?insurer.name=x', strict)).status, 400, 'no chain through a constant');
  t.equal((await server.fhir('HealthcareService?_has:Person:insurer:name=One', strict)).status, 400, 'no _has through a constant');
  t.equal((await server.fhir('Person?insurer:identifier=x')).status, 400, ':identifier is refused');
});

t.test('quantity parameters', async (t) => {
  t.same(await found('Person?amount=100'), ['Five', 'Two'], 'the implicit precision of 100 is [99.5, 100.5)');
  t.same(await found('Person?amount=100.0'), ['Two']);
  t.same(await found('Person?amount=gt100'), ['Five', 'Three']);
  t.same(await found('Person?amount=le10.5'), ['One', 'Six']);
  t.same(await found('Person?amount=100|urn:iso:std:iso:4217|USD'), ['Five', 'Two'], 'the column’s unit');
  t.same(await found('Person?amount=100||USD'), ['Five', 'Two'], 'code without system');
  t.same(await found('Person?amount=100|urn:iso:std:iso:4217|EUR'), [], 'another currency: none');
  t.same(await found('Person?amount=100|http://unitsofmeasure.org|mg'), [], 'another system: none');
  t.same(await found('Person?amount:missing=true'), ['Four']);
  t.equal((await server.fhir('Person?amount=abc|x|y')).status, 400);
  t.equal((await server.fhir('Person?amount=1|a|b|c')).status, 400);
});

t.test('uri parameters with :below and :above', async (t) => {
  t.same(await found('HealthcareService?url=http://example.org/fhir/services/alpha'), ['Alpha north']);
  t.same(await found('HealthcareService?url=http://example.org/fhir/services/ALPHA'), [], 'exact');
  t.same(await found('HealthcareService?url:below=http://example.org/fhir'), ['Alpha north', 'Beta']);
  t.same(await found('HealthcareService?url:below=http://example.org/fhir/'), ['Alpha north', 'Beta']);
  t.same(await found('HealthcareService?url:below=http://example.org/fhir/services/al'), [], 'by whole path segments');
  t.same(await found('HealthcareService?url:below=http://example.org/fhir/services/%25'), [], 'LIKE wildcards are literal');
  t.same(await found('HealthcareService?url:above=http://other.org/x/y/_history/2'), ['Gamma']);
  t.same(await found('HealthcareService?url:above=http://example.org/fhir/services/alpha'), ['Alpha north']);
  t.same(await found('HealthcareService?url:missing=true'), []);
});

t.test('a reference hierarchy with :below and :above', async (t) => {
  t.same(await found(`HealthcareService?partof=${P(1)}`), ['Beta'], 'the direct children (PX is hidden)');
  t.same(await found(`HealthcareService?partof:below=${P(1)}`), ['Beta', 'Gamma'], 'every descendant');
  t.same(await found('HealthcareService?partof:below=P2'), ['Gamma']);
  t.same(await found(`HealthcareService?partof:above=${P(3)}`), ['Alpha north', 'Beta'], 'every ancestor');
  t.same(await found('HealthcareService?partof:above=P1'), []);
});

t.test('unsupported modifiers are refused with a 400 OperationOutcome, whatever the handling', async (t) => {
  for (const query of ['Person?name:text=x', 'Person?amount:below=1', 'HealthcareService?url:exact=x', 'Person?rank:contains=1', 'Person?organization:below=P1', 'Person?state:text=c', 'Person?period:not=2020', 'Person?name:nonsense=x']) {
    const res = await server.fhir(query);
    t.equal(res.status, 400, query);
    t.equal(res.body.resourceType, 'OperationOutcome', query);
  }
  t.same(await found('Person?kind:text=odd'), ['One', 'Three', 'Five'].sort(), ':text over mapped displays');
  t.same(await found('Person?kind:text=rank'), ['Five', 'Four', 'One', 'Three', 'Two'], ':text on a later word');
  const lenient = await server.fhir(`Person?organization:Organization=${P(1)}`);
  t.equal(lenient.status, 200, 'a type modifier naming another type is an unknown parameter, dropped when lenient');
});

t.test('the CapabilityStatement lists the quantity and uri parameters', async (t) => {
  const metadata = await server.fhir('metadata', { token: null });
  const params = (type: string) => metadata.body.rest[0].resource.find((r: any) => r.type === type).searchParam;
  t.equal(params('Person').find((p: any) => p.name === 'amount').type, 'quantity');
  t.equal(params('HealthcareService').find((p: any) => p.name === 'url').type, 'uri');
  t.ok(metadata.body.rest[0].resource.find((r: any) => r.type === 'Person').searchInclude.includes('Person:insurer'));
});

t.test('SQL Server compile of every query', async (t) => {
  capture.stop();
  const shapes = checkCapturedForMssql(t, capture, { minDistinct: 30 });
  const sqls = [...shapes.values()].map((s) => s.statement.native.sql);
  t.ok(sqls.some((sql) => /\[t\]\.\[ParentID\] in \(select \[v\]\.\[ParentID\] from \[test_membership\] as \[v\] where \[v\]\.\[ValidityTo\] is null/.test(sql)), 'a hop is a semi-join');
  t.ok(sqls.some((sql) => /not exists \(select 1 from \[test_parent\] as \[v\]/.test(sql)), 'a negated hop is NOT EXISTS');
});
