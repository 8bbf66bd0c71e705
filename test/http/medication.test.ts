/**
 * Medication ⇄ tblItems over the real HTTP server: read by UUID and code, every demo item, search,
 * create → read back → update → history → delete → 410, bad input, rights.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const currency = server.config.currency;
const ext = (resource: any, name: string) => resource.extension.find((e: any) => e.url === `${IG}/StructureDefinition/${name}`);
const usage = (resource: any, part: string) => ext(resource, 'medication-usage-context').extension.find((e: any) => e.url === part).valueUsageContext;
const codes = (context: any) => (context.valueCodeableConcept.coding ?? []).map((c: any) => c.code);
const items = await db('tblItems').whereNull('ValidityTo').orderBy('ItemID');
const count = async () => Number((await db('tblItems').count({ n: '*' }))[0].n);
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });

function newMedication(code: string): any {
  return {
    resourceType: 'Medication',
    identifier: [{ type: idType('Code'), value: code }],
    code: { text: 'Test amoxicillin 500 mg' },
    form: { text: '10 capsules' },
    extension: [
      { url: `${IG}/StructureDefinition/unit-price`, valueMoney: { value: 123.5, currency } },
      { url: `${IG}/StructureDefinition/medication-type`, valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/medication-item-type`, code: 'D' }] } },
      { url: `${IG}/StructureDefinition/medication-frequency`, valueTiming: { repeat: { frequency: 1, period: 30, periodUnit: 'd' } } },
      {
        url: `${IG}/StructureDefinition/medication-usage-context`,
        extension: [
          { url: 'Gender', valueUsageContext: { code: { code: 'gender' }, valueCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/administrative-gender', code: 'female' }] } } },
          { url: 'Age', valueUsageContext: { code: { code: 'age' }, valueCodeableConcept: { coding: [{ code: 'adult' }, { code: 'child' }] } } },
          { url: 'CareType', valueUsageContext: { code: { code: 'venue' }, valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }] } } },
        ],
      },
    ],
  };
}

t.test('read by UUID and by item code', async (t) => {
  const expected = DEMO.registers.item;
  const res = await server.fhir(`Medication/${expected.uuid}`);
  t.equal(res.status, 200);
  const medication = res.body;
  t.equal(medication.resourceType, 'Medication');
  t.equal(medication.id, expected.uuid);
  t.equal(medication.meta.profile[0], `${IG}/StructureDefinition/openimis-medication`);
  t.same(medication.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', expected.uuid], ['Code', expected.code]]);
  t.same(medication.code, { text: expected.name });
  t.equal(medication.status, 'active');
  t.same(medication.form, { text: '1 tablet' });
  t.same(medication.amount, { numerator: { value: 1, unit: 'tablet' }, denominator: { value: 1 } });
  t.same(ext(medication, 'unit-price').valueMoney, { value: expected.price, currency });
  t.same(ext(medication, 'medication-type').valueCodeableConcept.coding[0], { system: `${IG}/CodeSystem/medication-item-type`, code: 'D', display: 'Drug' });
  t.notOk(ext(medication, 'medication-frequency'), 'no frequency');
  t.same(codes(usage(medication, 'Gender')), ['male', 'female']);
  t.same(codes(usage(medication, 'Age')), ['adult', 'child']);
  t.same(codes(usage(medication, 'CareType')), ['AMB', 'IMP'], 'care type B: both');
  t.equal(usage(medication, 'CareType').code.code, 'venue');
  t.equal(ext(medication, 'medication-level').valueCodeableConcept.coding[0].code, 'M');
  const byCode = await server.fhir(`Medication/${expected.code}`);
  t.equal(byCode.body.id, expected.uuid);
  t.equal((await server.fhir('Medication/NOPE99')).status, 404);
});

t.test('every current demo item is served and maps', async (t) => {
  const res = await server.fhir('Medication?_count=1000');
  t.equal(res.body.total, items.length);
  for (const { resource } of res.body.entry) {
    const row = items.find((i) => i.ItemUUID === resource.id)!;
    t.equal(resource.identifier[1].value, row.ItemCode);
    t.equal(ext(resource, 'unit-price').valueMoney.value, row.ItemPrice);
    t.equal(ext(resource, 'medication-type').valueCodeableConcept.coding[0].code, row.ItemType);
    const bits = (which: string, map: Record<string, number>) => codes(usage(resource, which)).reduce((m: number, c: string) => m | map[c], 0);
    t.equal(bits('Gender', { male: 1, female: 2 }) | bits('Age', { adult: 4, child: 8 }), row.ItemPatCat, `${row.ItemCode} patient categories`);
    if (row.ItemFrequency) t.equal(ext(resource, 'medication-frequency').valueTiming.repeat.period, row.ItemFrequency);
  }
  const childOnly = res.body.entry.find((e: any) => e.resource.identifier[1].value === 'ZINC20').resource;
  t.same(codes(usage(childOnly, 'Age')), ['child']);
  const supply = res.body.entry.find((e: any) => e.resource.identifier[1].value === 'GLOV01').resource;
  t.equal(ext(supply, 'medication-type').valueCodeableConcept.coding[0].code, 'M');
});

t.test('search: identifier, code, name, status, type', async (t) => {
  const ids = async (query: string) => ((await server.fhir(`Medication?${query}&_count=1000`)).body.entry ?? []).map((e: any) => e.resource.identifier[1].value).sort();
  t.same(await ids('identifier=PARA50'), ['PARA50']);
  t.same(await ids(`identifier=${DEMO.registers.item.uuid.toUpperCase()}`), ['PARA50']);
  t.same(await ids('code=PARA50,AMOX25'), ['AMOX25', 'PARA50']);
  t.same(await ids('name=parac'), ['PARA50'], 'name: case-insensitive prefix');
  t.same(await ids('name:contains=tablets'), items.filter((i) => /tablets/i.test(i.ItemName)).map((i) => i.ItemCode).sort());
  t.equal((await ids('status=active')).length, items.length);
  t.same(await ids('status=inactive'), []);
  t.same(await ids('type=M'), items.filter((i) => i.ItemType === 'M').map((i) => i.ItemCode).sort());
  const sorted = (await server.fhir('Medication?_sort=name&_count=1000')).body.entry.map((e: any) => e.resource.code.text);
  t.same(sorted, [...sorted].sort((a, b) => (a < b ? -1 : 1)));
  t.same(await ids('code:text=paraceta'), items.filter((i) => /^paraceta|\sparaceta/i.test(i.ItemName)).map((i) => i.ItemCode).sort(), 'code:text: the item name');
});

t.test('search: insurance-plan, the products whose current lines list the item', async (t) => {
  const ids = async (query: string) => ((await server.fhir(`Medication?${query}&_count=1000`)).body.entry ?? []).map((e: any) => e.resource.identifier[1].value).sort();
  const { basic, plus } = DEMO.products;
  const listed = async (prodIds: number[]) =>
    (await db('tblProductItems as pi').join('tblItems as i', 'i.ItemID', 'pi.ItemID').whereIn('pi.ProdID', prodIds).whereNull('pi.ValidityTo').whereNull('i.ValidityTo').distinct('i.ItemCode')).map((r: any) => r.ItemCode).sort();
  const basicItems = await listed([basic.id]);
  t.ok(basicItems.length > 0, `${basicItems.length} of ${items.length} items`);
  t.same(await ids(`insurance-plan=${basic.code}`), basicItems, 'by product code');
  t.same(await ids(`insurance-plan=InsurancePlan/${basic.uuid}`), basicItems, 'by UUID');
  t.same(await ids(`insurance-plan=${basic.code},${plus.code}`), await listed([basic.id, plus.id]));
  t.same(await ids(`insurance-plan.name=Health Plus`), await listed([plus.id]), 'chained on the product name');
  const unlisted = await db('tblItems as i').whereNull('i.ValidityTo').whereNotExists(db('tblProductItems as pi').whereRaw('pi."ItemID" = i."ItemID"').whereNull('pi.ValidityTo')).pluck('i.ItemCode');
  t.same(await ids('insurance-plan:missing=true'), unlisted.sort(), ':missing=true: items no product lists');
  const plan = (await server.fhir(`InsurancePlan?identifier=${basic.code}&_revinclude=Medication:insurance-plan&_count=1`)).body;
  t.same(plan.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.identifier[1].value).sort(), basicItems, '_revinclude from the plan');
  const withPlans = (await server.fhir(`Medication?identifier=${basicItems[0]}&_include=Medication:insurance-plan`)).body;
  const planIds = (await db('tblProductItems as pi').join('tblItems as i', 'i.ItemID', 'pi.ItemID').join('tblProduct as p', 'p.ProdID', 'pi.ProdID').where('i.ItemCode', basicItems[0]).whereNull('pi.ValidityTo').whereNull('i.ValidityTo').distinct('p.ProdUUID')).map((r: any) => r.ProdUUID.toLowerCase()).sort();
  t.same(withPlans.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id).sort(), planIds, '_include of the products');
  const has = (await server.fhir(`InsurancePlan?_has:Medication:insurance-plan:identifier=${basicItems[0]}`)).body;
  t.same((has.entry ?? []).map((e: any) => e.resource.id).sort(), planIds, '_has from the plan');
});

t.test('create → read back → update → history → delete → 410', async (t) => {
  const created = await server.fhir('Medication', { method: 'POST', body: JSON.stringify(newMedication('TST001')) });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const row = await db('tblItems').where('ItemUUID', id).first();
  t.match(row, { ItemCode: 'TST001', ItemName: 'Test amoxicillin 500 mg', ItemPackage: '10 capsules', ItemPrice: 123.5, ItemType: 'D', ItemFrequency: 30, ItemPatCat: 2 | 4 | 8, ItemCareType: 'O', AuditUserID: DEMO.users.admin.id });
  const read = (await server.fhir(`Medication/${id}`)).body;
  t.same(read, created.body, 'the created representation is what a read returns');

  // Round trip: what the server wrote can be sent back unchanged.
  const same = await server.fhir(`Medication/${id}`, { method: 'PUT', body: JSON.stringify(read) });
  t.equal(same.status, 200, JSON.stringify(same.body));
  const { meta: _a, ...sameBody } = same.body;
  const { meta: _b, ...readBody } = read;
  t.same(sameBody, readBody, 'round trip');
  t.match(await db('tblItems').where('ItemUUID', id).first(), { ItemPatCat: 14, ItemCareType: 'O', ItemPrice: 123.5, ItemFrequency: 30 });

  const changed = structuredClone(same.body);
  ext(changed, 'unit-price').valueMoney.value = 150;
  changed.code.text = 'Test amoxicillin 500 mg capsules';
  const updated = await server.fhir(`Medication/${id}`, { method: 'PUT', body: JSON.stringify(changed), headers: { 'if-match': same.headers.get('etag')! } });
  t.equal(updated.status, 200, JSON.stringify(updated.body));
  t.equal(ext(updated.body, 'unit-price').valueMoney.value, 150);
  const history = await server.fhir(`Medication/${id}/_history`);
  t.same(history.body.entry.map((e: any) => e.request.method), ['PUT', 'PUT', 'POST']);
  t.equal(ext(history.body.entry[2].resource, 'unit-price').valueMoney.value, 123.5, 'the first version');
  const copies = await db('tblItems').where('LegacyID', row.ItemID);
  t.equal(copies.length, 2, 'two history copies');

  const deleted = await server.fhir(`Medication/${id}`, { method: 'DELETE' });
  t.equal(deleted.status, 204);
  t.equal((await server.fhir(`Medication/${id}`)).status, 410);
  t.equal((await server.fhir('Medication?code=TST001')).body.total, 0);
  t.equal((await server.fhir(`Medication/${id}/_history`)).body.entry[0].request.method, 'DELETE');
  const again = await server.fhir('Medication', { method: 'POST', body: JSON.stringify(newMedication('TST001')) });
  t.equal(again.status, 201, 'the code is free again');
});

t.test('bad input: 4xx OperationOutcome naming the element, nothing written', async (t) => {
  const before = await count();
  const variant = (change: (m: any) => void) => {
    const m = newMedication('TST009');
    change(m);
    return m;
  };
  const cases: [string, any, number, RegExp][] = [
    ['no code', variant((m) => delete m.identifier), 422, /identifier/],
    ['code too long', variant((m) => (m.identifier[0].value = 'TOOLONG')), 422, /identifier/],
    ['duplicate code', newMedication('PARA50'), 409, /already exists/],
    ['no name', variant((m) => delete m.code), 422, /Medication\.code/],
    ['no price', variant((m) => m.extension.splice(0, 1)), 422, /unit-price/],
    ['negative price', variant((m) => (m.extension[0].valueMoney.value = -1)), 422, /unit-price/],
    ['other currency', variant((m) => (m.extension[0].valueMoney.currency = 'XXX')), 422, /currency/],
    ['unknown type', variant((m) => (m.extension[1].valueCodeableConcept.coding[0].code = 'X')), 422, /medication-(item-)?type|Medication\.extension\[1\]/],
    ['bad frequency', variant((m) => (m.extension[2].valueTiming.repeat.period = 1.5)), 422, /medication-frequency/],
    ['unknown gender', variant((m) => (m.extension[3].extension[0].valueUsageContext.valueCodeableConcept.coding[0].code = 'robot')), 422, /Gender/],
    ['no care type', variant((m) => m.extension[3].extension.splice(2, 1)), 422, /CareType/],
    ['wrong resource type', { ...newMedication('TST010'), resourceType: 'Patient' }, 400, /resourceType/],
  ];
  for (const [name, body, status, message] of cases) {
    const res = await server.fhir('Medication', { method: 'POST', body: JSON.stringify(body) });
    t.equal(res.status, status, `${name}: ${JSON.stringify(res.body).slice(0, 200)}`);
    t.equal(res.body.resourceType, 'OperationOutcome');
    t.match(JSON.stringify(res.body.issue), message, name);
  }
  t.equal(await count(), before, 'nothing written');
  const rename = await server.fhir(`Medication/${DEMO.registers.item.uuid}`);
  rename.body.identifier[1].value = 'AMOX25';
  t.equal((await server.fhir(`Medication/${DEMO.registers.item.uuid}`, { method: 'PUT', body: JSON.stringify(rename.body) })).status, 409, 'update to a taken code');
});

t.test('rights: 122101 read, 122102 create', async (t) => {
  const none = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
  t.equal((await server.fhir('Medication', { token: none })).status, 403);
  t.equal((await server.fhir(`Medication/${DEMO.registers.item.uuid}`, { token: none })).status, 403);
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  t.equal((await server.fhir('Medication', { method: 'POST', body: JSON.stringify(newMedication('TST020')), token: clerk })).status, 403);
  const metadata = await server.fhir('metadata');
  const declared = metadata.body.rest[0].resource.find((r: any) => r.type === 'Medication');
  t.ok(['read', 'search-type', 'create', 'update', 'delete'].every((i) => declared.interaction.some((x: any) => x.code === i)));
});
