/**
 * Every interaction the CapabilityStatement offers needs authentication (401 without credentials) and
 * its openIMIS right (403 for a user who holds none), on both base paths.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const metadata = await server.fhir('metadata', { token: null });
const noRights = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
const someId = '00000000-0000-4000-8000-000000000000';
/** Terminology is open to every authenticated user, as in openIMIS (diagnoses excepted, inside the catalogue). */
const OPEN_TO_EVERY_USER = new Set(['CodeSystem', 'ValueSet']);

const requests: Record<string, (type: string) => [string, string, string?]> = {
  read: (type) => ['GET', `${type}/${someId}`],
  vread: (type) => ['GET', `${type}/${someId}/_history/1`],
  'history-instance': (type) => ['GET', `${type}/${someId}/_history`],
  'history-type': (type) => ['GET', `${type}/_history`],
  'search-type': (type) => ['GET', `${type}?_count=1`],
  create: (type) => ['POST', type, JSON.stringify({ resourceType: type })],
  update: (type) => ['PUT', `${type}/${someId}`, JSON.stringify({ resourceType: type, id: someId })],
  patch: (type) => ['PATCH', `${type}/${someId}`, JSON.stringify({ resourceType: 'Parameters', parameter: [] })],
  delete: (type) => ['DELETE', `${type}/${someId}`],
};

t.test('every declared interaction: 401 without credentials, 403 without the right', async (t) => {
  let checked = 0;
  for (const resource of metadata.body.rest[0].resource) {
    for (const { code } of resource.interaction) {
      const build = requests[code];
      t.ok(build, `${resource.type} ${code} is a known interaction`);
      if (!build) continue;
      const [method, path, body] = build(resource.type);
      for (const base of [server.base, `${server.origin}/api/api_fhir`]) {
        const anonymous = await server.fhir(`${base}/${path}`, { method, body, token: null });
        t.equal(anonymous.status, 401, `${method} ${path} anonymous`);
        t.equal(anonymous.body?.resourceType, 'OperationOutcome');
        const forbidden = await server.fhir(`${base}/${path}`, { method, body, token: noRights });
        if (OPEN_TO_EVERY_USER.has(resource.type)) {
          t.not(forbidden.status, 401, `${method} ${path}: any authenticated user`);
          continue;
        }
        t.equal(forbidden.status, 403, `${method} ${path} without the right`);
        t.equal(forbidden.body?.resourceType, 'OperationOutcome');
      }
      checked++;
    }
  }
  t.ok(checked >= 9, `${checked} interactions checked`);
});
