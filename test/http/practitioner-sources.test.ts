/**
 * One FHIR type over two tables (src/fhir/sources): Practitioner and PractitionerRole serve the claim
 * administrators (tblClaimAdmin) and the enrolment officers (tblOfficer) together. Reads of both
 * kinds, paging over the boundary between the tables (next, previous, page-offset, _sort), parameters
 * of one kind, includes / _has / chains across, a code that names both kinds, writes routed by body
 * and by id, type history, rights per kind and row security; every query is compiled for SQL Server.
 *
 * The Clerk role (district R1D2) is given the enrolment-officer rights only, before the server starts.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { MssqlCapture, checkCapturedForMssql } from '../helpers/mssql-capture.js';
import { DEMO } from '../../src/db/demo/facts.js';

const capture = new MssqlCapture().installDialectTwins();
t.teardown(() => capture.close());
const server = await startServer(t, {}, {
  beforeStart: async (db) => {
    const max = Number((await db.knex('tblRoleRight').max({ m: 'RoleRightID' }))[0].m);
    await db.knex('tblRoleRight').insert(
      [121501, 121502, 121503, 121504].map((right, i) => ({
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
capture.attach(db);
capture.start();
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const lower = (v: unknown) => String(v).toLowerCase();
const matches = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search?.mode !== 'include').map((e: any) => e.resource.id);
const included = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search?.mode === 'include').map((e: any) => `${e.resource.resourceType}/${e.resource.id}`);
const get = async (path: string, token?: string) => {
  const res = await server.fhir(path, token ? { token } : {});
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
};
const nextOf = (bundle: any) => bundle.link.find((l: any) => l.relation === 'next')?.url;
const previousOf = (bundle: any) => bundle.link.find((l: any) => l.relation === 'previous')?.url;
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const qualification = (code: string) => [{ code: { coding: [{ system: `${IG}/CodeSystem/practitioner-qualification-type`, code }] } }];

const admins = await db('tblClaimAdmin').whereNull('ValidityTo').orderBy('ClaimAdminId');
const officers = await db('tblOfficer').whereNull('ValidityTo').orderBy('OfficerID');
/** The default order: the claim administrators (first source), then the officers, each by key. */
const everyone = [...admins.map((a: any) => lower(a.ClaimAdminUUID)), ...officers.map((o: any) => lower(o.OfficerUUID))];
const officerOf = (code: string) => officers.find((o: any) => o.Code === code);
const adminOf = (code: string) => admins.find((a: any) => a.ClaimAdminCode === code);

async function walk(first: string, follow: (b: any) => string | undefined = nextOf) {
  const pages: string[][] = [];
  let url: string | undefined = first;
  while (url) {
    const page = await get(url);
    pages.push(matches(page));
    url = follow(page);
  }
  return pages;
}

t.test('reads of both kinds by UUID and code, each with its own profile', async (t) => {
  for (const [id, profile] of [
    [DEMO.claimAdmin.uuid, 'openimis-claim-administrator-practitioner'],
    [DEMO.claimAdmin.code, 'openimis-claim-administrator-practitioner'],
    [DEMO.officer.uuid, 'openimis-enrolment-officer-practitioner'],
    [DEMO.officer.code, 'openimis-enrolment-officer-practitioner'],
  ]) {
    const res = await server.fhir(`Practitioner/${id}`);
    t.equal(res.status, 200, id);
    t.same(res.body.meta.profile, [`${IG}/StructureDefinition/${profile}`], id);
    const vread = await server.fhir(`Practitioner/${id}/_history/${res.body.meta.versionId}`);
    t.equal(vread.status, 200, `${id}: vread`);
    t.equal((await server.fhir(`PractitionerRole/${id}/_history`)).body.entry.length >= 1, true, `${id}: history`);
  }
  t.equal((await server.fhir('Practitioner/00000000-0000-4000-8000-000000000000')).status, 404);
  t.equal((await server.fhir('Practitioner/NOSUCH1')).status, 404);
});

