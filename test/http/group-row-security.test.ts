/**
 * Row security on Group: an enrolment officer sees the families of his villages, a district-limited
 * clerk those of his district, whatever the interaction (search, count, read, history, includes,
 * update, delete). The openIMIS module's Group list was unscoped.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const lower = (v: unknown) => String(v).toLowerCase();
const { clerk, enrolmentOfficer } = DEMO.users;

async function familiesIn(villageCodes: string[]): Promise<string[]> {
  const rows = await db('tblFamilies as f')
    .join('tblLocations as v', 'v.LocationId', 'f.LocationId')
    .whereNull('f.ValidityTo')
    .whereIn('v.LocationCode', villageCodes)
    .pluck('f.FamilyUUID');
  return rows.map(lower).sort();
}
const districtVillages = async (code: string) =>
  db('tblLocations as v').join('tblLocations as w', 'w.LocationId', 'v.ParentLocationId').join('tblLocations as d', 'd.LocationId', 'w.ParentLocationId').where('d.LocationCode', code).pluck('v.LocationCode');
const seen = async (token: string) => ((await server.fhir('Group?_count=1000', { token })).body.entry ?? []).map((e: any) => e.resource.id).sort();

t.test('an enrolment officer sees the families of his villages', async (t) => {
  const token = await server.login(enrolmentOfficer.login, enrolmentOfficer.password);
  const expected = await familiesIn([...enrolmentOfficer.villageCodes]);
  const ids = (await db('tblFamilies').whereIn('FamilyID', [1, 2, 5, 10]).pluck('FamilyUUID')).map(lower).sort();
  t.same(expected, ids, 'families 1, 2, 5 and 10 (demo facts)');
  t.same(await seen(token), expected);
  t.equal((await server.fhir('Group?_summary=count', { token })).body.total, expected.length, 'counts do not leak');
});

t.test('a clerk of district R1D2: search, read, history, includes, writes', async (t) => {
  const token = await server.login(clerk.login, clerk.password);
  const expected = await familiesIn(await districtVillages('R1D2'));
  t.ok(expected.length > 0);
  t.same(await seen(token), expected);
  const outside = DEMO.headInsuree.familyUuid; // family 1, in R1D1
  t.notOk(expected.includes(outside));
  t.equal((await server.fhir(`Group/${outside}`, { token })).status, 404, 'read');
  t.equal((await server.fhir(`Group/${outside}/_history`, { token })).status, 404, 'history');
  t.equal((await server.fhir(`Group/${DEMO.headInsuree.chfid}`, { token })).status, 404, 'read by head CHFID');
  t.equal((await server.fhir(`Group?_id=${outside}`, { token })).body.entry?.length ?? 0, 0, 'search by id');
  t.equal((await server.fhir(`Group?head=${DEMO.headInsuree.chfid}`, { token })).body.entry?.length ?? 0, 0, 'search by head');
  const visibleToAdmin = (await server.fhir(`Group/${outside}`)).body;
  const put = await server.fhir(`Group/${outside}`, { method: 'PUT', token, body: JSON.stringify(visibleToAdmin) });
  t.equal(put.status, 404, 'no update of what it cannot see');
  const del = await server.fhir(`Group/${outside}`, { method: 'DELETE', token });
  t.ok([403, 404].includes(del.status), `no delete of what it cannot see (${del.status})`);
  t.equal((await db('tblFamilies').where('FamilyUUID', outside).first()).ValidityTo, null);
  const mine = (await server.fhir(`Group/${expected[0]}`, { token })).body;
  t.equal(mine.resourceType, 'Group');
  const moveAway = structuredClone(mine);
  const address = moveAway.extension.find((e: any) => e.url.endsWith('/group-address')).valueAddress;
  address.extension = [{ url: 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/address-location-reference', valueReference: { reference: `Location/${DEMO.locations.village.uuid}` } }];
  const moved = await server.fhir(`Group/${mine.id}`, { method: 'PUT', token, body: JSON.stringify(moveAway) });
  t.equal(moved.status, 403, 'no move of a family out of its district');
});
