/**
 * Organization (health facilities, tblHF, type prov) read and search over the real HTTP server and a
 * real database: extensions, address with the district Location, claim administrator contacts,
 * includes and chains along the district reference. The policy holders (type bus) served beside them
 * are tested in policy-holder.test.ts; here they only show where a search covers both.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { insurerOrganization } from '../../src/resources/organization/insurer.js';

const server = await startServer(t);
const db = server.db.knex;
const HF = DEMO.healthFacility;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const current = await db('tblHF').whereNull('ValidityTo').orderBy('HfID');
const locations = new Map((await db('tblLocations').select('*')).map((r: any) => [r.LocationId, r]));
const ext = (resource: any, name: string) => resource.extension?.find((e: any) => e.url === `${IG}/StructureDefinition/${name}`);
const codes = (bundle: any) =>
  (bundle.entry ?? []).map((e: any) => e.resource.identifier.find((i: any) => i.type.coding[0].code === 'Code').value).sort();
const hfCodes = (filter: (r: any) => boolean) => current.filter(filter).map((r: any) => r.HFCode).sort();
const policyHolderCodes = (await db('tblPolicyHolder').where('isDeleted', false).pluck('PolicyHolderCode')).sort();

t.test('the demo database has what these tests need', async (t) => {
  t.same(current.map((r: any) => r.HFCode).sort(), [...DEMO.healthFacilityCodes].sort());
  t.equal(current.find((r: any) => r.HfID === HF.id)?.HfUUID, HF.uuid);
});

t.test('read a health facility by UUID with fhir-kit-client', async (t) => {
  const row = current.find((r: any) => r.HfID === HF.id);
  const org = (await server.client().read({ resourceType: 'Organization', id: HF.uuid })) as any;
  t.equal(org.resourceType, 'Organization');
  t.equal(org.id, HF.uuid);
  t.same(org.meta.profile, [`${IG}/StructureDefinition/openimis-health-facility-organization`]);
  t.same(org.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', HF.uuid], ['Code', HF.code]]);
  t.same(org.type, [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }] }]);
  t.equal(org.name, HF.name);
  t.same(ext(org, 'organization-hf-level').valueCodeableConcept.coding, [{ system: `${IG}/CodeSystem/organization-hf-level`, code: 'H', display: 'Hospital' }]);
  t.same(ext(org, 'organization-hf-care-type').valueCodeableConcept.coding, [{ system: `${IG}/CodeSystem/organization-hf-care-type`, code: 'B', display: 'Both' }]);
  t.same(ext(org, 'organization-hf-legal-form').valueCodeableConcept.coding, [{ system: `${IG}/CodeSystem/organization-legal-form`, code: 'G', display: 'Government' }]);
  t.same(ext(org, 'organization-hf-sublevel').valueCodeableConcept.coding, [{ system: `${IG}/CodeSystem/organization-hf-sublevel`, code: 'R', display: 'Reference' }]);
  const items = await db('tblPLItems').where('PLItemID', row.PLItemID).first();
  const services = await db('tblPLServices').where('PLServiceID', row.PLServiceID).first();
  t.match(ext(org, 'organization-hf-items-price-list').valueReference, { identifier: { value: String(items.PLItemUUID).toLowerCase() }, display: items.PLItemName });
  t.match(ext(org, 'organization-hf-services-price-list').valueReference, { identifier: { value: String(services.PLServiceUUID).toLowerCase() }, display: services.PLServName });

  t.same(org.telecom, [
    { system: 'phone', value: row.Phone, use: 'work' },
    { system: 'email', value: row.eMail, use: 'work' },
  ]);
  const district = locations.get(row.LocationId);
  const region = locations.get(district.ParentLocationId);
  t.equal(org.address.length, 1);
  t.match(org.address[0], { type: 'physical', line: [row.HFAddress], district: district.LocationName, state: region.LocationName });
  const where = org.address[0].extension.find((e: any) => e.url === `${IG}/StructureDefinition/address-location-reference`);
  t.equal(where.valueReference.reference, `Location/${district.LocationUUID}`, 'the district, not the facility itself (module bug)');
  t.equal(where.valueReference.display, HF.districtCode);

  t.equal(org.contact.length, 1, 'its claim administrator');
  t.match(org.contact[0], {
    purpose: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/contactentity-type', code: 'PAYOR' }] },
    name: { family: 'Kariuki', given: ['James'], text: 'James Kariuki' },
  });
  t.notMatch(JSON.stringify(org), /[^:]\/\//, 'no doubled slashes in URLs');
});

t.test('read by HF code; unknown ids', async (t) => {
  const res = await server.fhir(`Organization/${HF.code}`);
  t.equal(res.status, 200);
  t.equal(res.body.id, HF.uuid);
  t.equal((await server.fhir('Organization/NOPE0000')).status, 404);
  t.equal((await server.fhir('Organization/00000000-0000-4000-8000-000000000000')).status, 404);
});

t.test('every current tblHF row is served, with an id and a valid mapping', async (t) => {
  const seen = new Map<string, any>();
  let url: string | undefined = 'Organization?type=prov&_count=3';
  for (let i = 0; url && i < 20; i++) {
    const page: any = (await server.fhir(url)).body;
    for (const e of page.entry ?? []) seen.set(e.resource.id, e.resource);
    url = page.link.find((l: any) => l.relation === 'next')?.url;
  }
  t.equal(seen.size, current.length);
  const admins = await db('tblClaimAdmin').whereNull('ValidityTo');
  for (const row of current) {
    const org = seen.get(String(row.HfUUID).toLowerCase());
    t.ok(org, `${row.HFCode} served`);
    if (!org) continue;
    t.equal(org.name, row.HFName);
    t.equal(ext(org, 'organization-hf-level').valueCodeableConcept.coding[0].code, row.HFLevel, `${row.HFCode} level`);
    t.equal(ext(org, 'organization-hf-care-type').valueCodeableConcept.coding[0].code, row.HFCareType);
    t.equal(ext(org, 'organization-hf-legal-form').valueCodeableConcept.coding[0].code, row.LegalForm);
    t.ok(ext(org, 'organization-hf-legal-form').valueCodeableConcept.coding[0].display, 'legal form label from the code table');
    const ref = org.address[0].extension[0].valueReference.reference;
    t.equal(ref, `Location/${String(locations.get(row.LocationId).LocationUUID).toLowerCase()}`);
    t.equal(org.contact?.length ?? 0, admins.filter((a: any) => a.HFId === row.HfID).length, `${row.HFCode} contacts`);
  }
});

t.test('history and vread serve the legacy history row (the old phone number)', async (t) => {
  const history = await server.fhir(`Organization/${HF.uuid}/_history`);
  t.equal(history.status, 200);
  t.equal(history.body.entry.length, HF.historyRows + 1);
  const [now, before] = history.body.entry.map((e: any) => e.resource);
  t.not(now.telecom[0].value, before.telecom[0].value, 'the phone changed');
  t.equal(before.id, HF.uuid);
  t.equal(before.contact?.length, 1, 'an old version still lists the facility\'s claim administrators');
  const vread = await server.fhir(`Organization/${HF.uuid}/_history/${before.meta.versionId}`);
  t.equal(vread.body.telecom[0].value, before.telecom[0].value);
  const typeHistory = await server.fhir('Organization/_history?_count=100');
  t.equal(typeHistory.status, 200, 'type history');
  const rows = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);
  t.equal(typeHistory.body.entry.length, (await rows('tblHF')) + (await rows('tblPolicyHolder')), 'every tblHF row is a version, and each policy holder');
});

t.test('search: identifier, code, name, type, active, address, hf-level, hf-care-type, _sort', async (t) => {
  t.same(codes((await server.fhir(`Organization?identifier=${HF.code}`)).body), [HF.code]);
  t.same(codes((await server.fhir(`Organization?identifier=${HF.uuid.toUpperCase()}`)).body), [HF.code]);
  t.same(codes((await server.fhir(`Organization?code=${HF.code}`)).body), [HF.code], 'openIMIS ?code=');
  t.same(codes((await server.fhir('Organization?name=amani&_count=100')).body), hfCodes((r) => /^amani/i.test(r.HFName)));
  t.same(codes((await server.fhir('Organization?name:contains=hospital&_count=100')).body), hfCodes((r) => /hospital/i.test(r.HFName)));
  const all = hfCodes(() => true);
  t.same(codes((await server.fhir('Organization?type=prov&_count=100')).body), all);
  t.same(codes((await server.fhir('Organization?type=http://terminology.hl7.org/CodeSystem/organization-type|prov&_count=100')).body), all);
  t.equal((await server.fhir('Organization?type=ins')).body.entry?.length ?? 0, 0, 'the insurer is not a tblHF row');
  t.same(codes((await server.fhir('Organization?type=bus&_count=100')).body), policyHolderCodes, 'bus: the policy holders');
  t.same(codes((await server.fhir('Organization?active=true&_count=100')).body), [...all, ...policyHolderCodes].sort());
  t.equal((await server.fhir('Organization?active=false')).body.entry?.length ?? 0, 0);
  const row = current.find((r: any) => r.HfID === HF.id);
  t.same(codes((await server.fhir(`Organization?address=${encodeURIComponent(row.HFAddress)}`)).body), [HF.code]);
  t.same(codes((await server.fhir('Organization?hf-level=H&_count=100')).body), hfCodes((r) => r.HFLevel === 'H'));
  t.same(codes((await server.fhir('Organization?hf-level=D,C&_count=100')).body), hfCodes((r) => r.HFLevel !== 'H'));
  t.same(codes((await server.fhir('Organization?hf-care-type=O&_count=100')).body), hfCodes((r) => r.HFCareType === 'O'));
  t.equal((await server.fhir('Organization?hf-level=X')).body.entry?.length ?? 0, 0, 'an unknown code matches nothing');
  const sorted = await server.fhir('Organization?_sort=name&_count=100');
  const names = sorted.body.entry.map((e: any) => e.resource.name);
  t.same(names, [...names].sort());
});

t.test('search by the district reference, _include and _revinclude, chains', async (t) => {
  const district = locations.get(current.find((r: any) => r.HfID === HF.id).LocationId);
  const inDistrict = hfCodes((r) => r.LocationId === district.LocationId);
  t.ok(inDistrict.length >= 2);
  t.same(codes((await server.fhir(`Organization?location=Location/${district.LocationUUID}`)).body), inDistrict);
  t.same(codes((await server.fhir(`Organization?location=${district.LocationCode}`)).body), inDistrict, 'by location code');
  t.same(codes((await server.fhir(`Organization?location:identifier=${district.LocationCode}`)).body), inDistrict);
  t.same(codes((await server.fhir(`Organization?location.name:exact=${encodeURIComponent(district.LocationName)}`)).body), inDistrict, 'chain on the district name');
  const inRegion = hfCodes((r) => locations.get(r.LocationId).ParentLocationId === district.ParentLocationId);
  t.same(codes((await server.fhir(`Organization?type=prov&location.partof=Location/${locations.get(district.ParentLocationId).LocationUUID}&_count=100`)).body), inRegion, 'facilities of a region');

  const included = await server.fhir(`Organization?identifier=${HF.code}&_include=Organization:location`);
  t.same(
    included.body.entry.map((e: any) => [e.resource.resourceType, e.search.mode]),
    [['Organization', 'match'], ['Location', 'include']],
  );
  t.equal(included.body.entry[1].resource.id, district.LocationUUID);
  const upward = await server.fhir(`Organization?identifier=${HF.code}&_include=Organization:location&_include:iterate=Location:partof`);
  t.equal(upward.body.entry.length, 3, 'facility, district and region');

  const rev = await server.fhir(`Location?_id=${district.LocationUUID}&_revinclude=Organization:location`);
  t.same(codes({ entry: rev.body.entry.filter((e: any) => e.resource.resourceType === 'Organization') }), inDistrict);
  const has = await server.fhir(`Location?_has:Organization:location:hf-level=H&_count=100`);
  const hospitalsDistricts = [...new Set(current.filter((r: any) => r.HFLevel === 'H').map((r: any) => locations.get(r.LocationId).LocationCode))].sort();
  t.same(codes(has.body), hospitalsDistricts, 'districts with a hospital');
});

t.test('rights: 121101 is needed to read health facilities', async (t) => {
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  const noRoles = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
  for (const token of [clerk, noRoles]) {
    t.equal((await server.fhir(`Organization/${HF.uuid}`, { token })).status, 403);
    t.equal((await server.fhir('Organization', { token })).status, 403);
  }
  t.equal((await server.fhir('Organization', { token: null })).status, 401);
});

t.test('CapabilityStatement lists Organization with its parameters', async (t) => {
  const metadata = await server.fhir('metadata', { token: null });
  const org = metadata.body.rest[0].resource.find((r: any) => r.type === 'Organization');
  t.same(org.supportedProfile, [`${IG}/StructureDefinition/openimis-health-facility-organization`, `${IG}/StructureDefinition/openimis-policy-holder-organization`]);
  for (const name of ['identifier', 'code', 'name', 'type', 'active', 'address', 'location', 'hf-level', 'hf-care-type']) {
    t.ok(org.searchParam.some((p: any) => p.name === name), name);
  }
});

t.test('the insurer Organization (type ins) as the openIMIS module builds it from configuration', async (t) => {
  const insurer = insurerOrganization({ email: 'scheme@example.org', contactName: 'Scheme Office', address: { line: '1 Main Road', state: 'Kilima' } });
  t.equal(insurer.id, 'openIMIS-Implementation');
  t.same(insurer.identifier, [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] }, value: 'openIMIS' }]);
  t.equal(insurer.type?.[0].coding?.[0].code, 'ins');
  t.equal(insurer.name, 'openIMIS Implementation');
  t.same(insurer.telecom, [{ system: 'email', value: 'scheme@example.org', use: 'work' }]);
  t.equal(insurer.contact?.[0].purpose?.coding?.[0].code, 'ADMIN');
  t.match(insurer.address, [{ line: ['1 Main Road'], state: 'Kilima' }]);
  t.notOk(insurerOrganization().telecom, 'no made-up contact data by default');
});

t.test('GET Organization/openIMIS-Implementation serves the configured insurer (search covers facilities only)', async (t) => {
  const res = await server.fhir('Organization/openIMIS-Implementation');
  t.equal(res.status, 200);
  t.equal(res.body.type[0].coding[0].code, 'ins');
  t.equal(res.body.meta.versionId, '1');
  t.equal(res.headers.get('etag'), 'W/"1"');
  const claimResponse = await server.fhir('ClaimResponse?_count=1');
  t.equal(claimResponse.body.entry[0].resource.insurer.reference, 'Organization/openIMIS-Implementation', 'the reference ClaimResponses carry resolves');
});