t.test('paging over the boundary between the tables: next, previous, page-offset, totals', async (t) => {
  t.equal(everyone.length, admins.length + officers.length);
  const forward = await walk('Practitioner?_count=3');
  t.same(forward.flat(), everyone, 'claim administrators then officers, none twice, none missed');
  t.ok(forward.every((p) => p.length <= 3));
  // Back from the last page by the previous links.
  let last: any = await get('Practitioner?_count=3');
  while (nextOf(last)) last = await get(nextOf(last));
  const backward = await walk(previousOf(last) ?? '', previousOf);
  t.same([...backward.reverse().flat(), ...matches(last)], everyone, 'previous links walk back exactly');
  const offset = await get('Practitioner?_count=3&page-offset=3');
  t.same(matches(offset), everyone.slice(6, 9), 'page-offset across the boundary');
  t.equal((await get('Practitioner?_count=2&_total=accurate')).total, everyone.length, '_total=accurate adds both tables');
  t.equal((await get('Practitioner?_summary=count')).total, everyone.length, '_summary=count');
  // The estimate asks the PostgreSQL planner (SQL Server counts instead): not captured for SQL Server.
  capture.stop();
  t.ok((await get('Practitioner?_count=1&_total=estimate')).total >= 0, '_total=estimate');
  capture.start();
  const roles = await walk('PractitionerRole?_count=4');
  t.same(roles.flat(), everyone, 'PractitionerRole pages the same way');
});

t.test('_sort across the tables: one order decided by the database, stable over pages', async (t) => {
  for (const sort of ['family', '-family', 'given,-_lastUpdated', '_id']) {
    const one = matches(await get(`Practitioner?_sort=${sort}&_count=100`));
    t.same([...one].sort(), [...everyone].sort(), `${sort}: everyone`);
    t.same((await walk(`Practitioner?_sort=${sort}&_count=2`)).flat(), one, `${sort}: pages of 2 = one page`);
  }
  const families = (await get('Practitioner?_sort=family&_count=100')).entry.map((e: any) => e.resource.name[0].family);
  t.same(families, [...families].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)), 'sorted by family name');
  t.same(matches(await get('Practitioner?_sort=-_id&_count=100')), [...everyone].sort().reverse(), '_sort=-_id');
  t.equal((await server.fhir('Practitioner?_sort=nosuch')).status, 400);
});

t.test('parameters of one kind find that kind only', async (t) => {
  t.same(matches(await get('PractitionerRole?location=R1D2')), [lower(officerOf('E00002').OfficerUUID)], 'location: officers');
  t.same(matches(await get('PractitionerRole?organization=BADS001')), [lower(adminOf('BDS0011').ClaimAdminUUID)], 'organization: claim administrators');
  t.same(matches(await get('PractitionerRole?substitute=E00002')), [DEMO.officer.uuid], 'substitute: officers');
  t.same(matches(await get('PractitionerRole?location:missing=true&_count=100')), everyone.slice(0, admins.length), 'location:missing=true: the claim administrators');
  t.same(matches(await get('PractitionerRole?organization=BADS001&location=R1D2')), [], 'both kinds\u2019 parameters at once: nobody');
  t.same(matches(await get('Practitioner?name=K&_count=100')).sort(), [DEMO.claimAdmin.uuid, DEMO.officer.uuid].sort(), 'a shared parameter: both kinds');
  t.same(matches(await get('Practitioner?nosuch=1&_count=100')), everyone, 'unknown everywhere: ignored');
  const strict = await server.fhir('Practitioner?nosuch=1', { headers: { prefer: 'handling=strict' } });
  t.equal(strict.status, 400);
  t.equal((await server.fhir('PractitionerRole?location=R1D2', { headers: { prefer: 'handling=strict' } })).status, 200, 'known to one kind: not unknown');
});

