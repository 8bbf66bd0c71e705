/**
 * Technical users (core_TechnicalUser through core_User, Django PBKDF2 hashes): login, HTTP Basic and
 * JWT (ours and openIMIS's, which uses the global key for them); rights as openIMIS grants them
 * (a superuser passes everything, any other technical user only what needs no right); no row security;
 * AuditUserID -1 on the legacy rows they write; AuditEvent names them. And an older openIMIS database
 * without those tables: technical users do not exist, everything else works.
 */
import t from 'tap';
import { createHmac } from 'node:crypto';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { makeDjangoPassword } from '../../src/auth/django-password.js';
import { UserDirectory } from '../../src/auth/users.js';

const { superuser: TECH, reader: READER } = DEMO.technicalUsers;
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function hs256(payload: object, secret: string) {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';

t.test('technical users over HTTP', async (t) => {
  const server = await startServer(t);
  const db = server.db.knex;
  const total = async (path: string, token: string) => (await server.fhir(`${path}${path.includes('?') ? '&' : '?'}_total=accurate&_count=0`, { token })).body.total;

  const login = await fetch(`${server.base}/login/`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: TECH.login, password: TECH.password }),
  });
  t.equal(login.status, 200, 'POST login/ with a technical user');
  const { token, exp } = (await login.json()) as { token: string; exp: number };
  t.ok(token && exp > now(), '{token, exp}');

  const wrong = await fetch(`${server.base}/login/`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: TECH.login, password: `${TECH.password} ` }),
  });
  t.equal(wrong.status, 401, 'a wrong password (Django does not strip whitespace) is a 401');
  t.equal(((await wrong.json()) as any).resourceType, 'OperationOutcome');

  // Superuser: every right, every row.
  t.equal(await total('Patient', token), await total('Patient', server.adminToken), 'the superuser sees every insuree (no row security)');
  const clerk = await server.login('Clerk', 'clerk123');
  t.ok((await total('Patient', clerk)) < (await total('Patient', token)), 'while a district clerk sees fewer');
  const created = await server.fhir('Location', {
    method: 'POST', token,
    body: JSON.stringify({
      resourceType: 'Location', identifier: [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] }, value: 'TECHR9' }],
      name: 'Region of the machines', status: 'active', mode: 'instance',
      physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: 'R' }] },
    }),
  });
  t.equal(created.status, 201, 'the superuser creates a region (right 121906)');
  const row = await db('tblLocations').where('LocationCode', 'TECHR9').first();
  t.equal(Number(row.AuditUserId), -1, 'legacy rows written by a technical user carry AuditUserID -1, as openIMIS writes');

  // HTTP Basic, with the PBKDF2 check remembered after the first success.
  t.equal((await server.fhir('Patient?_count=1', { token: null, headers: { authorization: basic(TECH.login, TECH.password) } })).status, 200, 'HTTP Basic');
  t.equal((await server.fhir('Patient?_count=1', { token: null, headers: { authorization: basic(TECH.login, TECH.password) } })).status, 200, 'HTTP Basic again');
  t.equal((await server.fhir('Patient?_count=1', { token: null, headers: { authorization: basic(TECH.login, 'nope') } })).status, 401, 'Basic, wrong password');

  // A token openIMIS issued a technical user: no PrivateKey, so the global SECRET_KEY signs it.
  const openimis = hs256({ username: TECH.login, exp: now() + 600, origIat: now(), nbf: now() - 5 }, server.config.secretKey);
  t.equal((await server.fhir('Patient?_count=1', { token: openimis })).status, 200, 'openIMIS token of a technical user (global key)');
  t.equal((await server.fhir('Patient?_count=1', { token: hs256({ username: TECH.login, exp: now() + 600 }, 'other') })).status, 401, 'forged');

  // Not a superuser: Django permissions never equal a RightID, so only interactions without a right pass.
  const reader = await server.login(READER.login, READER.password);
  const patients = await server.fhir('Patient?_count=1', { token: reader });
  t.equal(patients.status, 403, 'a technical user without superuser status has no openIMIS right');
  t.equal(patients.body.resourceType, 'OperationOutcome');
  t.equal((await server.fhir('CodeSystem?_count=1', { token: reader })).status, 200, 'the terminology needs no right: it is open to it');
  t.equal((await server.fhir('Location?_count=1', { token: reader })).status, 403, 'Location needs 121901: refused');

  // A password change invalidates our earlier tokens; an ended validity ends the account.
  await db('core_TechnicalUser').where('username', READER.login).update({ password: makeDjangoPassword('n3w-Passw0rd', 'othersalt', 1000) });
  server.app.users.forget(READER.login);
  t.equal((await server.fhir('CodeSystem?_count=1', { token: reader })).status, 401, 'token older than the password change refused');
  const fresh = await server.login(READER.login, 'n3w-Passw0rd');
  t.equal((await server.fhir('CodeSystem?_count=1', { token: fresh })).status, 200, 'the new password works');
  await db('core_TechnicalUser').where('username', READER.login).update({ validity_to: new Date(Date.now() - 60_000) });
  server.app.users.forget(READER.login);
  t.equal((await server.fhir('CodeSystem?_count=1', { token: fresh })).status, 401, 'an ended technical user is refused');
  await t.rejects(server.login(READER.login, 'n3w-Passw0rd'), /login of TechReader failed/, 'and cannot log in');

  // Without its core_User wrapper a technical user cannot authenticate (Django looks users up there).
  await db('core_User').where('username', TECH.login).del();
  server.app.users.forget(TECH.login);
  t.equal((await server.fhir('Patient?_count=1', { token: null, headers: { authorization: basic(TECH.login, TECH.password) } })).status, 401, 'no core_User, no login');

  // Audit: the technical user's interactions are recorded under its name.
  await server.app.flushAudit();
  const events = await server.fhir(`AuditEvent?altid=${TECH.login}&_count=100`);
  t.equal(events.status, 200);
  const subtypes = new Set(events.body.entry.map((e: any) => e.resource.subtype[0].code));
  t.ok(subtypes.has('login') && subtypes.has('search-type') && subtypes.has('create'), `AuditEvent records login, searches and writes (${[...subtypes]})`);
  t.ok(events.body.entry.every((e: any) => e.resource.agent[0].who.identifier.value === TECH.login), 'named as the agent');
});

