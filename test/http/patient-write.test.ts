/**
 * Patient create and update write the legacy way (history copy + in-place update) in one
 * transaction; bad input is a 4xx OperationOutcome and leaves nothing behind.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';

const server = await startServer(t);
const db = server.db.knex;
const village = await db('tblLocations').whereNull('ValidityTo').where('LocationType', 'V').orderBy('LocationId').first();
const head = await db('tblInsuree').whereNull('ValidityTo').where('IsHead', true).orderBy('InsureeID').first();
const family = await db('tblFamilies').where('FamilyID', head.FamilyID).first();
const ext = (name: string) => `https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/${name}`;
const idType = (code: string) => ({ coding: [{ system: 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/openimis-identifiers', code }] });
const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);

function newHead(chfid: string): any {
  return {
    resourceType: 'Patient',
    identifier: [{ type: idType('Code'), value: chfid }],
    name: [{ use: 'usual', family: 'Testerson', given: ['Amina', 'Jo'] }],
    gender: 'female',
    birthDate: '1990-05-17',
    maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] },
    telecom: [{ system: 'phone', value: '+255 700 000 001' }, { system: 'email', value: 'amina@example.org' }],
    address: [
      {
        type: 'physical',
        text: 'Plot 7, Market street',
        extension: [{ url: ext('address-location-reference'), valueReference: { reference: `Location/${village.LocationUUID}` } }],
      },
    ],
    extension: [
      { url: ext('patient-is-head'), valueBoolean: true },
      { url: ext('patient-card-issued'), valueBoolean: false },
    ],
  };
}

t.test('create a head of family: 201, Location, a new family, readable back', async (t) => {
  const families = await count('tblFamilies');
  const res = await server.fhir('Patient', { method: 'POST', body: JSON.stringify(newHead('900000001')) });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const id = res.body.id;
  t.match(id, /^[0-9a-f-]{36}$/);
  t.equal(res.headers.get('location'), `${server.base}/Patient/${id}/_history/${res.body.meta.versionId}`);
  t.equal(res.headers.get('etag'), `W/"${res.body.meta.versionId}"`);
  t.equal(await count('tblFamilies'), families + 1, 'a family was created');
  const row = await db('tblInsuree').where('InsureeUUID', id).first();
  t.match(row, { CHFID: '900000001', LastName: 'Testerson', OtherNames: 'Amina Jo', Gender: 'F', Marital: 'M', IsHead: true, DOB: '1990-05-17' });
  t.equal(row.AuditUserID, 1, 'audited as Admin');
  t.equal(row.LegacyID, null);
  const newFamily = await db('tblFamilies').where('FamilyID', row.FamilyID).first();
  t.equal(newFamily.InsureeID, row.InsureeID, 'the family head is the new insuree');
  t.equal(newFamily.LocationId, village.LocationId);
  t.equal(newFamily.FamilyAddress, 'Plot 7, Market street');

  const read = await server.fhir(`Patient/${id}`);
  t.equal(read.body.name[0].family, 'Testerson');
  t.same(read.body.name[0].given, ['Amina Jo']);
  t.equal(read.body.gender, 'female');
  t.equal(read.body.maritalStatus.coding[0].code, 'M');
  t.equal(read.body.address[0].extension.find((e: any) => e.url === ext('address-location-reference')).valueReference.reference, `Location/${village.LocationUUID}`);
  t.same(read.body.telecom.map((x: any) => x.value), ['+255 700 000 001', 'amina@example.org']);
});

t.test('create a member of an existing family, by head CHFID reference (fhir-kit-client)', async (t) => {
  const member = newHead('900000002');
  member.extension = [
    { url: ext('patient-is-head'), valueBoolean: false },
    { url: ext('patient-group-reference'), valueReference: { type: 'Group', identifier: { type: idType('Code'), value: head.CHFID } } },
  ];
  delete member.address;
  const created = (await server.client().create({ resourceType: 'Patient', body: member })) as any;
  const row = await db('tblInsuree').where('InsureeUUID', created.id).first();
  t.equal(row.FamilyID, family.FamilyID);
  t.equal(row.IsHead, false);
  t.equal(row.CurrentVillage, null);
});

t.test('update writes a history copy and updates in place; vread shows the old version', async (t) => {
  const created = await server.fhir('Patient', { method: 'POST', body: JSON.stringify(newHead('900000003')) });
  const id = created.body.id;
  const before = await db('tblInsuree').where('InsureeUUID', id).first();
  const changed = { ...created.body, telecom: [{ system: 'phone', value: '+255 711 222 333' }] };
  const res = await server.fhir(`Patient/${id}`, { method: 'PUT', body: JSON.stringify(changed), headers: { 'if-match': created.headers.get('etag')! } });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.not(res.body.meta.versionId, created.body.meta.versionId, 'a new version');
  const current = await db('tblInsuree').where('InsureeUUID', id).first();
  t.equal(current.InsureeID, before.InsureeID, 'the current row keeps its key');
  t.equal(current.Phone, '+255 711 222 333');
  t.equal(current.Email, null, 'PUT replaces: the e-mail is gone');
  const copies = await db('tblInsuree').where('LegacyID', before.InsureeID);
  t.equal(copies.length, 1, 'one history copy');
  t.equal(copies[0].Phone, '+255 700 000 001', 'with the old values');
  t.not(copies[0].InsureeUUID, before.InsureeUUID, 'and a UUID of its own');
  t.ok(copies[0].ValidityTo, 'closed');
  t.equal(new Date(copies[0].ValidityTo).getTime(), new Date(current.ValidityFrom).getTime(), 'closed when the new version began');

  const old = await server.fhir(`Patient/${id}/_history/${created.body.meta.versionId}`);
  t.equal(old.status, 200);
  t.equal(old.body.id, id);
  t.equal(old.body.telecom[0].value, '+255 700 000 001');
  const history = await server.fhir(`Patient/${id}/_history`);
  t.same(history.body.entry.map((e: any) => e.request.method), ['PUT', 'POST']);

  const stale = await server.fhir(`Patient/${id}`, { method: 'PUT', body: JSON.stringify(changed), headers: { 'if-match': created.headers.get('etag')! } });
  t.equal(stale.status, 412, 'If-Match on a stale version');
  t.equal(stale.body.resourceType, 'OperationOutcome');
  t.equal((await db('tblInsuree').where('LegacyID', before.InsureeID)).length, 1, 'a refused update writes nothing');

  const minimal = await server.fhir(`Patient/${id}`, { method: 'PUT', body: JSON.stringify(changed), headers: { prefer: 'return=minimal' } });
  t.equal(minimal.status, 200);
  t.equal(minimal.body, undefined, 'Prefer: return=minimal');
  const outcome = await server.fhir(`Patient/${id}`, { method: 'PUT', body: JSON.stringify(changed), headers: { prefer: 'return=OperationOutcome' } });
  t.equal(outcome.body.resourceType, 'OperationOutcome');
});

t.test('bad input is a 4xx OperationOutcome and writes nothing', async (t) => {
  const insurees = await count('tblInsuree');
  const families = await count('tblFamilies');
  const post = (body: string, headers: Record<string, string> = {}) => server.fhir('Patient', { method: 'POST', body, headers });

  const cases: [string, Promise<{ status: number; body: any }>, number][] = [
    ['malformed JSON', post('{"resourceType": "Patient", '), 400],
    ['not an object', post('[1,2,3]'), 400],
    ['wrong resourceType', post(JSON.stringify({ ...newHead('900000010'), resourceType: 'Group' })), 400],
    ['missing names and birth date', post(JSON.stringify({ resourceType: 'Patient', identifier: [{ type: idType('Code'), value: '900000011' }] })), 422],
    ['unknown gender', post(JSON.stringify({ ...newHead('900000012'), gender: 'robot' })), 422],
    ['impossible birth date', post(JSON.stringify({ ...newHead('900000013'), birthDate: '1990-02-31' })), 422],
    ['CHFID too long', post(JSON.stringify(newHead('9'.repeat(13)))), 422],
    ['duplicate CHFID', post(JSON.stringify(newHead(head.CHFID))), 409],
    ['unknown village', post(JSON.stringify({ ...newHead('900000014'), address: [{ extension: [{ url: ext('address-location-reference'), valueReference: { reference: 'Location/00000000-0000-4000-8000-000000000000' } }] }] })), 422],
    ['member without family', post(JSON.stringify({ ...newHead('900000015'), extension: [{ url: ext('patient-is-head'), valueBoolean: false }] })), 422],
    ['NUL byte in a name', post(JSON.stringify({ ...newHead('900000016'), name: [{ family: 'A\u0000B', given: ['x'] }] })), 400],
    ['unsupported content type', post('Patient: x', { 'content-type': 'application/octet-stream' }), 415],
    ['XML that is not FHIR', post('<Patient/>', { 'content-type': 'application/fhir+xml' }), 400],
    ['oversized body', post(JSON.stringify({ ...newHead('900000017'), text: { status: 'generated', div: 'x'.repeat(11 * 1024 * 1024) } })), 413],
  ];
  for (const [name, pending, status] of cases) {
    const res = await pending;
    t.equal(res.status, status, `${name}: ${res.status}`);
    t.equal(res.body?.resourceType, 'OperationOutcome', `${name}: OperationOutcome`);
  }
  const missing = (await cases[3][1]).body;
  // (indexes below follow the order of `cases`)
  t.ok(missing.issue.length >= 3, 'every problem reported at once');
  t.ok(missing.issue.some((i: any) => i.expression?.[0] === 'Patient.birthDate'));
  const gender = (await cases[4][1]).body;
  t.match(gender.issue[0].diagnostics, /Patient\.gender/, 'the element is named');

  t.equal(await count('tblInsuree'), insurees, 'no insuree written');
  t.equal(await count('tblFamilies'), families, 'no family written');
  const accept = await server.fhir(`Patient/${head.InsureeUUID}`, { headers: { accept: 'image/png' } });
  t.equal(accept.status, 406);
  const mismatch = await server.fhir(`Patient/${head.InsureeUUID}`, { method: 'PUT', body: JSON.stringify({ ...newHead(head.CHFID), id: 'another-id' }) });
  t.equal(mismatch.status, 400, 'body id must match the URL');
});

t.test('a failure late in the transaction leaves nothing behind', async (t) => {
  // The family is inserted before the insuree; an insuree that the database refuses
  // (NUL byte above) must take the new family with it.
  const families = await count('tblFamilies');
  const res = await server.fhir('Patient', { method: 'POST', body: JSON.stringify({ ...newHead('900000020'), name: [{ family: 'Ok', given: ['Bad\u0000'] }] }) });
  t.equal(res.status, 400);
  t.equal(await count('tblFamilies'), families);
});

t.test('authentication and rights', async (t) => {
  const anonymous = await server.fhir('Patient', { token: null });
  t.equal(anonymous.status, 401);
  t.equal(anonymous.body.issue[0].code, 'login');
  const forged = await server.fhir('Patient', { token: 'eyJhbGciOiJub25lIn0.eyJ1c2VybmFtZSI6IkFkbWluIn0.' });
  t.equal(forged.status, 401, 'alg none is refused');
  const basic = await server.fhir('Patient?_count=1', { token: null, headers: { authorization: `Basic ${Buffer.from('Admin:admin123').toString('base64')}` } });
  t.equal(basic.status, 200, 'HTTP Basic with openIMIS credentials');
  const lower = await server.fhir('Patient?_count=1', { token: null, headers: { authorization: `bearer ${server.adminToken}` } });
  t.equal(lower.status, 200, 'lower-case bearer');
  const badLogin = await fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username2: 'Admin' }) });
  t.equal(badLogin.status, 400);
  const wrong = await fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Admin', password: 'nope' }) });
  t.equal(wrong.status, 401);
  t.equal(((await wrong.json()) as any).resourceType, 'OperationOutcome');
  const metadata = await server.fhir('metadata', { token: null });
  t.equal(metadata.status, 200, '/metadata is public');
  t.equal(metadata.body.resourceType, 'CapabilityStatement');
  t.equal(metadata.body.fhirVersion, '4.0.1');
  const patient = metadata.body.rest[0].resource.find((r: any) => r.type === 'Patient');
  t.same(patient.interaction.map((i: any) => i.code).sort(), ['create', 'delete', 'history-instance', 'history-type', 'patch', 'read', 'search-type', 'update', 'vread']);
  t.ok(patient.searchParam.some((p: any) => p.name === 'identifier' && p.type === 'token'));
  t.equal(patient.supportedProfile[0], 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/openimis-patient');
});