t.test('includes, _has and chains across both kinds', async (t) => {
  const all = await get('PractitionerRole?_count=100&_include=PractitionerRole:practitioner&_include=PractitionerRole:location&_include=PractitionerRole:organization');
  const extra = included(all);
  t.same(extra.filter((r: string) => r.startsWith('Practitioner/')).sort(), everyone.map((id) => `Practitioner/${id}`).sort(), 'every practitioner of both kinds');
  const districts = await db('tblLocations').whereIn('LocationId', officers.map((o: any) => o.LocationId)).pluck('LocationUUID');
  t.same(extra.filter((r: string) => r.startsWith('Location/')).sort(), districts.map((u: string) => `Location/${lower(u)}`).sort(), 'the officers\u2019 districts');
  t.equal(extra.filter((r: string) => r.startsWith('Organization/')).length, new Set(admins.map((a: any) => a.HFId)).size, 'the administrators\u2019 facilities');
  const rev = await get('Practitioner?_count=100&_revinclude=PractitionerRole:practitioner');
  t.same(included(rev).sort(), everyone.map((id) => `PractitionerRole/${id}`).sort(), '_revinclude of both kinds');
  const claims = await db('tblClaim').where('ClaimAdminId', adminOf(DEMO.claimAdmin.code).ClaimAdminId).whereNull('ValidityTo').pluck('ClaimUUID');
  const entered = await get(`Practitioner?identifier=${DEMO.claimAdmin.code}&_revinclude=Claim:enterer&_count=100`);
  t.same(included(entered).sort(), claims.map((u: string) => `Claim/${lower(u)}`).sort(), '_revinclude=Claim:enterer');
  t.same(included(await get(`Practitioner?identifier=${DEMO.officer.code}&_revinclude=Claim:enterer`)), [], 'officers enter no claims');
  const iterate = await get(`PractitionerRole?identifier=${DEMO.officer.code}&_include=PractitionerRole:practitioner&_revinclude:iterate=Contract:author`);
  t.ok(included(iterate).some((r: string) => r.startsWith('Contract/')), '_revinclude:iterate from an included officer');

  t.same(matches(await get('Practitioner?_has:PractitionerRole:practitioner:location=R1D1')), [DEMO.officer.uuid], '_has over the officers\u2019 roles');
  t.same(matches(await get(`Practitioner?_has:PractitionerRole:practitioner:organization=${DEMO.claimAdmin.hfCode}`)), [DEMO.claimAdmin.uuid], '_has over the administrators\u2019 roles');
  t.same(matches(await get('Practitioner?_has:PractitionerRole:practitioner:identifier=E00002,BDS0011&_count=100')).sort(), [lower(officerOf('E00002').OfficerUUID), lower(adminOf('BDS0011').ClaimAdminUUID)].sort(), '_has over both');
  const r1d2 = await db('tblLocations').where('LocationCode', 'R1D2').first();
  t.same(matches(await get('Location?_has:PractitionerRole:location:identifier=E00002')), [lower(r1d2.LocationUUID)], 'Location?_has from the officers');
  t.same(matches(await get(`Practitioner?_has:Claim:enterer:_id=${lower(claims[0])}`)), [DEMO.claimAdmin.uuid], 'Practitioner?_has:Claim:enterer');

  t.same(matches(await get(`PractitionerRole?practitioner.family=${DEMO.officer.lastName}`)), [DEMO.officer.uuid], 'chain into the officers');
  t.same(matches(await get(`PractitionerRole?practitioner.family=${DEMO.claimAdmin.lastName}`)), [DEMO.claimAdmin.uuid], 'chain into the administrators');
  t.same(matches(await get(`PractitionerRole?substitute.given=Grace`)), [DEMO.officer.uuid], 'chain through the substitute');
  t.same(matches(await get(`Claim?enterer=${DEMO.officer.uuid}`)), [], 'Claim?enterer=<officer>: nothing');
});