t.test('an openIMIS database without core_TechnicalUser / core_User', async (t) => {
  const server = await startServer(t, {}, {
    beforeStart: async (db) => {
      // An older database has none of the modular tables (policy holders point at core_User).
      await db.knex.schema.dropTable('tblPolicyHolder');
      await db.knex.schema.dropTable('core_User');
      await db.knex.schema.dropTable('core_TechnicalUser');
    },
  });
  t.equal((await server.fhir('Patient?_count=1')).status, 200, 'interactive users work (the admin token of the start-up)');
  t.equal((await server.fhir('Patient?_count=1', { token: null, headers: { authorization: basic('Clerk', 'clerk123') } })).status, 200, 'Basic too');
  const res = await fetch(`${server.base}/login/`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: TECH.login, password: TECH.password }),
  });
  t.equal(res.status, 401, 'technical users do not exist there');
  t.equal((await server.fhir('Patient?_count=1', { token: null, headers: { authorization: basic('Nobody', 'x') } })).status, 401, 'unknown users are still 401');
});

t.test('technical users skip row security with a warning, as openIMIS does', async (t) => {
  const server = await startServer(t);
  const warnings: string[] = [];
  const log = { warn: (_o: object, msg: string) => void warnings.push(msg), info: () => {} };
  const users = new UserDirectory(server.db.knex, { rowSecurity: true, log });
  const tech = await users.find(READER.login);
  t.match(tech, { kind: 'technical', userId: -1, isAdmin: false, scope: { unrestricted: true } });
  t.ok(tech?.rights.size === 0, 'no rights');
  t.match(warnings, [/row security does not apply/], 'a warning is logged');
  t.ok(await users.verifyPassword(tech!, READER.password), 'the Django hash verifies');
  t.notOk(await users.verifyPassword(tech!, 'x'), 'a wrong one does not');
  t.match(await users.find(TECH.login), { isAdmin: true }, 'a superuser passes every right check');
  const quiet = new UserDirectory(server.db.knex, { rowSecurity: false, log });
  warnings.length = 0;
  await quiet.find(READER.login);
  t.same(warnings, [], 'no warning when row security is off for everyone');
});
