/**
 * Contract ⇄ tblPolicy + tblPremium + tblInsureePolicy over the real HTTP server: FHIR contract
 * status codes, every contribution (several for one policy), the covered members, the product and
 * the policy value, search parameters, includes, history, and the child rows loaded once per page.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const { policies, products } = DEMO;
const current = await db('tblPolicy').whereNull('ValidityTo').orderBy('PolicyID');
const asset = (contract: any) => contract.term[0].asset[0];
const premiums = (contract: any) => (asset(contract).extension ?? []).filter((e: any) => e.url === `${IG}/StructureDefinition/contract-premium`);
const part = (premium: any, url: string) => premium.extension.find((e: any) => e.url === url);
const ids = async (query: string) => ((await server.fhir(`Contract?${query}&_count=100`)).body.entry ?? []).filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource.id).sort();
const uuidsWhere = (filter: (p: any) => boolean) => current.filter(filter).map((p) => p.PolicyUUID.toLowerCase()).sort();
const served = (type: string) => server.fhir(`${type}?_count=0`).then((r) => r.status === 200);
/** The demo policy paid in two instalments by a payer. */
const twoPremiums = current.find((p) => p.PolicyID === 9);

t.test('the demo has a policy paid with several premiums', async (t) => {
  const rows = await db('tblPremium').where('PolicyID', twoPremiums.PolicyID).whereNull('ValidityTo');
  t.equal(rows.length, 2);
});

t.test('read by UUID: status, stage, dates, family, officer, head as offer party, product and value', async (t) => {
  const contract = (await server.client().read({ resourceType: 'Contract', id: policies.active.uuid })) as any;
  const row = current.find((p) => p.PolicyID === policies.active.id);
  t.equal(contract.id, policies.active.uuid, 'the module emitted no id');
  t.same(contract.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', policies.active.uuid]]);
  t.equal(contract.status, 'executed');
  t.match(contract.legalState, { coding: [{ system: `${IG}/CodeSystem/policy-stage`, code: 'N' }], text: 'Offered' });
  t.equal(contract.issued, row.EnrollDate);
  t.same(contract.applies, { start: row.StartDate, end: row.ExpiryDate });
  t.equal(contract.subject[0].reference, `Group/${DEMO.headInsuree.familyUuid}`);
  t.equal(contract.author.reference, `Practitioner/${DEMO.officer.uuid}`);
  t.equal(contract.author.display, DEMO.officer.code);
  t.equal(contract.scope.coding[0].code, 'informal');
  t.equal(contract.term[0].offer.party[0].reference[0].reference, `Patient/${DEMO.headInsuree.uuid}`);
  t.equal(contract.term[0].offer.party[0].role.coding[0].code, 'beneficiary');
  const valued = asset(contract).valuedItem[0];
  t.equal(valued.entityReference.reference, `InsurancePlan/${products.basic.uuid}`);
  t.same(valued.net, { value: Number(row.PolicyValue), currency: server.config.currency });
  t.same(asset(contract).period, [{ start: row.StartDate, end: row.ExpiryDate }]);
  t.same(asset(contract).usePeriod, [{ start: row.EffectiveDate, end: row.ExpiryDate }]);
  t.equal(contract.meta.profile[0], `${IG}/StructureDefinition/openimis-contract`);
});

t.test('author: the enrolment officer, served as Practitioner; search, chain, include, revinclude', async (t) => {
  const officer = await db('tblOfficer').where('Code', DEMO.officer.code).whereNull('ValidityTo').first();
  const sold = uuidsWhere((p) => p.OfficerID === officer.OfficerID);
  t.ok(sold.length > 0 && sold.length < current.length);
  t.equal((await server.fhir(`Practitioner/${DEMO.officer.uuid}`)).body.qualification[0].code.coding[0].code, 'EO', 'the author reference resolves');
  t.same(await ids(`author=${DEMO.officer.code}`), sold, 'author=<officer code>');
  t.same(await ids(`author=Practitioner/${DEMO.officer.uuid}`), sold, 'author=Practitioner/<uuid>');
  t.same(await ids(`author.family=${DEMO.officer.lastName}`), sold, 'author.family chain');
  t.same(await ids(`author=${DEMO.claimAdmin.uuid}`), [], 'a claim administrator sells no policy');
  const withAuthor = (await server.fhir(`Contract?_id=${policies.active.uuid}&_include=Contract:author`)).body;
  t.same(withAuthor.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => `${e.resource.resourceType}/${e.resource.id}`), [`Practitioner/${DEMO.officer.uuid}`]);
  const fromOfficer = (await server.fhir(`Practitioner?identifier=${DEMO.officer.code}&_revinclude=Contract:author&_count=100`)).body;
  t.same(fromOfficer.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id).sort(), sold, 'Practitioner?_revinclude=Contract:author');
  const has = (await server.fhir(`Practitioner?_has:Contract:author:_id=${policies.active.uuid}`)).body;
  t.same(has.entry.map((e: any) => e.resource.id), [DEMO.officer.uuid], '_has:Contract:author');
});

