/**
 * Practitioner and PractitionerRole over the claim administrators (tblClaimAdmin): read by UUID and
 * code, every search parameter, includes along the references, history, every current row served.
 * The enrolment officers (tblOfficer) are tested in practitioner-officer.test.ts.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const lower = (v: unknown) => String(v).toLowerCase();
const ids = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search?.mode !== 'include').map((e: any) => e.resource.id);
const included = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search?.mode === 'include').map((e: any) => e.resource);

const admins = await db('tblClaimAdmin as c').leftJoin('tblHF as hf', 'hf.HfID', 'c.HFId').whereNull('c.ValidityTo').orderBy('c.ClaimAdminId').select('c.*', 'hf.HfUUID', 'hf.HFCode');
const admin = admins.find((a: any) => a.ClaimAdminCode === DEMO.claimAdmin.code);
const officer = await db('tblOfficer').where('Code', DEMO.officer.code).first();
const officerCount = Number((await db('tblOfficer').whereNull('ValidityTo').count({ n: '*' }))[0].n);

t.test('the demo database has what these tests need', async (t) => {
  t.ok(admin, 'the demo claim administrator');
  t.equal(admin.ClaimAdminUUID, DEMO.claimAdmin.uuid);
  t.ok(admins.length >= 7);
});

t.test('Practitioner read by UUID: the claim administrator shape', async (t) => {
  const res = await server.fhir(`Practitioner/${admin.ClaimAdminUUID}`);
  t.equal(res.status, 200, JSON.stringify(res.body));
  const p = res.body;
  t.equal(p.id, lower(admin.ClaimAdminUUID));
  t.same(p.meta.profile, [`${IG}/StructureDefinition/openimis-claim-administrator-practitioner`]);
  t.same(p.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', lower(admin.ClaimAdminUUID)], ['Code', DEMO.claimAdmin.code]]);
  t.same(p.name, [{ use: 'usual', family: DEMO.claimAdmin.lastName, given: [DEMO.claimAdmin.otherNames] }]);
  t.equal(p.birthDate, admin.DOB);
  t.same(p.telecom, [{ system: 'phone', value: admin.Phone, use: 'work' }, { system: 'email', value: admin.EmailId, use: 'work' }]);
  t.same(p.qualification, [{ code: { coding: [{ system: `${IG}/CodeSystem/practitioner-qualification-type`, code: 'CA', display: 'Claim Administrator' }] } }]);
  const facility = p.extension.find((e: any) => e.url === `${IG}/StructureDefinition/reference`);
  t.match(facility.valueReference, { reference: `Organization/${lower(admin.HfUUID)}`, type: 'Organization', display: DEMO.claimAdmin.hfCode });
  t.equal(p.active, true);
});

t.test('read by code, and at the legacy base path', async (t) => {
  const byCode = await server.fhir(`Practitioner/${DEMO.claimAdmin.code}`);
  t.equal(byCode.status, 200);
  t.equal(byCode.body.id, lower(admin.ClaimAdminUUID));
  const role = await server.fhir(`PractitionerRole/${DEMO.claimAdmin.code}`);
  t.equal(role.status, 200);
  t.equal(role.body.id, lower(admin.ClaimAdminUUID));
  t.equal((await server.fhir(`${server.origin}/api/api_fhir/Practitioner/${admin.ClaimAdminUUID}/`)).status, 200);
  t.equal((await server.fhir('Practitioner/NOSUCH01')).status, 404);
});

t.test('PractitionerRole read: practitioner, organization, code CA', async (t) => {
  const res = await server.fhir(`PractitionerRole/${admin.ClaimAdminUUID}`);
  t.equal(res.status, 200, JSON.stringify(res.body));
  const role = res.body;
  t.equal(role.id, lower(admin.ClaimAdminUUID), 'the role shares the practitioner\'s id (one row)');
  t.same(role.meta.profile, [`${IG}/StructureDefinition/openimis-claim-administrator-practitioner-role`]);
  t.same(role.identifier.map((i: any) => i.value), [lower(admin.ClaimAdminUUID), DEMO.claimAdmin.code]);
  t.match(role.practitioner, { reference: `Practitioner/${lower(admin.ClaimAdminUUID)}`, display: DEMO.claimAdmin.code });
  t.match(role.organization, { reference: `Organization/${lower(admin.HfUUID)}`, display: admin.HFCode });
  t.same(role.code, [{ coding: [{ system: `${IG}/CodeSystem/practitioner-qualification-type`, code: 'CA', display: 'Claim Administrator' }] }]);
  t.equal(role.telecom.length, 2);
  const organization = await server.fhir(role.organization.reference);
  t.equal(organization.status, 200, 'the organization reference resolves');
});

t.test('every current claim administrator is served, as Practitioner and as PractitionerRole (beside the officers)', async (t) => {
  for (const type of ['Practitioner', 'PractitionerRole']) {
    const seen: any[] = [];
    let url: string | undefined = `${type}?_count=2`;
    while (url) {
      const page: any = (await server.fhir(url)).body;
      seen.push(...(page.entry ?? []).map((e: any) => e.resource));
      url = page.link.find((l: any) => l.relation === 'next')?.url;
    }
    t.equal(seen.length, admins.length + officerCount, `${type}: one per current row of both tables`);
    t.equal(new Set(seen.map((r) => r.id)).size, seen.length, `${type}: no resource twice across the pages`);
    for (const a of admins) {
      const resource = seen.find((r) => r.id === lower(a.ClaimAdminUUID));
      t.ok(resource, `${type} ${a.ClaimAdminCode}`);
      t.equal(resource?.identifier[1].value, a.ClaimAdminCode);
      if (type === 'Practitioner') t.equal(resource?.name[0].family, a.LastName);
      else t.equal(resource?.organization?.reference, a.HfUUID ? `Organization/${lower(a.HfUUID)}` : undefined);
    }
  }
});

t.test('Practitioner search: identifier, name, family, given, phone, email, _sort', async (t) => {
  const one = [lower(admin.ClaimAdminUUID)];
  t.same(ids((await server.fhir(`Practitioner?identifier=${DEMO.claimAdmin.code}`)).body), one, 'identifier=<code>');
  t.same(ids((await server.fhir(`Practitioner?identifier=${admin.ClaimAdminUUID.toUpperCase()}`)).body), one, 'identifier=<UUID>');
  t.same(ids((await server.fhir(`Practitioner?name=${DEMO.claimAdmin.lastName.slice(0, 4).toLowerCase()}`)).body), one, 'name prefix, any case');
  t.same(ids((await server.fhir(`Practitioner?name=${DEMO.claimAdmin.otherNames}`)).body).includes(one[0]), true, 'name matches other names');
  t.same(ids((await server.fhir(`Practitioner?family:exact=${DEMO.claimAdmin.lastName}`)).body), one, 'family:exact');
  t.equal((await server.fhir(`Practitioner?family:exact=${DEMO.claimAdmin.lastName.toUpperCase()}`)).body.entry?.length ?? 0, 0, ':exact is exact');
  t.same(ids((await server.fhir(`Practitioner?given=${DEMO.claimAdmin.otherNames}&family=${DEMO.claimAdmin.lastName}`)).body), one, 'given AND family');
  t.same(ids((await server.fhir(`Practitioner?phone=${encodeURIComponent(admin.Phone)}`)).body), one, 'phone');
  t.same(ids((await server.fhir(`Practitioner?email=${admin.EmailId.toUpperCase()}`)).body), one, 'email, any case');
  const sorted = await server.fhir('Practitioner?_sort=family&_count=100');
  const families = sorted.body.entry.map((e: any) => e.resource.name[0].family);
  t.same(families, [...families].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)), '_sort=family');
  const or = await server.fhir(`Practitioner?identifier=${admins[0].ClaimAdminCode},${admins[1].ClaimAdminCode}`);
  t.equal(or.body.entry.length, 2);
  const total = await server.fhir('Practitioner?_total=accurate&_count=1');
  t.equal(total.body.total, admins.length + officerCount);
});

t.test('PractitionerRole search: identifier, practitioner, organization; chains', async (t) => {
  const one = [lower(admin.ClaimAdminUUID)];
  t.same(ids((await server.fhir(`PractitionerRole?identifier=${DEMO.claimAdmin.code}`)).body), one, 'identifier=<code>');
  t.same(ids((await server.fhir(`PractitionerRole?identifier=${admin.ClaimAdminUUID}`)).body), one, 'identifier=<UUID>');
  for (const value of [`Practitioner/${admin.ClaimAdminUUID}`, admin.ClaimAdminUUID, DEMO.claimAdmin.code]) {
    t.same(ids((await server.fhir(`PractitionerRole?practitioner=${value}`)).body), one, `practitioner=${value}`);
  }
  t.same(ids((await server.fhir(`PractitionerRole?practitioner:identifier=${DEMO.claimAdmin.code}`)).body), one, 'practitioner:identifier');
  t.same(ids((await server.fhir(`PractitionerRole?practitioner.family=${DEMO.claimAdmin.lastName}`)).body), one, 'practitioner.family chain');
  const atFacility = admins.filter((a: any) => a.HFId === admin.HFId).map((a: any) => lower(a.ClaimAdminUUID));
  for (const value of [`Organization/${admin.HfUUID}`, admin.HfUUID, admin.HFCode]) {
    t.same(ids((await server.fhir(`PractitionerRole?organization=${value}`)).body).sort(), atFacility.sort(), `organization=${value}`);
  }
  t.same(ids((await server.fhir(`PractitionerRole?organization:identifier=${admin.HFCode}`)).body).sort(), atFacility.sort(), 'organization:identifier');
  t.equal(
    (await server.fhir('PractitionerRole?organization:missing=true&_count=100')).body.entry?.length ?? 0,
    admins.filter((a: any) => !a.HFId).length + officerCount,
    'organization:missing=true: claim administrators without a facility, and every officer (officers have none)',
  );
  const hasClaimAdmin = await server.fhir(`Organization?_has:PractitionerRole:organization:identifier=${DEMO.claimAdmin.code}`);
  t.same(ids(hasClaimAdmin.body), [lower(admin.HfUUID)], '_has from Organization');
});

t.test('includes along the references', async (t) => {
  const res = await server.fhir(`PractitionerRole?identifier=${DEMO.claimAdmin.code}&_include=PractitionerRole:practitioner&_include=PractitionerRole:organization`);
  const extra = included(res.body);
  t.same(extra.map((r: any) => `${r.resourceType}/${r.id}`).sort(), [`Organization/${lower(admin.HfUUID)}`, `Practitioner/${lower(admin.ClaimAdminUUID)}`].sort());
  const rev = await server.fhir(`Practitioner?identifier=${DEMO.claimAdmin.code}&_revinclude=PractitionerRole:practitioner`);
  t.same(included(rev.body).map((r: any) => `${r.resourceType}/${r.id}`), [`PractitionerRole/${lower(admin.ClaimAdminUUID)}`]);
  const fromOrg = await server.fhir(`Organization?identifier=${admin.HFCode}&_revinclude=PractitionerRole:organization`);
  t.ok(included(fromOrg.body).some((r: any) => r.id === lower(admin.ClaimAdminUUID)), 'Organization?_revinclude=PractitionerRole:organization');
});

t.test('history and vread: the demo rows have one version each', async (t) => {
  const history = await server.fhir(`Practitioner/${admin.ClaimAdminUUID}/_history`);
  t.equal(history.status, 200);
  t.equal(history.body.entry.length, 1 + (await db('tblClaimAdmin').where('LegacyID', admin.ClaimAdminId).whereNot('ClaimAdminId', admin.ClaimAdminId)).length);
  const version = history.body.entry[0].resource.meta.versionId;
  t.equal((await server.fhir(`Practitioner/${admin.ClaimAdminUUID}/_history/${version}`)).status, 200);
  t.equal((await server.fhir(`PractitionerRole/${admin.ClaimAdminUUID}/_history/${version}`)).status, 200);
});

t.test('rights: 121601 to read claim administrators (no empty-permission hole)', async (t) => {
  const claimAdminUser = await server.login(DEMO.users.claimAdmin.login, DEMO.users.claimAdmin.password);
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  for (const token of [claimAdminUser, clerk]) {
    t.equal((await server.fhir(`Practitioner/${admin.ClaimAdminUUID}`, { token })).status, 403);
    t.equal((await server.fhir('PractitionerRole', { token })).status, 403);
  }
  t.equal((await server.fhir('Practitioner', { token: null })).status, 401);
});

t.test('CapabilityStatement: Practitioner and PractitionerRole with their parameters', async (t) => {
  const cs = (await server.fhir('metadata', { token: null })).body;
  const practitioner = cs.rest[0].resource.find((r: any) => r.type === 'Practitioner');
  const role = cs.rest[0].resource.find((r: any) => r.type === 'PractitionerRole');
  t.same(practitioner.searchParam.map((p: any) => p.name).sort(), ['_id', '_lastUpdated', 'email', 'family', 'given', 'identifier', 'name', 'phone']);
  t.same(role.searchParam.map((p: any) => p.name).sort(), ['_id', '_lastUpdated', 'identifier', 'location', 'organization', 'practitioner', 'substitute'], 'the union of both kinds');
  t.notOk(role.interaction.some((i: any) => i.code === 'delete'), 'a role goes with its Practitioner');
  t.ok(practitioner.interaction.some((i: any) => i.code === 'delete'));
});

// The enrolment officers are a second table behind the same types (practitioner-officer.test.ts,
// practitioner-sources.test.ts).
t.test('Practitioner/<officer uuid> and search across both tables', async (t) => {
  t.equal((await server.fhir(`Practitioner/${officer.OfficerUUID}`)).status, 200);
  const all = await server.fhir('Practitioner?_total=accurate&_count=0');
  t.equal(all.body.total, admins.length + Number((await db('tblOfficer').whereNull('ValidityTo').count({ n: '*' }))[0].n));
});

const engineNeed = { todo: 'engine need: a search parameter through a link table (via), here tblOfficerVillages' };
t.test('PractitionerRole?location=<village> (officer villages through tblOfficerVillages)', engineNeed, async (t) => {
  const res = await server.fhir(`PractitionerRole?location=${DEMO.locations.village.uuid}`);
  t.same(ids(res.body), [lower(officer.OfficerUUID)]);
});
