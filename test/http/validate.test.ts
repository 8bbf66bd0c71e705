/** $validate on every type, and validation of every write against the schema and the profile. */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);

t.test('$validate: type and instance level, resource body or Parameters; listed in /metadata', async (t) => {
  const current = await server.fhir(`Patient/${DEMO.headInsuree.uuid}`);
  const ok = await server.fhir('Patient/$validate', { method: 'POST', body: JSON.stringify(current.body) });
  t.equal(ok.status, 200);
  t.equal(ok.body.resourceType, 'OperationOutcome');
  t.notOk(ok.body.issue.some((i: any) => i.severity === 'error'), JSON.stringify(ok.body.issue));

  const broken = { ...current.body, gender: 'robot', birthDate: '12/04/1978' };
  const bad = await server.fhir('Patient/$validate', { method: 'POST', body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'resource', resource: broken }] }) });
  t.equal(bad.status, 200, '$validate answers 200 with the issues');
  const errors = bad.body.issue.filter((i: any) => i.severity === 'error');
  t.ok(errors.some((i: any) => /gender/.test(i.expression?.[0] ?? i.diagnostics)));
  t.ok(errors.some((i: any) => /birthDate/.test(i.expression?.[0] ?? i.diagnostics)));

  const instance = await server.fhir(`Patient/${DEMO.headInsuree.uuid}/$validate`, { method: 'POST', body: JSON.stringify(current.body) });
  t.equal(instance.status, 200);
  const wrongType = await server.fhir('Patient/$validate', { method: 'POST', body: JSON.stringify({ resourceType: 'Group', type: 'person', actual: true }) });
  t.equal(wrongType.status, 400);
  t.equal((await server.fhir('Patient/$nonsense', { method: 'POST', body: '{"resourceType":"Parameters"}' })).status, 404);
  t.equal((await server.fhir('Patient/$validate', { method: 'POST', token: null, body: JSON.stringify(current.body) })).status, 401);

  const metadata = await server.fhir('metadata', { token: null });
  const patient = metadata.body.rest[0].resource.find((r: any) => r.type === 'Patient');
  t.same(patient.operation, [{ name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' }]);
  const definition = await server.fhir('OperationDefinition/Resource-validate', { token: null });
  t.equal(definition.body.resourceType, 'OperationDefinition');
});

t.test('writes are validated before anything is written', async (t) => {
  const before = Number((await server.db.knex('tblInsuree').count({ n: '*' }))[0].n);
  const res = await server.fhir('Patient', { method: 'POST', body: JSON.stringify({ resourceType: 'Patient', birthDate: 'yesterday', unknownElement: 1 }) });
  t.equal(res.status, 422);
  t.ok(res.body.issue.length >= 1);
  t.equal(Number((await server.db.knex('tblInsuree').count({ n: '*' }))[0].n), before);
});
