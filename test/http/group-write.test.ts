/**
 * Group create, update and delete write tblFamilies (and the head/member insuree rows they touch)
 * the legacy way: history copies, in-place updates, soft deletes, one transaction; bad input is a
 * 4xx OperationOutcome that leaves nothing behind.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const url = (name: string) => `${IG}/StructureDefinition/${name}`;
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const ext = (resource: any, name: string) => resource.extension?.find((e: any) => e.url === url(name));
const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);
const lower = (v: unknown) => String(v).toLowerCase();

const villages = await db('tblLocations').whereNull('ValidityTo').where('LocationType', 'V').orderBy('LocationId');
const family1 = await db('tblFamilies').where('FamilyID', DEMO.headInsuree.familyId).first();
// A member (not head) of family 1, who will head a family of his own.
const mover = await db('tblInsuree').where('FamilyID', family1.FamilyID).whereNull('ValidityTo').where('IsHead', false).orderBy('InsureeID').first();

function newGroup(headChfid: string, village = villages[0]): any {
  return {
    resourceType: 'Group',
    identifier: [{ type: idType('Code'), value: headChfid }],
    type: 'person',
    actual: true,
    extension: [
      {
        url: url('group-address'),
        valueAddress: {
          use: 'home',
          type: 'physical',
          text: 'Plot 3, New road',
          extension: [{ url: url('address-location-reference'), valueReference: { reference: `Location/${village.LocationUUID}` } }],
        },
      },
      { url: url('group-poverty-status'), valueBoolean: true },
      { url: url('group-type'), valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/group-type`, code: 'O' }] } },
      {
        url: url('group-confirmation'),
        extension: [
          { url: 'number', valueString: 'MUN-7788' },
          { url: 'type', valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/group-confirmation-type`, code: 'B' }] } },
        ],
      },
    ],
  };
}

const memberPatient = (chfid: string, groupId: string) => ({
  resourceType: 'Patient',
  identifier: [{ type: idType('Code'), value: chfid }],
  name: [{ use: 'usual', family: 'Mgeni', given: ['Asha'] }],
  gender: 'female',
  birthDate: '2001-02-03',
  extension: [
    { url: url('patient-is-head'), valueBoolean: false },
    { url: url('patient-group-reference'), valueReference: { reference: `Group/${groupId}` } },
  ],
});

let created: any;

t.test('create: a family around an existing insuree, who leaves his family to head it', async (t) => {
  const familiesBefore = await count('tblFamilies');
  const res = await server.fhir('Group', { method: 'POST', body: JSON.stringify(newGroup(mover.CHFID)) });
  t.equal(res.status, 201, JSON.stringify(res.body));
  created = res.body;
  t.equal(res.headers.get('location'), `${server.base}/Group/${created.id}/_history/${created.meta.versionId}`);
  t.equal(await count('tblFamilies'), familiesBefore + 1);
  const row = await db('tblFamilies').where('FamilyUUID', created.id).first();
  t.match(row, { InsureeID: mover.InsureeID, LocationId: villages[0].LocationId, FamilyAddress: 'Plot 3, New road', Poverty: true, FamilyType: 'O', LegacyID: null, ValidityTo: null, AuditUserID: 1 });
  t.equal(row.ConfirmationNo, 'MUN-7788', 'the confirmation is saved (the module lost it)');
  t.equal(row.ConfirmationType, 'B');

  const head = await db('tblInsuree').where('InsureeID', mover.InsureeID).first();
  t.equal(head.FamilyID, row.FamilyID, 'the head moved into the new family');
  t.equal(head.IsHead, true);
  const headCopies = await db('tblInsuree').where('LegacyID', mover.InsureeID).whereNot('InsureeID', mover.InsureeID);
  t.equal(headCopies.length, 1, 'with a history copy of his insuree row');
  t.equal(headCopies[0].FamilyID, family1.FamilyID);
  t.equal(headCopies[0].IsHead, false);

  t.same(created.identifier.map((i: any) => i.value), [created.id, mover.CHFID]);
  t.equal(created.name, mover.LastName);
  t.equal(created.quantity, 1);
  t.same(created.member.map((m: any) => m.entity.reference), [`Patient/${lower(mover.InsureeUUID)}`]);
  // openIMIS keeps a mover's coverage rows (change of family without cancelling policies): he is still
  // covered by family 1's active policy, so the new family is active, as the module computes it.
  t.equal(created.active, true, 'a member covered by an active policy');
  t.same(ext(created, 'group-confirmation').extension.map((e: any) => e.valueString ?? e.valueCodeableConcept.coding[0].code), ['MUN-7788', 'B']);
  t.equal(ext(created, 'group-type').valueCodeableConcept.coding[0].display, 'Other');

  const family1Now = (await server.fhir(`Group/${family1.FamilyUUID}`)).body;
  t.notOk(family1Now.member.some((m: any) => m.entity.reference === `Patient/${lower(mover.InsureeUUID)}`), 'no longer a member of family 1');
  const read = await server.fhir(`Group/${created.id}`);
  t.equal(read.status, 200);
  t.same(read.body, created, 'read gives what create returned');
});

t.test('create by first member reference (the module\'s input form), fhir-kit-client', async (t) => {
  const other = await db('tblInsuree').whereNull('ValidityTo').where('IsHead', false).whereNot('FamilyID', family1.FamilyID).orderBy('InsureeID').first();
  const body = newGroup(other.CHFID);
  delete body.identifier;
  body.member = [{ entity: { reference: `Patient/${other.InsureeUUID}` } }];
  const group = (await server.client().create({ resourceType: 'Group', body })) as any;
  t.equal(group.identifier[1].value, other.CHFID);
  t.equal((await db('tblInsuree').where('InsureeID', other.InsureeID).first()).IsHead, true);
});

t.test('update: address, poverty, type, confirmation; history with the legacy row; vread', async (t) => {
  const row = await db('tblFamilies').where('FamilyUUID', created.id).first();
  const body = structuredClone(created);
  const address = ext(body, 'group-address').valueAddress;
  address.text = 'Plot 4, Old road';
  address.extension = [{ url: url('address-location-reference'), valueReference: { reference: `Location/${villages[1].LocationCode}` } }];
  ext(body, 'group-poverty-status').valueBoolean = false;
  ext(body, 'group-type').valueCodeableConcept = { coding: [{ code: 'H' }] };
  body.extension = body.extension.filter((e: any) => e.url !== url('group-confirmation'));
  const res = await server.fhir(`Group/${created.id}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'if-match': `W/"${created.meta.versionId}"` } });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.not(res.body.meta.versionId, created.meta.versionId);
  const now = await db('tblFamilies').where('FamilyID', row.FamilyID).first();
  t.match(now, { FamilyUUID: row.FamilyUUID, LocationId: villages[1].LocationId, FamilyAddress: 'Plot 4, Old road', Poverty: false, FamilyType: 'H', ConfirmationNo: null, ConfirmationType: null });
  const copies = await db('tblFamilies').where('LegacyID', row.FamilyID);
  t.equal(copies.length, 1, 'one legacy history row');
  t.match(copies[0], { FamilyAddress: 'Plot 3, New road', LocationId: villages[0].LocationId, Poverty: true, FamilyType: 'O', ConfirmationNo: 'MUN-7788' });
  t.not(copies[0].FamilyUUID, row.FamilyUUID);
  t.equal(new Date(copies[0].ValidityTo).getTime(), new Date(now.ValidityFrom).getTime());

  const history = await server.fhir(`Group/${created.id}/_history`);
  t.equal(history.body.entry.length, 2, 'two versions');
  t.same(history.body.entry.map((e: any) => e.request.method), ['PUT', 'POST']);
  const old = await server.fhir(`Group/${created.id}/_history/${created.meta.versionId}`);
  t.equal(old.status, 200);
  t.equal(ext(old.body, 'group-address').valueAddress.text, 'Plot 3, New road');
  t.equal(ext(old.body, 'group-confirmation').extension[0].valueString, 'MUN-7788');

  const stale = await server.fhir(`Group/${created.id}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'if-match': `W/"${created.meta.versionId}"` } });
  t.equal(stale.status, 412);
  t.equal((await db('tblFamilies').where('LegacyID', row.FamilyID)).length, 1, 'a refused update writes nothing');
  created = res.body;
});

t.test('update: the head changes to another member; a member list must be the current one', async (t) => {
  const member = await server.fhir('Patient', { method: 'POST', body: JSON.stringify(memberPatient('900100001', created.id)) });
  t.equal(member.status, 201, JSON.stringify(member.body));
  const current = (await server.fhir(`Group/${created.id}`)).body;
  t.equal(current.quantity, 2);
  const newHead = await db('tblInsuree').where('InsureeUUID', member.body.id).first();

  const wrongList = structuredClone(current);
  wrongList.member = [current.member[0]];
  const refused = await server.fhir(`Group/${created.id}`, { method: 'PUT', body: JSON.stringify(wrongList) });
  t.equal(refused.status, 422, 'members are not removed through Group');
  t.match(refused.body.issue[0].expression, ['Group.member']);

  const body = structuredClone(current);
  body.identifier = [{ type: idType('Code'), value: newHead.CHFID }];
  body.member = [...current.member].reverse();
  const res = await server.fhir(`Group/${created.id}`, { method: 'PUT', body: JSON.stringify(body) });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.equal(res.body.identifier[1].value, newHead.CHFID);
  t.equal(res.body.name, 'Mgeni');
  t.equal(res.body.member[0].entity.reference, `Patient/${member.body.id}`, 'the new head first');
  const family = await db('tblFamilies').where('FamilyUUID', created.id).first();
  t.equal(family.InsureeID, newHead.InsureeID);
  t.equal((await db('tblInsuree').where('InsureeID', newHead.InsureeID).first()).IsHead, true);
  t.equal((await db('tblInsuree').where('InsureeID', mover.InsureeID).first()).IsHead, false, 'the old head is a member now');
  t.equal((await db('tblInsuree').where('LegacyID', newHead.InsureeID)).length, 1, 'history copy of the new head');

  const outsider = structuredClone(res.body);
  outsider.identifier = [{ type: idType('Code'), value: DEMO.headInsuree.chfid }];
  delete outsider.member;
  const notMember = await server.fhir(`Group/${created.id}`, { method: 'PUT', body: JSON.stringify(outsider) });
  t.equal(notMember.status, 422, 'only a member can become head');
  created = res.body;
});

t.test('delete: soft delete of the family with its members and their coverage; 410 afterwards', async (t) => {
  const family = await db('tblFamilies').where('FamilyUUID', created.id).first();
  const memberRows = await db('tblInsuree').where('FamilyID', family.FamilyID).whereNull('ValidityTo');
  t.equal(memberRows.length, 2);
  const copiesBefore = (await db('tblFamilies').where('LegacyID', family.FamilyID)).length;
  const res = await server.fhir(`Group/${created.id}`, { method: 'DELETE' });
  t.equal(res.status, 204, JSON.stringify(res.body));
  const closed = await db('tblFamilies').where('FamilyID', family.FamilyID).first();
  t.ok(closed.ValidityTo, 'the family row is closed');
  t.equal(new Date(closed.ValidityTo).getTime(), new Date(closed.ValidityFrom).getTime(), 'ValidityFrom = ValidityTo (openIMIS soft delete)');
  t.equal((await db('tblFamilies').where('LegacyID', family.FamilyID)).length, copiesBefore + 1, 'history copy of the last version');
  for (const m of memberRows) {
    const row = await db('tblInsuree').where('InsureeID', m.InsureeID).first();
    t.ok(row.ValidityTo, `member ${m.CHFID} soft-deleted`);
    t.equal((await server.fhir(`Patient/${m.InsureeUUID}`)).status, 410);
  }
  t.equal((await server.fhir(`Group/${created.id}`)).status, 410);
  const history = await server.fhir(`Group/${created.id}/_history`);
  t.equal(history.body.entry[0].request.method, 'DELETE');
  t.equal((await server.fhir(`Group?_id=${created.id}`)).body.entry?.length ?? 0, 0, 'no longer found');
  const again = await server.fhir(`Group/${created.id}`, { method: 'DELETE' });
  t.equal(again.status, 204, 'deleting what is deleted succeeds');
  const update = await server.fhir(`Group/${created.id}`, { method: 'PUT', body: JSON.stringify({ ...created, meta: undefined }) });
  t.equal(update.status, 410);
});

t.test('delete is refused while the family holds a live policy', async (t) => {
  const before = await count('tblFamilies');
  const insurees = await count('tblInsuree');
  const res = await server.fhir(`Group/${family1.FamilyUUID}`, { method: 'DELETE' });
  t.equal(res.status, 409);
  t.equal(res.body.resourceType, 'OperationOutcome');
  t.match(res.body.issue[0].diagnostics, /policy/);
  t.equal(await count('tblFamilies'), before);
  t.equal(await count('tblInsuree'), insurees);
  t.equal((await db('tblFamilies').where('FamilyID', family1.FamilyID).first()).ValidityTo, null);
});

t.test('bad input is a 4xx OperationOutcome and writes nothing', async (t) => {
  const families = await count('tblFamilies');
  const insurees = await count('tblInsuree');
  const post = (body: unknown) => server.fhir('Group', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  const head = await db('tblInsuree').where('InsureeID', DEMO.headInsuree.id).first();
  const member = await db('tblInsuree').whereNull('ValidityTo').where('IsHead', false).orderBy('InsureeID', 'desc').first();
  const other = await db('tblInsuree').whereNull('ValidityTo').where('IsHead', false).whereNot('InsureeID', member.InsureeID).orderBy('InsureeID', 'desc').first();
  const without = (name: string) => ({ ...newGroup(member.CHFID), extension: newGroup(member.CHFID).extension.filter((e: any) => e.url !== url(name)) });
  const withExt = (name: string, value: any) => ({ ...newGroup(member.CHFID), extension: [...without(name).extension, { url: url(name), ...value }] });

  const cases: [string, unknown, number][] = [
    ['malformed JSON', '{"resourceType": "Group", ', 400],
    ['wrong resourceType', { ...newGroup(member.CHFID), resourceType: 'Patient' }, 400],
    ['no head at all', { ...newGroup(member.CHFID), identifier: [] }, 422],
    ['unknown head CHFID', newGroup('999999999'), 422],
    ['head already heads a family', newGroup(head.CHFID), 409],
    ['another member on create', { ...newGroup(member.CHFID), member: [{ entity: { reference: `Patient/${member.InsureeUUID}` } }, { entity: { reference: `Patient/${other.InsureeUUID}` } }] }, 422],
    ['identifier and first member disagree', { ...newGroup(member.CHFID), member: [{ entity: { reference: `Patient/${other.InsureeUUID}` } }] }, 422],
    ['member that is not a Patient', { ...newGroup(member.CHFID), member: [{ entity: { reference: 'Device/1', type: 'Device' } }] }, 422],
    ['no address', without('group-address'), 422],
    ['unknown village', withExt('group-address', { valueAddress: { extension: [{ url: url('address-location-reference'), valueReference: { reference: 'Location/00000000-0000-4000-8000-000000000000' } }] } }), 422],
    ['a district is no village', withExt('group-address', { valueAddress: { extension: [{ url: url('address-location-reference'), valueReference: { reference: `Location/${DEMO.locations.district.uuid}` } }] } }), 422],
    ['address text too long', withExt('group-address', { valueAddress: { text: 'x'.repeat(201), extension: [{ url: url('address-location-reference'), valueReference: { reference: `Location/${villages[0].LocationUUID}` } }] } }), 422],
    ['unknown family type', withExt('group-type', { valueCodeableConcept: { coding: [{ code: 'ZZ' }] } }), 422],
    ['unknown confirmation type', withExt('group-confirmation', { extension: [{ url: 'type', valueCodeableConcept: { coding: [{ code: 'Q' }] } }] }), 422],
    ['confirmation number too long', withExt('group-confirmation', { extension: [{ url: 'number', valueString: '1234567890123' }] }), 422],
    ['poverty not a boolean', withExt('group-poverty-status', { valueBoolean: 'yes' }), 422],
    ['Group.type animal', { ...newGroup(member.CHFID), type: 'animal' }, 422],
    ['Group.actual false', { ...newGroup(member.CHFID), actual: false }, 422],
  ];
  for (const [name, body, status] of cases) {
    const res = await post(body);
    t.equal(res.status, status, `${name}: ${res.status} ${JSON.stringify(res.body?.issue?.[0]?.diagnostics)}`);
    t.equal(res.body?.resourceType, 'OperationOutcome', `${name}: OperationOutcome`);
  }
  const many = await post({
    ...newGroup(member.CHFID),
    extension: [
      { url: url('group-type'), valueCodeableConcept: { coding: [{ code: 'ZZ' }] } },
      { url: url('group-confirmation'), extension: [{ url: 'number', valueString: '1234567890123' }, { url: 'type', valueCodeableConcept: { coding: [{ code: 'Q' }] } }] },
    ],
  });
  t.ok(many.body.issue.length >= 4, 'every problem reported at once (no address, type, confirmation number and type)');
  t.ok(many.body.issue.some((i: any) => i.expression?.[0] === 'Group.extension[group-type]'));
  t.equal(await count('tblFamilies'), families, 'no family written');
  t.equal(await count('tblInsuree'), insurees, 'no insuree written');
  t.equal((await db('tblInsuree').where('InsureeID', member.InsureeID).first()).IsHead, false, 'the would-be head untouched');
});

t.test('writes need the family rights', async (t) => {
  const claimAdmin = await server.login(DEMO.users.claimAdmin.login, DEMO.users.claimAdmin.password);
  const member = await db('tblInsuree').whereNull('ValidityTo').where('IsHead', false).orderBy('InsureeID', 'desc').first();
  const post = await server.fhir('Group', { method: 'POST', body: JSON.stringify(newGroup(member.CHFID)), token: claimAdmin });
  t.equal(post.status, 403);
  const put = await server.fhir(`Group/${family1.FamilyUUID}`, { method: 'PUT', body: JSON.stringify(newGroup(member.CHFID)), token: claimAdmin });
  t.equal(put.status, 403);
  const del = await server.fhir(`Group/${family1.FamilyUUID}`, { method: 'DELETE', token: claimAdmin });
  t.equal(del.status, 403);
  // The clerk is limited to district R1D2: a family there, around an insuree of a family there.
  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  const r1d2Village = villages.find((v: any) => v.LocationCode === 'R1D2M1V1');
  const r1d2Member = await db('tblInsuree as i')
    .join('tblFamilies as f', 'f.FamilyID', 'i.FamilyID')
    .where('f.LocationId', r1d2Village.LocationId)
    .whereNull('i.ValidityTo')
    .where('i.IsHead', false)
    .first('i.*');
  const elsewhere = await server.fhir('Group', { method: 'POST', body: JSON.stringify(newGroup(r1d2Member.CHFID)), token: clerk });
  t.equal(elsewhere.status, 403, 'not in a village outside its district');
  const foreignHead = await server.fhir('Group', { method: 'POST', body: JSON.stringify(newGroup(member.CHFID, r1d2Village)), token: clerk });
  t.equal(foreignHead.status, 403, 'not around an insuree of another district');
  const byClerk = await server.fhir('Group', { method: 'POST', body: JSON.stringify(newGroup(r1d2Member.CHFID, r1d2Village)), token: clerk });
  t.equal(byClerk.status, 201, 'the clerk holds 101002');
  t.equal((await db('tblFamilies').where('FamilyUUID', byClerk.body.id).first()).AuditUserID, DEMO.users.clerk.id, 'audited as the clerk');
});
