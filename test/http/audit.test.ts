/** Every interaction and login leaves an AuditEvent that administrators can search. */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);

t.test('reads, searches, writes and logins are recorded and searchable by administrators', async (t) => {
  const patient = DEMO.headInsuree;
  await server.fhir(`Patient/${patient.uuid}`);
  await server.fhir(`Patient?identifier=${patient.chfid}`);
  await server.fhir('Patient/00000000-0000-4000-8000-000000000000');
  await fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Clerk', password: 'wrong' }) });
  await server.app.flushAudit();

  const reads = await server.fhir(`AuditEvent?subtype=read&entity-id=${patient.uuid}`);
  t.equal(reads.status, 200);
  t.equal(reads.body.entry.length, 1);
  const event = reads.body.entry[0].resource;
  t.equal(event.action, 'R');
  t.equal(event.outcome, '0');
  t.equal(event.agent[0].who.identifier.value, 'Admin');
  t.equal(event.entity[0].what.reference, `Patient/${patient.uuid}`);
  t.ok(event.agent[0].network.address);
  t.ok(Date.parse(event.recorded));

  const failures = await server.fhir('AuditEvent?outcome=4&_count=100');
  t.ok(failures.body.entry.some((e: any) => e.resource.subtype[0].code === 'read'), 'the 404 is recorded as a failure');
  const logins = await server.fhir('AuditEvent?subtype=login&altid=Clerk');
  t.equal(logins.body.entry.length, 1, 'a failed login, with the name tried');
  t.equal(logins.body.entry[0].resource.outcome, '4');
  t.equal((await server.fhir('AuditEvent?subtype=search-type')).body.entry.length >= 1, true);

  const clerk = await server.login('Clerk', 'clerk123');
  t.equal((await server.fhir('AuditEvent', { token: clerk })).status, 403, 'not for non-administrators');
  t.equal((await server.fhir('AuditEvent', { method: 'POST', body: '{"resourceType":"AuditEvent"}' })).status, 405, 'read-only');
});

t.test('events keep any text they are given, exactly, and their time', async (t) => {
  const before = Date.now();
  const odd = `O'Brien "quoted" \\back\\slash\\ {braces,comma} ñ 中文 NULL`;
  const path = `Patient?name=${encodeURIComponent(odd)}`;
  t.equal((await server.fhir(path)).status, 200);
  await fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: odd, password: 'x' }) });
  await server.app.flushAudit();
  const rows = await server.db.knex('fhir_audit_event').whereIn('Subtype', ['search-type', 'login']).where('ValidityFrom', '>=', new Date(before - 1000));
  t.ok(rows.some((r) => decodeURIComponent(r.Path).endsWith(`Patient?name=${odd}`)), 'the path, byte for byte');
  const login = rows.find((r) => r.Subtype === 'login' && r.Username?.startsWith("O'Brien"));
  t.equal(login?.Username, odd.slice(0, 50), 'the user name tried, quotes, braces and all');
  t.ok(Math.abs(new Date(login!.ValidityFrom).getTime() - Date.now()) < 60_000, 'the time it happened');
  t.match(login?.AuditEventUUID, /^[0-9a-f]{8}-[0-9a-f]{4}-7/, 'a time-ordered (version 7) UUID');
});

t.test('text the database cannot hold as given does not cost the batch its other events', async (t) => {
  const before = Date.now();
  // PostgreSQL text holds no U+0000, and UTF-8 no lone surrogate: both arrive as U+FFFD.
  const username = 'nul\u0000 tab\t line\n surrogate\ud800 end';
  await fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'x' }) });
  t.equal((await server.fhir(`Patient/${DEMO.headInsuree.uuid}`)).status, 200);
  await server.app.flushAudit();
  const rows = await server.db.knex('fhir_audit_event').where('ValidityFrom', '>=', new Date(before - 1000));
  t.ok(
    rows.some((r) => r.Subtype === 'login' && r.Username === 'nul\uFFFD tab\t line\n surrogate\uFFFD end'),
    'the login, with U+FFFD for what PostgreSQL cannot store',
  );
  t.ok(rows.some((r) => r.Subtype === 'read' && r.ResourceId === DEMO.headInsuree.uuid), 'the read of the same batch');
});

t.test('each interaction is recorded with its subtype and action, however often its route is used', async (t) => {
  const patient = DEMO.headInsuree;
  const before = Date.now();
  const json = { 'content-type': 'application/fhir+json' };
  const requests: [string, string, string, string, string?][] = [
    ['GET', 'metadata', 'capabilities', 'R'],
    ['GET', `Patient/${patient.uuid}`, 'read', 'R'],
    ['PUT', `Patient/${patient.uuid}`, 'update', 'U', '{}'],
    ['PATCH', `Patient/${patient.uuid}`, 'patch', 'U', '[]'],
    ['DELETE', `Patient/${patient.uuid}`, 'delete', 'D'],
    ['GET', `Patient/${patient.uuid}/_history`, 'history-instance', 'R'],
    ['GET', `Patient/${patient.uuid}/_history/1`, 'vread', 'R'],
    ['GET', 'Patient/_history', 'history-type', 'R'],
    ['GET', `Patient?identifier=${patient.chfid}`, 'search-type', 'R'],
    ['POST', 'Patient/_search', 'search-type', 'R', ''],
    ['POST', 'Patient', 'create', 'C', '{}'],
    ['POST', 'Patient/$validate', 'operation', 'E', '{"resourceType":"Patient"}'],
    ['GET', `CodeSystem/$lookup?system=x&code=y`, 'operation', 'E'],
    ['GET', `Patient?name=${encodeURIComponent('/$x')}`, 'search-type', 'R'],
    ['POST', '', 'batch', 'E', '{"resourceType":"Bundle","type":"batch","entry":[]}'],
  ];
  // Twice: the second time, the subtypes of the routes are known.
  for (let round = 0; round < 2; round++) {
    for (const [i, [method, path, , , body]] of requests.entries()) {
      const res = await fetch(`${server.base}/${path}`, { method, headers: { ...json, authorization: `Bearer ${server.adminToken}`, 'x-request-id': `subtype-${round}-${i}` }, body });
      await res.arrayBuffer();
    }
  }
  await server.app.flushAudit();
  const rows = await server.db.knex('fhir_audit_event').where('ValidityFrom', '>=', new Date(before - 1000)).where('RequestId', 'like', 'subtype-%');
  for (let round = 0; round < 2; round++) {
    for (const [i, [method, path, subtype, action]] of requests.entries()) {
      const row = rows.find((r) => r.RequestId === `subtype-${round}-${i}`);
      t.same(row && [row.Subtype, row.Action], [subtype, action], `${method} ${path || '(base)'}, round ${round + 1}`);
    }
  }
});
