/**
 * The queries of Practitioner and PractitionerRole over the claim administrators — reads, every
 * search parameter, includes, history, and every write (inserts, history copies, soft deletes, the
 * role's facility) — captured while they run on the real test database and compiled again for SQL
 * Server (test/helpers/mssql-capture.ts), where they must parse as T-SQL with no PostgreSQL-only
 * syntax. (The officer side runs the same checks in practitioner-officer.test.ts.)
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { MssqlCapture, checkCapturedForMssql } from '../helpers/mssql-capture.js';
import { DEMO } from '../../src/db/demo/facts.js';

const capture = new MssqlCapture().installDialectTwins();
t.teardown(() => capture.close());
const server = await startServer(t);
capture.attach(server.db.knex);
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });

async function call(label: string, path: string, init: Parameters<typeof server.fhir>[1] = {}, expected?: number) {
  const res = await capture.during(label, () => server.fhir(path, init));
  if (expected !== undefined && res.status !== expected) throw new Error(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
  return res;
}

t.test('drive every Practitioner and PractitionerRole interaction', async (t) => {
  capture.start();
  const { uuid, code, lastName, otherNames, hfCode } = DEMO.claimAdmin;
  for (const type of ['Practitioner', 'PractitionerRole']) {
    await call(`read ${type}`, `${type}/${uuid}`, {}, 200);
    await call(`read ${type} by code`, `${type}/${code}`, {}, 200);
    await call(`search ${type} by identifier`, `${type}?identifier=${code},${uuid}&_total=accurate`, {}, 200);
    await call(`history ${type}`, `${type}/${uuid}/_history`, {}, 200);
    await call(`type history ${type}`, `${type}/_history?_count=3`, {}, 200);
  }
  await call('search Practitioner by name', `Practitioner?name=${lastName}&given:exact=${otherNames}&family:contains=${lastName.slice(1, 4)}`, {}, 200);
  await call('search Practitioner by phone and email', 'Practitioner?phone=%2B255&email=x@example.org', {}, 200);
  await call('search Practitioner sorted', 'Practitioner?_sort=family,-given&_count=2', {}, 200);
  await call('search PractitionerRole by practitioner', `PractitionerRole?practitioner=${code}&practitioner.family=${lastName}`, {}, 200);
  await call('search PractitionerRole by organization', `PractitionerRole?organization=${hfCode}&organization:missing=false`, {}, 200);
  await call('search PractitionerRole with includes', `PractitionerRole?_include=PractitionerRole:practitioner&_include=PractitionerRole:organization&_count=3`, {}, 200);
  await call('search Practitioner with _revinclude', `Practitioner?identifier=${code}&_revinclude=PractitionerRole:practitioner`, {}, 200);

  const practitioner = {
    resourceType: 'Practitioner',
    identifier: [{ type: idType('Code'), value: 'MSCA0001' }],
    name: [{ use: 'usual', family: 'Msql', given: ['Admin'] }],
    birthDate: '1980-01-01',
    telecom: [{ system: 'phone', value: '+255 1' }],
    qualification: [{ code: { coding: [{ code: 'CA' }] } }],
  };
  const created = await call('create Practitioner', 'Practitioner', { method: 'POST', body: JSON.stringify(practitioner) }, 201);
  const role = { resourceType: 'PractitionerRole', practitioner: { reference: `Practitioner/${created.body.id}` }, organization: { reference: `Organization/${hfCode}` } };
  const assigned = await call('create PractitionerRole', 'PractitionerRole', { method: 'POST', body: JSON.stringify(role) }, 201);
  await call('update PractitionerRole', `PractitionerRole/${created.body.id}`, { method: 'PUT', body: JSON.stringify({ ...assigned.body, organization: undefined }) }, 200);
  const current = (await call('read created', `Practitioner/${created.body.id}`, {}, 200)).body;
  await call('update Practitioner', `Practitioner/${created.body.id}`, { method: 'PUT', body: JSON.stringify({ ...current, identifier: [{ type: idType('Code'), value: 'MSCA0002' }] }) }, 200);
  await call('delete Practitioner refused (login)', `Practitioner/${uuid}`, { method: 'DELETE' }, 409);
  await call('delete Practitioner', `Practitioner/${created.body.id}`, { method: 'DELETE' }, 204);
  capture.stop();
});

t.test('SQL Server', async (t) => {
  const shapes = checkCapturedForMssql(t, capture, { minDistinct: 20 });
  const all = [...shapes.values()].map((s) => s.statement.native.sql);
  const has = (what: string, re: RegExp) => t.ok(all.some((sql) => re.test(sql)), what);
  has('a claim administrator inserted with OUTPUT inserted', /^insert into \[tblClaimAdmin\] .* output inserted\.\[ClaimAdminId\]/);
  has('a history copy of a claim administrator', /^insert into \[tblClaimAdmin\] \(.*\) select /);
});
