/**
 * InsurancePlan update (PUT and PATCH) writes tblProduct the legacy way (history copy + in-place
 * update), reading every column from its one place in the resource; bad input is a 4xx
 * OperationOutcome and leaves nothing behind.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const { basic, plus, national } = DEMO.products;
const rows = async () => Number((await db('tblProduct').count({ n: '*' }))[0].n);
const read = async (id: string) => (await server.fhir(`InsurancePlan/${id}`)).body;
const put = (id: string, body: any, headers: Record<string, string> = {}) =>
  server.fhir(`InsurancePlan/${id}`, { method: 'PUT', body: JSON.stringify(body), headers });
const sd = (name: string) => `${IG}/StructureDefinition/${name}`;
/** The columns the resource carries; the others must never change. */
const UNTOUCHED = ['AccCodePremiums', 'AccCodeRemuneration', 'ShareContribution', 'WeightInsuredPopulation', 'Recurrence', 'PeriodRelPrices', 'Level1'];

t.test('PUT of the resource as read changes no column, and writes a history row', async (t) => {
  const before = await db('tblProduct').where('ProdID', plus.id).first();
  const plan = await read(plus.uuid);
  const res = await put(plus.uuid, plan, { 'if-match': `W/"${plan.meta.versionId}"` });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.not(res.body.meta.versionId, plan.meta.versionId, 'a new version');
  const after = await db('tblProduct').where('ProdID', plus.id).first();
  const { ValidityFrom: _a, AuditUserID: _b, ...same } = before;
  const { ValidityFrom: _c, AuditUserID: _d, ...now } = after;
  t.same(now, same, 'a round trip loses nothing');
  const history = await db('tblProduct').where('LegacyID', plus.id).whereNot('ProdID', plus.id);
  t.equal(history.length, 1, 'the old values were copied');
  t.equal(history[0].ProductCode, plus.code);
  t.not(history[0].ProdUUID, before.ProdUUID, 'the copy has a UUID of its own');
  const { meta: _m1, ...body1 } = res.body;
  const { meta: _m2, ...body2 } = plan;
  t.same(body1, body2, 'the same resource back');
});

t.test('PUT with changes: name, costs, limits, deductibles, periods, discounts, cycles, area, conversion', async (t) => {
  const plan = await read(plus.uuid);
  plan.name = 'Health Plus Cover 2';
  plan.plan[0].generalCost.find((c: any) => c.type.coding[0].code === 'premiumAdult').cost.value = 4500;
  const outPatient = plan.coverage[0].benefit.find((b: any) => b.type.coding[0].code === 'out-patient');
  outPatient.limit.find((l: any) => l.code.coding[0].code === 'insuree').value.value = 55000;
  plan.coverage[0].benefit = plan.coverage[0].benefit.filter((b: any) => b.type.coding[0].code !== 'antenatal');
  plan.plan[0].specificCost[0].benefit[0].cost[0].value.value = 750;
  const periods = plan.extension.filter((e: any) => e.url === sd('insurance-plan-period'));
  periods.find((e: any) => e.extension[0].valueCode === 'grace-renewal').extension[1].valueQuantity.value = 3;
  const district = await db('tblLocations').where('LocationCode', 'R1D1').whereNull('ValidityTo').first();
  plan.coverageArea = [{ reference: `Location/${district.LocationUUID}` }];
  plan.extension.push(
    { url: sd('insurance-plan-discount'), extension: [{ url: 'kind', valueCode: 'renewal' }, { url: 'Percentage', valueDecimal: 10 }, { url: 'Period', valueQuantity: { value: 2, unit: 'months' } }] },
    { url: sd('insurance-plan-start-cycle'), valueString: '01-07' },
    { url: sd('insurance-plan-start-cycle'), valueString: '01-01' },
    { url: sd('insurance-plan-conversion'), valueReference: { reference: `InsurancePlan/${basic.code}` } },
  );
  const res = await put(plus.uuid, plan);
  t.equal(res.status, 200, JSON.stringify(res.body));
  const row = await db('tblProduct').where('ProdID', plus.id).first();
  t.match(row, {
    ProductName: 'Health Plus Cover 2', PremiumAdult: 4500, MaxOPInsuree: 55000, DedInsuree: 750, GracePeriodRenewal: 3,
    MaxNoAntenatal: null, MaxAmountAntenatal: null, RenewalDiscountPerc: 10, RenewalDiscountPeriod: 2,
    StartCycle1: '01-07', StartCycle2: '01-01', StartCycle3: null, LocationId: district.LocationId, ConversionProdID: basic.id,
    MaxInsuree: plus.maxInsuree, DedIPInsuree: 1000, RegistrationFee: 500,
  });
  for (const column of UNTOUCHED) t.ok(column in row, column);
  const again = await read(plus.uuid);
  t.equal(again.name, 'Health Plus Cover 2');
  t.equal(again.coverageArea[0].reference, `Location/${district.LocationUUID}`);
});

