/**
 * The queries of Group — reads with the members of a page, every search parameter, includes,
 * history, and every write (family insert, head and member history copies, soft deletes) — captured
 * while they run on the real test database and compiled again for SQL Server
 * (test/helpers/mssql-capture.ts), where they must parse as T-SQL with no PostgreSQL-only syntax.
 * Also checks that a page of families costs the same number of queries whatever its size.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { MssqlCapture, checkCapturedForMssql } from '../helpers/mssql-capture.js';
import { DEMO } from '../../src/db/demo/facts.js';

const capture = new MssqlCapture().installDialectTwins();
t.teardown(() => capture.close());
const server = await startServer(t);
capture.attach(server.db.knex);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const url = (name: string) => `${IG}/StructureDefinition/${name}`;
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const village = await db('tblLocations').whereNull('ValidityTo').where('LocationType', 'V').orderBy('LocationId').first();
const mover = await db('tblInsuree').whereNull('ValidityTo').where('IsHead', false).where('FamilyID', DEMO.headInsuree.familyId).orderBy('InsureeID').first();

async function call(label: string, path: string, init: Parameters<typeof server.fhir>[1] = {}, expected?: number) {
  const res = await capture.during(label, () => server.fhir(path, init));
  if (expected !== undefined && res.status !== expected) throw new Error(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
  return res;
}

async function cost(path: string): Promise<number> {
  const queries: string[] = [];
  const onQuery = (q: { sql: string }) => {
    if (/"tbl\w+"/.test(q.sql) && !/"fhir_/.test(q.sql)) queries.push(q.sql);
  };
  db.on('query', onQuery);
  try {
    const res = await server.fhir(path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  } finally {
    db.off('query', onQuery);
  }
  return queries.length;
}

t.test('a page of families costs the same queries whatever its size', async (t) => {
  await cost('Group?_count=1'); // the caller's user and scope are cached from here on
  const one = await cost('Group?_count=1');
  const all = await cost('Group?_count=100');
  t.equal(all, one, `${one} queries for 1 family, ${all} for every family`);
  t.ok(all <= 2, `the page and its members: ${all} queries`);
  t.equal(await cost('Group?_count=100&_include=Group:head'), all + 1, 'one more for the included heads');
});

t.test('drive every Group interaction', async (t) => {
  capture.start();
  const family = DEMO.headInsuree.familyUuid;
  await call('read Group', `Group/${family}`, {}, 200);
  await call('search Group by identifier', `Group?identifier=${family}`, {}, 200);
  await call('search Group by type', 'Group?type=H&type:not=T', {}, 200);
  await call('search Group by poverty', 'Group?poverty=true&_total=accurate', {}, 200);
  await call('search Group by head', `Group?head=${DEMO.headInsuree.chfid}`, {}, 200);
  await call('search Group by head:identifier', `Group?head:identifier=${DEMO.headInsuree.chfid}`, {}, 200);
  await call('search Group by head.family', `Group?head.family=${DEMO.headInsuree.lastName}`, {}, 200);
  await call('search Group with _include', 'Group?_include=Group:head&_count=3', {}, 200);
  await call('search Patient with _revinclude', `Patient?_id=${DEMO.headInsuree.uuid}&_revinclude=Group:head`, {}, 200);
  await call('search Group sorted', 'Group?_sort=-_lastUpdated&_count=3', {}, 200);
  const history = await call('history Group', `Group/${DEMO.familyWithHistory.uuid}/_history`, {}, 200);
  await call('vread Group', `Group/${DEMO.familyWithHistory.uuid}/_history/${history.body.entry.at(-1).resource.meta.versionId}`, {}, 200);
  await call('type history Group', 'Group/_history?_count=5', {}, 200);

  const body = {
    resourceType: 'Group',
    type: 'person',
    actual: true,
    identifier: [{ type: idType('Code'), value: mover.CHFID }],
    extension: [
      { url: url('group-address'), valueAddress: { text: 'MS road', extension: [{ url: url('address-location-reference'), valueReference: { reference: `Location/${village.LocationUUID}` } }] } },
      { url: url('group-poverty-status'), valueBoolean: false },
      { url: url('group-type'), valueCodeableConcept: { coding: [{ code: 'H' }] } },
      { url: url('group-confirmation'), extension: [{ url: 'number', valueString: 'MS-1' }, { url: 'type', valueCodeableConcept: { coding: [{ code: 'A' }] } }] },
    ],
  };
  const created = await call('create Group', 'Group', { method: 'POST', body: JSON.stringify(body) }, 201);
  const member = await call('create member Patient', 'Patient', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Patient',
      identifier: [{ type: idType('Code'), value: '900200001' }],
      name: [{ use: 'usual', family: 'Msql', given: ['Member'] }],
      gender: 'male',
      birthDate: '2000-01-01',
      extension: [
        { url: url('patient-is-head'), valueBoolean: false },
        { url: url('patient-group-reference'), valueReference: { reference: `Group/${created.body.id}` } },
      ],
    }),
  }, 201);
  const newHead = { ...created.body, identifier: [{ type: idType('Code'), value: '900200001' }], member: undefined };
  await call('update Group (head change)', `Group/${created.body.id}`, { method: 'PUT', body: JSON.stringify(newHead) }, 200);
  t.ok(member.body.id);
  await call('delete Group refused (live policy)', `Group/${family}`, { method: 'DELETE' }, 409);
  await call('delete Group', `Group/${created.body.id}`, { method: 'DELETE' }, 204);
  capture.stop();
});

t.test('SQL Server', async (t) => {
  const shapes = checkCapturedForMssql(t, capture, { minDistinct: 20 });
  const all = [...shapes.values()].map((s) => s.statement.native.sql);
  const has = (what: string, re: RegExp) => t.ok(all.some((sql) => re.test(sql)), what);
  has('the members of a page in one query, coverage by EXISTS', /from \[tblInsuree\] as \[m\] where \[m\]\.\[FamilyID\] in .* and \[m\]\.\[ValidityTo\] is null/);
  has('coverage as a correlated EXISTS', /case when exists \(select 1 from \[tblInsureePolicy\]/);
  has('a family inserted with OUTPUT inserted', /^insert into \[tblFamilies\] .* output inserted\.\[FamilyID\]/);
  has('a history copy of a family', /^insert into \[tblFamilies\] \(.*\) select /);
});