t.test('a code that names a claim administrator and an officer is 409; the UUIDs still read', async (t) => {
  const template = adminOf('BDS0011');
  const { ClaimAdminId: _id, ...copy } = template;
  const [row] = await db('tblClaimAdmin')
    .insert({ ...copy, ClaimAdminCode: 'E00003', ClaimAdminUUID: '1c0de000-0000-4000-8000-000000000003', HasLogin: false })
    .returning('ClaimAdminId');
  try {
    for (const type of ['Practitioner', 'PractitionerRole']) {
      const res = await server.fhir(`${type}/E00003`);
      t.equal(res.status, 409, type);
      t.match(res.body.issue[0].diagnostics, /several kinds/);
    }
    t.equal(matches(await get('Practitioner?identifier=E00003')).length, 2, 'the identifier search finds both');
    t.equal((await server.fhir(`Practitioner/${officerOf('E00003').OfficerUUID}`)).status, 200);
    t.equal((await server.fhir('Practitioner/1c0de000-0000-4000-8000-000000000003')).status, 200);
    const conditional = await server.fhir('Practitioner?identifier=E00003', { method: 'DELETE' });
    t.equal(conditional.status, 412, 'a conditional delete that matches both kinds');
  } finally {
    await db('tblClaimAdmin').where('ClaimAdminId', row.ClaimAdminId ?? row).delete();
  }
  t.equal((await server.fhir('Practitioner/E00003')).status, 200);
});

