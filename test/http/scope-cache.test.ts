/**
 * Row scopes are cached with the user; writes through this server that change what a scope covers
 * drop the affected cached users when they commit, so the change is visible at once: a location a
 * restricted user creates, a location created under it by someone else, a claim administrator
 * moved to another facility, a location created in a transaction Bundle. With REDIS_URL, two
 * instances over one database: a write on one is visible on the other as soon as the message arrives.
 */
import t from 'tap';
import { Redis } from 'ioredis';
import { startServer, type TestServer } from '../helpers/app.js';
import { buildApp } from '../../src/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const CLERK = DEMO.users.clerk;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function location(code: string, type: string, parent: string): any {
  return {
    resourceType: 'Location',
    identifier: [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] }, value: code }],
    name: `Place ${code}`,
    status: 'active',
    mode: 'instance',
    physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
    partOf: { reference: `Location/${parent}` },
  };
}

/** The clerk's role may find and add locations here (the demo clerk may not). */
const clerkManagesLocations = {
  beforeStart: async (db: { knex: import('knex').Knex }) => {
    const role = await db.knex('tblRole').where('RoleName', 'Clerk').first();
    await db.knex('tblRoleRight').insert([121901, 121902].map((RightID) => ({ RoleID: role.RoleID, RightID, ValidityFrom: new Date(), AuditUserId: 1 })));
  },
};

const post = (server: TestServer, body: unknown, token: string) => server.fhir('Location', { method: 'POST', body: JSON.stringify(body), token });

t.test('one instance: scope changes are visible at once', async (t) => {
  const server = await startServer(t, {}, clerkManagesLocations);
  const users = server.app.users;
  const clerk = await server.login(CLERK.login, CLERK.password);
  const officer = await server.login(DEMO.users.enrolmentOfficer.login, DEMO.users.enrolmentOfficer.password);
  const count = async (token: string) => (await server.fhir('Location?_total=accurate&_count=0', { token })).body.total;
  const before = await count(clerk);
  await count(officer);
  t.ok(users.isCached(CLERK.login) && users.isCached('E00001'), 'both users and their scopes are cached');

  const ward = await post(server, location('R1D2W9', 'W', 'R1D2'), clerk);
  t.equal(ward.status, 201, 'the clerk creates a ward in his district');
  t.equal((await server.fhir(`Location/${ward.body.id}`, { token: clerk })).status, 200, 'and reads it at once (not 30 s later)');
  t.equal(await count(clerk), before + 1, 'his searches count it at once');
  t.ok(users.isCached('E00001'), 'the officer of another district keeps his cached scope');

  const village = await post(server, location('R1D2W9V1', 'V', ward.body.id), server.adminToken);
  t.equal(village.status, 201, 'the administrator creates a village under that ward');
  t.notOk(users.isCached(CLERK.login), 'the clerk, whose district holds the ward, is dropped from the cache');
  t.ok(users.isCached('E00001'), 'the officer is not');
  t.equal((await server.fhir(`Location/${village.body.id}`, { token: clerk })).status, 200, 'the clerk sees the village at once');

  const bundle = await server.fhir('', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Bundle', type: 'transaction',
      entry: [{ fullUrl: 'urn:uuid:5f1c6a44-6f39-4a43-9d3e-1f1a3b2c4d5e', resource: location('R1D2W9V2', 'V', ward.body.id), request: { method: 'POST', url: 'Location' } }],
    }),
  });
  t.equal(bundle.status, 200, 'a transaction Bundle creates another village');
  const created = /Location\/([^/]+)\/_history/.exec(bundle.body.entry[0].response.location)![1];
  t.notOk(users.isCached(CLERK.login), 'the clerk is dropped once the transaction commits');
  t.equal((await server.fhir(`Location/${created}`, { token: clerk })).status, 200, 'visible at once after the transaction commits');

  const failed = await server.fhir('', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { resource: location('R1D2W9V3', 'V', ward.body.id), request: { method: 'POST', url: 'Location' } },
        { resource: location('R1D2W9V4', 'V', 'NOSUCHPLACE'), request: { method: 'POST', url: 'Location' } },
      ],
    }),
  });
  t.ok(failed.status >= 400 && failed.status < 500, 'a failing transaction is a 4xx');
  t.ok(users.isCached(CLERK.login), 'and, rolled back, drops nobody');

  // A claim administrator moved to another facility sees that facility's claims at once.
  const ca = await server.login(DEMO.users.claimAdmin.login, DEMO.users.claimAdmin.password);
  const claimCodes = async () => (await server.fhir('Claim?_count=100', { token: ca })).body.entry?.map((e: any) => e.resource.identifier.find((i: any) => i.type.coding[0].code === 'Code').value).sort();
  t.same(await claimCodes(), ['AM000001', 'AM000002', 'AM000003', 'AM000004'], 'AHOS0011 sees the claims of AMHOS001');
  const role = (await server.fhir(`PractitionerRole/${DEMO.claimAdmin.uuid}`)).body;
  const moved = await server.fhir(`PractitionerRole/${DEMO.claimAdmin.uuid}`, {
    method: 'PUT', body: JSON.stringify({ ...role, organization: { reference: 'Organization/AMHC001' } }),
  });
  t.equal(moved.status, 200, 'the administrator moves him to AMHC001');
  t.same(await claimCodes(), ['AC000001'], 'he sees the claims of AMHC001 at once');
});

const redisUp = await new Promise<boolean>((resolve) => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.connect().then(() => probe.quit().then(() => resolve(true)), () => resolve(false));
});

t.test('two instances sharing Redis: a write on one is visible on the other', { skip: !redisUp && 'Redis is not reachable' }, async (t) => {
  const a = await startServer(t, { REDIS_URL }, clerkManagesLocations);
  const b = await buildApp({ config: a.config, db: a.db.knex, ownsDb: false, logger: false });
  await b.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => b.close());
  const address = b.server.address();
  const baseB = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/api_fhir_r4`;
  const clerk = await a.login(CLERK.login, CLERK.password);
  const readOnB = async (id: string) => (await a.fhir(`${baseB}/Location/${id}`, { token: clerk })).status;

  t.equal((await a.fhir(`${baseB}/Location?_count=1`, { token: clerk })).status, 200, 'the clerk works on instance B');
  t.ok(b.users.isCached(CLERK.login), 'B caches his scope');
  const received = b.scopeChanges.received;
  const ward = await post(a, location('R1D2W8', 'W', 'R1D2'), clerk);
  t.equal(ward.status, 201, 'he creates a ward through instance A');

  const started = Date.now();
  while (b.scopeChanges.received === received && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
  t.ok(b.scopeChanges.received > received, `B received the change through Redis (${Date.now() - started} ms)`);
  t.notOk(b.users.isCached(CLERK.login), 'and dropped the clerk');
  t.equal(await readOnB(ward.body.id), 200, 'the ward is visible on B at once, not 30 s later');
});
