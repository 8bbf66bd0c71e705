/**
 * Organization (health facility) create, update and delete write tblHF the legacy way (history
 * copy, in-place update, soft delete) in one transaction; bad input is a 4xx OperationOutcome and
 * writes nothing.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const HF = DEMO.healthFacility;
const L = DEMO.locations;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const sd = (name: string) => `${IG}/StructureDefinition/${name}`;
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);
const itemsPl = await db('tblPLItems').whereNull('ValidityTo').orderBy('PLItemID').first();
const servicesPl = await db('tblPLServices').whereNull('ValidityTo').orderBy('PLServiceID').first();
const concept = (name: string, code: string) => ({ coding: [{ system: `${IG}/CodeSystem/${name}`, code }] });

function facility(code: string, extra: any = {}): any {
  return {
    resourceType: 'Organization',
    identifier: [{ type: idType('Code'), value: code }],
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] }],
    name: 'Mwanzo Health Post',
    extension: [
      { url: sd('organization-hf-level'), valueCodeableConcept: concept('organization-hf-level', 'D') },
      { url: sd('organization-hf-care-type'), valueCodeableConcept: concept('organization-hf-care-type', 'O') },
      { url: sd('organization-hf-legal-form'), valueCodeableConcept: concept('organization-legal-form', 'P') },
      { url: sd('organization-hf-sublevel'), valueCodeableConcept: concept('organization-hf-sublevel', 'N') },
      { url: sd('organization-hf-items-price-list'), valueReference: { identifier: { type: idType('UUID'), value: String(itemsPl.PLItemUUID) } } },
      { url: sd('organization-hf-services-price-list'), valueReference: { identifier: { type: idType('UUID'), value: String(servicesPl.PLServiceUUID) } } },
    ],
    telecom: [
      { system: 'phone', value: '+255 22 000 0001' },
      { system: 'fax', value: '+255 22 000 0002' },
      { system: 'email', value: 'post@health.example.org' },
    ],
    address: [
      {
        type: 'physical',
        line: ['Plot 1, Mwanzo'],
        extension: [{ url: sd('address-location-reference'), valueReference: { reference: `Location/${L.district.uuid}` } }],
      },
    ],
    ...extra,
  };
}
const post = (body: unknown, token?: string) => server.fhir('Organization', { method: 'POST', body: JSON.stringify(body), token });
const put = (id: string, body: unknown, init: { headers?: Record<string, string>; token?: string } = {}) =>
  server.fhir(`Organization/${id}`, { method: 'PUT', body: JSON.stringify(body), ...init });

t.test('create: 201, every column written, telecom each from its own system (module read all from fax)', async (t) => {
  const res = await post(facility('MWHP001'));
  t.equal(res.status, 201, JSON.stringify(res.body));
  const row = await db('tblHF').where('HfUUID', res.body.id).first();
  t.match(row, {
    HFCode: 'MWHP001', HFName: 'Mwanzo Health Post', HFLevel: 'D', HFCareType: 'O', LegalForm: 'P', HFSublevel: 'N',
    LocationId: L.district.id, HFAddress: 'Plot 1, Mwanzo', Phone: '+255 22 000 0001', Fax: '+255 22 000 0002',
    eMail: 'post@health.example.org', PLItemID: itemsPl.PLItemID, PLServiceID: servicesPl.PLServiceID, OffLine: false,
    LegacyID: null, ValidityTo: null, AuditUserID: DEMO.users.admin.id,
  });
  const read = await server.fhir('Organization/MWHP001');
  t.equal(read.body.id, res.body.id);
  t.same(read.body.telecom.map((x: any) => [x.system, x.value]), [['phone', '+255 22 000 0001'], ['fax', '+255 22 000 0002'], ['email', 'post@health.example.org']]);
  t.equal(read.body.address[0].extension[0].valueReference.reference, `Location/${L.district.uuid}`);
  t.notOk(read.body.contact, 'no claim administrator yet');
});

t.test('create the openIMIS module way: district by name and region, legacy legal-form extension, no type', async (t) => {
  const body = facility('MWHP002', {
    type: undefined,
    extension: [
      { url: `${IG}//StructureDefinition/organization-hf-level`, valueCodeableConcept: { coding: [{ code: 'C' }] } },
      { url: `${IG}StructureDefinition/organization-hf-care-type`, valueCodeableConcept: { coding: [{ code: 'B' }] } },
      { url: `${IG}/StructureDefinition/organization-legal-form`, valueCodeableConcept: { coding: [{ system: 'CodeSystem/organization-legal-form', code: 'G' }] } },
    ],
    address: [{ type: 'physical', line: ['Box 9'], district: L.district.name, state: L.region.name }],
  });
  const res = await post(body);
  t.equal(res.status, 201, JSON.stringify(res.body));
  const row = await db('tblHF').where('HfUUID', res.body.id).first();
  t.match(row, { HFLevel: 'C', HFCareType: 'B', LegalForm: 'G', HFSublevel: null, LocationId: L.district.id, PLItemID: null, PLServiceID: null });
});

t.test('update: history copy + in-place update, two versions; columns not in FHIR are kept', async (t) => {
  const created = await post(facility('MWHP003'));
  const id = created.body.id;
  await db('tblHF').where('HfUUID', id).update({ AccCode: 'ACC-MWHP003', OffLine: true });
  const before = await db('tblHF').where('HfUUID', id).first();
  const changed = { ...created.body, name: 'Mwanzo Health Centre', telecom: [{ system: 'phone', value: '+255 22 999 9999' }] };
  const res = await put(id, changed, { headers: { 'if-match': `W/"${new Date(before.ValidityFrom).getTime()}"` } });
  t.equal(res.status, 200, JSON.stringify(res.body));
  const current = await db('tblHF').where('HfUUID', id).first();
  t.equal(current.HfID, before.HfID);
  t.match(current, { HFName: 'Mwanzo Health Centre', Phone: '+255 22 999 9999', Fax: null, eMail: null, AccCode: 'ACC-MWHP003', OffLine: true });
  const copies = await db('tblHF').where('LegacyID', before.HfID).whereNot('HfID', before.HfID);
  t.equal(copies.length, 1, 'one legacy history row');
  t.match(copies[0], { HFName: 'Mwanzo Health Post', Phone: '+255 22 000 0001', HFCode: 'MWHP003' });
  t.not(copies[0].HfUUID, id);
  const history = await server.fhir(`Organization/${id}/_history`);
  t.same(history.body.entry.map((e: any) => e.resource.name), ['Mwanzo Health Centre', 'Mwanzo Health Post'], 'two versions');
  const old = await server.fhir(`Organization/${id}/_history/${history.body.entry[1].resource.meta.versionId}`);
  t.equal(old.body.telecom[0].value, '+255 22 000 0001');

  const patched = await server.fhir(`Organization/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([{ op: 'add', path: '/telecom/-', value: { system: 'email', value: 'centre@health.example.org' } }]),
  });
  t.equal(patched.status, 200, `JSON Patch goes through the same update: ${JSON.stringify(patched.body)}`);
  t.match(await db('tblHF').where('HfUUID', id).first(), { Phone: '+255 22 999 9999', eMail: 'centre@health.example.org', LocationId: L.district.id });

  const moved = await put(id, { ...changed, address: [{ extension: [{ url: sd('address-location-reference'), valueReference: { reference: 'Location/R2D1' } }] }] });
  t.equal(moved.status, 200);
  t.equal((await db('tblHF').where('HfUUID', id).first()).LocationId, (await db('tblLocations').where('LocationCode', 'R2D1').first()).LocationId);
});

t.test('delete: soft delete with a history row, then 410', async (t) => {
  const created = await post(facility('MWHP004'));
  const id = created.body.id;
  const row = await db('tblHF').where('HfUUID', id).first();
  const res = await server.fhir(`Organization/${id}`, { method: 'DELETE' });
  t.equal(res.status, 204);
  const closed = await db('tblHF').where('HfID', row.HfID).first();
  t.ok(closed.ValidityTo);
  t.equal(new Date(closed.ValidityTo).getTime(), new Date(closed.ValidityFrom).getTime());
  t.equal((await db('tblHF').where('LegacyID', row.HfID)).length, 1, 'history copy');
  t.equal((await server.fhir(`Organization/${id}`)).status, 410);
  t.equal((await server.fhir('Organization/MWHP004')).status, 404);
  t.equal((await server.fhir('Organization?identifier=MWHP004')).body.entry?.length ?? 0, 0);
  t.equal((await put(id, created.body)).status, 410, 'a deleted facility is not updated');
  // The district is free again once its last facility is gone.
  const district = await server.fhir('Location', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Location',
      identifier: [{ type: idType('Code'), value: 'R2D9' }],
      name: 'Tiny',
      physicalType: { coding: [{ code: 'D' }] },
      partOf: { reference: 'Location/R2' },
    }),
  });
  const hf = await post(facility('MWHP005', { address: [{ extension: [{ url: sd('address-location-reference'), valueReference: { reference: `Location/${district.body.id}` } }] }] }));
  t.equal(hf.status, 201);
  t.equal((await server.fhir(`Location/${district.body.id}`, { method: 'DELETE' })).status, 409, 'a district with a facility stays');
  t.equal((await server.fhir(`Organization/${hf.body.id}`, { method: 'DELETE' })).status, 204);
  t.equal((await server.fhir(`Location/${district.body.id}`, { method: 'DELETE' })).status, 204, 'then it can go');
});

/** An issue names an element by its path, its slice, or (profile issues) the extension it concerns. */
function names(issue: any, expression: string): boolean {
  const path = issue.expression?.[0] ?? '';
  if (path === expression) return true;
  const slice = /\[([^\]]+)\]/.exec(expression)?.[1];
  const strip = (p: string) => p.replace(/\[[^\]]*\]/g, '');
  if (slice && /[a-z]-/.test(slice)) return issue.diagnostics.includes(slice) || path.includes(slice);
  return strip(path) === strip(expression) || (strip(path) === expression.split('.')[0] && !!slice);
}

