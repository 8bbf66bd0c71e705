/**
 * InsurancePlan ⇄ tblProduct over the real HTTP server: read by UUID and product code, every
 * demo product mapped, each legacy column in one unambiguous place, status from the validity
 * dates, search parameters, includes, history and rights.
 */
import t, { type Test } from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { statusOf } from '../../src/resources/insurance-plan/to-fhir.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const { basic, plus, coastal, national } = DEMO.products;
const currentProducts = await db('tblProduct').whereNull('ValidityTo').orderBy('ProdID');
const ext = (resource: any, name: string) => (resource.extension ?? []).filter((e: any) => e.url === `${IG}/StructureDefinition/${name}`);
const sub = (extension: any, url: string) => extension.extension.find((e: any) => e.url === url);
const benefit = (plan: any, code: string) => plan.coverage[0].benefit.find((b: any) => b.type.coding[0].code === code);
const limit = (b: any, code: string) => b?.limit.find((l: any) => l.code.coding[0].code === code)?.value.value;
const deductible = (plan: any, category: string, basis: string) =>
  plan.plan[0].specificCost
    ?.find((c: any) => c.category.coding[0].code === category)
    ?.benefit[0].cost.find((c: any) => c.qualifiers[0].coding[0].code === basis)?.value.value;
const generalCost = (plan: any, code: string) => plan.plan[0].generalCost.find((c: any) => c.type.coding[0].code === code)?.cost.value;
const login = async (user: keyof typeof DEMO.users) => server.login(DEMO.users[user].login, DEMO.users[user].password);

