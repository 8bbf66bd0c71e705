/**
 * The queries of Organization over health facilities and policy holders together — reads by UUID
 * and code, searches paged over both tables (integer and UUID keys, `_sort` on the UUIDs), includes,
 * instance, type and system history — captured while they run on the real test database and
 * compiled again for SQL Server (test/helpers/mssql-capture.ts), where they must parse as T-SQL.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { MssqlCapture, checkCapturedForMssql } from '../helpers/mssql-capture.js';
import { DEMO } from '../../src/db/demo/facts.js';

const capture = new MssqlCapture().installDialectTwins();
t.teardown(() => capture.close());
const server = await startServer(t);
capture.attach(server.db.knex);
const PH = DEMO.policyHolders;

async function call(label: string, path: string, expected = 200) {
  const res = await capture.during(label, () => server.fhir(path));
  if (res.status !== expected) throw new Error(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
  return res;
}

t.test('drive every Organization read interaction over both tables', async () => {
  capture.start();
  await call('read a policy holder', `Organization/${PH.coffee.uuid}`);
  await call('read a policy holder by code', `Organization/${PH.coffee.code}`);
  await call('read a deleted policy holder', `Organization/${PH.deleted.uuid}`, 410);
  await call('search by type and identifier', `Organization?type=bus&identifier=${PH.builders.code},${PH.shipping.uuid}&_total=accurate`);
  await call('search by name and location', `Organization?name=baraka&location=R1D2&_lastUpdated=gt2020-01-01`);
  let url: string | undefined = 'Organization?_count=3&_sort=_id';
  for (let i = 0; url && i < 3; i++) url = (await call(`page ${i} by _id`, url)).body.link.find((l: any) => l.relation === 'next')?.url;
  url = 'Organization?_count=3&_sort=-_lastUpdated,name';
  for (let i = 0; url && i < 3; i++) url = (await call(`page ${i} by _lastUpdated`, url)).body.link.find((l: any) => l.relation === 'next')?.url;
  await call('includes', `Organization?type=bus&_include=Organization:location`);
  await call('instance history', `Organization/${PH.coffee.uuid}/_history`);
  await call('vread', `Organization/${PH.coffee.uuid}/_history/1`, 404);
  await call('type history', 'Organization/_history?_count=5');
  const first = await call('system history', '_history?_type=Organization&_count=4');
  const next = first.body.link.find((l: any) => l.relation === 'next')?.url;
  if (next) await call('system history, next page', next);
  capture.stop();
});

t.test('SQL Server', async (t) => {
  const shapes = checkCapturedForMssql(t, capture, { minDistinct: 10 });
  const all = [...shapes.values()].map((s) => s.statement.native.sql);
  const has = (what: string, re: RegExp) => t.ok(all.some((sql) => re.test(sql)), what);
  has('the policy holders read', /from \[tblPolicyHolder\] as \[t\]/);
  has('UUID keys in the union', /\[_uk\]/);
  has('UUID sort values as text', /cast\(\[b1\]\.\[_s0\] as varchar\(36\)\)/);
});