t.test('bad input is a 4xx OperationOutcome naming the element, and writes nothing', async (t) => {
  const rows = await count('tblHF');
  const withExt = (name: string, value: any) => {
    const body = facility('MWHP010');
    body.extension = body.extension.filter((e: any) => !e.url.endsWith(`/${name}`)).concat(value ? [{ url: sd(name), ...value }] : []);
    return body;
  };
  const cases: [string, any, number, string?][] = [
    ['not an Organization', { ...facility('MWHP010'), resourceType: 'Location' }, 400],
    ['nothing but the type', { resourceType: 'Organization' }, 422, 'Organization.identifier[Code]'],
    ['unknown level', withExt('organization-hf-level', { valueCodeableConcept: { coding: [{ code: 'X' }] } }), 422, 'Organization.extension[organization-hf-level]'],
    ['missing level', withExt('organization-hf-level', null), 422, 'Organization.extension[organization-hf-level]'],
    ['unknown care type', withExt('organization-hf-care-type', { valueCodeableConcept: { coding: [{ code: 'Q' }] } }), 422, 'Organization.extension[organization-hf-care-type]'],
    ['unknown legal form', withExt('organization-hf-legal-form', { valueCodeableConcept: { coding: [{ code: 'Z' }] } }), 422, 'Organization.extension[organization-hf-legal-form]'],
    ['missing legal form', withExt('organization-hf-legal-form', null), 422, 'Organization.extension[organization-hf-legal-form]'],
    ['unknown sublevel', withExt('organization-hf-sublevel', { valueCodeableConcept: { coding: [{ code: 'Z' }] } }), 422, 'Organization.extension[organization-hf-sublevel]'],
    ['insurer type', facility('MWHP010', { type: [{ coding: [{ code: 'ins' }] }] }), 422, 'Organization.type'],
    ['inactive', facility('MWHP010', { active: false }), 422, 'Organization.active'],
    ['code too long', facility('MWHP01000'), 422, 'Organization.identifier[Code]'],
    ['two phones', facility('MWHP010', { telecom: [{ system: 'phone', value: '1' }, { system: 'phone', value: '2' }] }), 422, 'Organization.telecom[phone]'],
    ['e-mail too long', facility('MWHP010', { telecom: [{ system: 'email', value: `${'x'.repeat(50)}@example.org` }] }), 422, 'Organization.telecom[email]'],
    ['no district', facility('MWHP010', { address: [{ line: ['x'] }] }), 422, 'Organization.address'],
    ['district is a region', facility('MWHP010', { address: [{ extension: [{ url: sd('address-location-reference'), valueReference: { reference: `Location/${L.region.uuid}` } }] }] }), 422, 'Organization.address'],
    ['unknown district name', facility('MWHP010', { address: [{ district: 'Atlantis', state: L.region.name }] }), 422, 'Organization.address'],
    ['district in another region', facility('MWHP010', { address: [{ district: L.district.name, state: 'Pwani' }] }), 422, 'Organization.address'],
    ['unknown price list', withExt('organization-hf-items-price-list', { valueReference: { identifier: { value: '00000000-0000-4000-8000-000000000000' } } }), 422, 'Organization.extension[organization-hf-items-price-list]'],
    ['price list not a UUID', withExt('organization-hf-services-price-list', { valueReference: { identifier: { value: 'PL1' } } }), 422, 'Organization.extension[organization-hf-services-price-list]'],
    ['duplicate code', facility(HF.code), 409],
  ];
  for (const [name, body, status, expression] of cases) {
    const res = await post(body);
    t.equal(res.status, status, `${name}: ${res.status} ${JSON.stringify(res.body?.issue?.[0]?.diagnostics)}`);
    t.equal(res.body?.resourceType, 'OperationOutcome', `${name}: OperationOutcome`);
    if (expression) t.ok(res.body.issue.some((i: any) => names(i, expression)), `${name}: names ${expression}`);
  }
  // The profile check runs before the mapper: an empty Organization is refused with the profile's issues.
  const empty = await post({ resourceType: 'Organization' });
  t.equal(empty.status, 422);
  t.ok(empty.body.issue.length >= 1, 'the problems of the empty Organization are reported');
  const legal = await post(withExt('organization-hf-legal-form', { valueCodeableConcept: { coding: [{ code: 'Z' }] } }));
  t.match(legal.body.issue[0].diagnostics, /unknown code "Z"; expected one of .*G/, 'codes from tblLegalForms');
  t.equal(await count('tblHF'), rows, 'nothing written');
});

