/**
 * Group ⇄ tblFamilies read, search, includes and history over the real HTTP server and a real
 * database. Expected values come from the database, so the tests follow the demo data.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const ext = (resource: any, name: string) => resource.extension?.find((e: any) => e.url === `${IG}/StructureDefinition/${name}`);
const ids = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search?.mode !== 'include').map((e: any) => e.resource.id);
const lower = (v: unknown) => String(v).toLowerCase();

const families = await db('tblFamilies').whereNull('ValidityTo').orderBy('FamilyID');
const members = await db('tblInsuree').whereNull('ValidityTo').orderBy('InsureeID');
const activeFamilies = new Set(
  (
    await db('tblInsureePolicy as ip')
      .join('tblPolicy as p', 'p.PolicyID', 'ip.PolicyId')
      .join('tblInsuree as m', 'm.InsureeID', 'ip.InsureeID')
      .whereNull('ip.ValidityTo')
      .whereNull('p.ValidityTo')
      .whereNull('m.ValidityTo')
      .where('p.PolicyStatus', 2)
      .distinct('m.FamilyID')
  ).map((r: any) => r.FamilyID),
);
const headOf = (family: any) => members.find((m: any) => m.InsureeID === family.InsureeID);
const membersOf = (family: any) => members.filter((m: any) => m.FamilyID === family.FamilyID);
const family1 = families.find((f: any) => f.FamilyID === DEMO.headInsuree.familyId);
const moved = families.find((f: any) => f.FamilyID === DEMO.familyWithHistory.id);

t.test('the demo database has what these tests need', async (t) => {
  t.ok(family1, 'family 1');
  t.ok(moved?.ConfirmationType && moved?.ConfirmationNo, 'a family with a confirmation');
  t.ok(families.some((f: any) => !activeFamilies.has(f.FamilyID)), 'a family without active coverage');
  t.ok(families.length >= 10);
});

t.test('read by UUID: the openIMIS Group shape', async (t) => {
  const res = await server.fhir(`Group/${family1.FamilyUUID}`);
  t.equal(res.status, 200, JSON.stringify(res.body));
  const group = res.body;
  const head = headOf(family1);
  t.equal(group.resourceType, 'Group');
  t.equal(group.id, lower(family1.FamilyUUID));
  t.same(group.meta.profile, [`${IG}/StructureDefinition/openimis-group`]);
  t.same(
    group.identifier.map((i: any) => [i.type.coding[0].system, i.type.coding[0].code, i.value]),
    [
      [`${IG}/CodeSystem/openimis-identifiers`, 'UUID', lower(family1.FamilyUUID)],
      [`${IG}/CodeSystem/openimis-identifiers`, 'Code', head.CHFID],
    ],
  );
  t.equal(group.type, 'person', 'the R4 code, not the module\'s "Person"');
  t.equal(group.actual, true);
  t.equal(group.name, head.LastName, 'name = head last name');
  t.equal(group.active, true, 'family 1 is covered by an active policy');
  const current = membersOf(family1);
  t.equal(group.quantity, current.length);
  t.equal(group.quantity, DEMO.headInsuree.familySize);
  t.same(
    group.member.map((m: any) => m.entity.reference).sort(),
    current.map((m: any) => `Patient/${lower(m.InsureeUUID)}`).sort(),
    'members are the current insurees',
  );
  t.equal(group.member[0].entity.reference, `Patient/${lower(head.InsureeUUID)}`, 'the head first');
  t.equal(group.member[0].entity.display, head.CHFID);
  t.equal(group.member[0].entity.identifier.value, lower(head.InsureeUUID));

  const address = ext(group, 'group-address').valueAddress;
  t.match(address, { use: 'home', type: 'physical', text: family1.FamilyAddress, city: DEMO.locations.village.name, district: DEMO.locations.district.name, state: DEMO.locations.region.name });
  t.equal(ext(address, 'address-location-reference').valueReference.reference, `Location/${DEMO.locations.village.uuid}`);
  t.equal(ext(address, 'address-municipality').valueString, DEMO.locations.ward.name);
  t.equal(ext(group, 'group-poverty-status').valueBoolean, Boolean(family1.Poverty));
  t.same(ext(group, 'group-type').valueCodeableConcept.coding[0], { system: `${IG}/CodeSystem/group-type`, code: family1.FamilyType, display: 'Household' });
  t.notOk(ext(group, 'group-confirmation'), 'no confirmation on family 1');
  t.notMatch(JSON.stringify(group), /_ig\/\//, 'no doubled slashes');
  t.equal(res.headers.get('etag'), `W/"${group.meta.versionId}"`);
});

t.test('read by the head CHFID, as the module reads a family', async (t) => {
  const head = headOf(family1);
  const res = await server.fhir(`Group/${head.CHFID}`);
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.equal(res.body.id, lower(family1.FamilyUUID), 'the family, under its UUID');
  t.same(res.body, (await server.fhir(`Group/${family1.FamilyUUID}`)).body, 'the same resource as read by UUID');
  const member = membersOf(family1).find((m: any) => m.InsureeID !== family1.InsureeID);
  t.ok(member, 'family 1 has a member besides the head');
  t.equal((await server.fhir(`Group/${member.CHFID}`)).status, 404, 'a member is not the head');
  t.equal((await server.fhir('Group/999999999')).status, 404, 'an unknown CHFID');
  const history = await server.fhir(`Group/${head.CHFID}/_history`);
  t.equal(history.status, 200, 'history by the head CHFID');
  t.ok(history.body.entry.every((e: any) => e.resource?.id === lower(family1.FamilyUUID) || !e.resource));
});

t.test('group-confirmation: number and type with its label', async (t) => {
  const group = (await server.fhir(`Group/${moved.FamilyUUID}`)).body;
  const confirmation = ext(group, 'group-confirmation');
  t.same(confirmation.extension, [
    { url: 'number', valueString: moved.ConfirmationNo },
    { url: 'type', valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/group-confirmation-type`, code: moved.ConfirmationType, display: 'Local council' }] } },
  ]);
});

t.test('every current family is served, each with its members and coverage, and paging walks them once', async (t) => {
  const seen: any[] = [];
  let url: string | undefined = 'Group?_count=3';
  while (url) {
    const page: any = (await server.fhir(url)).body;
    seen.push(...(page.entry ?? []).map((e: any) => e.resource));
    url = page.link.find((l: any) => l.relation === 'next')?.url;
  }
  t.equal(seen.length, families.length);
  t.equal(new Set(seen.map((g) => g.id)).size, families.length, 'no duplicates');
  for (const family of families) {
    const group = seen.find((g) => g.id === lower(family.FamilyUUID));
    t.ok(group, `family ${family.FamilyID} served`);
    if (!group) continue;
    const head = headOf(family);
    t.equal(group.identifier[1]?.value, head.CHFID, `family ${family.FamilyID}: head CHFID`);
    t.equal(group.name, head.LastName);
    t.equal(group.quantity, membersOf(family).length, `family ${family.FamilyID}: quantity`);
    t.same((group.member ?? []).map((m: any) => m.entity.reference).sort(), membersOf(family).map((m: any) => `Patient/${lower(m.InsureeUUID)}`).sort());
    t.equal(group.active, activeFamilies.has(family.FamilyID), `family ${family.FamilyID}: active`);
  }
  const soft = await db('tblInsuree').where('InsureeID', DEMO.softDeletedInsuree.id).first();
  const family10 = seen.find((g) => g.id === lower(families.find((f: any) => f.FamilyID === soft.FamilyID).FamilyUUID));
  t.notOk(family10.member.some((m: any) => m.entity.reference === `Patient/${lower(soft.InsureeUUID)}`), 'a soft-deleted insuree is no member');
});

t.test('members come without one query per family', async (t) => {
  const queries: string[] = [];
  const listener = (q: { sql: string }) => queries.push(q.sql);
  db.on('query', listener);
  const res = await server.fhir('Group?_count=10');
  db.off('query', listener);
  t.equal(res.body.entry.length, 10);
  const selects = queries.filter((sql) => /^\s*select/i.test(sql));
  t.ok(selects.length <= 3, `${selects.length} selects for a page of 10 families (page + members, auth may add one)`);
  t.equal(selects.filter((sql) => /"tblInsureePolicy"/.test(sql)).length, 1, 'coverage in the members query');
});

t.test('search: identifier, _id', async (t) => {
  const byUuid = await server.fhir(`Group?identifier=${family1.FamilyUUID.toUpperCase()}`);
  t.same(ids(byUuid.body), [lower(family1.FamilyUUID)], 'UUID, whatever its case');
  const typed = await server.fhir(`Group?identifier=${encodeURIComponent(`${IG}/CodeSystem/openimis-identifiers|`)}${family1.FamilyUUID}`);
  t.equal(typed.status, 200);
  const byId = await server.fhir(`Group?_id=${family1.FamilyUUID},${moved.FamilyUUID}`);
  t.same(ids(byId.body).sort(), [lower(family1.FamilyUUID), lower(moved.FamilyUUID)].sort());
  const none = await server.fhir('Group?identifier=00000000-0000-4000-8000-000000000000');
  t.equal(none.body.entry?.length ?? 0, 0);
});

t.test('search: head (UUID, CHFID, Patient/uuid, :identifier, chained name)', async (t) => {
  const head = headOf(family1);
  for (const value of [head.InsureeUUID, `Patient/${head.InsureeUUID}`, head.CHFID, `${server.base}/Patient/${head.InsureeUUID}`]) {
    const res = await server.fhir(`Group?head=${encodeURIComponent(value)}`);
    t.same(ids(res.body), [lower(family1.FamilyUUID)], `head=${value}`);
  }
  const byIdentifier = await server.fhir(`Group?head:identifier=${head.CHFID}`);
  t.same(ids(byIdentifier.body), [lower(family1.FamilyUUID)], 'head:identifier=<CHFID>');
  const member = membersOf(family1).find((m: any) => !m.IsHead);
  t.equal((await server.fhir(`Group?head=${member.CHFID}`)).body.entry?.length ?? 0, 0, 'a member is no head');
  const byName = await server.fhir(`Group?head.family=${encodeURIComponent(head.LastName)}&_count=100`);
  const expected = families.filter((f: any) => headOf(f).LastName.toLowerCase().startsWith(head.LastName.toLowerCase()));
  t.same(ids(byName.body).sort(), expected.map((f: any) => lower(f.FamilyUUID)).sort(), 'head.family=<last name>');
});

t.test('search: type (family type) and poverty', async (t) => {
  for (const code of ['H', 'T']) {
    const res = await server.fhir(`Group?type=${code}&_count=100`);
    const expected = families.filter((f: any) => f.FamilyType === code).map((f: any) => lower(f.FamilyUUID));
    t.same(ids(res.body).sort(), expected.sort(), `type=${code}`);
  }
  const withSystem = await server.fhir(`Group?type=${encodeURIComponent(`${IG}/CodeSystem/group-type|T`)}`);
  t.equal(withSystem.body.entry.length, families.filter((f: any) => f.FamilyType === 'T').length);
  const otherSystem = await server.fhir(`Group?type=${encodeURIComponent('http://example.org|T')}`);
  t.equal(otherSystem.body.entry?.length ?? 0, 0, 'another system matches nothing');
  const notH = await server.fhir('Group?type:not=H&_count=100');
  t.same(ids(notH.body).sort(), families.filter((f: any) => f.FamilyType !== 'H').map((f: any) => lower(f.FamilyUUID)).sort(), 'type:not=H');
  const poor = await server.fhir('Group?poverty=true&_count=100');
  t.same(ids(poor.body).sort(), families.filter((f: any) => f.Poverty).map((f: any) => lower(f.FamilyUUID)).sort(), 'poverty=true');
  const total = await server.fhir('Group?poverty=false&_total=accurate&_count=1');
  t.equal(total.body.total, families.filter((f: any) => !f.Poverty).length, 'counts work with every parameter');
});

t.test('search: _lastUpdated and _sort', async (t) => {
  const since = new Date(Date.parse(moved.ValidityFrom) - 1000).toISOString();
  const res = await server.fhir(`Group?_lastUpdated=ge${since}&_count=100`);
  const expected = families.filter((f: any) => Date.parse(f.ValidityFrom) >= Date.parse(since)).map((f: any) => lower(f.FamilyUUID));
  t.same(ids(res.body).sort(), expected.sort());
  const sorted = await server.fhir('Group?_sort=-_lastUpdated&_count=100');
  const stamps = sorted.body.entry.map((e: any) => Date.parse(e.resource.meta.lastUpdated));
  t.same(stamps, [...stamps].sort((a, b) => b - a));
});

t.test('_include=Group:head and _revinclude from Group', async (t) => {
  const res = await server.fhir(`Group?_id=${family1.FamilyUUID}&_include=Group:head`);
  const included = res.body.entry.filter((e: any) => e.search.mode === 'include');
  t.same(included.map((e: any) => e.resource.resourceType), ['Patient']);
  t.equal(included[0].resource.id, lower(headOf(family1).InsureeUUID));
  const all = await server.fhir('Group?_include=Group:head&_count=100');
  t.equal(all.body.entry.filter((e: any) => e.search.mode === 'include').length, families.length, 'one head per family');
  const rev = await server.fhir(`Patient?_id=${headOf(family1).InsureeUUID}&_revinclude=Group:head`);
  t.same(rev.body.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id), [lower(family1.FamilyUUID)]);
});

t.test('history and vread of a family with a legacy history row', async (t) => {
  const history = await server.fhir(`Group/${moved.FamilyUUID}/_history`);
  t.equal(history.status, 200);
  const copies = await db('tblFamilies').where('LegacyID', moved.FamilyID).whereNot('FamilyID', moved.FamilyID);
  t.equal(copies.length, DEMO.familyWithHistory.historyRows);
  t.equal(history.body.entry.length, copies.length + 1);
  t.same(history.body.entry.map((e: any) => e.request.method), ['PUT', 'POST']);
  const oldest = history.body.entry.at(-1).resource;
  t.equal(oldest.id, lower(moved.FamilyUUID), 'the old version under the entity id');
  t.equal(ext(oldest, 'group-address').valueAddress.text, copies[0].FamilyAddress, 'with the old address');
  const vread = await server.fhir(`Group/${moved.FamilyUUID}/_history/${oldest.meta.versionId}`);
  t.equal(vread.status, 200);
  t.equal(ext(vread.body, 'group-address').valueAddress.text, copies[0].FamilyAddress);
  t.equal(vread.body.quantity, membersOf(moved).length, 'members are loaded for old versions too (the current ones)');
  const typeHistory = await server.fhir('Group/_history?_count=100');
  if (typeHistory.status === 200) t.equal(typeHistory.body.entry.length, (await db('tblFamilies')).length, 'type history: every row');
});

t.test('unknown and malformed ids, rights', async (t) => {
  t.equal((await server.fhir('Group/00000000-0000-4000-8000-000000000000')).status, 404);
  const odd = await server.fhir(`Group/${encodeURIComponent("1' or '1'='1")}`);
  t.ok(odd.status === 404 || odd.status === 400);
  t.equal(odd.body.resourceType, 'OperationOutcome');
  const claimAdmin = await server.login(DEMO.users.claimAdmin.login, DEMO.users.claimAdmin.password);
  const denied = await server.fhir(`Group/${family1.FamilyUUID}`, { token: claimAdmin });
  t.equal(denied.status, 403, 'reading families needs 101001');
  t.equal(denied.body.resourceType, 'OperationOutcome');
  t.equal((await server.fhir('Group', { token: claimAdmin })).status, 403);
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  const family3 = families.find((f: any) => f.FamilyID === 3);
  t.equal((await server.fhir(`Group/${family3.FamilyUUID}`, { token: clerk })).status, 200, 'the clerk holds 101001 (family 3 is in his district)');
  t.equal((await server.fhir(`Group/${family1.FamilyUUID}`, { token: clerk })).status, 404, 'family 1 is not (group-row-security.test.ts)');
  t.equal((await server.fhir(`Group/${family1.FamilyUUID}`, { token: null })).status, 401);
});

t.test('CapabilityStatement lists Group with its parameters and interactions', async (t) => {
  const cs = (await server.fhir('metadata', { token: null })).body;
  const group = cs.rest[0].resource.find((r: any) => r.type === 'Group');
  t.ok(group);
  t.same(group.searchParam.map((p: any) => p.name).sort(), ['_id', '_lastUpdated', 'head', 'identifier', 'member', 'poverty', 'type']);
  t.ok(['read', 'search-type', 'create', 'update', 'delete'].every((code) => group.interaction.some((i: any) => i.code === code)));
});

t.test('identifier=<head CHFID> finds the family (the module\'s Code identifier)', async (t) => {
  const res = await server.fhir(`Group?identifier=${headOf(family1).CHFID}`);
  t.same(ids(res.body), [lower(family1.FamilyUUID)]);
  const both = await server.fhir(`Group?identifier=${headOf(moved).CHFID},${family1.FamilyUUID}&_count=100`);
  t.same(ids(both.body).sort(), [lower(family1.FamilyUUID), lower(moved.FamilyUUID)].sort(), 'CHFID or UUID, OR-ed');
  const member = membersOf(family1).find((m: any) => !m.IsHead);
  t.same(ids((await server.fhir(`Group?identifier=${member.CHFID}`)).body), [], 'a member\'s CHFID is not the family\'s');
  const not = await server.fhir(`Group?identifier:not=${headOf(family1).CHFID}&_count=100`);
  t.same(ids(not.body).sort(), families.filter((f: any) => f.FamilyID !== family1.FamilyID).map((f: any) => lower(f.FamilyUUID)).sort(), ':not');
});

t.test('member=Patient/<uuid>, by CHFID, chained; _include=Group:member, _revinclude and _has from Patient', async (t) => {
  const member = membersOf(family1).find((m: any) => !m.IsHead);
  const res = await server.fhir(`Group?member=Patient/${member.InsureeUUID}&_include=Group:member`);
  t.same(ids(res.body), [lower(family1.FamilyUUID)]);
  t.same(
    res.body.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id).sort(),
    membersOf(family1).map((m: any) => lower(m.InsureeUUID)).sort(),
    'every current member once',
  );
  t.same(ids((await server.fhir(`Group?member=${member.CHFID}`)).body), [lower(family1.FamilyUUID)], 'by CHFID');
  const removed = await db('tblInsuree').where('InsureeID', DEMO.softDeletedInsuree.id).first();
  t.same(ids((await server.fhir(`Group?member=${removed.InsureeUUID}`)).body), [], 'a removed insuree is no member');
  const byName = await server.fhir(`Group?member.given=${encodeURIComponent(member.OtherNames)}&member.family=${encodeURIComponent(member.LastName)}&_count=100`);
  t.ok(ids(byName.body).includes(lower(family1.FamilyUUID)), 'chained on the member\'s names');
  const rev = await server.fhir(`Patient?_id=${member.InsureeUUID}&_revinclude=Group:member`);
  t.same(rev.body.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id), [lower(family1.FamilyUUID)]);
  const has = await server.fhir(`Patient?_has:Group:member:_id=${family1.FamilyUUID}&_count=100`);
  t.same(ids(has.body).sort(), membersOf(family1).map((m: any) => lower(m.InsureeUUID)).sort(), '_has: the members of the family');
  const officer = await server.login(DEMO.users.enrolmentOfficer.login, DEMO.users.enrolmentOfficer.password);
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  t.same(ids((await server.fhir(`Group?member=${member.InsureeUUID}`, { token: officer })).body), [lower(family1.FamilyUUID)], 'the officer of the village sees it');
  t.same(ids((await server.fhir(`Group?member=${member.InsureeUUID}`, { token: clerk })).body), [], 'row security: the clerk does not');
  const missing = await server.fhir('Group?member:missing=true&_count=100');
  t.same(ids(missing.body), families.filter((f: any) => membersOf(f).length === 0).map((f: any) => lower(f.FamilyUUID)), ':missing=true: families without a current member');
});
