/**
 * The enrolment-officer side of Practitioner and PractitionerRole (tblOfficer, tblOfficerVillages),
 * served beside the claim administrators as a second source of each type (src/fhir/sources), on the
 * application server. Every query is also compiled for SQL Server and checked (last test).
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { MssqlCapture, checkCapturedForMssql } from '../helpers/mssql-capture.js';
import { DEMO } from '../../src/db/demo/facts.js';

const capture = new MssqlCapture().installDialectTwins();
t.teardown(() => capture.close());
const server = await startServer(t);
const db = server.db.knex;
capture.attach(db);
const base = server.base;

const login = async (username: string, password: string): Promise<string> =>
  ((await (await fetch(`${base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).json()) as any).token;
const adminToken = server.adminToken;
async function fhir(path: string, init: RequestInit & { token?: string } = {}) {
  const { token = adminToken, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (rest.body) headers.set('content-type', 'application/fhir+json');
  const res = await fetch(path.startsWith('http') ? path : `${base}/${path}`, { ...rest, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const lower = (v: unknown) => String(v).toLowerCase();
const ids = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search?.mode !== 'include').map((e: any) => e.resource.id);
const included = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search?.mode === 'include').map((e: any) => `${e.resource.resourceType}/${e.resource.id}`);
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);

const officers = await db('tblOfficer').whereNull('ValidityTo').orderBy('OfficerID');
const officer = officers.find((o: any) => o.Code === DEMO.officer.code);
const substitute = officers.find((o: any) => o.Code === DEMO.officer.substituteCode);
const locations = await db('tblLocations').whereNull('ValidityTo');
const byCode = (code: string) => locations.find((l: any) => l.LocationCode === code);
const villagesOf = async (officerId: number) =>
  (await db('tblOfficerVillages as ov').join('tblLocations as l', 'l.LocationId', 'ov.LocationId').where('ov.OfficerId', officerId).whereNull('ov.ValidityTo').pluck('l.LocationCode')).sort();

capture.start();

t.test('Practitioner read by UUID and code: the enrolment officer shape', async (t) => {
  const res = await fhir(`Practitioner/${officer.OfficerUUID}`);
  t.equal(res.status, 200, JSON.stringify(res.body));
  const p = res.body;
  t.same(p.meta.profile, [`${IG}/StructureDefinition/openimis-enrolment-officer-practitioner`]);
  t.same(p.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', lower(officer.OfficerUUID)], ['Code', DEMO.officer.code]]);
  t.same(p.name, [{ use: 'usual', family: DEMO.officer.lastName, given: [DEMO.officer.otherNames] }]);
  t.equal(p.birthDate, officer.DOB);
  t.same(p.telecom.map((c: any) => c.value), [officer.Phone, officer.EmailId]);
  t.same(p.address, [{ use: 'home', type: 'physical', text: officer.permanentaddress }]);
  t.same(p.qualification[0].code.coding[0], { system: `${IG}/CodeSystem/practitioner-qualification-type`, code: 'EO', display: 'Enrolment Officer' });
  t.equal(p.active, true);
  const code = await fhir(`Practitioner/${DEMO.officer.code}`);
  t.equal(code.body.id, lower(officer.OfficerUUID));
});

t.test('PractitionerRole read: district and villages, substitute, code EO', async (t) => {
  const res = await fhir(`PractitionerRole/${DEMO.officer.code}`);
  t.equal(res.status, 200, JSON.stringify(res.body));
  const role = res.body;
  t.equal(role.id, lower(officer.OfficerUUID));
  t.same(role.meta.profile, [`${IG}/StructureDefinition/openimis-enrolment-officer-practitioner-role`]);
  t.equal(role.practitioner.reference, `Practitioner/${lower(officer.OfficerUUID)}`);
  t.same(role.code[0].coding[0].code, 'EO');
  t.same(
    role.location.map((l: any) => l.display),
    [DEMO.officer.districtCode, ...[...DEMO.officer.villageCodes].sort()],
    'the district, then the villages (the module showed the district only)',
  );
  t.equal(role.location[0].reference, `Location/${lower(byCode(DEMO.officer.districtCode).LocationUUID)}`);
  const substitution = role.extension.find((e: any) => e.url === `${IG}/StructureDefinition/practitioner-role-substitution-reference`);
  t.match(substitution.valueReference, { reference: `Practitioner/${lower(substitute.OfficerUUID)}`, display: DEMO.officer.substituteCode });
  t.notOk(role.organization);
});

t.test('every current officer is served as Practitioner and PractitionerRole, with his villages', async (t) => {
  const admins = await db('tblClaimAdmin').whereNull('ValidityTo').count({ n: '*' });
  for (const type of ['Practitioner', 'PractitionerRole']) {
    const page = (await fhir(`${type}?_count=100`)).body;
    t.equal(page.entry.length, officers.length + Number(admins[0].n), `${type}: the officers beside the claim administrators`);
    for (const o of officers) {
      const resource = page.entry.map((e: any) => e.resource).find((r: any) => r.id === lower(o.OfficerUUID));
      t.ok(resource, `${type} ${o.Code}`);
      if (type === 'PractitionerRole') {
        t.same(resource.location.slice(1).map((l: any) => l.display).sort(), await villagesOf(o.OfficerID), `${o.Code}: villages`);
      }
    }
  }
});

t.test('search: identifier, name, practitioner, location, substitute; includes', async (t) => {
  const one = [lower(officer.OfficerUUID)];
  t.same(ids((await fhir(`Practitioner?identifier=${DEMO.officer.code}`)).body), one);
  t.same(ids((await fhir(`Practitioner?identifier=${officer.OfficerUUID}`)).body), one);
  t.same(ids((await fhir(`Practitioner?name=${DEMO.officer.lastName}`)).body), one);
  t.same(ids((await fhir(`Practitioner?given=${DEMO.officer.otherNames}&family=${DEMO.officer.lastName}`)).body), one);
  t.same(ids((await fhir(`PractitionerRole?identifier=${DEMO.officer.code}`)).body), one);
  t.same(ids((await fhir(`PractitionerRole?practitioner=${DEMO.officer.code}`)).body), one);
  t.same(ids((await fhir(`PractitionerRole?practitioner.name=${DEMO.officer.lastName}`)).body), one);
  const district = byCode(DEMO.officer.districtCode);
  const inDistrict = officers.filter((o: any) => o.LocationId === district.LocationId).map((o: any) => lower(o.OfficerUUID));
  t.same(ids((await fhir(`PractitionerRole?location=${district.LocationUUID}`)).body).sort(), inDistrict.sort(), 'location=<district>');
  t.same(ids((await fhir(`PractitionerRole?location=${DEMO.officer.districtCode}`)).body).sort(), inDistrict.sort(), 'location=<district code>');
  t.same(ids((await fhir(`PractitionerRole?substitute=${DEMO.officer.substituteCode}`)).body), one, 'substitute=<code>');
  const withIncludes = await fhir(`PractitionerRole?identifier=${DEMO.officer.code}&_include=PractitionerRole:practitioner&_include=PractitionerRole:location&_include=PractitionerRole:substitute`);
  t.same(
    included(withIncludes.body).sort(),
    [`Location/${lower(district.LocationUUID)}`, `Practitioner/${lower(officer.OfficerUUID)}`, `Practitioner/${lower(substitute.OfficerUUID)}`].sort(),
  );
});

let created: any;

t.test('create an officer, assign his role, change it, history, delete', async (t) => {
  const practitioner = {
    resourceType: 'Practitioner',
    identifier: [{ type: idType('Code'), value: 'E00099' }],
    name: [{ family: 'Mushi', given: ['Baraka'] }],
    telecom: [{ system: 'phone', value: '+255 754 999 000' }],
    address: [{ text: 'Quarters 9' }],
    qualification: [{ code: { coding: [{ code: 'EO' }] } }],
  };
  const res = await fhir('Practitioner', { method: 'POST', body: JSON.stringify(practitioner) });
  t.equal(res.status, 201, JSON.stringify(res.body));
  created = res.body;
  const row = await db('tblOfficer').where('OfficerUUID', created.id).first();
  t.match(row, { Code: 'E00099', LastName: 'Mushi', OtherNames: 'Baraka', permanentaddress: 'Quarters 9', HasLogin: false, LocationId: null, AuditUserID: 1 });

  const district = byCode('R1D2');
  const role = {
    resourceType: 'PractitionerRole',
    practitioner: { reference: 'Practitioner/E00099' },
    location: [{ reference: `Location/${district.LocationUUID}` }, { reference: 'Location/R1D2M1V1' }, { reference: 'Location/R1D2M1V2' }],
    extension: [{ url: `${IG}/StructureDefinition/practitioner-role-substitution-reference`, valueReference: { reference: `Practitioner/${officer.OfficerUUID}` } }],
  };
  const assigned = await fhir('PractitionerRole', { method: 'POST', body: JSON.stringify(role) });
  t.equal(assigned.status, 201, JSON.stringify(assigned.body));
  t.equal(assigned.body.id, created.id);
  t.same(await villagesOf(row.OfficerID), ['R1D2M1V1', 'R1D2M1V2']);
  t.equal((await db('tblOfficer').where('OfficerID', row.OfficerID).first()).OfficerIDSubst, officer.OfficerID);
  t.equal((await fhir('PractitionerRole', { method: 'POST', body: JSON.stringify(role) })).status, 409, 'he has a role now');

  const changed = { ...assigned.body, location: [{ reference: 'Location/R1D2' }, { reference: 'Location/R1D2M1V2' }], period: { end: '2030-12-31' } };
  delete changed.extension;
  const updated = await fhir(`PractitionerRole/${created.id}`, { method: 'PUT', body: JSON.stringify(changed), headers: { 'if-match': `W/"${assigned.body.meta.versionId}"` } });
  t.equal(updated.status, 200, JSON.stringify(updated.body));
  t.same(await villagesOf(row.OfficerID), ['R1D2M1V2'], 'one village closed');
  const closedVillage = await db('tblOfficerVillages as ov').join('tblLocations as l', 'l.LocationId', 'ov.LocationId').where('ov.OfficerId', row.OfficerID).where('l.LocationCode', 'R1D2M1V1').first('ov.*');
  t.ok(closedVillage.ValidityTo, 'closed, not deleted');
  const now = await db('tblOfficer').where('OfficerID', row.OfficerID).first();
  t.equal(now.OfficerIDSubst, null, 'no substitute any more');
  t.equal(new Date(now.WorksTo).toISOString().slice(0, 10), '2030-12-31');
  t.equal(updated.body.period.end.slice(0, 10), '2030-12-31');

  const history = await fhir(`Practitioner/${created.id}/_history`);
  t.same(history.body.entry.map((e: any) => e.request.method), ['PUT', 'PUT', 'POST'], 'create, role assigned, role changed');
  t.equal((await db('tblOfficer').where('LegacyID', row.OfficerID)).length, 2, 'legacy history rows');

  const person = { ...(await fhir(`Practitioner/${created.id}`)).body, telecom: [{ system: 'email', value: 'baraka@example.org' }] };
  const personUpdate = await fhir(`Practitioner/${created.id}`, { method: 'PUT', body: JSON.stringify(person) });
  t.equal(personUpdate.status, 200);
  t.match(await db('tblOfficer').where('OfficerID', row.OfficerID).first(), { Phone: null, EmailId: 'baraka@example.org', LocationId: district.LocationId }, 'the person changes, the role stays');

  const del = await fhir(`Practitioner/${created.id}`, { method: 'DELETE' });
  t.equal(del.status, 204, JSON.stringify(del.body));
  t.equal((await fhir(`Practitioner/${created.id}`)).status, 410);
  t.equal((await fhir(`PractitionerRole/${created.id}`)).status, 410);
  t.same(await villagesOf(row.OfficerID), [], 'his villages are closed with him');
});

t.test('deletes refused: an officer with a login, a substitute', async (t) => {
  t.equal((await fhir(`Practitioner/${officer.OfficerUUID}`, { method: 'DELETE' })).status, 409, 'login');
  const res = await fhir(`Practitioner/${substitute.OfficerUUID}`, { method: 'DELETE' });
  t.equal(res.status, 409, 'substitute of E00001');
  t.match(res.body.issue[0].diagnostics, /substitute/);
  t.equal((await db('tblOfficer').where('OfficerID', substitute.OfficerID).first()).ValidityTo, null);
});

t.test('bad role input is a 422 and writes nothing', async (t) => {
  const current = (await fhir(`PractitionerRole/${substitute.OfficerUUID}`)).body;
  const before = { officers: await count('tblOfficer'), villages: await count('tblOfficerVillages') };
  const put = (body: any) => fhir(`PractitionerRole/${substitute.OfficerUUID}`, { method: 'PUT', body: JSON.stringify(body) });
  const cases: [string, any][] = [
    ['no location', { ...current, location: [] }],
    ['two districts', { ...current, location: [{ reference: 'Location/R1D2' }, { reference: 'Location/R1D1' }] }],
    ['a region', { ...current, location: [{ reference: 'Location/R1D2' }, { reference: 'Location/R1' }] }],
    ['a village of another district', { ...current, location: [{ reference: 'Location/R1D2' }, { reference: 'Location/R1D1M1V1' }] }],
    ['unknown location', { ...current, location: [{ reference: 'Location/NOWHERE' }] }],
    ['himself as substitute', { ...current, extension: [{ url: `${IG}/StructureDefinition/practitioner-role-substitution-reference`, valueReference: { reference: `Practitioner/${substitute.OfficerUUID}` } }] }],
    ['unknown substitute', { ...current, extension: [{ url: `${IG}/StructureDefinition/practitioner-role-substitution-reference`, valueReference: { reference: 'Practitioner/E99999' } }] }],
    ['bad period end', { ...current, period: { end: 'soon' } }],
    ['an organization', { ...current, organization: { reference: `Organization/${DEMO.healthFacility.uuid}` } }],
    ['code CA', { ...current, code: [{ coding: [{ system: `${IG}/CodeSystem/practitioner-qualification-type`, code: 'CA' }] }] }],
    ['another practitioner', { ...current, practitioner: { reference: `Practitioner/${officer.OfficerUUID}` } }],
  ];
  for (const [name, body] of cases) {
    const res = await put(body);
    t.equal(res.status, 422, `${name}: ${res.status} ${JSON.stringify(res.body?.issue?.[0]?.diagnostics)}`);
    t.equal(res.body.resourceType, 'OperationOutcome');
  }
  t.same({ officers: await count('tblOfficer'), villages: await count('tblOfficerVillages') }, before, 'nothing written');
  const practitioner = await fhir('Practitioner', { method: 'POST', body: JSON.stringify({ resourceType: 'Practitioner', identifier: [{ type: idType('Code'), value: DEMO.officer.code }], name: [{ family: 'X', given: ['Y'] }], qualification: [{ code: { coding: [{ code: 'EO' }] } }] }) });
  t.equal(practitioner.status, 409, 'duplicate officer code');
});

t.test('rights: 121501… for officers', async (t) => {
  const clerk = await login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  t.equal((await fhir(`Practitioner/${officer.OfficerUUID}`, { token: clerk })).status, 403);
  t.equal((await fhir('PractitionerRole', { token: clerk })).status, 403);
});

t.test('SQL Server: every query of the officer sources', async (t) => {
  capture.stop();
  const shapes = checkCapturedForMssql(t, capture, { minDistinct: 20 });
  const all = [...shapes.values()].map((s) => s.statement.native.sql);
  const has = (what: string, re: RegExp) => t.ok(all.some((sql) => re.test(sql)), what);
  has('the villages of a page in one query', /from \[tblOfficerVillages\] as \[ov\] inner join \[tblLocations\] as \[l\]/);
  has('villages opened as rows', /^insert into \[tblOfficerVillages\]/);
  has('an officer inserted with OUTPUT inserted', /^insert into \[tblOfficer\] .* output inserted\.\[OfficerID\]/);
});