t.test('rights: 121102 add, 121103 edit, 121104 delete', async (t) => {
  // The demo HF Administrator role has 121101 and 121103, not 121102 nor 121104.
  await db('tblUserRole').insert({ UserID: DEMO.users.noRoles.id, RoleID: DEMO.roles.hfAdministrator.id, ValidityFrom: new Date() });
  await db('tblUsersDistricts').insert({ UserID: DEMO.users.noRoles.id, LocationId: L.district.id, ValidityFrom: new Date(), AuditUserID: 1 });
  const hfAdmin = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  t.equal((await post(facility('MWHP020'), clerk)).status, 403, 'Clerk');
  t.equal((await post(facility('MWHP020'), hfAdmin)).status, 403, 'HF administrator cannot add');
  const created = await post(facility('MWHP020'));
  const read = await server.fhir(`Organization/${created.body.id}`, { token: hfAdmin });
  t.equal(read.status, 200, 'HF administrator reads');
  t.equal((await put(created.body.id, { ...read.body, name: 'Edited' }, { token: hfAdmin })).status, 200, 'and edits');
  t.equal((await server.fhir(`Organization/${created.body.id}`, { method: 'DELETE', token: hfAdmin })).status, 403, 'but does not delete');
  const outOfDistrict = { ...read.body, address: [{ extension: [{ url: sd('address-location-reference'), valueReference: { reference: 'Location/R2D1' } }] }] };
  const move = await put(created.body.id, outOfDistrict, { token: hfAdmin });
  t.equal(move.status, 403, 'nor moves it out of its districts');
  t.match(move.body.issue[0].diagnostics, /outside the locations you may change/);
});
