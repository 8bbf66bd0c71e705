/**
 * Coverage ⇄ tblPolicy over the real HTTP server: an id at last, one Coverage per demo policy
 * status with the documented FHIR status, the head of family by UUID, the insurer as payor,
 * distinct extension URLs, search parameters, includes, history and rights.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const { policies, products } = DEMO;
const current = await db('tblPolicy').whereNull('ValidityTo').orderBy('PolicyID');
const ext = (resource: any, name: string) => (resource.extension ?? []).filter((e: any) => e.url === `${IG}/StructureDefinition/${name}`);
const ids = async (query: string) => ((await server.fhir(`Coverage?${query}&_count=100`)).body.entry ?? []).filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource.id).sort();
const uuidsWhere = (filter: (p: any) => boolean) => current.filter(filter).map((p) => p.PolicyUUID.toLowerCase()).sort();
const served = (type: string) => server.fhir(`${type}?_count=0`).then((r) => r.status === 200);

t.test('read by UUID: id, identifier, head of family by UUID, insurer as payor, period, plan class', async (t) => {
  const coverage = (await server.client().read({ resourceType: 'Coverage', id: policies.active.uuid })) as any;
  t.equal(coverage.resourceType, 'Coverage');
  t.equal(coverage.id, policies.active.uuid, 'the module emitted no id');
  t.same(coverage.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', policies.active.uuid]]);
  t.equal(coverage.status, 'active');
  const head = DEMO.headInsuree;
  t.equal(coverage.beneficiary.reference, `Patient/${head.uuid}`, 'by UUID, not the bare CHFID');
  t.equal(coverage.beneficiary.display, `${head.otherNames} ${head.lastName}`);
  t.same(coverage.policyHolder, coverage.beneficiary);
  t.equal(coverage.relationship.coding[0].code, 'self');
  t.match(coverage.payor, [{ reference: 'Organization/openIMIS-Implementation', type: 'Organization' }]);
  const row = current.find((p) => p.PolicyID === policies.active.id);
  t.same(coverage.period, { start: row.StartDate, end: row.ExpiryDate });
  t.same(coverage.class, [
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan', display: 'Plan' }] },
      value: products.basic.code,
      name: products.basic.name,
    },
  ]);
  t.equal(coverage.contract[0].reference, `Contract/${policies.active.uuid}`);
  t.equal(coverage.meta.profile[0], `${IG}/StructureDefinition/openimis-coverage`);
});

t.test('extensions: enrolment and effective dates under distinct URLs, policy status and stage, the plan', async (t) => {
  const coverage = (await server.fhir(`Coverage/${policies.active.uuid}`)).body;
  const row = current.find((p) => p.PolicyID === policies.active.id);
  t.equal(ext(coverage, 'coverage-enroll-date')[0].valueDate, row.EnrollDate);
  t.equal(ext(coverage, 'coverage-effective-date')[0].valueDate, row.EffectiveDate);
  t.not(row.EnrollDate, row.EffectiveDate, 'the demo dates differ, so the test tells them apart');
  t.same(ext(coverage, 'coverage-date'), [], 'not the module\'s ambiguous coverage-date pair');
  t.equal(ext(coverage, 'coverage-policy-stage')[0].valueCoding.code, 'N');
  const plan = coverage.extension.find((e: any) => e.url === 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Coverage.insurancePlan');
  t.equal(plan.valueReference.reference, `InsurancePlan/${products.basic.uuid}`);
  const urls = coverage.extension.map((e: any) => e.url);
  t.equal(new Set(urls).size, urls.length, 'every extension URL once');
  const idle = (await server.fhir(`Coverage/${policies.idle.uuid}`)).body;
  t.same(ext(idle, 'coverage-effective-date'), [], 'an idle policy has no effective date');
});

t.test('one Coverage per demo policy status, with the documented status mapping', async (t) => {
  const expected: [keyof typeof policies, string, string][] = [
    ['idle', 'draft', 'idle'],
    ['active', 'active', 'active'],
    ['suspended', 'cancelled', 'suspended'],
    ['expired', 'cancelled', 'expired'],
    ['ready', 'draft', 'ready'],
    ['expiredOnly', 'cancelled', 'expired'],
  ];
  for (const [key, status, openimis] of expected) {
    const res = await server.fhir(`Coverage/${policies[key].uuid}`);
    t.equal(res.status, 200, key);
    t.equal(res.body.status, status, `${key} (${policies[key].status}) → ${status}`);
    t.equal(ext(res.body, 'coverage-policy-status')[0].valueCoding.code, openimis);
  }
  const ready = (await server.fhir(`Coverage/${policies.ready.uuid}`)).body;
  t.equal(ext(ready, 'coverage-policy-stage')[0].valueCoding.code, 'R', 'the renewal stage');
  const expired = (await server.fhir(`Coverage/${policies.expired.uuid}`)).body;
  t.ok(expired.period.end < new Date().toISOString().slice(0, 10), 'an expired policy ended before today');
});

t.test('every current demo policy is served and maps', async (t) => {
  const bundle = (await server.fhir('Coverage?_count=100&_total=accurate')).body;
  t.equal(bundle.total, current.length);
  t.same(bundle.entry.map((e: any) => e.resource.id).sort(), uuidsWhere(() => true));
  for (const entry of bundle.entry) {
    t.equal(entry.fullUrl, `${server.base}/Coverage/${entry.resource.id}`, 'a fullUrl for every entry');
    t.ok(['active', 'cancelled', 'draft'].includes(entry.resource.status));
    t.match(entry.resource.beneficiary.reference, /^Patient\/[0-9a-f-]{36}$/);
  }
});

t.test('search: identifier, status, policy-status', async (t) => {
  t.same(await ids(`identifier=${policies.active.uuid.toUpperCase()}`), [policies.active.uuid]);
  t.same(await ids('status=draft'), uuidsWhere((p) => p.PolicyStatus === 1 || p.PolicyStatus === 16));
  t.same(await ids('status=cancelled'), uuidsWhere((p) => p.PolicyStatus === 4 || p.PolicyStatus === 8));
  t.same(await ids('status=http://hl7.org/fhir/fm-status|active'), uuidsWhere((p) => p.PolicyStatus === 2));
  t.same(await ids('status:not=active'), uuidsWhere((p) => p.PolicyStatus !== 2));
  t.same(await ids('status=entered-in-error'), []);
  t.same(await ids('policy-status=expired'), uuidsWhere((p) => p.PolicyStatus === 8));
  t.same(await ids('policy-status=idle,ready'), [policies.idle.uuid, policies.ready.uuid].sort());
  t.same(await ids('status:text=cancel'), uuidsWhere((p) => p.PolicyStatus === 4 || p.PolicyStatus === 8), 'status:text on the display');
  t.same(await ids('policy-status:text=susp'), uuidsWhere((p) => p.PolicyStatus === 4));
});

t.test('search: insurance-plan by code, UUID, :identifier and chained name; _include and _revinclude', async (t) => {
  const basicPolicies = uuidsWhere((p) => p.ProdID === products.basic.id);
  t.same(await ids(`insurance-plan=${products.basic.code}`), basicPolicies);
  t.same(await ids(`insurance-plan=InsurancePlan/${products.basic.uuid}`), basicPolicies);
  t.same(await ids(`insurance-plan:identifier=${products.basic.code}`), basicPolicies);
  t.same(await ids('insurance-plan.name=Coastal'), uuidsWhere((p) => p.ProdID === products.coastal.id));
  const withPlan = (await server.fhir(`Coverage?identifier=${policies.active.uuid}&_include=Coverage:insurance-plan`)).body;
  t.same(
    withPlan.entry.map((e: any) => [e.search.mode, e.resource.resourceType, e.resource.id]),
    [['match', 'Coverage', policies.active.uuid], ['include', 'InsurancePlan', products.basic.uuid]],
  );
  const rev = (await server.fhir(`InsurancePlan?identifier=${products.plus.code}&_revinclude=Coverage:insurance-plan`)).body;
  t.same(
    rev.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id).sort(),
    uuidsWhere((p) => p.ProdID === products.plus.id),
  );
});

t.test('search: family (Group), with _include', { skip: !(await served('Group')) && 'Group is not served' }, async (t) => {
  const family = DEMO.headInsuree.familyUuid;
  t.same(await ids(`family=Group/${family}`), uuidsWhere((p) => p.FamilyID === DEMO.headInsuree.familyId));
  const bundle = (await server.fhir(`Coverage?family=${family}&_include=Coverage:family`)).body;
  t.same(bundle.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => `${e.resource.resourceType}/${e.resource.id}`), [`Group/${family}`]);
});

t.test('history: the policy was idle, then active', async (t) => {
  const history = (await server.fhir(`Coverage/${policies.active.uuid}/_history`)).body;
  t.equal(history.entry.length, 1 + policies.active.historyRows);
  t.same(history.entry.map((e: any) => e.resource.status), ['active', 'draft']);
  t.ok(history.entry.every((e: any) => e.resource.id === policies.active.uuid));
  const oldest = history.entry.at(-1).resource;
  t.same(ext(oldest, 'coverage-effective-date'), []);
  const vread = await server.fhir(`Coverage/${policies.active.uuid}/_history/${oldest.meta.versionId}`);
  t.equal(vread.body.status, 'draft');
});

t.test('rights: 101201 reads; nothing is written through Coverage', async (t) => {
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  t.equal((await server.fhir(`Coverage/${policies.idle.uuid}`, { token: clerk })).status, 200, 'the clerk has 101201');
  const noRoles = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
  t.equal((await server.fhir('Coverage', { token: noRoles })).status, 403);
  const post = await server.fhir('Coverage', { method: 'POST', body: JSON.stringify({ resourceType: 'Coverage', status: 'active' }) });
  t.equal(post.status, 405);
  t.equal((await db('tblPolicy').whereNull('ValidityTo')).length, current.length);
});

t.test('row security: an officer sees the policies of his villages, a clerk those of her districts', async (t) => {
  const officer = await server.login(DEMO.users.enrolmentOfficer.login, DEMO.users.enrolmentOfficer.password);
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  const seen = async (token: string, type: string) =>
    ((await server.fhir(`${type}?_count=100`, { token })).body.entry ?? []).map((e: any) => e.resource.id).sort();
  const ofFamilies = (families: number[]) => uuidsWhere((p) => families.includes(p.FamilyID));
  for (const type of ['Coverage', 'Contract']) {
    t.same(await seen(officer, type), ofFamilies([1, 2, 5, 10]), `${type}: the officer's families 1, 2, 5, 10`);
    t.same(await seen(clerk, type), ofFamilies([3, 4]), `${type}: the clerk's families 3, 4`);
    t.equal((await server.fhir(`${type}/${policies.active.uuid}`, { token: clerk })).status, 404, `${type}: out of scope is not found`);
  }
  // Included rows are scoped too: the admin's revinclude sees all, a chain from a scoped caller only hers.
  t.same(
    ((await server.fhir(`Coverage?insurance-plan.name=Basic&_count=100`, { token: clerk })).body.entry ?? []).map((e: any) => e.resource.id).sort(),
    uuidsWhere((p) => [3, 4].includes(p.FamilyID) && p.ProdID === products.basic.id),
  );
});

t.test('beneficiary and policy-holder: the head of family, through tblFamilies; _include and _revinclude', async (t) => {
  const head = DEMO.headInsuree;
  const ofHeadFamily = uuidsWhere((p) => p.FamilyID === head.familyId);
  for (const code of ['beneficiary', 'policy-holder']) {
    t.same(await ids(`${code}=Patient/${head.uuid}`), ofHeadFamily, `${code} by UUID`);
    t.same(await ids(`${code}=${head.chfid}`), ofHeadFamily, `${code} by CHFID`);
    t.same(await ids(`${code}:identifier=${head.chfid}`), ofHeadFamily, `${code}:identifier`);
    t.same(await ids(`${code}=Patient/${DEMO.insureeWithHistory.uuid}`), [], `${code}: a member who is not the head is none`);
  }
  t.same(await ids(`beneficiary.family=${head.lastName}&beneficiary.given=${head.otherNames}`), ofHeadFamily, 'chained on the head');
  t.same(await ids('beneficiary:missing=true'), uuidsWhere(() => false), 'every family has a head');
  const withHead = (await server.fhir(`Coverage?beneficiary=${head.uuid}&_include=Coverage:beneficiary&_count=100`)).body;
  const included = withHead.entry.filter((e: any) => e.search.mode === 'include');
  t.same(included.map((e: any) => `${e.resource.resourceType}/${e.resource.id}`), [`Patient/${head.uuid}`], 'the head once');
  const all = (await server.fhir('Coverage?_include=Coverage:policy-holder&_count=100')).body;
  const heads = new Set(all.entry.filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource.policyHolder.reference));
  t.same(all.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => `Patient/${e.resource.id}`).sort(), [...heads].sort(), 'every policy holder, each once');
  const rev = (await server.fhir(`Patient?_id=${head.uuid}&_revinclude=Coverage:beneficiary`)).body;
  t.same(rev.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id).sort(), ofHeadFamily);
  const has = (await server.fhir(`Patient?_has:Coverage:beneficiary:status=active&_count=100`)).body;
  const activeFamilies = current.filter((p) => p.PolicyStatus === 2).map((p) => p.FamilyID);
  const activeHeads = await db('tblFamilies').whereIn('FamilyID', activeFamilies).pluck('InsureeID');
  const headUuids = (await db('tblInsuree').whereIn('InsureeID', activeHeads).pluck('InsureeUUID')).map((u: string) => u.toLowerCase()).sort();
  t.same(has.entry.map((e: any) => e.resource.id).sort(), headUuids, '_has: the heads with an active policy');
});

t.test('patient: any covered member, through current tblInsureePolicy rows (Coverage and Contract)', async (t) => {
  const member = DEMO.insureeWithHistory;
  const coveredPolicies = await db('tblInsureePolicy').where('InsureeID', member.id).whereNull('ValidityTo').pluck('PolicyId');
  const expected = uuidsWhere((p) => coveredPolicies.includes(p.PolicyID));
  t.ok(expected.length > 0, 'the member is covered by a policy of the demo');
  t.same(await ids(`patient=Patient/${member.uuid}`), expected, 'Coverage?patient=<member>');
  t.same(await ids(`patient=${DEMO.headInsuree.chfid}`), await ids(`patient=${DEMO.headInsuree.uuid}`), 'by CHFID as by UUID');
  const contracts = ((await server.fhir(`Contract?patient=${member.uuid}&_count=100`)).body.entry ?? []).map((e: any) => e.resource.id).sort();
  t.same(contracts, expected, 'Contract?patient=<member>');
  const uncovered = await db('tblInsuree as i')
    .whereNull('i.ValidityTo')
    .whereNotExists(db('tblInsureePolicy as ip').whereRaw('ip."InsureeID" = i."InsureeID"').whereNull('ip.ValidityTo'))
    .first();
  if (uncovered) t.same(await ids(`patient=${uncovered.InsureeUUID}`), [], 'an insuree without coverage rows has none');
  const withMembers = (await server.fhir(`Coverage?_id=${policies.active.uuid}&_include=Coverage:patient`)).body;
  const members = await db('tblInsureePolicy as ip').join('tblInsuree as i', 'i.InsureeID', 'ip.InsureeID').where('ip.PolicyId', policies.active.id).whereNull('ip.ValidityTo').pluck('i.InsureeUUID');
  t.same(withMembers.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id).sort(), members.map((u: string) => u.toLowerCase()).sort(), '_include=Coverage:patient: the covered members');
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  const scoped = await server.fhir(`Coverage?patient=${member.uuid}`, { token: clerk });
  t.same(scoped.body.entry ?? [], [], 'row security: the clerk does not see the policies of family 1');
});

t.test('class-value (product code), class-type, period, payor', async (t) => {
  t.same(await ids(`class-value=${products.basic.code}`), uuidsWhere((p) => p.ProdID === products.basic.id));
  t.same(await ids(`class-value=${products.plus.code},${products.coastal.code}`), uuidsWhere((p) => p.ProdID === products.plus.id || p.ProdID === products.coastal.id));
  t.same(await ids(`class-value:not=${products.basic.code}`), uuidsWhere((p) => p.ProdID !== products.basic.id));
  t.same(await ids('class-value=NOPE'), []);
  t.same(await ids('class-type=plan'), uuidsWhere(() => true));
  const today = new Date().toISOString().slice(0, 10);
  const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d ?? '').slice(0, 10));
  // In force today: the period reaches past yesterday and started before tomorrow.
  const inForce = uuidsWhere((p) => (!p.StartDate || day(p.StartDate) <= today) && (!p.ExpiryDate || day(p.ExpiryDate) >= today));
  t.same(await ids(`period=ge${today}&period=le${today}`), inForce, 'the policies whose period holds today');
  t.ok(inForce.includes(policies.active.uuid));
  t.same(await ids(`period=eb${today}`), uuidsWhere((p) => p.ExpiryDate && day(p.ExpiryDate) < today), 'ended before today');
  t.ok((await ids(`period=eb${today}`)).includes(policies.expired.uuid));
  const active = current.find((p) => p.PolicyID === policies.active.id);
  t.ok((await ids(`period=${day(active.StartDate).slice(0, 4)}`)).every((id: string) => {
    const p = current.find((c) => c.PolicyUUID.toLowerCase() === id);
    return day(p.StartDate).slice(0, 4) === day(active.StartDate).slice(0, 4) && day(p.ExpiryDate).slice(0, 4) === day(active.StartDate).slice(0, 4);
  }), 'eq: within the year');
  const sorted = (await server.fhir('Coverage?_sort=period&_count=100')).body.entry.map((e: any) => e.resource.period.start ?? '~');
  t.same(sorted, [...sorted].sort(), '_sort=period by start');
  t.same(await ids('payor=Organization/openIMIS-Implementation'), uuidsWhere(() => true), 'payor: the insurer, on every policy');
  t.same(await ids(`payor=Organization/${DEMO.healthFacility.uuid}`), [], 'any other organisation: none');
  const included = (await server.fhir(`Coverage?_id=${policies.active.uuid},${policies.idle.uuid}&_include=Coverage:payor`)).body;
  const insurer = included.entry.filter((e: any) => e.search.mode === 'include');
  t.equal(insurer.length, 1, 'the insurer once');
  t.equal(insurer[0].resource.id, 'openIMIS-Implementation');
  t.equal(insurer[0].fullUrl, `${server.base}/Organization/openIMIS-Implementation`);
});
