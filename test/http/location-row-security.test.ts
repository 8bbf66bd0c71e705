/**
 * Row security on Location and Organization (openIMIS location and health facility querysets): a
 * district-limited manager sees its district with what is below and above it, and the health
 * facilities of its district, whatever the interaction; a user with 121906 sees every location.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const L = DEMO.locations;
const { clerk, noRoles } = DEMO.users;

// The clerk (district R1D2) gets the demo Manager role: 121901 and 121101 among its rights.
await db('tblUserRole').insert({ UserID: clerk.id, RoleID: DEMO.roles.manager.id, ValidityFrom: new Date() });
// NoRoles gets location rights with 121906 ("create region"), and no district at all.
const [{ RoleID: roleId }] = await db('tblRole')
  .insert({ RoleUUID: '0c1e5a7f-6b1d-4c43-8f3e-2a9d6f1b7c02', RoleName: 'Region keeper', IsSystem: 0, IsBlocked: false, ValidityFrom: new Date() })
  .returning('RoleID');
await db('tblRoleRight').insert([121901, 121902, 121906, 121101].map((RightID) => ({ RoleID: roleId, RightID, ValidityFrom: new Date() })));
await db('tblUserRole').insert({ UserID: noRoles.id, RoleID: roleId, ValidityFrom: new Date() });

const manager = await server.login(clerk.login, clerk.password);
const regionKeeper = await server.login(noRoles.login, noRoles.password);
const current = await db('tblLocations').whereNull('ValidityTo');
const district = current.find((r: any) => r.LocationCode === 'R1D2');
const wards = current.filter((r: any) => r.ParentLocationId === district.LocationId);
const villages = current.filter((r: any) => wards.some((w: any) => w.LocationId === r.ParentLocationId));
const visible = ['R1', 'R1D2', ...wards.map((r: any) => r.LocationCode), ...villages.map((r: any) => r.LocationCode)].sort();
const facilities = (await db('tblHF').whereNull('ValidityTo').where('LocationId', district.LocationId)).map((r: any) => r.HFCode).sort();
const codes = (bundle: any) =>
  (bundle.entry ?? []).map((e: any) => e.resource.identifier.find((i: any) => i.type.coding[0].code === 'Code').value).sort();

t.test('a district-limited user sees its district, what is below and its region', async (t) => {
  t.same(codes((await server.fhir('Location?_count=1000', { token: manager })).body), visible);
  t.equal((await server.fhir('Location?_summary=count', { token: manager })).body.total, visible.length, 'counts do not leak');
  t.equal((await server.fhir(`Location/${L.district.uuid}`, { token: manager })).status, 404, 'another district');
  t.equal((await server.fhir(`Location/${L.district.code}`, { token: manager })).status, 404, 'by code');
  t.equal((await server.fhir(`Location/${L.district.uuid}/_history`, { token: manager })).status, 404, 'its history');
  t.equal((await server.fhir(`Location/${L.region.uuid}`, { token: manager })).status, 200, 'its region');
  const withHistory = await server.fhir(`Location/${L.withHistory.uuid}/_history`, { token: manager });
  t.equal(withHistory.body.entry.length, L.withHistory.historyRows + 1, 'history copies stay with their visible entity');
  const rev = await server.fhir(`Location?_id=${L.region.uuid}&_revinclude=Location:partof`, { token: manager });
  t.same(codes(rev.body), ['R1', 'R1D2'], '_revinclude shows only visible children');
  const chain = await server.fhir('Location?partof.name:exact=Amani', { token: manager });
  t.equal(chain.body.entry?.length ?? 0, 0, 'chains only through visible locations');
});

t.test('and the health facilities of its district only', async (t) => {
  t.same(codes((await server.fhir('Organization?_count=1000', { token: manager })).body), facilities);
  t.equal((await server.fhir(`Organization/${DEMO.healthFacility.uuid}`, { token: manager })).status, 404, 'a facility in R1D1');
  const inc = await server.fhir(`Location?_id=${district.LocationUUID}&_revinclude=Organization:location`, { token: manager });
  t.same(codes({ entry: inc.body.entry.filter((e: any) => e.resource.resourceType === 'Organization') }), facilities);
});

t.test('a user who may create regions (121906) sees every location, but no facility outside its districts', async (t) => {
  t.equal((await server.fhir('Location?_summary=count', { token: regionKeeper })).body.total, current.length);
  t.equal((await server.fhir(`Location/${L.district.uuid}`, { token: regionKeeper })).status, 200);
  t.equal((await server.fhir('Organization?_summary=count', { token: regionKeeper })).body.total, 0);
  const created = await server.fhir('Location', {
    method: 'POST',
    token: regionKeeper,
    body: JSON.stringify({
      resourceType: 'Location',
      identifier: [{ type: { coding: [{ code: 'Code' }] }, value: 'R3' }],
      name: 'New Region',
      physicalType: { coding: [{ code: 'R' }] },
    }),
  });
  t.equal(created.status, 201, 'and creates a region');
  t.equal((await db('tblLocations').where('LocationUUID', created.body.id).first()).LocationType, 'R');
});
