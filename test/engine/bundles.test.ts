/** batch and transaction Bundles on resources that know nothing of openIMIS. */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { createFakeTables, fakeChild, fakeParent } from './fake-resources.js';

const server = await startServer(t, {}, { extraResources: [fakeParent, fakeChild], beforeStart: (db) => createFakeTables(db.knex) });
const count = async (table: string) => Number((await server.db.knex(table).count({ n: '*' }))[0].n);
const post = (bundle: object) => server.fhir(`${server.base}/`, { method: 'POST', body: JSON.stringify(bundle) });

t.test('a transaction resolves urn:uuid references, whatever the entry order', async (t) => {
  const res = await post({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { request: { method: 'GET', url: 'HealthcareService?identifier=T1' } },
      { fullUrl: 'urn:uuid:c0000000-0000-4000-8000-000000000002', resource: { resourceType: 'Person', name: [{ family: 'Kid' }], extension: [{ url: 'urn:parent', valueReference: { reference: 'urn:uuid:c0000000-0000-4000-8000-000000000001' } }] }, request: { method: 'POST', url: 'Person' } },
      { fullUrl: 'urn:uuid:c0000000-0000-4000-8000-000000000001', resource: { resourceType: 'HealthcareService', name: 'Tx parent', identifier: [{ value: 'T1' }] }, request: { method: 'POST', url: 'HealthcareService' } },
    ],
  });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.equal(res.body.type, 'transaction-response');
  t.same(res.body.entry.map((e: any) => e.response.status), ['200 OK', '201 Created', '201 Created']);
  t.equal(res.body.entry[0].resource.entry.length, 1, 'GET runs after the POSTs and sees them');
  const parentId = res.body.entry[2].resource.id;
  t.equal(res.body.entry[1].resource.extension[0].valueReference.reference, `HealthcareService/${parentId}`, 'the urn was replaced by the new id');
  t.match(res.body.entry[1].response.location, /\/Person\/[0-9a-f-]{36}\/_history\/\d+$/);
});

t.test('a transaction is all or nothing: a failure in the last entry rolls back the rest', async (t) => {
  const parents = await count('test_parent');
  const children = await count('test_child');
  const res = await post({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:d0000000-0000-4000-8000-000000000001', resource: { resourceType: 'HealthcareService', name: 'Doomed', identifier: [{ value: 'T2' }] }, request: { method: 'POST', url: 'HealthcareService' } },
      { resource: { resourceType: 'Person', name: [{ family: 'Doomed kid' }], extension: [{ url: 'urn:parent', valueReference: { reference: 'urn:uuid:d0000000-0000-4000-8000-000000000001' } }] }, request: { method: 'POST', url: 'Person' } },
      { resource: { resourceType: 'HealthcareService', name: 'x' }, request: { method: 'PUT', url: 'HealthcareService/00000000-0000-4000-8000-000000000000' } },
    ],
  });
  t.equal(res.status, 404);
  t.equal(res.body.resourceType, 'OperationOutcome');
  t.match(res.body.issue[0].diagnostics, /Bundle\.entry\[2\]/);
  t.equal(await count('test_parent'), parents, 'no parent left behind');
  t.equal(await count('test_child'), children, 'no child left behind');
});

t.test('a batch runs each entry on its own', async (t) => {
  const res = await post({
    resourceType: 'Bundle',
    type: 'batch',
    entry: [
      { resource: { resourceType: 'HealthcareService', name: 'Batch one', identifier: [{ value: 'B1' }] }, request: { method: 'POST', url: 'HealthcareService' } },
      { request: { method: 'GET', url: 'HealthcareService/00000000-0000-4000-8000-000000000000' } },
      { request: { method: 'GET', url: `${server.base}/HealthcareService?identifier=B1` } },
      { request: { method: 'DELETE', url: 'Nothing/1' } },
    ],
  });
  t.equal(res.status, 200);
  t.equal(res.body.type, 'batch-response');
  t.same(res.body.entry.map((e: any) => e.response.status.split(' ')[0]), ['201', '404', '200', '404']);
  t.equal(res.body.entry[1].response.outcome.resourceType, 'OperationOutcome');
  t.equal(res.body.entry[2].resource.entry.length, 1, 'absolute URLs work');
});

t.test('malformed Bundles are refused', async (t) => {
  t.equal((await post({ resourceType: 'Bundle', type: 'collection' })).status, 400);
  t.equal((await post({ resourceType: 'Patient' })).status, 400);
  t.equal((await post({ resourceType: 'Bundle', type: 'batch', entry: [{ resource: {} }] })).status, 400);
  const circular = await post({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:e0000000-0000-4000-8000-000000000001', resource: { resourceType: 'Person', extension: [{ url: 'urn:parent', valueReference: { reference: 'urn:uuid:e0000000-0000-4000-8000-000000000002' } }] }, request: { method: 'POST', url: 'Person' } },
      { fullUrl: 'urn:uuid:e0000000-0000-4000-8000-000000000002', resource: { resourceType: 'Person', extension: [{ url: 'urn:parent', valueReference: { reference: 'urn:uuid:e0000000-0000-4000-8000-000000000001' } }] }, request: { method: 'POST', url: 'Person' } },
    ],
  });
  t.equal(circular.status, 400);
  const anonymous = await server.fhir(`${server.base}/`, { method: 'POST', token: null, body: JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [] }) });
  t.equal(anonymous.status, 401);
});
