/**
 * Location create, update and delete write tblLocations the legacy way (history copy, in-place
 * update, soft delete) in one transaction; bad input is a 4xx OperationOutcome and writes nothing.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const L = DEMO.locations;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);

function location(code: string, name: string, type: string, partOf?: any): any {
  return {
    resourceType: 'Location',
    identifier: [{ type: idType('Code'), value: code }],
    name,
    status: 'active',
    mode: 'instance',
    physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
    ...(partOf ? { partOf } : {}),
  };
}
const post = (body: unknown, token?: string) => server.fhir('Location', { method: 'POST', body: JSON.stringify(body), token });
const put = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  server.fhir(`Location/${id}`, { method: 'PUT', body: JSON.stringify(body), headers });

t.test('create a ward under a district: 201, partOf written (the openIMIS module ignored it)', async (t) => {
  const res = await post(location('R1D1M9', 'Amani Mpya', 'W', { reference: `Location/${L.district.uuid}` }));
  t.equal(res.status, 201, JSON.stringify(res.body));
  t.match(res.body.id, /^[0-9a-f-]{36}$/);
  t.equal(res.headers.get('location'), `${server.base}/Location/${res.body.id}/_history/${res.body.meta.versionId}`);
  const row = await db('tblLocations').where('LocationUUID', res.body.id).first();
  t.match(row, { LocationCode: 'R1D1M9', LocationName: 'Amani Mpya', LocationType: 'W', ParentLocationId: L.district.id, LegacyID: null, ValidityTo: null });
  t.equal(row.AuditUserId, DEMO.users.admin.id, 'audited as Admin');
  const read = await server.fhir('Location/R1D1M9');
  t.equal(read.body.id, res.body.id);
  t.equal(read.body.partOf.reference, `Location/${L.district.uuid}`);
  t.equal(read.body.physicalType.coding[0].code, 'W');
});

t.test('create a village, partOf by code the way openIMIS clients send it', async (t) => {
  const res = await post(
    location('R1D1M9V1', 'Kijiji', 'V', { reference: 'Location/R1D1M9', type: 'Location', identifier: { type: idType('Code'), value: 'R1D1M9' } }),
  );
  t.equal(res.status, 201, JSON.stringify(res.body));
  const ward = await db('tblLocations').where('LocationCode', 'R1D1M9').whereNull('ValidityTo').first();
  const row = await db('tblLocations').where('LocationUUID', res.body.id).first();
  t.equal(row.ParentLocationId, ward.LocationId);
  const byIdentifier = await post(location('R1D1M9V2', 'Kijiji Kipya', 'V', { type: 'Location', identifier: { type: idType('UUID'), value: ward.LocationUUID } }));
  t.equal(byIdentifier.status, 201, 'type + identifier reference');
});

t.test('update: history copy + in-place update, two versions, vread of the old one', async (t) => {
  const created = await post(location('R1D1M8', 'Old Name', 'W', { reference: `Location/${L.district.uuid}` }));
  const id = created.body.id;
  const before = await db('tblLocations').where('LocationUUID', id).first();
  const res = await put(id, { ...created.body, name: 'New Name' }, { 'if-match': created.headers.get('etag')! });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.equal(res.body.name, 'New Name');
  t.not(res.body.meta.versionId, created.body.meta.versionId);

  const current = await db('tblLocations').where('LocationUUID', id).first();
  t.equal(current.LocationId, before.LocationId, 'the current row keeps its key');
  t.equal(current.LocationName, 'New Name');
  const copies = await db('tblLocations').where('LegacyID', before.LocationId);
  t.equal(copies.length, 1, 'one legacy history row');
  t.match(copies[0], { LocationName: 'Old Name', LocationCode: 'R1D1M8', LocationType: 'W', ParentLocationId: L.district.id });
  t.not(copies[0].LocationUUID, id, 'with a UUID of its own');
  t.equal(new Date(copies[0].ValidityTo).getTime(), new Date(current.ValidityFrom).getTime());

  const history = await server.fhir(`Location/${id}/_history`);
  t.equal(history.body.entry.length, 2, 'two versions');
  t.same(history.body.entry.map((e: any) => e.resource.name), ['New Name', 'Old Name']);
  const old = await server.fhir(`Location/${id}/_history/${created.body.meta.versionId}`);
  t.equal(old.body.name, 'Old Name');

  const stale = await put(id, { ...created.body, name: 'Stale' }, { 'if-match': created.headers.get('etag')! });
  t.equal(stale.status, 412);
  t.equal((await db('tblLocations').where('LegacyID', before.LocationId)).length, 1, 'a refused update writes nothing');

  const byCode = await put('R1D1M8', { ...res.body, name: 'By Code' });
  t.equal(byCode.status, 200, 'update addressed by business code');

  const patched = await server.fhir(`Location/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([{ op: 'replace', path: '/name', value: 'Patched' }]),
  });
  t.equal(patched.status, 200, `JSON Patch goes through the same update: ${JSON.stringify(patched.body)}`);
  t.equal(patched.body.name, 'Patched');
  t.equal(patched.body.partOf.reference, `Location/${L.district.uuid}`, 'the rest kept');
  t.equal((await db('tblLocations').where('LegacyID', before.LocationId)).length, 3, 'one history row per change');
});

t.test('update: move to another parent; the level cannot change', async (t) => {
  const created = await post(location('R1D1M7', 'Mover', 'W', { reference: `Location/${L.district.uuid}` }));
  const other = await db('tblLocations').where('LocationCode', 'R1D2').first();
  const moved = await put(created.body.id, { ...created.body, partOf: { reference: `Location/${other.LocationUUID}` } });
  t.equal(moved.status, 200, JSON.stringify(moved.body));
  t.equal(moved.body.partOf.reference, `Location/${other.LocationUUID}`);
  t.equal((await db('tblLocations').where('LocationUUID', created.body.id).first()).ParentLocationId, other.LocationId);

  const retype = await put(created.body.id, { ...moved.body, physicalType: { coding: [{ code: 'V' }] }, partOf: { reference: `Location/${L.ward.uuid}` } });
  t.equal(retype.status, 422);
  t.equal(retype.body.issue[0].expression[0], 'Location.physicalType');
});

t.test('delete: soft delete with a history row, then 410; refused with 409 while anything hangs below', async (t) => {
  const created = await post(location('R2D2M9', 'Short Lived', 'W', { reference: 'Location/R2D2' }));
  t.equal(created.status, 201);
  const id = created.body.id;
  const row = await db('tblLocations').where('LocationUUID', id).first();
  const res = await server.fhir(`Location/${id}`, { method: 'DELETE' });
  t.equal(res.status, 204);
  const closed = await db('tblLocations').where('LocationId', row.LocationId).first();
  t.ok(closed.ValidityTo, 'closed');
  t.equal(new Date(closed.ValidityTo).getTime(), new Date(closed.ValidityFrom).getTime(), 'ValidityFrom = ValidityTo');
  t.equal((await db('tblLocations').where('LegacyID', row.LocationId)).length, 1, 'history copy');
  const read = await server.fhir(`Location/${id}`);
  t.equal(read.status, 410);
  t.equal(read.body.issue[0].code, 'deleted');
  t.equal((await server.fhir('Location/R2D2M9')).status, 404, 'the code no longer names a current location');
  t.equal((await server.fhir(`Location?identifier=R2D2M9`)).body.entry?.length ?? 0, 0);
  t.equal((await server.fhir(`Location/${id}`, { method: 'DELETE' })).status, 204, 'deleting again is idempotent');
  t.equal((await post(location('R2D2M9', 'Reborn', 'W', { reference: 'Location/R2D2' }))).status, 201, 'the code can be reused');

  const rows = await count('tblLocations');
  for (const [what, target] of [
    ['district with wards and health facilities', L.district.uuid],
    ['region with districts', L.region.uuid],
    ['village with families', L.village.uuid],
  ]) {
    const refused = await server.fhir(`Location/${target}`, { method: 'DELETE' });
    t.equal(refused.status, 409, what);
    t.equal(refused.body.resourceType, 'OperationOutcome');
  }
  const district = await server.fhir(`Location/${L.district.uuid}`, { method: 'DELETE' });
  t.match(district.body.issue[0].diagnostics, /sub-locations.*health facilities/);
  t.equal(await count('tblLocations'), rows, 'nothing written');
  t.equal((await server.fhir(`Location/${L.district.uuid}`)).status, 200, 'still there');
});

t.test('deleting a district closes the users\' assignments to it', async (t) => {
  const created = await post(location('R9D9', 'Empty District', 'D', { reference: `Location/${L.region.uuid}` }));
  const row = await db('tblLocations').where('LocationUUID', created.body.id).first();
  await db('tblUsersDistricts').insert({ UserID: DEMO.users.clerk.id, LocationId: row.LocationId, ValidityFrom: new Date(), AuditUserID: 1 });
  t.equal((await server.fhir(`Location/${created.body.id}`, { method: 'DELETE' })).status, 204);
  const assignment = await db('tblUsersDistricts').where('LocationId', row.LocationId).first();
  t.ok(assignment.ValidityTo, 'closed');
});

t.test('bad input is a 4xx OperationOutcome naming the element, and writes nothing', async (t) => {
  const rows = await count('tblLocations');
  const ward = (extra: any = {}) => ({ ...location('R1D1M6', 'Ward', 'W', { reference: `Location/${L.district.uuid}` }), ...extra });
  const cases: [string, any, number, string?][] = [
    ['not a Location', { ...ward(), resourceType: 'Patient' }, 400],
    ['missing code, name and type', { resourceType: 'Location' }, 422, 'Location.name'],
    ['unknown physicalType', ward({ physicalType: { coding: [{ code: 'X' }] } }), 422, 'Location.physicalType'],
    ['site physicalType', ward({ physicalType: { coding: [{ code: 'si' }] } }), 422, 'Location.physicalType'],
    ['code too long', ward({ identifier: [{ type: idType('Code'), value: 'R1D1M1234' }] }), 422, 'Location.identifier[Code]'],
    ['name too long', ward({ name: 'x'.repeat(51) }), 422, 'Location.name'],
    ['inactive status', ward({ status: 'inactive' }), 422, 'Location.status'],
    ['ward without partOf', location('R1D1M6', 'Ward', 'W'), 422, 'Location.partOf'],
    ['ward under a region', ward({ partOf: { reference: `Location/${L.region.uuid}` } }), 422, 'Location.partOf'],
    ['unknown parent', ward({ partOf: { reference: 'Location/00000000-0000-4000-8000-000000000000' } }), 422, 'Location.partOf'],
    ['parent of another type', ward({ partOf: { reference: `Patient/${DEMO.headInsuree.uuid}` } }), 422, 'Location.partOf'],
    ['region under a region', location('R9', 'Region', 'R', { reference: `Location/${L.region.uuid}` }), 422, 'Location.partOf'],
    ['duplicate code', location(L.ward.code, 'Twin', 'W', { reference: `Location/${L.district.uuid}` }), 409],
  ];
  for (const [name, body, status, expression] of cases) {
    const res = await post(body);
    t.equal(res.status, status, `${name}: ${res.status} ${JSON.stringify(res.body?.issue?.[0]?.diagnostics)}`);
    t.equal(res.body?.resourceType, 'OperationOutcome', `${name}: OperationOutcome`);
    // The profile check (before the mapper) and the mapper name elements alike, with or without the slice.
    if (expression) t.ok(res.body.issue.some((i: any) => (i.expression?.[0] ?? '').replace(/\[[^\]]*\]/g, '') === expression.replace(/\[[^\]]*\]/g, '')), `${name}: names ${expression}`);
  }
  const missing = await post({ resourceType: 'Location' });
  const named = missing.body.issue.map((i: any) => i.expression[0]);
  for (const element of ['Location.identifier', 'Location.name', 'Location.physicalType']) {
    t.ok(named.some((e: string) => e.startsWith(element)) || missing.body.issue.some((i: any) => i.diagnostics.includes('code')), `every problem at once: ${element}`);
  }
  const unknown = await post(ward({ physicalType: { coding: [{ code: 'X' }] } }));
  t.match(unknown.body.issue[0].diagnostics, /X.*R, D, W, V/, 'the unknown code and the expected ones');
  t.equal(await count('tblLocations'), rows, 'nothing written');
  const mismatch = await put(L.ward.uuid, { ...location(L.ward.code, 'x', 'W', { reference: `Location/${L.district.uuid}` }), id: L.village.uuid });
  t.equal(mismatch.status, 400, 'body id must match the URL');
});

t.test('rights: add/edit/delete need 121902/121903/121904; regions and districts 121906; moving 121905', async (t) => {
  // A role with the location rights but not "create region" (121906) nor "move" (121905).
  const [{ RoleID: roleId }] = await db('tblRole')
    .insert({ RoleUUID: '7b3c8e2a-0d7e-4a53-9d0a-5c0f7f3e9a01', RoleName: 'Location clerk', IsSystem: 0, IsBlocked: false, ValidityFrom: new Date() })
    .returning('RoleID');
  await db('tblRoleRight').insert([121901, 121902, 121903, 121904].map((RightID) => ({ RoleID: roleId, RightID, ValidityFrom: new Date() })));
  await db('tblUserRole').insert({ UserID: DEMO.users.noRoles.id, RoleID: roleId, ValidityFrom: new Date() });
  await db('tblUsersDistricts').insert({ UserID: DEMO.users.noRoles.id, LocationId: L.district.id, ValidityFrom: new Date(), AuditUserID: 1 });
  // The user's row scope is computed at login (and cached): what it edits must exist by then.
  const existing = await post(location('R1D1M4', 'Before login', 'W', { reference: `Location/${L.district.uuid}` }));
  const token = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);

  t.equal((await post(location('R1D1M5', 'By Clerk', 'W', { reference: `Location/${L.district.uuid}` }), clerk)).status, 403, 'Clerk has no 121902');
  const elsewhere = await post(location('R2D1M9', 'Outside', 'W', { reference: 'Location/R2D1' }), token);
  t.equal(elsewhere.status, 403, 'not under a district outside the user\'s');
  t.match(elsewhere.body.issue[0].diagnostics, /outside the locations you may change/);
  const ward = await post(location('R1D1M5', 'By Location clerk', 'W', { reference: `Location/${L.district.uuid}` }), token);
  t.equal(ward.status, 201, 'a ward with 121902');
  const district = await post(location('R1D9', 'Not allowed', 'D', { reference: `Location/${L.region.uuid}` }), token);
  t.equal(district.status, 403, 'a district needs 121906');
  t.match(district.body.issue[0].diagnostics, /121906/);
  const move = await server.fhir(`Location/${existing.body.id}`, {
    method: 'PUT',
    token,
    body: JSON.stringify({ ...existing.body, partOf: { reference: 'Location/R1D2' } }),
  });
  t.equal(move.status, 403, 'moving needs 121905');
  t.match(move.body.issue[0].diagnostics, /121905/);
  const rename = await server.fhir(`Location/${existing.body.id}`, { method: 'PUT', token, body: JSON.stringify({ ...existing.body, name: 'Renamed' }) });
  t.equal(rename.status, 200, 'renaming needs 121903 only');
  t.equal((await server.fhir(`Location/${existing.body.id}`, { method: 'DELETE', token: clerk })).status, 403, 'Clerk has no 121904');
  t.equal((await server.fhir(`Location/${existing.body.id}`, { method: 'DELETE', token })).status, 204);
  t.equal((await server.fhir(`Location/${L.withHistory.uuid}`, { method: 'DELETE', token })).status, 404, 'a district outside the user\'s is not there for it');
});
