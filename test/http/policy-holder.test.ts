/**
 * Policy holders (tblPolicyHolder, the modular policyholder module) as Organization type bus, the
 * second source of Organization beside the health facilities, over the real HTTP server: the
 * mapping, read by UUID and code, searches of one kind and across both, paging and sorting over the
 * two tables (UUID keys beside integer keys), history from the in-place version counter, rights per
 * kind, row security by location, read-only writes, the code systems.
 * The Clerk role (district R1D2) is given the policy-holder read right 150101 only, before the server starts.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t, {}, {
  beforeStart: async (db) => {
    const max = Number((await db.knex('tblRoleRight').max({ m: 'RoleRightID' }))[0].m);
    await db.knex('tblRoleRight').insert({ RoleRightID: max + 1, RoleID: DEMO.roles.clerk.id, RightID: 150101, ValidityFrom: new Date('2020-01-01T00:00:00Z'), AuditUserId: 1 });
  },
});
const db = server.db.knex;
const PH = DEMO.policyHolders;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const ext = (resource: any, name: string) => resource.extension?.find((e: any) => e.url === `${IG}/StructureDefinition/${name}`);
const codeOf = (resource: any) => resource.identifier.find((i: any) => i.type.coding[0].code === 'Code').value;
const codes = (bundle: any) => (bundle.entry ?? []).map((e: any) => codeOf(e.resource)).sort();
const location = async (code: string) => db('tblLocations').where('LocationCode', code).whereNull('ValidityTo').first();
const currentHolders = (await db('tblPolicyHolder').where('isDeleted', false).orderBy('PolicyHolderCode')) as any[];
const currentFacilities = (await db('tblHF').whereNull('ValidityTo')) as any[];
const hfCodes = currentFacilities.map((r) => r.HFCode);
const phCodes = currentHolders.map((r) => r.PolicyHolderCode);

t.test('the demo database has what these tests need', async (t) => {
  t.same(phCodes, [PH.coffee.code, PH.builders.code, PH.shipping.code, PH.noLocation.code]);
  t.equal(currentHolders.length, PH.current);
  const coffee = currentHolders.find((r) => r.PolicyHolderCode === PH.coffee.code);
  t.equal(coffee.UUID, PH.coffee.uuid);
  t.equal(coffee.version, PH.coffee.version);
});

t.test('read by UUID: the openIMIS module\u2019s mapping (identifiers, type bus, telecom, address walk, contact, extensions)', async (t) => {
  const res = await server.fhir(`Organization/${PH.coffee.uuid}`);
  t.equal(res.status, 200);
  const org = res.body;
  const row = currentHolders.find((r) => r.PolicyHolderCode === PH.coffee.code);
  const village = await location(PH.coffee.locationCode);
  t.same(org.meta.profile, [`${IG}/StructureDefinition/openimis-policy-holder-organization`]);
  t.equal(org.id, PH.coffee.uuid);
  t.same(org.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', PH.coffee.uuid], ['Code', PH.coffee.code]]);
  t.same(org.type, [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'bus', display: 'Non-Healthcare Business or Corporation' }] }]);
  t.equal(org.name, PH.coffee.name);
  t.same(org.telecom.map((c: any) => [c.system, c.value]), [['phone', row.Phone], ['fax', row.Fax], ['email', row.Email]]);
  t.same(ext(org, 'organization-ph-legal-form').valueCodeableConcept.coding, [{ system: `${IG}/CodeSystem/organization-ph-legal-form`, code: '2', display: 'Limited Risk Company' }]);
  t.same(ext(org, 'organization-ph-activity').valueCodeableConcept.coding, [{ system: `${IG}/CodeSystem/organization-ph-activity`, code: '1', display: 'Retail' }]);
  const [address] = org.address;
  t.same(address.line, [row.Address.address ?? JSON.parse(row.Address).address], 'line from the Address JSON');
  t.match(address, { type: 'physical', city: 'Mwanzo', district: 'Amani', state: 'Kilima' });
  t.equal(ext(address, 'address-municipality').valueString, 'Amani Mjini', 'the ward as municipality');
  t.equal(ext(address, 'address-location-reference').valueReference.reference, `Location/${String(village.LocationUUID).toLowerCase()}`);
  t.same(org.contact, [{ name: { use: 'usual', family: 'Njeri', given: ['Grace'], text: 'Grace Njeri' } }]);
  t.equal(org.meta.versionId, String(new Date(row.DateUpdated).getTime()), 'the version is the last change (DateUpdated)');
});

t.test('read by code, a deleted one, unknown ids; a holder at a district has no city', async (t) => {
  const byCode = await server.fhir(`Organization/${PH.builders.code}`);
  t.equal(byCode.status, 200);
  t.equal(byCode.body.id, PH.builders.uuid);
  t.match(byCode.body.address[0], { district: 'Baraka', state: 'Kilima' });
  t.notOk(byCode.body.address[0].city);
  t.equal((await server.fhir(`Organization/${PH.deleted.uuid}`)).status, 410, 'isDeleted: gone');
  t.equal((await server.fhir(`Organization/${PH.deleted.code}`)).status, 404, 'a deleted holder\u2019s code names nothing current');
  t.equal((await server.fhir('Organization/00000000-0000-4000-8000-000000000000')).status, 404);
  t.equal((await server.fhir('Organization/NOPE01')).status, 404);
  const noLocation = await server.fhir(`Organization/${PH.noLocation.uuid}`);
  t.same(noLocation.body.address, [{ use: 'work', type: 'physical', line: [noLocation.body.address[0].line[0]] }]);
  t.notOk(noLocation.body.contact, 'no contact name, no contact');
});

t.test('search: type, identifier, name across both kinds, parameters of one kind, location, _lastUpdated', async (t) => {
  const current = [...phCodes].sort();
  t.same(codes((await server.fhir('Organization?type=bus&_count=100')).body), current);
  t.same(codes((await server.fhir('Organization?type=http://terminology.hl7.org/CodeSystem/organization-type|bus&_count=100')).body), current);
  t.same(codes((await server.fhir('Organization?type=prov&_count=100')).body), [...hfCodes].sort(), 'prov: the facilities only');
  t.same(codes((await server.fhir('Organization?type=bus,prov&_count=100')).body), [...hfCodes, ...phCodes].sort());
  t.same(codes((await server.fhir(`Organization?identifier=${PH.builders.code}`)).body), [PH.builders.code]);
  t.same(codes((await server.fhir(`Organization?identifier=${PH.shipping.uuid.toUpperCase()}`)).body), [PH.shipping.code]);
  t.same(codes((await server.fhir(`Organization?_id=${PH.shipping.uuid}`)).body), [PH.shipping.code]);
  const baraka = [...currentFacilities.filter((r) => /^baraka/i.test(r.HFName)).map((r) => r.HFCode), PH.builders.code].sort();
  t.ok(baraka.length >= 3);
  t.same(codes((await server.fhir('Organization?name=baraka&_count=100')).body), baraka, 'facilities and a policy holder by name');
  t.same(codes((await server.fhir('Organization?hf-level=H&type=bus')).body), [], 'a facility parameter matches no policy holder');
  t.same(codes((await server.fhir(`Organization?name=${encodeURIComponent(PH.coffee.name)}&hf-level:missing=true`)).body), [PH.coffee.code]);
  const village = await location(PH.coffee.locationCode);
  t.same(codes((await server.fhir(`Organization?location=Location/${village.LocationUUID}`)).body), [PH.coffee.code]);
  const district = await location('R1D2');
  const inDistrict = [...currentFacilities.filter((r) => r.LocationId === district.LocationId).map((r) => r.HFCode), PH.builders.code].sort();
  t.same(codes((await server.fhir(`Organization?location=R1D2&_count=100`)).body), inDistrict, 'facilities and policy holders of a district');
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  t.same(codes((await server.fhir(`Organization?type=bus&_lastUpdated=gt${monthAgo}`)).body), [PH.coffee.code], 'changed lately');
  const included = await server.fhir(`Organization?identifier=${PH.coffee.code}&_include=Organization:location`);
  t.same(included.body.entry.map((e: any) => [e.resource.resourceType, e.search.mode]), [['Organization', 'match'], ['Location', 'include']]);
  const rev = await server.fhir(`Location?_id=${village.LocationUUID}&_revinclude=Organization:location`);
  t.same(rev.body.entry.filter((e: any) => e.resource.resourceType === 'Organization').map((e: any) => codeOf(e.resource)), [PH.coffee.code]);
  const total = await server.fhir('Organization?_total=accurate&_count=1');
  t.equal(total.body.total, hfCodes.length + phCodes.length, '_total adds both tables');
});

t.test('paging and _sort over both tables: integer keys and UUID keys, every resource once', async (t) => {
  for (const sort of ['', '&_sort=name', '&_sort=-_lastUpdated', '&_sort=_id', '&_sort=identifier']) {
    const seen: any[] = [];
    let url: string | undefined = `Organization?_count=2${sort}`;
    for (let i = 0; url && i < 30; i++) {
      const page: any = (await server.fhir(url)).body;
      seen.push(...(page.entry ?? []).map((e: any) => e.resource));
      url = page.link.find((l: any) => l.relation === 'next')?.url;
    }
    t.same(seen.map(codeOf).sort(), [...hfCodes, ...phCodes].sort(), `every resource once (${sort || 'no _sort'})`);
    if (sort === '&_sort=name') t.same(seen.map((r) => r.name), seen.map((r) => r.name).sort((a, b) => a.localeCompare(b)), 'by name');
    if (sort === '&_sort=_id') t.same(seen.map((r) => r.id), seen.map((r) => r.id).sort(), 'by id, UUIDs of both tables as text');
  }
  // A forged cursor whose key has the other table's kind: a 400, never a database fault.
  const forged = (key: unknown[]) => Buffer.from(JSON.stringify(['n', ...key])).toString('base64url');
  for (const key of [[0, 'not-a-number'], [1, 5], [1, 'not-a-uuid'], [7, 1]]) {
    const res = await server.fhir(`Organization?_count=2&_cursor=${forged(key)}`);
    t.ok(res.status === 200 || res.status === 400, `cursor ${JSON.stringify(key)}: ${res.status}`);
    t.equal(res.body.resourceType, res.status === 200 ? 'Bundle' : 'OperationOutcome');
  }
  const back = await server.fhir('Organization?_count=3&_sort=name');
  const next: any = (await server.fhir(back.body.link.find((l: any) => l.relation === 'next').url)).body;
  const previous: any = (await server.fhir(next.link.find((l: any) => l.relation === 'previous').url)).body;
  t.same(previous.entry.map((e: any) => e.resource.id), back.body.entry.map((e: any) => e.resource.id), 'previous goes back');
});

t.test('history: the latest version only, its method from the version counter; type and system history', async (t) => {
  const changed = await server.fhir(`Organization/${PH.coffee.uuid}/_history`);
  t.equal(changed.status, 200);
  t.equal(changed.body.entry.length, 1, 'older versions are in the module\u2019s own history table, not read');
  t.equal(changed.body.entry[0].request.method, 'PUT', 'version 2: a change');
  const versionId = changed.body.entry[0].resource.meta.versionId;
  t.equal((await server.fhir(`Organization/${PH.coffee.uuid}/_history/${versionId}`)).status, 200, 'vread');
  t.equal((await server.fhir(`Organization/${PH.coffee.uuid}/_history/1`)).status, 404, 'no such version');
  t.equal((await server.fhir(`Organization/${PH.builders.uuid}/_history`)).body.entry[0].request.method, 'POST', 'version 1: created');
  const deleted = await server.fhir(`Organization/${PH.deleted.uuid}/_history`);
  t.equal(deleted.body.entry[0].request.method, 'DELETE');
  const typeHistory = await server.fhir('Organization/_history?_count=500');
  const holders = typeHistory.body.entry.filter((e: any) => e.resource?.type?.[0]?.coding?.[0]?.code === 'bus' || e.request.url.includes(PH.deleted.uuid));
  t.equal(holders.length, PH.current + 1, 'every policy holder row, the deleted one too');

  const seen = new Set<string>();
  let url: string | undefined = '_history?_type=Organization&_count=3';
  for (let i = 0; url && i < 30; i++) {
    const page: any = (await server.fhir(url)).body;
    for (const e of page.entry ?? []) {
      const key = `${e.resource?.id ?? e.request.url}@${e.response?.lastModified}`;
      t.notOk(seen.has(key), `${key} once`);
      seen.add(key);
    }
    url = page.link.find((l: any) => l.relation === 'next')?.url;
  }
  t.equal(seen.size, typeHistory.body.entry.length, 'system history pages over both tables');
});

t.test('rights per kind and row security: a clerk of R1D2 with 150101 only', async (t) => {
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  const noRoles = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
  t.equal((await server.fhir(`Organization/${PH.builders.uuid}`, { token: noRoles })).status, 403, 'no right');
  t.equal((await server.fhir('Organization?type=bus', { token: noRoles })).status, 403);
  t.equal((await server.fhir(`Organization/${PH.builders.uuid}`, { token: clerk })).status, 200, 'in his district');
  t.equal((await server.fhir(`Organization/${PH.builders.code}`, { token: clerk })).status, 200);
  t.equal((await server.fhir(`Organization/${PH.coffee.uuid}`, { token: clerk })).status, 404, 'a village of R1D1: outside his locations');
  t.equal((await server.fhir(`Organization/${PH.noLocation.uuid}`, { token: clerk })).status, 404, 'no location: unrestricted users only');
  const barakaHospital = currentFacilities.find((r) => r.HFCode === 'BAHOS001');
  t.equal((await server.fhir(`Organization/${barakaHospital.HfUUID}`, { token: clerk })).status, 403, 'a facility of his district: no 121101');
  t.same(codes((await server.fhir('Organization?_count=100', { token: clerk })).body), [PH.builders.code], 'the search leaves the facilities out');
  t.same(codes((await server.fhir('Organization?name=baraka', { token: clerk })).body), [PH.builders.code]);
  const history = await server.fhir('Organization/_history', { token: clerk });
  t.same(history.body.entry.map((e: any) => e.resource.id), [PH.builders.uuid], 'type history under the same rights and rows');
});

t.test('read-only: writes of a policy holder are 405 and change nothing', async (t) => {
  const body = { resourceType: 'Organization', type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'bus' }] }], name: 'New Traders' };
  const before = Number((await db('tblPolicyHolder').count({ n: '*' }))[0].n);
  const created = await server.fhir('Organization', { method: 'POST', body: JSON.stringify(body) });
  t.equal(created.status, 405);
  t.equal(created.body.resourceType, 'OperationOutcome');
  t.match(created.body.issue[0].diagnostics, /policy-holder/);
  const read = (await server.fhir(`Organization/${PH.shipping.uuid}`)).body;
  const updated = await server.fhir(`Organization/${PH.shipping.uuid}`, { method: 'PUT', body: JSON.stringify({ ...read, name: 'Renamed' }) });
  t.equal(updated.status, 405);
  t.equal((await server.fhir(`Organization/${PH.shipping.uuid}`, { method: 'DELETE' })).status, 405);
  const patched = await server.fhir(`Organization/${PH.shipping.uuid}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([{ op: 'replace', path: '/name', value: 'Renamed' }]),
  });
  t.equal(patched.status, 405);
  t.equal((await server.fhir(`Organization?identifier=${PH.shipping.code}`, { method: 'DELETE' })).status, 405, 'conditional delete');
  t.equal(Number((await db('tblPolicyHolder').count({ n: '*' }))[0].n), before);
  t.equal((await server.fhir(`Organization/${PH.shipping.uuid}`)).body.name, PH.shipping.name, 'unchanged');
});

t.test('a code naming a facility and a policy holder is a 409; the UUIDs still read', async (t) => {
  const hf = await db('tblHF').where('HfID', DEMO.healthFacility.id).first();
  const id = Number((await db('tblHF').max({ m: 'HfID' }))[0].m) + 1;
  const uuid = '7f1b6a52-3c1e-4c55-9d0a-5b2e8e1f0a01';
  await db('tblHF').insert({ ...hf, HfID: id, HfUUID: uuid, HFCode: PH.shipping.code, HFName: 'Shipping Clinic' });
  t.equal((await server.fhir(`Organization/${PH.shipping.code}`)).status, 409);
  t.equal((await server.fhir(`Organization/${PH.shipping.uuid}`)).status, 200);
  t.equal((await server.fhir(`Organization/${uuid}`)).body.name, 'Shipping Clinic');
  t.same(codes((await server.fhir(`Organization?identifier=${PH.shipping.code}`)).body), [PH.shipping.code, PH.shipping.code], 'a search lists both');
});

t.test('CapabilityStatement and the IG code systems', async (t) => {
  const metadata = await server.fhir('metadata', { token: null });
  const org = metadata.body.rest[0].resource.find((r: any) => r.type === 'Organization');
  t.ok(org.supportedProfile.includes(`${IG}/StructureDefinition/openimis-policy-holder-organization`));
  for (const [id, display] of [['organization-ph-legal-form', 'Union'], ['organization-ph-activity', 'Sailing']]) {
    const cs = await server.fhir(`CodeSystem/${id}`);
    t.equal(cs.status, 200, id);
    t.equal(cs.body.concept.length, 5);
    t.ok(cs.body.concept.some((c: any) => c.display === display));
  }
  const validated = await server.fhir('Organization/$validate', { method: 'POST', body: JSON.stringify((await server.fhir(`Organization/${PH.coffee.uuid}`)).body) });
  t.equal(validated.status, 200, JSON.stringify(validated.body.issue?.filter((i: any) => i.severity === 'error')));
});

t.test('an openIMIS database without tblPolicyHolder: Organization is the health facilities alone', async (t) => {
  const older = await startServer(t, {}, { beforeStart: async (db) => void (await db.knex.schema.dropTable('tblPolicyHolder')) });
  t.equal((await older.fhir(`Organization/${PH.coffee.uuid}`)).status, 404);
  const all = await older.fhir('Organization?_count=100');
  t.equal(all.status, 200);
  t.same(codes(all.body), [...hfCodes].sort());
  t.same(codes((await older.fhir('Organization?type=bus')).body), []);
  const metadata = await older.fhir('metadata', { token: null });
  const org = metadata.body.rest[0].resource.find((r: any) => r.type === 'Organization');
  t.notOk(JSON.stringify(org).includes('openimis-policy-holder-organization'), 'no policy-holder profile offered');
});
