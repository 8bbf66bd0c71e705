/**
 * Row security on Patient: a district-limited clerk and an enrolment officer see and write only
 * insurees of their locations, whatever the interaction; a user without rights gets 403.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const { clerk, enrolmentOfficer, noRoles, claimAdmin } = DEMO.users;

/** Current insurees living (own village or family village) in the given villages. */
async function insureesIn(villageIds: number[]): Promise<string[]> {
  const rows = await db('tblInsuree as i')
    .join('tblFamilies as f', 'f.FamilyID', 'i.FamilyID')
    .whereNull('i.ValidityTo')
    .where((w) => w.whereIn('i.CurrentVillage', villageIds).orWhereIn('f.LocationId', villageIds))
    .select('i.InsureeUUID');
  return rows.map((r) => r.InsureeUUID.toLowerCase()).sort();
}

async function villagesOf(districtCode: string): Promise<number[]> {
  return db('tblLocations as v')
    .join('tblLocations as w', 'w.LocationId', 'v.ParentLocationId')
    .join('tblLocations as d', 'd.LocationId', 'w.ParentLocationId')
    .where('d.LocationCode', districtCode)
    .whereNull('v.ValidityTo')
    .pluck('v.LocationId');
}

async function allIds(token: string, query = ''): Promise<string[]> {
  const res = await server.fhir(`Patient?_count=1000${query}`, { token });
  return (res.body.entry ?? []).map((e: any) => e.resource.id).sort();
}

t.test('a district-limited clerk sees only the insurees of its district', async (t) => {
  const token = await server.login(clerk.login, clerk.password);
  const expected = await insureesIn(await villagesOf('R1D2'));
  t.ok(expected.length > 0, 'the clerk has insurees to see');
  const seen = await allIds(token);
  t.same(seen, expected, 'search');
  const count = await server.fhir('Patient?_summary=count', { token });
  t.equal(count.body.total, expected.length, 'counts do not leak');
  const outside = DEMO.headInsuree; // lives in R1D1
  t.notOk(expected.includes(outside.uuid));
  t.equal((await server.fhir(`Patient/${outside.uuid}`, { token })).status, 404, 'read of an insuree elsewhere');
  t.equal((await server.fhir(`Patient/${outside.chfid}`, { token })).status, 404, 'read by CHFID');
  t.equal((await server.fhir(`Patient/${outside.uuid}/_history`, { token })).status, 404, 'history');
  t.equal((await server.fhir(`Patient?identifier=${outside.chfid}`, { token })).body.entry?.length ?? 0, 0, 'search by identifier');
  const typeHistory = await server.fhir('Patient/_history?_count=1000', { token });
  t.ok(typeHistory.body.entry.every((e: any) => expected.includes(e.resource?.id ?? e.fullUrl.split('/').pop())), 'type history');
  const visibleToAdmin = (await server.fhir(`Patient/${outside.uuid}`)).body;
  const put = await server.fhir(`Patient/${outside.uuid}`, { method: 'PUT', token, body: JSON.stringify(visibleToAdmin) });
  t.equal(put.status, 404, 'cannot update what it cannot see');
  const del = await server.fhir(`Patient/${outside.uuid}`, { method: 'DELETE', token });
  t.ok([403, 404].includes(del.status), `cannot delete what it cannot see (${del.status})`);
  const batch = await server.fhir(`${server.base}/`, {
    method: 'POST',
    token,
    body: JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Patient/${outside.uuid}` } }] }),
  });
  t.equal(batch.body.entry[0].response.status, '404', 'nor through a batch');
});

t.test('an enrolment officer sees the insurees of its villages', async (t) => {
  const token = await server.login(enrolmentOfficer.login, enrolmentOfficer.password);
  const villages = await db('tblLocations').whereIn('LocationCode', enrolmentOfficer.villageCodes as unknown as string[]).whereNull('ValidityTo').pluck('LocationId');
  t.same(await allIds(token), await insureesIn(villages));
});

t.test('a clerk cannot create an insuree outside its district', async (t) => {
  const token = await server.login(clerk.login, clerk.password);
  const village = DEMO.locations.village; // R1D1
  const res = await server.fhir('Patient', {
    method: 'POST',
    token,
    body: JSON.stringify({
      resourceType: 'Patient',
      identifier: [{ type: { coding: [{ system: 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/openimis-identifiers', code: 'Code' }] }, value: '777000001' }],
      name: [{ family: 'Outside', given: ['Anna'] }],
      birthDate: '1980-01-01',
      gender: 'female',
      address: [{ extension: [{ url: 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/address-location-reference', valueReference: { reference: `Location/${village.uuid}` } }] }],
      extension: [{ url: 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/patient-is-head', valueBoolean: true }],
    }),
  });
  t.equal(res.status, 403);
  t.equal(res.body.resourceType, 'OperationOutcome');
  t.equal(await db('tblInsuree').where('CHFID', '777000001').first(), undefined, 'nothing written');
});

t.test('users without the right get 403, on every Patient interaction', async (t) => {
  for (const user of [noRoles, claimAdmin]) {
    const token = await server.login(user.login, user.password);
    const id = DEMO.headInsuree.uuid;
    for (const [path, method] of [['Patient', 'GET'], [`Patient/${id}`, 'GET'], [`Patient/${id}/_history`, 'GET'], ['Patient', 'POST'], [`Patient/${id}`, 'PUT'], [`Patient/${id}`, 'DELETE']] as const) {
      const res = await server.fhir(path, { method, token, body: method === 'POST' || method === 'PUT' ? '{"resourceType":"Patient"}' : undefined });
      t.equal(res.status, 403, `${user.login}: ${method} ${path}`);
    }
  }
});