t.test('read by UUID with fhir-kit-client: identifiers, status, period, coverage area', async (t) => {
  const plan = (await server.client().read({ resourceType: 'InsurancePlan', id: basic.uuid })) as any;
  t.equal(plan.resourceType, 'InsurancePlan');
  t.equal(plan.id, basic.uuid);
  t.same(plan.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', basic.uuid], ['Code', basic.code]]);
  t.equal(plan.name, basic.name);
  t.equal(plan.status, 'active');
  t.same(plan.type[0].coding[0], { system: 'http://terminology.hl7.org/CodeSystem/insurance-plan-type', code: 'medical', display: 'Medical' });
  const row = currentProducts.find((p) => p.ProductCode === basic.code);
  t.equal(plan.period.start, new Date(row.DateFrom).toISOString().slice(0, 10));
  t.equal(plan.period.end, new Date(row.DateTo).toISOString().slice(0, 10));
  const region = await db('tblLocations').where('LocationCode', basic.regionCode).whereNull('ValidityTo').first();
  t.equal(plan.coverageArea[0].reference, `Location/${region.LocationUUID}`);
  t.equal(plan.meta.profile[0], `${IG}/StructureDefinition/openimis-insurance-plan`);
  t.notMatch(JSON.stringify(plan), /_ig\/\//, 'no doubled slashes');
});

t.test('read by product code, and a national product has no coverage area', async (t) => {
  const byCode = await server.fhir(`InsurancePlan/${basic.code}`);
  t.equal(byCode.status, 200);
  t.equal(byCode.body.id, basic.uuid);
  const nationalPlan = (await server.fhir(`InsurancePlan/${national.code}`)).body;
  t.equal(nationalPlan.id, national.uuid);
  t.notOk(nationalPlan.coverageArea, 'national: no coverage area');
  t.equal((await server.fhir('InsurancePlan/NOPE01')).status, 404);
});

t.test('costs: lump sum with threshold, premiums, registration and assembly fees, in the configured currency', async (t) => {
  const basicPlan = (await server.fhir(`InsurancePlan/${basic.uuid}`)).body;
  t.equal(generalCost(basicPlan, 'lumpsum'), basic.lumpSum);
  t.equal(generalCost(basicPlan, 'premiumAdult'), 1500);
  t.equal(generalCost(basicPlan, 'premiumChild'), 1000);
  t.equal(basicPlan.plan[0].generalCost[0].cost.currency, server.config.currency);
  t.equal(basicPlan.plan[0].generalCost[0].type.coding[0].system, `${IG}/CodeSystem/insurance-plan-general-cost-type`);
  const plusPlan = (await server.fhir(`InsurancePlan/${plus.uuid}`)).body;
  t.equal(generalCost(plusPlan, 'registrationFee'), 500);
  t.equal(generalCost(plusPlan, 'generalAssemblyFee'), 200);
  t.notOk(generalCost(plusPlan, 'registrationLumpsum'), 'empty costs are left out');
});

t.test('benefit limits: insurance period and member count (as the module), ceilings per care kind, per-category limits', async (t) => {
  const plusPlan = (await server.fhir(`InsurancePlan/${plus.uuid}`)).body;
  const medical = benefit(plusPlan, 'medical');
  t.equal(plusPlan.coverage[0].benefit[0], medical, 'the whole cover comes first');
  t.same(medical.limit[0].value, { value: 12, unit: 'months', system: 'http://unitsofmeasure.org', code: 'mo' });
  t.equal(medical.limit[0].code.coding[0].system, `${IG}/CodeSystem/insurance-plan-coverage-benefit-limit`);
  t.equal(limit(medical, 'period'), 12);
  t.equal(limit(medical, 'memberCount'), 8);
  t.equal(limit(medical, 'insuree'), plus.maxInsuree);
  t.equal(limit(medical, 'policy'), 600000);
  t.equal(limit(benefit(plusPlan, 'out-patient'), 'insuree'), 50000);
  t.equal(limit(benefit(plusPlan, 'in-patient'), 'insuree'), 150000);
  t.equal(limit(benefit(plusPlan, 'consultation'), 'count'), 12);
  t.equal(limit(benefit(plusPlan, 'consultation'), 'amount'), 30000);
  t.equal(limit(benefit(plusPlan, 'hospitalization'), 'count'), 3);
  t.equal(limit(benefit(plusPlan, 'visit'), 'count'), 24);
  t.notOk(limit(benefit(plusPlan, 'visit'), 'amount'), 'no amount limit for visits');
  t.same(medical.limit.find((l: any) => l.code.coding[0].code === 'insuree').value, {
    value: plus.maxInsuree, unit: server.config.currency, system: 'urn:iso:std:iso:4217', code: server.config.currency,
  });
  const basicPlan = (await server.fhir(`InsurancePlan/${basic.uuid}`)).body;
  t.equal(basicPlan.coverage[0].benefit.length, 1, 'a product without ceilings has only the whole-cover benefit');
});

t.test('deductibles are plan costs per care kind and basis', async (t) => {
  const plusPlan = (await server.fhir(`InsurancePlan/${plus.uuid}`)).body;
  t.equal(deductible(plusPlan, 'medical', 'insuree'), plus.dedInsuree);
  t.equal(deductible(plusPlan, 'in-patient', 'insuree'), 1000);
  t.notOk(deductible(plusPlan, 'out-patient', 'insuree'));
  t.equal(plusPlan.plan[0].specificCost[0].benefit[0].cost[0].type.coding[0].code, 'deductible');
  const basicPlan = (await server.fhir(`InsurancePlan/${basic.uuid}`)).body;
  t.notOk(basicPlan.plan[0].specificCost, 'no deductibles, no specific costs');
});

t.test('extensions: one unambiguous place per column (no order-dependent repeats)', async (t) => {
  const plans = (await server.fhir('InsurancePlan?_count=100')).body.entry.map((e: any) => e.resource);
  for (const plan of plans) {
    const row = currentProducts.find((p) => p.ProdUUID === plan.id);
    const periods = ext(plan, 'insurance-plan-period').map((e: any) => [sub(e, 'kind').valueCode, sub(e, 'months').valueQuantity.value]);
    t.same(
      Object.fromEntries(periods),
      { administration: row.AdministrationPeriod, 'grace-enrolment': row.GracePeriod, 'grace-payment': row.WaitingPeriod, 'grace-renewal': row.GracePeriodRenewal },
      `${plan.name}: every period kind once, with its value`,
    );
    t.equal(ext(plan, 'insurance-plan-max-installments')[0]?.valueUnsignedInt, row.MaxInstallments);
    t.equal(ext(plan, 'insurance-plan-ceiling-interpretation')[0]?.valueCoding.code, row.CeilingInterpretation);
    const kinds = ext(plan, 'insurance-plan-discount').map((e: any) => sub(e, 'kind').valueCode);
    t.equal(new Set(kinds).size, kinds.length, 'each discount kind at most once');
    // Every (benefit, limit) and (category, qualifier) pair is unique: no column is ambiguous.
    const keys = plan.coverage[0].benefit.flatMap((b: any) => b.limit.map((l: any) => `${b.type.coding[0].code}/${l.code.coding[0].code}`));
    t.equal(new Set(keys).size, keys.length, `${plan.name}: unique benefit limits`);
    const covered = ext(plan, 'insurance-plan-covered-count')[0];
    const items = Number((await db('tblProductItems').where('ProdID', row.ProdID).whereNull('ValidityTo').count({ n: '*' }))[0].n);
    const services = Number((await db('tblProductServices').where('ProdID', row.ProdID).whereNull('ValidityTo').count({ n: '*' }))[0].n);
    t.same([sub(covered, 'items').valueUnsignedInt, sub(covered, 'services').valueUnsignedInt], [items, services], 'covered lines counted, not listed');
  }
  const coastalPlan = plans.find((p: any) => p.id === coastal.uuid);
  t.equal(ext(coastalPlan, 'insurance-plan-max-installments')[0].valueUnsignedInt, 2);
});

t.test('discounts, start cycles and the conversion product, as written in the database', async (t) => {
  await db('tblProduct').where('ProdID', plus.id).update({
    RenewalDiscountPerc: 10, RenewalDiscountPeriod: 2, EnrolmentDiscountPerc: 5, EnrolmentDiscountPeriod: 1,
    StartCycle1: '01-01', StartCycle3: '01-07', ConversionProdID: basic.id,
  });
  t.teardown(() =>
    db('tblProduct').where('ProdID', plus.id).update({
      RenewalDiscountPerc: 0, RenewalDiscountPeriod: 0, EnrolmentDiscountPerc: 0, EnrolmentDiscountPeriod: 0,
      StartCycle1: null, StartCycle3: null, ConversionProdID: null,
    }),
  );
  const plan = (await server.fhir(`InsurancePlan/${plus.uuid}`)).body;
  const discounts = Object.fromEntries(
    ext(plan, 'insurance-plan-discount').map((e: any) => [sub(e, 'kind').valueCode, [sub(e, 'Percentage').valueDecimal, sub(e, 'Period').valueQuantity.value]]),
  );
  t.same(discounts, { renewal: [10, 2], enrolment: [5, 1] });
  t.same(ext(plan, 'insurance-plan-start-cycle').map((e: any) => e.valueString).sort(), ['01-01', '01-07']);
  const conversion = ext(plan, 'insurance-plan-conversion')[0].valueReference;
  t.equal(conversion.reference, `InsurancePlan/${basic.uuid}`);
  t.equal(conversion.display, basic.code);
  const basicPlan = (await server.fhir(`InsurancePlan/${basic.uuid}`)).body;
  t.same(ext(basicPlan, 'insurance-plan-discount'), [], 'zero discounts are left out');
});

t.test('status follows DateFrom and DateTo by day: draft, active, retired', async (t) => {
  t.equal(statusOf('2030-01-01', '2031-01-01', '2029-12-31'), 'draft');
  t.equal(statusOf('2030-01-01', '2031-01-01', '2030-01-01'), 'active', 'from the first day');
  t.equal(statusOf('2030-01-01', '2031-01-01', '2031-01-01'), 'active', 'to the last day');
  t.equal(statusOf('2030-01-01', '2031-01-01', '2031-01-02'), 'retired');
  const original = await db('tblProduct').where('ProdID', coastal.id).first('DateFrom', 'DateTo');
  t.teardown(() => db('tblProduct').where('ProdID', coastal.id).update(original));
  await statusSearchAgrees(t, 'demo dates');
  await db('tblProduct').where('ProdID', coastal.id).update({ DateTo: new Date(Date.now() - 86_400_000 * 3) });
  t.equal((await server.fhir(`InsurancePlan/${coastal.uuid}`)).body.status, 'retired');
  await statusSearchAgrees(t, 'coastal retired');
  await db('tblProduct').where('ProdID', coastal.id).update({ DateFrom: new Date(Date.now() + 86_400_000 * 30), DateTo: original.DateTo });
  t.equal((await server.fhir(`InsurancePlan/${coastal.uuid}`)).body.status, 'draft');
  await statusSearchAgrees(t, 'coastal draft');
});

/**
 * status=X finds exactly the plans served with status X, and so do the Period searches that say the
 * same: active = the period holds today, draft = starts after today, retired = ended before today.
 */
async function statusSearchAgrees(t: Test, when: string) {
  const today = new Date().toISOString().slice(0, 10);
  const served = (await server.fhir('InsurancePlan?_count=100')).body.entry.map((e: any) => e.resource);
  const ids = async (query: string) => ((await server.fhir(`InsurancePlan?${query}&_count=100`)).body.entry ?? []).map((e: any) => e.resource.id).sort();
  const equivalent: Record<string, string> = { active: `period=ge${today}&period=le${today}`, draft: `period=sa${today}`, retired: `period=eb${today}` };
  for (const status of ['draft', 'active', 'retired']) {
    const expected = served.filter((r: any) => r.status === status).map((r: any) => r.id).sort();
    t.same(await ids(`status=${status}`), expected, `${when}: status=${status}`);
    t.same(await ids(equivalent[status]), expected, `${when}: ${equivalent[status]}`);
    t.same(await ids(`status:not=${status}`), served.filter((r: any) => r.status !== status).map((r: any) => r.id).sort(), `${when}: status:not=${status}`);
  }
  t.same(await ids('status=draft,active,retired'), served.map((r: any) => r.id).sort(), `${when}: every plan has one of the three`);
  t.same(await ids('status:text=ret'), served.filter((r: any) => r.status === 'retired').map((r: any) => r.id).sort(), `${when}: :text`);
}

t.test('history: the product price change is a version', async (t) => {
  const history = await server.fhir(`InsurancePlan/${basic.uuid}/_history`);
  t.equal(history.status, 200);
  t.equal(history.body.entry.length, 1 + basic.historyRows);
  const oldest = history.body.entry.at(-1).resource;
  t.equal(generalCost(oldest, 'lumpsum'), 8000, 'the old lump sum');
  t.equal(oldest.id, basic.uuid);
  const vread = await server.fhir(`InsurancePlan/${basic.uuid}/_history/${oldest.meta.versionId}`);
  t.equal(vread.status, 200);
  t.equal(generalCost(vread.body, 'lumpsum'), 8000);
});

t.test('every current demo product is served and maps', async (t) => {
  const bundle = (await server.fhir('InsurancePlan?_count=100&_total=accurate')).body;
  t.equal(bundle.total, currentProducts.length);
  t.same(bundle.entry.map((e: any) => e.resource.identifier[1].value).sort(), [...DEMO.productCodes].sort());
  for (const entry of bundle.entry) t.equal(entry.fullUrl, `${server.base}/InsurancePlan/${entry.resource.id}`);
});

t.test('search: identifier, name, coverage-area, with _include of the Location', async (t) => {
  const ids = async (query: string) => ((await server.fhir(`InsurancePlan?${query}`)).body.entry ?? []).map((e: any) => e.resource.id).sort();
  t.same(await ids(`identifier=${basic.code}`), [basic.uuid]);
  t.same(await ids(`identifier=${plus.uuid.toUpperCase()}`), [plus.uuid]);
  t.same(await ids(`identifier=${basic.code},${coastal.code}`), [basic.uuid, coastal.uuid].sort());
  t.same(await ids('name=health'), [plus.uuid], 'name prefix, case-insensitive');
  t.same(await ids('name:contains=family'), [basic.uuid, coastal.uuid].sort());
  const region = await db('tblLocations').where('LocationCode', 'R1').whereNull('ValidityTo').first();
  t.same(await ids(`coverage-area=Location/${region.LocationUUID}`), [basic.uuid, plus.uuid].sort());
  t.same(await ids('coverage-area:missing=true'), [national.uuid]);
  const basicRow = currentProducts.find((p: any) => p.ProdID === basic.id);
  const [from, to] = [new Date(basicRow.DateFrom).toISOString().slice(0, 10), new Date(basicRow.DateTo).toISOString().slice(0, 10)];
  t.ok((await ids(`period=sa${from}`)).every((id: string) => id !== basic.uuid), 'period=sa<first day>: not Basic');
  t.ok((await ids(`period=eb${to}`)).every((id: string) => id !== basic.uuid), 'period=eb<last day>: not Basic');
  t.ok((await ids(`period=lt${from}&period=gt${from}`)).every((id: string) => id !== basic.uuid), 'a period that starts on a day is not before it');
  t.ok((await ids(`period=le${from}&period=ge${to}`)).includes(basic.uuid), 'Basic spans its own first and last days');
  t.ok((await ids(`period=${from.slice(0, 4)}`)).includes(basic.uuid) === (from.slice(0, 4) === to.slice(0, 4)), 'eq: within the year only if it ends in it');
  const sorted = (await server.fhir('InsurancePlan?_sort=-identifier')).body.entry.map((e: any) => e.resource.identifier[1].value);
  t.same(sorted, [...DEMO.productCodes].sort().reverse());
  const withArea = await server.fhir(`InsurancePlan?identifier=${basic.code}&_include=InsurancePlan:coverage-area`);
  const included = withArea.body.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource);
  if (included.length) t.same(included.map((r: any) => `${r.resourceType}/${r.id}`), [`Location/${region.LocationUUID}`]);
  else t.comment('Location is not served: no include');
});

t.test('rights: 121001 to read; no create or delete', async (t) => {
  t.equal((await server.fhir(`InsurancePlan/${basic.uuid}`, { token: await login('noRoles') })).status, 403);
  t.equal((await server.fhir('InsurancePlan', { token: await login('clerk') })).status, 403, 'the clerk has no product right');
  t.equal((await server.fhir(`InsurancePlan/${basic.uuid}`, { token: null })).status, 401);
  const post = await server.fhir('InsurancePlan', { method: 'POST', body: JSON.stringify({ resourceType: 'InsurancePlan', name: 'x' }) });
  t.equal(post.status, 405);
  t.equal((await server.fhir(`InsurancePlan/${basic.uuid}`, { method: 'DELETE' })).status, 405);
  t.equal(Number((await db('tblProduct').count({ n: '*' }))[0].n), currentProducts.length + 1, 'nothing written');
});