t.test('PATCH goes through the same update', async (t) => {
  const res = await server.fhir(`InsurancePlan/${national.uuid}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([{ op: 'replace', path: '/name', value: 'National Cover' }]),
  });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.equal((await db('tblProduct').where('ProdID', national.id).first()).ProductName, 'National Cover');
  t.equal((await db('tblProduct').where('LegacyID', national.id)).length, 1);
});

t.test('invalid input: one 422 naming every problem, 409 for a code in use, 412 for a stale version; nothing written', async (t) => {
  const count = await rows();
  const plan = await read(basic.uuid);
  // Not valid FHIR (no name, a period that ends before it starts): the validator answers.
  const invalid = structuredClone(plan);
  delete invalid.name;
  invalid.period = { start: '2030-01-01', end: '2020-01-01' };
  const structural = await put(basic.uuid, invalid);
  t.equal(structural.status, 422);
  t.equal(structural.body.resourceType, 'OperationOutcome');
  // Valid FHIR that breaks the openIMIS rules: the mapper names every problem at once.
  const bad = structuredClone(plan);
  bad.plan[0].generalCost[0].cost.currency = 'EUR';
  const payment = bad.extension.find((e: any) => e.url === sd('insurance-plan-period') && e.extension[0].valueCode === 'grace-payment');
  payment.extension[0].valueCode = 'administration';
  bad.extension.push(
    { url: sd('insurance-plan-discount'), extension: [{ url: 'kind', valueCode: 'enrolment' }, { url: 'Percentage', valueDecimal: 150 }] },
    { url: sd('insurance-plan-start-cycle'), valueString: '32-13' },
  );
  bad.coverage[0].benefit[0].limit = bad.coverage[0].benefit[0].limit.filter((l: any) => l.code.coding[0].code !== 'memberCount');
  const res = await put(basic.uuid, bad);
  t.equal(res.status, 422);
  const expressions = res.body.issue.map((i: any) => i.expression?.[0]);
  for (const expected of [
    'InsurancePlan.plan.generalCost[lumpsum]',
    'InsurancePlan.extension[insurance-plan-period administration]',
    'InsurancePlan.extension[insurance-plan-discount enrolment].Percentage', 'InsurancePlan.extension[insurance-plan-start-cycle]',
    'InsurancePlan.coverage.benefit[medical].limit[memberCount]',
  ]) {
    t.ok(expressions.includes(expected), `names ${expected}`, { issues: res.body.issue });
  }
  const clash = structuredClone(plan);
  clash.identifier[1].value = plus.code;
  t.equal((await put(basic.uuid, clash)).status, 409, 'the code of another product');
  const village = structuredClone(plan);
  village.coverageArea = [{ reference: `Location/${DEMO.locations.village.uuid}` }];
  t.equal((await put(basic.uuid, village)).status, 422, 'a village is no coverage area');
  const self = structuredClone(plan);
  self.extension.push({ url: sd('insurance-plan-conversion'), valueReference: { reference: `InsurancePlan/${basic.uuid}` } });
  t.equal((await put(basic.uuid, self)).status, 422, 'no conversion into itself');
  t.equal((await put(basic.uuid, plan, { 'if-match': 'W/"1"' })).status, 412);
  t.equal((await put(basic.uuid, { ...plan, id: plus.uuid })).status, 400, 'the id of another resource');
  t.equal(await rows(), count, 'nothing written');
});

t.test('rights: 121003 to edit', async (t) => {
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  const plan = await read(basic.uuid);
  t.equal((await server.fhir(`InsurancePlan/${basic.uuid}`, { method: 'PUT', token: clerk, body: JSON.stringify(plan) })).status, 403);
  const del = await server.fhir(`InsurancePlan/${basic.uuid}`, { method: 'DELETE' });
  t.equal(del.status, 405, 'products are not deleted through FHIR');
});
