/**
 * The queries of the policy and product resources that test/mssql/server-queries.test.ts does not
 * drive — Contract create (policy, member coverage, premiums, payer lookup), the premium and member
 * details of a page, InsurancePlan update and the covered-line counts — compiled for SQL Server
 * and checked at the SQL level with the same capture (test/helpers/mssql-capture.ts).
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { startServer } from '../helpers/app.js';
import { MssqlCapture, checkCapturedForMssql } from '../helpers/mssql-capture.js';
import { DEMO } from '../../src/db/demo/facts.js';

const capture = new MssqlCapture().installDialectTwins();
t.teardown(() => capture.close());
const server = await startServer(t);
capture.attach(server.db.knex);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const family = await db('tblFamilies').where('FamilyID', DEMO.softDeletedInsuree.familyId).whereNull('ValidityTo').first();
const payer = await db('tblPayer').where('PayerID', DEMO.payer.id).first();
const today = new Date().toISOString().slice(0, 10);

const call = (label: string, path: string, init: Parameters<typeof server.fhir>[1] = {}) => capture.during(label, () => server.fhir(path, init));

capture.start();

t.test('drive the writes and detail loads', async (t) => {
  const contract = {
    resourceType: 'Contract',
    identifier: [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'UUID' }] }, value: randomUUID() }],
    subject: [{ reference: `Group/${family.FamilyUUID}` }],
    author: { reference: `Practitioner/${DEMO.officer.uuid}` },
    term: [
      {
        offer: { party: [{ reference: [{ reference: `Group/${family.FamilyUUID}` }], role: { coding: [{ system: `${IG}/CodeSystem/contract-resource-party-role`, code: 'beneficiary' }] } }] },
        asset: [
          {
            extension: [
              {
                url: `${IG}/StructureDefinition/contract-premium`,
                extension: [
                  { url: 'amount', valueMoney: { value: 2500 } },
                  { url: 'receipt', valueString: 'RCP-MS-1' },
                  { url: 'date', valueDate: today },
                  { url: 'type', valueCodeableConcept: { coding: [{ code: 'B' }] } },
                  { url: 'party', valueReference: { type: 'Organization', identifier: { value: payer.PayerUUID } } },
                ],
              },
            ],
            period: [{ start: today }],
            valuedItem: [{ entityReference: { reference: `InsurancePlan/${DEMO.products.national.code}` }, net: { value: 2500 } }],
          },
        ],
      },
    ],
  };
  const created = await call('Contract create', 'Contract', { method: 'POST', body: JSON.stringify(contract) });
  t.equal(created.status, 201, JSON.stringify(created.body));
  t.equal((await call('Contract create: conflict', 'Contract', { method: 'POST', body: JSON.stringify({ ...contract, identifier: [{ ...contract.identifier[0], value: randomUUID() }] }) })).status, 409);
  t.equal((await call('Contract page with details', 'Contract?_count=50')).status, 200);
  t.equal((await call('Contract history', `Contract/${DEMO.policies.active.uuid}/_history`)).status, 200);
  const plan = (await call('InsurancePlan read', `InsurancePlan/${DEMO.products.plus.uuid}`)).body;
  const district = await db('tblLocations').where('LocationCode', 'R1D1').whereNull('ValidityTo').first();
  plan.coverageArea = [{ reference: `Location/${district.LocationCode}` }];
  plan.period.end = '2040-12-31';
  plan.extension.push({ url: `${IG}/StructureDefinition/insurance-plan-conversion`, valueReference: { reference: `InsurancePlan/${DEMO.products.basic.uuid}` } });
  const updated = await call('InsurancePlan update', `InsurancePlan/${DEMO.products.plus.uuid}`, { method: 'PUT', body: JSON.stringify(plan) });
  t.equal(updated.status, 200, JSON.stringify(updated.body));
  t.equal((await call('InsurancePlan update: code clash', `InsurancePlan/${DEMO.products.plus.uuid}`, {
    method: 'PUT',
    body: JSON.stringify({ ...plan, identifier: [plan.identifier[0], { ...plan.identifier[1], value: DEMO.products.basic.code }] }),
  })).status, 409);
});

t.test('SQL Server compile of every query', async (t) => {
  capture.stop();
  const shapes = checkCapturedForMssql(t, capture, { minDistinct: 10 });
  const sqls = [...shapes.values()].map((s) => s.statement.native.sql);
  const has = (what: string, re: RegExp) => t.ok(sqls.some((sql) => re.test(sql)), what);
  has('the policy insert returns its id', /^insert into \[tblPolicy\] .* output inserted\.\[PolicyID\]/);
  has('the member coverage insert', /^insert into \[tblInsureePolicy\] /);
  has('the premium insert returns its id', /^insert into \[tblPremium\] .* output inserted\.\[PremiumId\]/);
  has('the premium details of a page', /from \[tblPremium\] as \[pr\] left join \[tblPayer\]/);
  has('the member details of a page', /from \[tblInsureePolicy\] as \[ip\] inner join \[tblInsuree\]/);
  has('the product history copy', /^insert into \[tblProduct\] \(.*\) select /);
  has('the covered-line counts', /\(select count\(\*\) from \[tblProductItems\] as c where c\.\[ProdID\] = \[t\]\.\[ProdID\]/);
});
