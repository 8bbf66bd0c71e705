/**
 * ActivityDefinition ⇄ tblServices over the real HTTP server: read by UUID and code, every demo
 * service, search, create → read back → update → history → delete → 410, bad input, rights.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const currency = server.config.currency;
const ext = (resource: any, name: string) => resource.extension.find((e: any) => e.url === `${IG}/StructureDefinition/${name}`);
const context = (resource: any, code: string) => resource.useContext.find((u: any) => u.code.code === code);
const codes = (usage: any) => (usage?.valueCodeableConcept.coding ?? []).map((c: any) => c.code);
const services = await db('tblServices').whereNull('ValidityTo').orderBy('ServiceID');
const count = async () => Number((await db('tblServices').count({ n: '*' }))[0].n);
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const usage = (code: string, codings: { system?: string; code: string }[]) => ({
  code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code },
  valueCodeableConcept: { coding: codings },
});

function newDefinition(code: string): any {
  return {
    resourceType: 'ActivityDefinition',
    identifier: [{ type: idType('Code'), value: code }],
    name: code,
    title: 'Test ultrasound scan',
    status: 'active',
    extension: [
      { url: `${IG}/StructureDefinition/unit-price`, valueMoney: { value: 7500, currency } },
      { url: `${IG}/StructureDefinition/activity-definition-level`, valueCodeableConcept: { coding: [{ code: 'S' }] } },
    ],
    topic: [{ coding: [{ system: `${IG}/CodeSystem/activity-definition-service-type`, code: 'P' }] }],
    useContext: [
      usage('gender', [{ code: 'female' }]),
      usage('age', [{ code: 'adult' }]),
      usage('workflow', [{ code: 'A' }]),
      usage('venue', [{ code: 'AMB' }, { code: 'IMP' }]),
    ],
    timingTiming: { repeat: { frequency: 1, period: 28, periodUnit: 'd' } },
  };
}

t.test('read by UUID and by service code', async (t) => {
  const expected = DEMO.registers.service;
  const res = await server.fhir(`ActivityDefinition/${expected.uuid}`);
  t.equal(res.status, 200);
  const definition = res.body;
  t.equal(definition.id, expected.uuid);
  t.equal(definition.meta.profile[0], `${IG}/StructureDefinition/openimis-activity-definition`);
  t.same(definition.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', expected.uuid], ['Code', expected.code]]);
  t.equal(definition.name, expected.code);
  t.equal(definition.title, expected.name);
  t.equal(definition.status, 'active');
  t.match(definition.date, /^\d{4}-\d\d-\d\dT/);
  t.same(ext(definition, 'unit-price').valueMoney, { value: expected.price, currency });
  t.same(ext(definition, 'activity-definition-level').valueCodeableConcept.coding[0], { system: `${IG}/CodeSystem/activity-definition-level`, code: 'V', display: 'Visit' });
  t.same(definition.topic[0].coding[0], { system: `${IG}/CodeSystem/activity-definition-service-type`, code: 'C', display: 'Curative' });
  t.same(codes(context(definition, 'gender')), ['male', 'female']);
  t.same(codes(context(definition, 'age')), ['adult', 'child']);
  t.same(codes(context(definition, 'workflow')), ['C']);
  t.same(codes(context(definition, 'venue')), ['AMB'], 'out-patient');
  t.equal(context(definition, 'venue').code.system, 'http://terminology.hl7.org/CodeSystem/usage-context-type');
  t.notOk(definition.timingTiming, 'no frequency, no timing');
  t.equal((await server.fhir(`ActivityDefinition/${expected.code}`)).body.id, expected.uuid);
  t.notMatch(JSON.stringify(definition), /\.html|ValueSet\//, 'code systems, not pages or value sets');
});

t.test('every current demo service is served and maps', async (t) => {
  const res = await server.fhir('ActivityDefinition?_count=1000');
  t.equal(res.body.total, services.length);
  for (const { resource } of res.body.entry) {
    const row = services.find((s) => s.ServiceUUID === resource.id)!;
    t.equal(resource.name, row.ServCode);
    t.equal(ext(resource, 'unit-price').valueMoney.value, row.ServPrice);
    t.equal(ext(resource, 'activity-definition-level').valueCodeableConcept.coding[0].code, row.ServLevel);
    t.equal(resource.topic[0].coding[0].code, row.ServType);
    t.same(codes(context(resource, 'workflow')), row.ServCategory ? [row.ServCategory] : []);
    const venue = codes(context(resource, 'venue'));
    t.same(venue, { O: ['AMB'], I: ['IMP'], B: ['AMB', 'IMP'] }[row.ServCareType as 'O' | 'I' | 'B']);
    if (row.ServFrequency) t.equal(resource.timingTiming.repeat.period, row.ServFrequency);
  }
  const hospitalisation = res.body.entry.find((e: any) => e.resource.name === 'HOSP01').resource;
  t.equal(context(hospitalisation, 'workflow').valueCodeableConcept.coding[0].display, 'Hospitalization');
});

t.test('search: identifier, code, name, title, status, topic', async (t) => {
  const names = async (query: string) => ((await server.fhir(`ActivityDefinition?${query}&_count=1000`)).body.entry ?? []).map((e: any) => e.resource.name).sort();
  t.same(await names('identifier=OPD01'), ['OPD01']);
  t.same(await names(`identifier=${DEMO.registers.service.uuid}`), ['OPD01']);
  t.same(await names('code=OPD01,LAB01'), ['LAB01', 'OPD01']);
  t.same(await names('name=OPD'), ['OPD01', 'OPD02'], 'name is the code');
  t.same(await names('title=general'), ['OPD01']);
  t.same(await names('title:contains=consultation'), services.filter((s) => /consultation/i.test(s.ServName)).map((s) => s.ServCode).sort());
  t.equal((await names('status=active')).length, services.length);
  t.same(await names('status=retired'), []);
  t.same(await names('topic=P'), services.filter((s) => s.ServType === 'P').map((s) => s.ServCode).sort());
});

t.test('search: insurance-plan, the products whose current lines list the service', async (t) => {
  const names = async (query: string) => ((await server.fhir(`ActivityDefinition?${query}&_count=1000`)).body.entry ?? []).map((e: any) => e.resource.name).sort();
  const { coastal } = DEMO.products;
  const listed = (await db('tblProductServices as ps').join('tblServices as s', 's.ServiceID', 'ps.ServiceID').where('ps.ProdID', coastal.id).whereNull('ps.ValidityTo').whereNull('s.ValidityTo').distinct('s.ServCode')).map((r: any) => r.ServCode).sort();
  t.ok(listed.length > 0, `${listed.length} services`);
  t.same(await names(`insurance-plan=${coastal.code}`), listed);
  t.same(await names(`insurance-plan:identifier=${coastal.code}`), listed);
  const plan = (await server.fhir(`InsurancePlan/${coastal.uuid}`)).body;
  const counted = plan.extension.find((e: any) => e.url === `${IG}/StructureDefinition/insurance-plan-covered-count`).extension.find((e: any) => e.url === 'services').valueUnsignedInt;
  t.equal(listed.length, counted, 'as many as the plan counts');
  const rev = (await server.fhir(`InsurancePlan?identifier=${coastal.code}&_revinclude=ActivityDefinition:insurance-plan`)).body;
  t.same(rev.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.name).sort(), listed);
});

t.test('create → read back → update → history → delete → 410', async (t) => {
  const created = await server.fhir('ActivityDefinition', { method: 'POST', body: JSON.stringify(newDefinition('TUS01')) });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const row = await db('tblServices').where('ServiceUUID', id).first();
  t.match(row, { ServCode: 'TUS01', ServName: 'Test ultrasound scan', ServType: 'P', ServLevel: 'S', ServCategory: 'A', ServPrice: 7500, ServCareType: 'B', ServFrequency: 28, ServPatCat: 2 | 4 });
  const read = (await server.fhir(`ActivityDefinition/${id}`)).body;
  t.same(read, created.body);
  const same = await server.fhir(`ActivityDefinition/${id}`, { method: 'PUT', body: JSON.stringify(read) });
  t.equal(same.status, 200, JSON.stringify(same.body));
  const { meta: _a, date: _c, ...sameBody } = same.body;
  const { meta: _b, date: _d, ...readBody } = read;
  t.same(sameBody, readBody, 'round trip');
  t.match(await db('tblServices').where('ServiceUUID', id).first(), { ServPatCat: 6, ServCareType: 'B', ServCategory: 'A' });

  const changed = structuredClone(same.body);
  changed.useContext = changed.useContext.filter((u: any) => u.code.code !== 'workflow');
  changed.title = 'Obstetric ultrasound scan';
  const updated = await server.fhir(`ActivityDefinition/${id}`, { method: 'PUT', body: JSON.stringify(changed) });
  t.equal(updated.status, 200, JSON.stringify(updated.body));
  t.notOk(context(updated.body, 'workflow'));
  t.equal((await db('tblServices').where('ServiceUUID', id).first()).ServCategory, null);
  const history = await server.fhir(`ActivityDefinition/${id}/_history`);
  t.same(history.body.entry.map((e: any) => e.request.method), ['PUT', 'PUT', 'POST']);
  t.equal(history.body.entry[2].resource.title, 'Test ultrasound scan');

  t.equal((await server.fhir(`ActivityDefinition/${id}`, { method: 'DELETE' })).status, 204);
  t.equal((await server.fhir(`ActivityDefinition/${id}`)).status, 410);
  t.equal((await server.fhir('ActivityDefinition?code=TUS01')).body.total, 0);
});

t.test('bad input: 4xx OperationOutcome naming the element, nothing written', async (t) => {
  const before = await count();
  const variant = (change: (d: any) => void) => {
    const d = newDefinition('TUS09');
    change(d);
    return d;
  };
  const cases: [string, any, number, RegExp][] = [
    ['no code', variant((d) => { delete d.identifier; delete d.name; }), 422, /identifier/],
    ['name differs from the code', variant((d) => (d.name = 'OTHER')), 422, /ActivityDefinition\.name/],
    ['duplicate code', { ...newDefinition('OPD01') }, 409, /already exists/],
    ['no title', variant((d) => delete d.title), 422, /title/],
    ['unknown topic', variant((d) => (d.topic[0].coding[0].code = 'X')), 422, /topic/],
    ['no level', variant((d) => d.extension.splice(1, 1)), 422, /activity-definition-level/],
    ['no venue', variant((d) => d.useContext.splice(3, 1)), 422, /venue/],
    ['unknown venue', variant((d) => (d.useContext[3].valueCodeableConcept.coding = [{ code: 'HOME' }])), 422, /venue/],
    ['unknown workflow', variant((d) => (d.useContext[2].valueCodeableConcept.coding[0].code = 'Z')), 422, /workflow/],
    ['bad period unit', variant((d) => (d.timingTiming.repeat.periodUnit = 'wk')), 422, /periodUnit/],
  ];
  for (const [name, body, status, message] of cases) {
    const res = await server.fhir('ActivityDefinition', { method: 'POST', body: JSON.stringify(body) });
    t.equal(res.status, status, `${name}: ${JSON.stringify(res.body).slice(0, 200)}`);
    t.match(JSON.stringify(res.body.issue), message, name);
  }
  t.equal(await count(), before, 'nothing written');
});

t.test('rights: 121401 read, 121402 create', async (t) => {
  const none = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
  t.equal((await server.fhir('ActivityDefinition', { token: none })).status, 403);
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  t.equal((await server.fhir('ActivityDefinition', { method: 'POST', body: JSON.stringify(newDefinition('TUS20')), token: clerk })).status, 403);
});
