/**
 * Location read and search over the real HTTP server and a real database: the region → district →
 * ward → village tree of tblLocations, its partOf references, includes and chains.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const L = DEMO.locations;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const TYPE_SYSTEM = `${IG}/CodeSystem/location-type`;
const current = await db('tblLocations').whereNull('ValidityTo').orderBy('LocationId');
const byId = new Map(current.map((r: any) => [r.LocationId, r]));
const ids = (bundle: any) => (bundle.entry ?? []).map((e: any) => e.resource.id);
const codes = (bundle: any) =>
  (bundle.entry ?? []).map((e: any) => e.resource.identifier.find((i: any) => i.type.coding[0].code === 'Code').value).sort();
const childrenOf = (id: number) => current.filter((r: any) => r.ParentLocationId === id);

t.test('the demo database has what these tests need', async (t) => {
  t.equal(current.length, L.current);
  t.equal(byId.get(L.district.id)?.LocationUUID, L.district.uuid);
  t.equal(byId.get(L.withHistory.id)?.LocationName, L.withHistory.name);
  t.ok(childrenOf(L.district.id).length >= 2, 'the district has wards');
});

t.test('read a district by UUID with fhir-kit-client', async (t) => {
  const location = (await server.client().read({ resourceType: 'Location', id: L.district.uuid })) as any;
  t.equal(location.resourceType, 'Location');
  t.equal(location.id, L.district.uuid);
  t.same(
    location.identifier.map((i: any) => [i.type.coding[0].system, i.type.coding[0].code, i.value]),
    [
      [`${IG}/CodeSystem/openimis-identifiers`, 'UUID', L.district.uuid],
      [`${IG}/CodeSystem/openimis-identifiers`, 'Code', L.district.code],
    ],
  );
  t.equal(location.name, L.district.name);
  t.equal(location.status, 'active');
  t.equal(location.mode, 'instance');
  t.same(location.physicalType, { coding: [{ system: TYPE_SYSTEM, code: 'D', display: 'District' }] });
  t.match(location.partOf, {
    reference: `Location/${L.region.uuid}`,
    type: 'Location',
    identifier: { type: { coding: [{ code: 'UUID' }] }, value: L.region.uuid },
    display: L.region.code,
  });
  t.same(location.meta.profile, [`${IG}/StructureDefinition/openimis-location`]);
  t.match(location.meta, { versionId: /^\d+$/, lastUpdated: /^\d{4}-\d\d-\d\dT/ });
  t.notMatch(JSON.stringify(location), /[^:]\/\//, 'no doubled slashes in URLs');
});

t.test('read by business code (LocationCode); a region has no partOf', async (t) => {
  const village = await server.fhir(`Location/${L.village.code}`);
  t.equal(village.status, 200);
  t.equal(village.body.id, L.village.uuid);
  t.equal(village.body.physicalType.coding[0].code, 'V');
  t.equal(village.body.partOf.reference, `Location/${L.ward.uuid}`);
  const region = await server.fhir(`Location/${L.region.code}`);
  t.equal(region.body.id, L.region.uuid);
  t.equal(region.body.physicalType.coding[0].code, 'R');
  t.notOk(region.body.partOf, 'top level');
  const etag = region.headers.get('etag')!;
  t.equal((await server.fhir(`Location/${L.region.uuid}`, { headers: { 'if-none-match': etag } })).status, 304);
  t.equal((await server.fhir('Location/NOPE')).status, 404);
  t.equal((await server.fhir('Location/00000000-0000-4000-8000-000000000000')).status, 404);
});

t.test('every current tblLocations row is served, with an id and a valid mapping', async (t) => {
  const seen = new Map<string, any>();
  let url: string | undefined = 'Location?_count=7';
  for (let i = 0; url && i < 20; i++) {
    const page: any = (await server.fhir(url)).body;
    for (const e of page.entry ?? []) seen.set(e.resource.id, e.resource);
    url = page.link.find((l: any) => l.relation === 'next')?.url;
  }
  t.equal(seen.size, current.length, 'all current rows, once each');
  for (const row of current) {
    const r = seen.get(String(row.LocationUUID).toLowerCase());
    t.ok(r, `${row.LocationCode} served`);
    if (!r) continue;
    t.match(r.id, /^[0-9a-f-]{36}$/);
    t.equal(r.name, row.LocationName);
    t.equal(r.physicalType.coding[0].code, row.LocationType, `${row.LocationCode} type`);
    if (row.ParentLocationId) {
      t.equal(r.partOf.reference, `Location/${String(byId.get(row.ParentLocationId).LocationUUID).toLowerCase()}`);
    } else {
      t.notOk(r.partOf);
    }
  }
});

t.test('history and vread serve the legacy history row of a renamed district', async (t) => {
  const h = L.withHistory;
  const history = await server.fhir(`Location/${h.uuid}/_history`);
  t.equal(history.status, 200);
  t.equal(history.body.entry.length, h.historyRows + 1);
  t.same(history.body.entry.map((e: any) => e.resource.name), [h.name, h.oldName]);
  t.ok(history.body.entry.every((e: any) => e.resource.id === h.uuid));
  const old = history.body.entry[1].resource;
  const vread = await server.fhir(`Location/${h.uuid}/_history/${old.meta.versionId}`);
  t.equal(vread.status, 200);
  t.equal(vread.body.name, h.oldName);
  t.equal(vread.body.partOf.reference, `Location/${L.region.uuid}`, 'an old version keeps its parent');
  const typeHistory = await server.fhir('Location/_history?_count=100');
  t.equal(typeHistory.status, 200, 'type history');
  t.equal(typeHistory.body.entry.length, L.rows, 'every tblLocations row is a version');
});

t.test('search: identifier, name, physical-type, status, _id, _sort', async (t) => {
  t.same(ids((await server.fhir(`Location?identifier=${L.ward.code}`)).body), [L.ward.uuid]);
  t.same(ids((await server.fhir(`Location?identifier=${L.ward.uuid.toUpperCase()}`)).body), [L.ward.uuid], 'UUID in any case');
  t.same(ids((await server.fhir(`Location?_id=${L.ward.uuid}`)).body), [L.ward.uuid]);

  const amani = await server.fhir('Location?name=amani&_count=100');
  t.same(codes(amani.body), ['R1D1', 'R1D1M1', 'R1D1M2'], 'name: case-insensitive prefix');
  t.same(codes((await server.fhir('Location?name:exact=Amani')).body), ['R1D1']);
  t.same(codes((await server.fhir('Location?name:contains=jini&_count=100')).body), ['R1D1M1', 'R1D1M2']);

  const districts = await server.fhir('Location?physical-type=D&_count=100');
  t.same(codes(districts.body), [...L.districtCodes].sort());
  const regions = await server.fhir(`Location?physicalType=${encodeURIComponent(`${TYPE_SYSTEM}|R`)}&_count=100`);
  t.same(codes(regions.body), [...L.regionCodes].sort(), 'openIMIS parameter name, with the system');
  const villagesAndWards = await server.fhir('Location?physical-type=V,W&_count=100&_total=accurate');
  t.equal(villagesAndWards.body.total, current.filter((r: any) => r.LocationType === 'V' || r.LocationType === 'W').length);
  const sites = await server.fhir('Location?physicalType=si');
  t.equal(sites.status, 200);
  t.equal(sites.body.entry?.length ?? 0, 0, 'health facility sites are Organizations, not Locations');
  t.equal((await server.fhir('Location?physical-type=http://other.system|D')).body.entry?.length ?? 0, 0, 'another system matches nothing');

  const active = await server.fhir('Location?status=active&_count=0');
  t.equal(active.body.total, current.length);
  t.equal((await server.fhir('Location?status=inactive&_count=0')).body.total, 0);

  const sorted = await server.fhir('Location?physical-type=R,D&_sort=-name&_count=100');
  const names = sorted.body.entry.map((e: any) => e.resource.name);
  t.same(names, [...names].sort().reverse(), '_sort=-name');
});

t.test('search: partof as reference, by UUID and by code', async (t) => {
  const wards = childrenOf(L.district.id).map((r: any) => r.LocationCode).sort();
  t.same(codes((await server.fhir(`Location?partof=Location/${L.district.uuid}`)).body), wards);
  t.same(codes((await server.fhir(`Location?partof=${L.district.uuid}`)).body), wards, 'bare id');
  t.same(codes((await server.fhir(`Location?partof=${L.district.code}`)).body), wards, 'business code');
  t.same(codes((await server.fhir(`Location?partof:missing=true&_count=100`)).body), [...L.regionCodes].sort(), ':missing');
});

t.test('search: partof:below and partof:above walk the hierarchy', async (t) => {
  const below = (id: number): any[] => childrenOf(id).flatMap((child: any) => [child, ...below(child.LocationId)]);
  const underRegion = below(L.region.id).map((r: any) => r.LocationCode).sort();
  t.ok(underRegion.some((code: string) => code === L.village.code), 'the region reaches its villages');
  t.same(codes((await server.fhir(`Location?partof:below=${L.region.code}&_count=100`)).body), underRegion, 'everything under the region');
  t.same(codes((await server.fhir(`Location?partof:below=Location/${L.district.uuid}&_count=100`)).body), below(L.district.id).map((r: any) => r.LocationCode).sort());
  t.same(codes((await server.fhir(`Location?partof:below=${L.village.code}`)).body), [], 'nothing under a village');
  t.equal((await server.fhir(`Location?partof:below=${L.region.code}&_count=0`)).body.total, underRegion.length, 'counted');
  t.same(codes((await server.fhir(`Location?partof:above=${L.village.code}`)).body), [L.region.code, L.district.code, L.ward.code].sort(), 'every level above the village');
  t.same(codes((await server.fhir(`Location?partof:above=${L.region.code}`)).body), [], 'nothing above a region');
  const wards = codes((await server.fhir(`Location?partof:below=${L.region.code}&physical-type=W&_count=100`)).body);
  t.same(wards, below(L.region.id).filter((r: any) => r.LocationType === 'W').map((r: any) => r.LocationCode).sort(), 'with another parameter');
});

t.test('physical-type:text matches the display of the level', async (t) => {
  const villages = current.filter((r: any) => r.LocationType === 'V').map((r: any) => r.LocationCode).sort();
  t.same(codes((await server.fhir('Location?physical-type:text=vill&_count=100')).body), villages, '"vill" finds City/Village');
  t.same(codes((await server.fhir('Location?physical-type:text=REGION&_count=100')).body), [...L.regionCodes].sort());
  t.same(codes((await server.fhir('Location?physical-type:text=nowhere')).body), []);
});

t.test('_include and _revinclude along partof', async (t) => {
  const withParent = await server.fhir(`Location?identifier=${L.village.code}&_include=Location:partof`);
  t.same(
    withParent.body.entry.map((e: any) => [e.resource.id, e.search.mode]),
    [[L.village.uuid, 'match'], [L.ward.uuid, 'include']],
  );
  const chain = await server.fhir(`Location?identifier=${L.village.code}&_include:iterate=Location:partof`);
  t.same(ids(chain.body).sort(), [L.village.uuid, L.ward.uuid, L.district.uuid, L.region.uuid].sort(), ':iterate climbs to the region');

  const rev = await server.fhir(`Location?_id=${L.district.uuid}&_revinclude=Location:partof`);
  const included = rev.body.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource);
  t.same(included.map((r: any) => r.identifier[1].value).sort(), childrenOf(L.district.id).map((r: any) => r.LocationCode).sort());
  t.ok(included.every((r: any) => r.partOf.reference === `Location/${L.district.uuid}`));

  const facilities = await server.fhir(`Location?_id=${L.district.uuid}&_revinclude=Organization:location`);
  const hfCodes = (await db('tblHF').whereNull('ValidityTo').where('LocationId', L.district.id)).map((r: any) => r.HFCode).sort();
  const orgs = facilities.body.entry.filter((e: any) => e.resource.resourceType === 'Organization');
  t.same(orgs.map((e: any) => e.resource.identifier[1].value).sort(), hfCodes, 'health facilities of the district');
});

t.test('chaining and _has', async (t) => {
  t.same(
    codes((await server.fhir('Location?partof.name:exact=Amani')).body),
    childrenOf(L.district.id).map((r: any) => r.LocationCode).sort(),
    'partof.name',
  );
  const districtsOfR1 = current.filter((r: any) => r.ParentLocationId === L.region.id).map((r: any) => r.LocationCode).sort();
  t.same(codes((await server.fhir(`Location?partof.identifier=${L.region.code}&_count=100`)).body), districtsOfR1);
  t.same(codes((await server.fhir(`Location?partof:identifier=${L.region.code}&_count=100`)).body), districtsOfR1, ':identifier');
  t.same(codes((await server.fhir('Location?partof.physical-type=R&_count=100')).body), [...L.districtCodes].sort());
  t.same(codes((await server.fhir(`Location?_has:Location:partof:identifier=${L.village.code}`)).body), [L.ward.code], '_has');
  t.same(codes((await server.fhir(`Location?_has:Organization:location:identifier=${DEMO.healthFacility.code}`)).body), [DEMO.healthFacility.districtCode]);
});

t.test('rights: 121901 is needed to read locations', async (t) => {
  const noRoles = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  for (const [who, token] of [['NoRoles', noRoles], ['Clerk', clerk]]) {
    const read = await server.fhir(`Location/${L.district.uuid}`, { token });
    t.equal(read.status, 403, `${who} read`);
    t.equal(read.body.resourceType, 'OperationOutcome');
    t.equal((await server.fhir('Location?name=A', { token })).status, 403, `${who} search`);
  }
  t.equal((await server.fhir('Location', { token: null })).status, 401);
});

t.test('CapabilityStatement lists Location with its parameters', async (t) => {
  const metadata = await server.fhir('metadata', { token: null });
  const location = metadata.body.rest[0].resource.find((r: any) => r.type === 'Location');
  t.ok(location);
  t.same(location.supportedProfile, [`${IG}/StructureDefinition/openimis-location`]);
  for (const code of ['read', 'vread', 'search-type', 'create', 'update', 'history-instance']) {
    t.ok(location.interaction.some((i: any) => i.code === code), code);
  }
  for (const name of ['identifier', 'name', 'physical-type', 'physicalType', 'partof', 'status']) {
    t.ok(location.searchParam.some((p: any) => p.name === name), name);
  }
});