t.test('premiums: one complete contract-premium extension per contribution', async (t) => {
  const one = (await server.fhir(`Contract/${policies.active.uuid}`)).body;
  t.equal(premiums(one).length, 1);
  const premium = premiums(one)[0];
  t.equal(part(premium, 'identifier').valueIdentifier.value, DEMO.premium.uuid);
  t.same(part(premium, 'amount').valueMoney, { value: DEMO.premium.amount, currency: server.config.currency });
  t.equal(part(premium, 'receipt').valueString, DEMO.premium.receipt);
  t.equal(part(premium, 'type').valueCodeableConcept.coding[0].code, DEMO.premium.payType);
  t.equal(part(premium, 'payer').valueCodeableConcept.coding[0].code, 'beneficiary', 'no payer: the family paid');
  t.equal(part(premium, 'category').valueCodeableConcept.coding[0].code, 'C');

  const two = (await server.fhir(`Contract/${twoPremiums.PolicyUUID}`)).body;
  const rows = await db('tblPremium as pr').join('tblPayer as py', 'py.PayerID', 'pr.PayerID').where('pr.PolicyID', twoPremiums.PolicyID).whereNull('pr.ValidityTo').orderBy('pr.PayDate');
  t.equal(premiums(two).length, 2, 'every premium, not only when there is exactly one');
  t.same(premiums(two).map((p: any) => part(p, 'receipt').valueString), rows.map((r) => r.Receipt));
  t.same(premiums(two).map((p: any) => part(p, 'date').valueDate), rows.map((r) => r.PayDate));
  const payer = part(premiums(two)[0], 'party').valueReference;
  t.match(payer, { type: 'Organization', identifier: { value: rows[0].PayerUUID.toLowerCase() }, display: rows[0].PayerName });
  t.equal(part(premiums(two)[0], 'payer').valueCodeableConcept.coding[0].code, rows[0].PayerType);
  const none = (await server.fhir(`Contract/${policies.idle.uuid}`)).body;
  t.equal(premiums(none).length, 1);
});

t.test('covered members: the current tblInsureePolicy rows of the policy', async (t) => {
  const softDeleted = DEMO.softDeletedInsuree;
  const policy = current.find((p) => p.FamilyID === softDeleted.familyId);
  const contract = (await server.fhir(`Contract/${policy.PolicyUUID}`)).body;
  const rows = await db('tblInsureePolicy as ip').join('tblInsuree as i', 'i.InsureeID', 'ip.InsureeID').where('ip.PolicyId', policy.PolicyID).whereNull('ip.ValidityTo');
  t.same(asset(contract).typeReference.map((r: any) => r.reference).sort(), rows.map((r) => `Patient/${r.InsureeUUID.toLowerCase()}`).sort());
  t.notOk(asset(contract).typeReference.some((r: any) => r.reference === `Patient/${softDeleted.uuid}`), 'the removed member is no longer covered');
});

t.test('one Contract per demo policy status, with FHIR contract-status codes', async (t) => {
  const expected: [keyof typeof policies, string][] = [
    ['idle', 'offered'], ['active', 'executed'], ['suspended', 'disputed'], ['expired', 'terminated'], ['ready', 'executable'],
  ];
  for (const [key, status] of expected) {
    const contract = (await server.fhir(`Contract/${policies[key].uuid}`)).body;
    t.equal(contract.status, status, `${key} → ${status}`);
  }
  const idle = (await server.fhir(`Contract/${policies.idle.uuid}`)).body;
  t.notOk(asset(idle).usePeriod, 'an idle policy is not in use yet');
  const ready = (await server.fhir(`Contract/${policies.ready.uuid}`)).body;
  t.match(ready.legalState, { coding: [{ code: 'R' }], text: 'Renewed' });
});

