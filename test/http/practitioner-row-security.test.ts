/**
 * Row security on claim administrators (Practitioner, PractitionerRole): a district-limited user sees
 * those of the facilities in his districts, and those not tied to a facility; he cannot place one at a
 * facility elsewhere. The demo has no restricted user with the claim-administrator rights, so this
 * test gives them to the Clerk role (district R1D2) before the server starts.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t, {}, {
  beforeStart: async (db) => {
    const max = Number((await db.knex('tblRoleRight').max({ m: 'RoleRightID' }))[0].m);
    await db.knex('tblRoleRight').insert(
      [121601, 121602, 121603, 121604].map((right, i) => ({
        RoleRightID: max + 1 + i,
        RoleID: DEMO.roles.clerk.id,
        RightID: right,
        ValidityFrom: new Date('2020-01-01T00:00:00Z'),
        AuditUserId: 1,
      })),
    );
  },
});
const db = server.db.knex;
const lower = (v: unknown) => String(v).toLowerCase();
const token = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
const inR1D2 = (
  await db('tblClaimAdmin as c')
    .join('tblHF as hf', 'hf.HfID', 'c.HFId')
    .join('tblLocations as d', 'd.LocationId', 'hf.LocationId')
    .whereNull('c.ValidityTo')
    .where('d.LocationCode', 'R1D2')
    .pluck('c.ClaimAdminUUID')
).map(lower).sort();
const ids = async (path: string) => ((await server.fhir(path, { token })).body.entry ?? []).map((e: any) => e.resource.id).sort();

t.test('the clerk of R1D2 sees the claim administrators of R1D2 facilities only', async (t) => {
  t.same(inR1D2.length, 2, 'BADS001 and BAHOS001');
  t.same(await ids('Practitioner?_count=100'), inR1D2);
  t.same(await ids('PractitionerRole?_count=100'), inR1D2);
  t.equal((await server.fhir('Practitioner?_summary=count', { token })).body.total, inR1D2.length, 'counts do not leak');
  t.equal((await server.fhir(`Practitioner/${DEMO.claimAdmin.uuid}`, { token })).status, 404, 'AHOS0011 (R1D1) is not his');
  t.equal((await server.fhir(`PractitionerRole/${DEMO.claimAdmin.code}`, { token })).status, 404);
  t.same(await ids(`PractitionerRole?organization=${DEMO.healthFacility.code}`), [], 'nor through a search');
  // He holds the claim-administrator rights only: the enrolment officers (tblOfficer, 121501) stay out.
  t.equal((await server.fhir('Practitioner/E00002', { token })).status, 403, 'the officer of R1D2: no 121501');
  t.same(await ids('PractitionerRole?location=R1D2'), [], 'nor found by a search of the officers');
});

t.test('writes stay within his districts', async (t) => {
  const practitioner = (facility: string) => ({
    resourceType: 'Practitioner',
    identifier: [{ type: { coding: [{ code: 'Code' }] }, value: 'RCA00001' }],
    name: [{ family: 'Kimaro', given: ['Zawadi'] }],
    extension: [{ url: 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/reference', valueReference: { reference: `Organization/${facility}` } }],
  });
  const elsewhere = await server.fhir('Practitioner', { method: 'POST', token, body: JSON.stringify(practitioner(DEMO.healthFacility.code)) });
  t.equal(elsewhere.status, 403, 'not at a facility of R1D1');
  const here = await server.fhir('Practitioner', { method: 'POST', token, body: JSON.stringify(practitioner('BADS001')) });
  t.equal(here.status, 201, JSON.stringify(here.body));
  const role = (await server.fhir(`PractitionerRole/${here.body.id}`, { token })).body;
  const move = await server.fhir(`PractitionerRole/${here.body.id}`, { method: 'PUT', token, body: JSON.stringify({ ...role, organization: { reference: `Organization/${DEMO.healthFacility.code}` } }) });
  t.equal(move.status, 403, 'no move to a facility elsewhere');
  t.equal((await db('tblClaimAdmin').where('ClaimAdminUUID', here.body.id).first()).HFId, (await db('tblHF').where('HFCode', 'BADS001').whereNull('ValidityTo').first()).HfID);
  const del = await server.fhir(`Practitioner/${DEMO.claimAdmin.uuid}`, { method: 'DELETE', token });
  t.ok([403, 404].includes(del.status), `no delete of what he cannot see (${del.status})`);
});
