/**
 * Contract create: a new idle policy of a family for a product, sold by an officer, with its covered
 * members and contributions, written the legacy way in one transaction; bad input is a 4xx
 * OperationOutcome and leaves nothing behind.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { expiryOf } from '../../src/resources/contract/write.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const { products } = DEMO;
/** Family 10 (village in R1) holds only an expired BASIC01 policy: it may buy any R1 or national product. */
const familyId = DEMO.softDeletedInsuree.familyId;
const family = await db('tblFamilies').where('FamilyID', familyId).whereNull('ValidityTo').first();
const members = await db('tblInsuree').where('FamilyID', familyId).whereNull('ValidityTo').orderBy('InsureeID');
const head = members.find((m) => m.InsureeID === family.InsureeID);
const today = new Date().toISOString().slice(0, 10);
const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);
const counts = async () => Promise.all(['tblPolicy', 'tblInsureePolicy', 'tblPremium', 'tblFamilies'].map(count));

function premium(receipt: string, amount: number, type = 'C', extra: any[] = []) {
  return {
    url: `${IG}/StructureDefinition/contract-premium`,
    extension: [
      { url: 'amount', valueMoney: { value: amount, currency: server.config.currency } },
      { url: 'receipt', valueString: receipt },
      { url: 'date', valueDate: today },
      { url: 'type', valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/contract-premium-type`, code: type }] } },
      ...extra,
    ],
  };
}

function newContract(overrides: { product?: string; value?: number; premiums?: any[]; typeReference?: any[]; subject?: any; period?: any } = {}): any {
  return {
    resourceType: 'Contract',
    // The openIMIS contract profile asks for an identifier: the client's UUID for the new policy.
    identifier: [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'UUID' }] }, value: randomUUID() }],
    status: 'offered',
    issued: today,
    subject: [overrides.subject ?? { reference: `Group/${family.FamilyUUID}` }],
    author: { reference: `Practitioner/${DEMO.officer.code}` },
    term: [
      {
        // R4 requires the offer; the module's: the head of family as beneficiary.
        offer: { party: [{ reference: [{ reference: `Patient/${head.InsureeUUID}` }], role: { coding: [{ system: `${IG}/CodeSystem/contract-resource-party-role`, code: 'beneficiary' }] } }] },
        asset: [
          {
            extension: overrides.premiums ?? [premium('RCP-T-001', 6000), premium('RCP-T-002', 4000, 'M')],
            ...(overrides.typeReference ? { typeReference: overrides.typeReference } : {}),
            period: [overrides.period ?? { start: today }],
            valuedItem: [
              {
                entityReference: { reference: `InsurancePlan/${overrides.product ?? products.plus.code}` },
                net: { value: overrides.value ?? 20000, currency: server.config.currency },
              },
            ],
          },
        ],
      },
    ],
  };
}

t.test('expiry: start plus the insurance period, minus a day, the day clamped to the month', async (t) => {
  t.equal(expiryOf('2024-01-01', 12), '2024-12-31');
  t.equal(expiryOf('2024-03-15', 12), '2025-03-14');
  t.equal(expiryOf('2023-03-31', 11), '2024-02-28', 'Feb 29 of a leap year is the clamped day, the expiry the day before');
  t.equal(expiryOf('2023-01-31', 1), '2023-02-27');
});

t.test('create: 201 with Location, an idle policy, its members and premiums; read back; history', async (t) => {
  const before = await counts();
  const body = newContract();
  const res = await server.fhir('Contract', { method: 'POST', body: JSON.stringify(body) });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const id = res.body.id;
  t.equal(id, body.identifier[0].value, 'the UUID the client chose');
  t.equal(res.headers.get('location'), `${server.base}/Contract/${id}/_history/${res.body.meta.versionId}`);
  t.equal(res.body.status, 'offered');

  const policy = await db('tblPolicy').where('PolicyUUID', id).first();
  t.match(policy, {
    FamilyID: familyId, ProdID: products.plus.id, OfficerID: DEMO.officer.id, PolicyStatus: 1, PolicyStage: 'N',
    EnrollDate: today, StartDate: today, EffectiveDate: null, ExpiryDate: expiryOf(today, 12), PolicyValue: 20000,
    ValidityTo: null, LegacyID: null, AuditUserID: DEMO.users.admin.id,
  });
  const covered = await db('tblInsureePolicy').where('PolicyId', policy.PolicyID).orderBy('InsureeID');
  t.same(covered.map((c) => c.InsureeID), members.map((m) => m.InsureeID), 'every current member, not the removed one');
  t.ok(covered.every((c) => c.StartDate === today && c.ExpiryDate === policy.ExpiryDate && c.EffectiveDate === null && c.ValidityTo === null));
  const paid = await db('tblPremium').where('PolicyID', policy.PolicyID).orderBy('Receipt');
  t.same(paid.map((p) => [p.Receipt, p.Amount, p.PayType, p.PayDate, p.PayerID]), [['RCP-T-001', 6000, 'C', today, null], ['RCP-T-002', 4000, 'M', today, null]]);
  t.ok(paid.every((p) => /^[0-9a-f-]{36}$/.test(p.PremiumUUID) && p.ValidityTo === null));
  t.same(await counts(), [before[0] + 1, before[1] + members.length, before[2] + 2, before[3]], 'nothing else written');

  const read = (await server.fhir(`Contract/${id}`)).body;
  t.equal(read.term[0].asset[0].extension.length, 2);
  t.equal(read.term[0].asset[0].typeReference.length, members.length);
  t.same(read, res.body, 'the response is the stored resource');
  const coverage = (await server.fhir(`Coverage/${id}`)).body;
  t.equal(coverage.status, 'draft');
  t.equal(coverage.beneficiary.reference, `Patient/${head.InsureeUUID.toLowerCase()}`);
  const history = (await server.fhir(`Contract/${id}/_history`)).body;
  t.equal(history.entry.length, 1);
  t.equal(history.entry[0].request.method, 'POST');
});

t.test('create with chosen members, a payer, the head as subject, the renewal stage and a client UUID', async (t) => {
  const uuid = '0e4c6b1a-7d55-4c3b-9a51-3f2b8f0f7a01';
  const payer = await db('tblPayer').where('PayerID', DEMO.payer.id).first();
  const body = newContract({
    product: products.national.uuid,
    subject: { reference: `Patient/${head.CHFID}` },
    typeReference: [{ reference: `Patient/${members[0].InsureeUUID}` }, { reference: `Patient/${members[1].CHFID}` }],
    premiums: [premium('RCP-T-003', 5000, 'B', [{ url: 'party', valueReference: { type: 'Organization', identifier: { value: payer.PayerUUID } } }])],
  });
  body.identifier = [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'UUID' }] }, value: uuid }];
  body.legalState = { text: 'Renewed' };
  const res = await server.fhir('Contract', { method: 'POST', body: JSON.stringify(body) });
  t.equal(res.status, 201, JSON.stringify(res.body));
  t.equal(res.body.id, uuid);
  const policy = await db('tblPolicy').where('PolicyUUID', uuid).first();
  t.equal(policy.PolicyStage, 'R');
  t.equal((await db('tblInsureePolicy').where('PolicyId', policy.PolicyID)).length, 2);
  t.equal((await db('tblPremium').where('PolicyID', policy.PolicyID).first()).PayerID, DEMO.payer.id);
  const premiumExt = res.body.term[0].asset[0].extension[0];
  t.equal(premiumExt.extension.find((e: any) => e.url === 'party').valueReference.display, payer.PayerName);
  const again = await server.fhir('Contract', { method: 'POST', body: JSON.stringify(body) });
  t.equal(again.status, 409, 'the same UUID twice');
});

t.test('a second holding policy of the same product for the same period is a conflict', async (t) => {
  const before = await counts();
  const res = await server.fhir('Contract', {
    method: 'POST',
    body: JSON.stringify(newContract({ subject: { reference: `Group/${DEMO.headInsuree.familyUuid}` }, product: products.basic.code })),
  });
  t.equal(res.status, 409, JSON.stringify(res.body));
  t.equal(res.body.resourceType, 'OperationOutcome');
  t.same(await counts(), before);
});

t.test('business rules: product area, sale dates, member count', async (t) => {
  const before = await counts();
  const coastal = await server.fhir('Contract', { method: 'POST', body: JSON.stringify(newContract({ product: products.coastal.code })) });
  t.equal(coastal.status, 422, 'an R2 product for an R1 family');
  t.match(coastal.body.issue[0].diagnostics, /not sold where the family lives/);
  const original = await db('tblProduct').where('ProdID', products.national.id).first('MemberCount', 'DateTo');
  t.teardown(() => db('tblProduct').where('ProdID', products.national.id).update(original));
  await db('tblProduct').where('ProdID', products.national.id).update({ MemberCount: 1 });
  const tooMany = await server.fhir('Contract', { method: 'POST', body: JSON.stringify(newContract({ product: products.national.code })) });
  t.equal(tooMany.status, 422);
  t.match(tooMany.body.issue[0].diagnostics, /at most 1 members/);
  await db('tblProduct').where('ProdID', products.national.id).update({ MemberCount: original.MemberCount, DateTo: new Date(Date.now() - 86_400_000 * 2) });
  const retired = await server.fhir('Contract', { method: 'POST', body: JSON.stringify(newContract({ product: products.national.code })) });
  t.equal(retired.status, 422);
  t.match(retired.body.issue[0].diagnostics, /on sale/);
  t.same(await counts(), before, 'nothing written');
});

t.test('invalid input: one 422 naming every problem, nothing written', async (t) => {
  const before = await counts();
  // Not even valid FHIR (no subject, no author, an unknown payment type): the validator answers.
  const invalid = newContract({ premiums: [premium('RCP-T-7', 10, 'X')] });
  delete invalid.subject;
  delete invalid.author;
  const structural = await server.fhir('Contract', { method: 'POST', body: JSON.stringify(invalid) });
  t.equal(structural.status, 422);
  t.equal(structural.body.resourceType, 'OperationOutcome');
  // Valid FHIR that breaks the openIMIS rules: the mapper names every problem at once.
  const bad = newContract({ premiums: [premium('RCP-T-9', 0), { url: `${IG}/StructureDefinition/contract-premium`, extension: [{ url: 'amount', valueMoney: { value: -5 } }] }], value: -1 });
  bad.status = 'executed';
  bad.issued = '2099-01-01';
  bad.term[0].asset[0].valuedItem[0].net.currency = 'EUR';
  const res = await server.fhir('Contract', { method: 'POST', body: JSON.stringify(bad) });
  t.equal(res.status, 422);
  const expressions = res.body.issue.map((i: any) => i.expression?.[0]);
  for (const expected of [
    'Contract.status', 'Contract.issued', 'Contract.term.asset.valuedItem.net',
    'Contract.term.asset.extension[contract-premium][0].amount', 'Contract.term.asset.extension[contract-premium][1].amount',
    'Contract.term.asset.extension[contract-premium][1].receipt', 'Contract.term.asset.extension[contract-premium][1].date',
    'Contract.term.asset.extension[contract-premium][1].type',
  ]) {
    t.ok(expressions.includes(expected), `names ${expected}`);
  }
  const cases: [string, any, number][] = [
    ['unknown product', newContract({ product: 'NOPE01' }), 422],
    ['unknown family', newContract({ subject: { reference: 'Group/00000000-0000-4000-8000-000000000000' } }), 422],
    ['a member who is not the head as subject', newContract({ subject: { reference: `Patient/${members.find((m) => !m.IsHead).InsureeUUID}` } }), 422],
    ['a stranger as covered member', newContract({ typeReference: [{ reference: `Patient/${DEMO.headInsuree.uuid}` }] }), 422],
    ['expiry before start', newContract({ period: { start: today, end: '2000-01-01' } }), 422],
    ['unknown payer', newContract({ premiums: [premium('RCP-T-8', 10, 'C', [{ url: 'party', valueReference: { type: 'Organization', identifier: { value: '00000000-0000-4000-8000-000000000000' } } }])] }), 422],
    ['the same receipt twice', newContract({ premiums: [premium('RCP-DUP', 10), premium('RCP-DUP', 10)] }), 422],
    ['not a Contract', { resourceType: 'Coverage' }, 400],
  ];
  for (const [name, body, status] of cases) {
    const r = await server.fhir('Contract', { method: 'POST', body: JSON.stringify(body) });
    t.equal(r.status, status, `${name}: ${JSON.stringify(r.body.issue?.[0]?.diagnostics)}`);
    t.equal(r.body.resourceType, 'OperationOutcome');
  }
  t.same(await counts(), before, 'nothing written');
});

t.test('rights: 101202 to create; updates are not offered', async (t) => {
  const noRoles = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
  t.equal((await server.fhir('Contract', { method: 'POST', token: noRoles, body: JSON.stringify(newContract()) })).status, 403);
  const put = await server.fhir(`Contract/${DEMO.policies.idle.uuid}`, { method: 'PUT', body: JSON.stringify({ resourceType: 'Contract', id: DEMO.policies.idle.uuid }) });
  t.equal(put.status, 405);
});

t.test('row security: a clerk cannot enrol a family outside her districts; the officer of its village can', async (t) => {
  const before = await counts();
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  const denied = await server.fhir('Contract', { method: 'POST', token: clerk, body: JSON.stringify(newContract({ product: products.basic.code })) });
  t.equal(denied.status, 403, JSON.stringify(denied.body));
  t.same(await counts(), before, 'nothing written');
  const officer = await server.login(DEMO.users.enrolmentOfficer.login, DEMO.users.enrolmentOfficer.password);
  const allowed = await server.fhir('Contract', {
    method: 'POST', token: officer, body: JSON.stringify(newContract({ product: products.basic.code, premiums: [premium('RCP-T-EO', 10000)] })),
  });
  t.equal(allowed.status, 201, JSON.stringify(allowed.body));
  t.equal((await db('tblPolicy').where('PolicyUUID', allowed.body.id).first()).AuditUserID, DEMO.users.enrolmentOfficer.id);
});

t.test('conditional create: If-None-Exist on the identifier makes a retry harmless', async (t) => {
  const body = newContract({ product: products.national.code, typeReference: [{ reference: `Patient/${head.InsureeUUID}` }], premiums: [premium('RCP-T-INE', 100)] });
  // NATL01 was bought above for this family: end the earlier policy so that this one is new.
  await db('tblPolicy').where({ FamilyID: familyId, ProdID: products.national.id }).whereNull('ValidityTo').update({ PolicyStatus: 8 });
  const uuid = body.identifier[0].value;
  const first = await server.fhir('Contract', { method: 'POST', headers: { 'if-none-exist': `identifier=${uuid}` }, body: JSON.stringify(body) });
  t.equal(first.status, 201, JSON.stringify(first.body));
  const before = await counts();
  const retry = await server.fhir('Contract', { method: 'POST', headers: { 'if-none-exist': `identifier=${uuid}` }, body: JSON.stringify(body) });
  t.equal(retry.status, 200, 'the existing contract');
  t.equal(retry.body.id, uuid);
  t.same(await counts(), before, 'nothing written');
});