t.test('writes go to the table of the kind: create by body, update and delete by id or search', async (t) => {
  const person = (code: string, extra: object) => ({ resourceType: 'Practitioner', identifier: [{ type: idType('Code'), value: code }], name: [{ family: 'Lyimo', given: ['Neema'] }], ...extra });
  const officer = await server.fhir('Practitioner', {
    method: 'POST',
    body: JSON.stringify(person('E00071', { meta: { profile: [`${IG}/StructureDefinition/openimis-enrolment-officer-practitioner`] } })),
  });
  t.equal(officer.status, 201, JSON.stringify(officer.body));
  t.ok(await db('tblOfficer').where({ OfficerUUID: officer.body.id, Code: 'E00071' }).first(), 'meta.profile chose tblOfficer');
  const admin = await server.fhir('Practitioner', { method: 'POST', body: JSON.stringify(person('CA00071', { qualification: qualification('CA') })) });
  t.equal(admin.status, 201, JSON.stringify(admin.body));
  t.ok(await db('tblClaimAdmin').where({ ClaimAdminUUID: admin.body.id, ClaimAdminCode: 'CA00071' }).first(), 'qualification CA chose tblClaimAdmin');
  const none = await server.fhir('Practitioner', { method: 'POST', body: JSON.stringify(person('X00071', {})) });
  t.equal(none.status, 422);
  t.match(none.body.issue[0].diagnostics, /qualification CA.*qualification EO/);

  // The roles: by shape (a location makes an officer's role, an organization an administrator's).
  const officerRole = await server.fhir('PractitionerRole', {
    method: 'POST',
    body: JSON.stringify({ resourceType: 'PractitionerRole', practitioner: { reference: `Practitioner/${officer.body.id}` }, location: [{ reference: 'Location/R1D2' }] }),
  });
  t.equal(officerRole.status, 201, JSON.stringify(officerRole.body));
  t.equal(officerRole.body.code[0].coding[0].code, 'EO');
  const adminRole = await server.fhir('PractitionerRole', {
    method: 'POST',
    body: JSON.stringify({ resourceType: 'PractitionerRole', practitioner: { reference: 'Practitioner/CA00071' }, organization: { reference: 'Organization/BADS001' } }),
  });
  t.equal(adminRole.status, 201, JSON.stringify(adminRole.body));
  t.equal(adminRole.body.code[0].coding[0].code, 'CA');
  const wrongKind = await server.fhir('PractitionerRole', {
    method: 'POST',
    body: JSON.stringify({ resourceType: 'PractitionerRole', code: qualification('EO').map((q) => q.code), practitioner: { reference: 'Practitioner/CA00071' }, location: [{ reference: 'Location/R1D2' }] }),
  });
  t.equal(wrongKind.status, 422, 'an officer role for a claim administrator');

  // Updates by id and by search reach the right table.
  const renamedOfficer = { ...(await get(`Practitioner/${officer.body.id}`)), name: [{ family: 'Lyimo-Massawe', given: ['Neema'] }] };
  t.equal((await server.fhir(`Practitioner/${officer.body.id}`, { method: 'PUT', body: JSON.stringify(renamedOfficer) })).status, 200);
  t.equal((await db('tblOfficer').where('OfficerUUID', officer.body.id).first()).LastName, 'Lyimo-Massawe');
  const renamedAdmin = { ...(await get(`Practitioner/${admin.body.id}`)), name: [{ family: 'Lyimo-Mushi', given: ['Neema'] }] };
  const byCondition = await server.fhir('Practitioner?identifier=CA00071', { method: 'PUT', body: JSON.stringify(renamedAdmin) });
  t.equal(byCondition.status, 200, JSON.stringify(byCondition.body));
  t.equal((await db('tblClaimAdmin').where('ClaimAdminUUID', admin.body.id).first()).LastName, 'Lyimo-Mushi');
  const patched = await server.fhir(`Practitioner/${officer.body.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([{ op: 'add', path: '/birthDate', value: '1991-02-03' }]),
  });
  t.equal(patched.status, 200, JSON.stringify(patched.body));
  t.equal(String((await db('tblOfficer').where('OfficerUUID', officer.body.id).first()).DOB).slice(0, 10), '1991-02-03');

  const history = await get('Practitioner/_history?_count=5');
  const times = history.entry.map((e: any) => e.response.lastModified);
  t.same(times, [...times].sort().reverse(), 'type history newest first across both tables');
  t.ok(history.entry.some((e: any) => e.fullUrl.endsWith(officer.body.id)) && history.entry.some((e: any) => e.fullUrl.endsWith(admin.body.id)), 'both kinds in it');

  t.equal((await server.fhir(`Practitioner/${officer.body.id}`, { method: 'DELETE' })).status, 204);
  t.ok((await db('tblOfficer').where('OfficerUUID', officer.body.id).first()).ValidityTo, 'officer closed');
  t.equal((await server.fhir('Practitioner?identifier=CA00071', { method: 'DELETE' })).status, 204);
  t.ok((await db('tblClaimAdmin').where('ClaimAdminUUID', admin.body.id).first()).ValidityTo, 'claim administrator closed');
  t.equal((await server.fhir(`Practitioner/${admin.body.id}`)).status, 410);
});

t.test('a transaction creates an officer and his role, referenced by urn:uuid', async (t) => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:7a1f5f3e-8e5b-4c7b-9a43-0d6a4b2f1e01',
        resource: { resourceType: 'Practitioner', identifier: [{ type: idType('Code'), value: 'E00072' }], name: [{ family: 'Swai', given: ['Asha'] }], qualification: qualification('EO') },
        request: { method: 'POST', url: 'Practitioner' },
      },
      {
        resource: { resourceType: 'PractitionerRole', code: qualification('EO').map((q) => q.code), practitioner: { reference: 'urn:uuid:7a1f5f3e-8e5b-4c7b-9a43-0d6a4b2f1e01' }, location: [{ reference: 'Location/R1D3' }] },
        request: { method: 'POST', url: 'PractitionerRole' },
      },
    ],
  };
  const res = await server.fhir('', { method: 'POST', body: JSON.stringify(bundle) });
  t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
  t.same(res.body.entry.map((e: any) => e.response.status), ['201 Created', '201 Created']);
  const row = await db('tblOfficer').where('Code', 'E00072').whereNull('ValidityTo').first();
  t.equal(row.LocationId, (await db('tblLocations').where('LocationCode', 'R1D3').first()).LocationId);
});

t.test('rights per kind and row security: a clerk of R1D2 with the officer rights only', async (t) => {
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  const visible = officers.filter((o: any) => o.Code === 'E00002').map((o: any) => lower(o.OfficerUUID));
  t.same(matches(await get('Practitioner?_count=100', clerk)), visible, 'the officers of R1D2; no claim administrators (no 121601)');
  t.same(matches(await get('PractitionerRole?_count=100', clerk)), visible);
  t.equal((await get('Practitioner?_summary=count', clerk)).total, visible.length, 'counts do not leak');
  const ofR1D2 = adminOf('BDS0011');
  t.equal((await server.fhir(`Practitioner/${ofR1D2.ClaimAdminUUID}`, { token: clerk })).status, 403, 'a claim administrator of R1D2: 403 (no 121601)');
  t.equal((await server.fhir(`PractitionerRole/${ofR1D2.ClaimAdminCode}`, { token: clerk })).status, 403);
  t.equal((await server.fhir(`Practitioner/${ofR1D2.ClaimAdminUUID}`, { method: 'DELETE', token: clerk })).status, 403, 'nor deleted');
  t.equal((await server.fhir(`Practitioner/${DEMO.claimAdmin.uuid}`, { token: clerk })).status, 404, 'one of R1D1: outside his districts');
  t.equal((await server.fhir(`Practitioner/${DEMO.officer.uuid}`, { token: clerk })).status, 404, 'an officer of R1D1: not his');
  t.equal((await server.fhir('Practitioner/E00002', { token: clerk })).status, 200);
  t.same(matches(await get(`Practitioner?_has:Claim:enterer:_id=${DEMO.claimAdmin.uuid}`, clerk)), [], '_has reaches no claim administrator');
  const post = (code: string, q: string) =>
    server.fhir('Practitioner', { method: 'POST', token: clerk, body: JSON.stringify({ resourceType: 'Practitioner', identifier: [{ type: idType('Code'), value: code }], name: [{ family: 'Tarimo', given: ['Ali'] }], qualification: qualification(q) }) });
  t.equal((await post('CA00073', 'CA')).status, 403, 'no claim administrator created');
  t.equal((await post('E00073', 'EO')).status, 201, 'an officer created');
  const noRights = await server.login(DEMO.users.claimAdmin.login, DEMO.users.claimAdmin.password);
  t.equal((await server.fhir('Practitioner', { token: noRights })).status, 403, 'no right of either kind: 403');
});

t.test('CapabilityStatement: one entry per type, both profiles, the union of parameters and includes', async (t) => {
  const cs = await get('metadata');
  const resources = cs.rest[0].resource;
  t.equal(resources.filter((r: any) => r.type === 'Practitioner').length, 1);
  const practitioner = resources.find((r: any) => r.type === 'Practitioner');
  const role = resources.find((r: any) => r.type === 'PractitionerRole');
  t.same(practitioner.supportedProfile.sort(), [`${IG}/StructureDefinition/openimis-claim-administrator-practitioner`, `${IG}/StructureDefinition/openimis-enrolment-officer-practitioner`]);
  t.notOk(practitioner.profile, 'no single base profile');
  for (const rev of ['PractitionerRole:practitioner', 'Claim:enterer', 'Contract:author', 'Communication:recipient', 'PractitionerRole:substitute']) {
    t.ok(practitioner.searchRevInclude.includes(rev), rev);
  }
  t.same(role.searchInclude.sort(), ['PractitionerRole:location', 'PractitionerRole:organization', 'PractitionerRole:practitioner', 'PractitionerRole:substitute']);
  t.same(new Set(role.searchParam.map((p: any) => p.name)).size, role.searchParam.length, 'each parameter once');
});

t.test('SQL Server: the UNION ALL queries over both tables compile and parse', async (t) => {
  capture.stop();
  const shapes = checkCapturedForMssql(t, capture, { minDistinct: 30 });
  const all = [...shapes.values()].map((s) => s.statement.native.sql);
  t.ok(all.some((sql) => /union all select \[b1\]\.\[_src\]/.test(sql) && /1 as \[_src\]/.test(sql) && /order by/.test(sql)), 'a keyset page over both tables');
  t.ok(all.some((sql) => /\[u\]\.\[_s0\]/.test(sql)), 'a sorted page over both tables');
});