t.test('every current demo policy is served and maps', async (t) => {
  const bundle = (await server.fhir('Contract?_count=100&_total=accurate')).body;
  t.equal(bundle.total, current.length);
  t.same(bundle.entry.map((e: any) => e.resource.id).sort(), uuidsWhere(() => true));
  const all = await db('tblPremium').whereIn('PolicyID', current.map((p) => p.PolicyID)).whereNull('ValidityTo');
  t.equal(bundle.entry.reduce((n: number, e: any) => n + premiums(e.resource).length, 0), all.length, 'every premium once');
});

t.test('child rows are loaded once per page, not once per policy', async (t) => {
  const queries: string[] = [];
  // Only the page's queries: not the audit trail (written after the response) nor the caller's
  // user, rights and scope (reloaded whenever the user cache expires).
  const listen = (q: { sql: string }) => {
    if (/"tbl(Policy|Premium|InsureePolicy)"/.test(q.sql)) queries.push(q.sql);
  };
  db.on('query', listen);
  const countFor = async (query: string) => {
    queries.length = 0;
    t.equal((await server.fhir(query)).status, 200);
    const sql = [...queries];
    t.comment(`${query}: ${sql.length} queries`);
    return sql.length;
  };
  const one = await countFor('Contract?_count=1');
  const all = await countFor('Contract?_count=100');
  db.removeListener('query', listen);
  t.equal(all, one, `${all} queries for a page of ${current.length} and for a page of 1`);
  t.ok(all <= 6, `${all} queries`);
});

t.test('search: identifier, status, policy-status, issued, insurance-plan', async (t) => {
  t.same(await ids(`identifier=${policies.ready.uuid}`), [policies.ready.uuid]);
  t.same(await ids('status=executed'), uuidsWhere((p) => p.PolicyStatus === 2));
  t.same(await ids('status=offered,executable'), [policies.idle.uuid, policies.ready.uuid].sort());
  t.same(await ids('status=http://hl7.org/fhir/contract-status|terminated'), uuidsWhere((p) => p.PolicyStatus === 8));
  t.same(await ids('status=Policy'), [], 'the module\'s non-codes are not codes');
  t.same(await ids('policy-status=suspended'), [policies.suspended.uuid]);
  const row = current.find((p) => p.PolicyID === policies.active.id);
  t.same(await ids(`issued=${row.EnrollDate}`), uuidsWhere((p) => p.EnrollDate === row.EnrollDate));
  t.same(await ids(`issued=ge${row.EnrollDate}`), uuidsWhere((p) => p.EnrollDate >= row.EnrollDate));
  t.same(await ids(`insurance-plan=${products.coastal.code}`), uuidsWhere((p) => p.ProdID === products.coastal.id));
  const sorted = (await server.fhir('Contract?_sort=-issued&_count=100')).body.entry.map((e: any) => e.resource.issued);
  t.same(sorted, [...sorted].sort().reverse());
});

t.test('search: subject (Group) with _include, and _include of the product', async (t) => {
  const plan = (await server.fhir(`Contract?identifier=${twoPremiums.PolicyUUID}&_include=Contract:insurance-plan`)).body;
  t.same(plan.entry.map((e: any) => e.resource.resourceType), ['Contract', 'InsurancePlan']);
  if (!(await served('Group'))) return t.comment('Group is not served');
  const family = DEMO.headInsuree.familyUuid;
  t.same(await ids(`subject=Group/${family}`), uuidsWhere((p) => p.FamilyID === DEMO.headInsuree.familyId));
  const bundle = (await server.fhir(`Contract?subject=${family}&_include=Contract:subject`)).body;
  t.same(bundle.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => `${e.resource.resourceType}/${e.resource.id}`), [`Group/${family}`]);
});

t.test('history: idle then executed; the old version shows no use period', async (t) => {
  const history = (await server.fhir(`Contract/${policies.active.uuid}/_history`)).body;
  t.same(history.entry.map((e: any) => e.resource.status), ['executed', 'offered']);
  t.notOk(asset(history.entry[1].resource).usePeriod);
});
