/**
 * The queries of Claim, ClaimResponse, Medication and ActivityDefinition — reads with their
 * batched details, searches, includes, history, and every write (claim with lines, price lists,
 * history copies of lines, soft deletes) — captured while they run on the real test database and
 * compiled again for SQL Server (test/helpers/mssql-capture.ts), where they must parse as T-SQL with
 * no PostgreSQL-only syntax. Also checks that a page of claims costs the same number of queries
 * whatever its size (no query per claim).
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
const currency = server.config.currency;
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const today = new Date().toISOString().slice(0, 10);

const hf = await db('tblHF').where('HFCode', 'AMHC001').whereNull('ValidityTo').first();
const admin = await db('tblClaimAdmin').where('HFId', hf.HfID).whereNull('ValidityTo').first();
const insuree = await db('tblInsuree').where('CHFID', DEMO.headInsuree.chfid).whereNull('ValidityTo').first();
const para = await db('tblItems').where('ItemCode', 'PARA50').whereNull('ValidityTo').first();
const opd = await db('tblServices').where('ServCode', 'OPD01').whereNull('ValidityTo').first();
const lab = await db('tblServices').where('ServCode', 'LAB01').whereNull('ValidityTo').first();

const queries: string[] = [];
// Queries of the legacy tables only: the server's own (fhir_*, the audit trail written after the
// response) and transaction control are not the resource's.
const onQuery = (q: { sql: string }) => {
  if (/"tbl\w+"/.test(q.sql) && !/"fhir_/.test(q.sql)) queries.push(q.sql);
};

async function call(label: string, path: string, init: Parameters<typeof server.fhir>[1] = {}, expected?: number) {
  const res = await capture.during(label, () => server.fhir(path, init));
  if (expected !== undefined && res.status !== expected) throw new Error(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
  return res;
}

/** The number of queries a request costs. */
async function cost(path: string): Promise<number> {
  queries.length = 0;
  db.on('query', onQuery);
  try {
    const res = await server.fhir(path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  } finally {
    db.off('query', onQuery);
  }
  return queries.length;
}

t.test('a page of claims costs the same queries whatever its size', async (t) => {
  await cost('Claim?_count=1'); // the caller's user and scope are cached from here on
  const one = await cost('Claim?_count=1');
  const all = await cost('Claim?_count=100');
  t.equal(all, one, `${one} queries for 1 claim, ${all} for every claim`);
  t.ok(all <= 6, `the page, its lines (items, services), diagnoses and policies: ${all} queries`);
  const responsesAll = await cost('ClaimResponse?_count=100');
  const seenAll = [...queries];
  const responsesOne = await cost('ClaimResponse?_count=1');
  t.equal(responsesAll, responsesOne, 'ClaimResponse pages too', { all: seenAll.map((q) => q.slice(0, 80)), one: queries.map((q) => q.slice(0, 80)) });
  const includes = '_revinclude=ClaimResponse:request&_include=Claim:patient';
  await cost(`Claim?_count=1&${includes}`); // the locations and facilities patients need are loaded from here on
  const includedOne = await cost(`Claim?_count=1&${includes}`);
  const includedAll = await cost(`Claim?_count=100&${includes}`);
  t.equal(includedAll, includedOne, `with includes: ${includedOne} queries for 1 claim, ${includedAll} for every claim`);
});

t.test('drive every interaction of the four resources', async (t) => {
  capture.start();
  for (const type of ['Claim', 'ClaimResponse', 'Medication', 'ActivityDefinition']) {
    await call(`search ${type}`, `${type}?_count=100`, {}, 200);
    await call(`history-type ${type}`, `${type}/_history?_count=20`, {}, 200);
  }
  const c = DEMO.claims.checked;
  await call('read Claim by code', `Claim/${c.code}`, {}, 200);
  await call('history Claim', `Claim/${c.uuid}/_history`, {}, 200);
  await call('search Claim?identifier, status, use, created, type', `Claim?identifier=${c.code}&status=checked,2&use=claim&created=ge2020-01-01&type=O&_sort=-created&_count=5`, {}, 200);
  await call('search Claim references', `Claim?patient=Patient/${insuree.CHFID}&provider=Organization/${hf.HfUUID}&enterer=Practitioner/${admin.ClaimAdminCode}`, {}, 200);
  await call('search Claim includes', `Claim?_include=Claim:patient&_include=Claim:provider&_revinclude=ClaimResponse:request&_count=5`, {}, 200);
  await call('search ClaimResponse', `ClaimResponse?outcome=complete,partial&request=Claim/${c.uuid}&created=ge2020-01-01T00:00:00Z`, {}, 200);
  await call('search Medication', 'Medication?name=para&code=PARA50&status=active&type=D', {}, 200);
  await call('search ActivityDefinition', 'ActivityDefinition?title=general&name=OPD&topic=C&status=active', {}, 200);
  const claimAdmin = await server.login(DEMO.users.claimAdmin.login, DEMO.users.claimAdmin.password);
  await call('search Claim scoped to a facility', 'Claim?_count=5', { token: claimAdmin }, 200);
  const officer = await server.login(DEMO.users.enrolmentOfficer.login, DEMO.users.enrolmentOfficer.password);
  await call('search Claim scoped to districts', 'Claim?_count=5', { token: officer }, 200);

  const claim = {
    resourceType: 'Claim',
    identifier: [{ type: idType('Code'), value: 'MS000001' }],
    status: 'active',
    use: 'claim',
    type: { coding: [{ code: 'O' }] },
    patient: { reference: `Patient/${insuree.InsureeUUID}` },
    provider: { reference: `Organization/${hf.HFCode}` },
    enterer: { reference: `Practitioner/${admin.ClaimAdminUUID}` },
    priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: { display: 'none' } }],
    created: today,
    billablePeriod: { start: today },
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ code: 'B54' }] } }],
    supportingInfo: [{ sequence: 1, category: { coding: [{ code: 'guarantee' }] }, valueString: 'G-1' }],
    item: [
      { sequence: 1, category: { text: 'item' }, productOrService: { text: 'PARA50' }, extension: [{ url: `${IG}/StructureDefinition/claim-item-reference`, valueReference: { reference: `Medication/${para.ItemUUID}` } }], quantity: { value: 10 } },
      { sequence: 2, category: { text: 'service' }, productOrService: { text: 'OPD01' }, extension: [{ url: `${IG}/StructureDefinition/claim-item-reference`, valueReference: { reference: `ActivityDefinition/${opd.ServCode}` } }], quantity: { value: 1 }, unitPrice: { value: 1000, currency } },
    ],
  };
  const created = await call('create Claim', 'Claim', { method: 'POST', body: JSON.stringify(claim) }, 201);
  const changed = structuredClone(created.body);
  changed.item[0].quantity.value = 12;
  changed.item.splice(1, 1);
  changed.item.push({ sequence: 2, category: { text: 'service' }, productOrService: { text: 'LAB01' }, extension: [{ url: `${IG}/StructureDefinition/claim-item-reference`, valueReference: { reference: `ActivityDefinition/${lab.ServiceUUID}` } }], quantity: { value: 1 } });
  await call('update Claim', `Claim/${created.body.id}`, { method: 'PUT', body: JSON.stringify(changed) }, 200);
  await call('vread Claim', `Claim/${created.body.id}/_history/${created.body.meta.versionId}`, {}, 200);
  await call('read ClaimResponse', `ClaimResponse/${created.body.id}`, {}, 200);
  await call('delete Claim', `Claim/${created.body.id}`, { method: 'DELETE' }, 204);
  await call('create Claim refused', 'Claim', { method: 'POST', body: JSON.stringify({ ...claim, identifier: [{ type: idType('Code'), value: DEMO.claims.partlyRejected.code }] }) }, 409);

  const medication = (await call('read Medication', `Medication/${para.ItemUUID}`, {}, 200)).body;
  const { id: _m, meta: _mm, ...newMedication } = medication;
  newMedication.identifier = [{ type: idType('Code'), value: 'MS0001' }];
  const med = await call('create Medication', 'Medication', { method: 'POST', body: JSON.stringify(newMedication) }, 201);
  await call('update Medication', `Medication/${med.body.id}`, { method: 'PUT', body: JSON.stringify({ ...med.body, code: { text: 'Changed' } }) }, 200);
  await call('delete Medication', `Medication/${med.body.id}`, { method: 'DELETE' }, 204);

  const definition = (await call('read ActivityDefinition', `ActivityDefinition/${opd.ServiceUUID}`, {}, 200)).body;
  const { id: _a, meta: _am, ...newDefinition } = definition;
  newDefinition.identifier = [{ type: idType('Code'), value: 'MS0001' }];
  newDefinition.name = 'MS0001';
  const ad = await call('create ActivityDefinition', 'ActivityDefinition', { method: 'POST', body: JSON.stringify(newDefinition) }, 201);
  await call('update ActivityDefinition', `ActivityDefinition/${ad.body.id}`, { method: 'PUT', body: JSON.stringify({ ...ad.body, title: 'Changed' }) }, 200);
  await call('delete ActivityDefinition', `ActivityDefinition/${ad.body.id}`, { method: 'DELETE' }, 204);
  capture.stop();
});

t.test('SQL Server', async (t) => {
  const shapes = checkCapturedForMssql(t, capture, { minDistinct: 30 });
  const all = [...shapes.values()].map((s) => s.statement.native.sql);
  const has = (what: string, re: RegExp) => t.ok(all.some((sql) => re.test(sql)), what);
  has('claim lines inserted', /^insert into \[tblClaimItems\]/);
  has('a history copy of a claim line', /^insert into \[tblClaimServices\] \(.*\) select /);
  has('an insert of a claim with OUTPUT inserted', /^insert into \[tblClaim\] .* output inserted\.\[ClaimID\]/);
  has('the lines of a page loaded in one query', /from \[tblClaimItems\] as \[l\] inner join \[tblItems\] as \[r\]/);
  has('price-list overrides', /from \[tblPLItemsDetail\] as \[d\] inner join \[tblPLItems\] as \[pl\]/);
});
