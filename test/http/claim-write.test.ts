/**
 * Claim create, update and delete: entered the openIMIS way (status 2, price asked from the client,
 * the price list or the register), lines kept with history, changes only while entered, every
 * problem a 4xx that writes nothing.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const currency = server.config.currency;
const idType = (code: string) => ({ coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code }] });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);
const counts = async () => ({ claims: await count('tblClaim'), items: await count('tblClaimItems'), services: await count('tblClaimServices') });

// Amani Health Centre: price lists 2 (items: PARA50 at 8, AMOX25 at 35; services: OPD01 at 1200), not XRAY01 nor METF50.
const hf = await db('tblHF').where('HFCode', 'AMHC001').whereNull('ValidityTo').first();
const admin = await db('tblClaimAdmin').where('HFId', hf.HfID).whereNull('ValidityTo').first();
const insuree = await db('tblInsuree').where('CHFID', DEMO.headInsuree.chfid).whereNull('ValidityTo').first();
const register = async (table: string, column: string, code: string) => db(table).where(column, code).whereNull('ValidityTo').first();
const item = (code: string) => register('tblItems', 'ItemCode', code);
const service = (code: string) => register('tblServices', 'ServCode', code);
const policy = await db('tblPolicy').where('FamilyID', insuree.FamilyID).whereNull('ValidityTo').first();

/** A claim line as the openIMIS module writes it: category text, the claim-item-reference, the code as productOrService. */
const line = (kind: 'item' | 'service', row: any, quantity: number, price?: number, sequence = 1) => ({
  sequence,
  category: { text: kind },
  extension: [
    {
      url: `${IG}/StructureDefinition/claim-item-reference`,
      valueReference: { reference: `${kind === 'item' ? `Medication/${row.ItemUUID}` : `ActivityDefinition/${row.ServiceUUID}`}` },
    },
  ],
  productOrService: { text: kind === 'item' ? row.ItemCode : row.ServCode },
  quantity: { value: quantity },
  ...(price === undefined ? {} : { unitPrice: { value: price, currency } }),
});

async function newClaim(code: string): Promise<any> {
  return {
    resourceType: 'Claim',
    identifier: [{ type: idType('Code'), value: code }],
    status: 'active',
    use: 'claim',
    type: { coding: [{ system: `${IG}/CodeSystem/claim-visit-type`, code: 'O' }] },
    patient: { reference: `Patient/${insuree.InsureeUUID}` },
    provider: { reference: `Organization/${hf.HfUUID}` },
    enterer: { reference: `Practitioner/${admin.ClaimAdminUUID}` },
    created: day(0),
    billablePeriod: { start: day(-2), end: day(-1) },
    diagnosis: [
      { sequence: 1, diagnosisCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/diagnosis-ICD10-level1`, code: 'B54' }] } },
      { sequence: 2, diagnosisCodeableConcept: { coding: [{ code: 'R50' }] } },
    ],
    supportingInfo: [
      { sequence: 1, category: { coding: [{ system: `${IG}/CodeSystem/claim-supporting-info-category`, code: 'guarantee' }] }, valueString: 'G-77' },
      { sequence: 2, category: { coding: [{ code: 'explanation' }] }, valueString: 'Fever for three days' },
    ],
    priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: { reference: `Coverage/${policy.PolicyUUID}` } }],
    item: [
      line('item', await item('PARA50'), 10, 0, 1),
      line('item', await item('AMOX25'), 15, 50, 2),
      line('item', await item('METF50'), 2, undefined, 3),
      line('service', await service('OPD01'), 1, 0, 4),
      line('service', await service('XRAY01'), 1, undefined, 5),
    ],
    total: { value: 1, currency },
  };
}

t.test('create: 201, status entered, lines priced the openIMIS way, claimed = sum of the lines', async (t) => {
  const res = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(await newClaim('TC000001')) });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const id = res.body.id;
  t.equal(res.headers.get('location'), `${server.base}/Claim/${id}/_history/${res.body.meta.versionId}`);
  const row = await db('tblClaim').where('ClaimUUID', id).first();
  t.match(row, {
    ClaimCode: 'TC000001', ClaimStatus: 2, HFID: hf.HfID, InsureeID: insuree.InsureeID, ClaimAdminId: admin.ClaimAdminId,
    DateClaimed: day(0), DateFrom: day(-2), DateTo: day(-1), VisitType: 'O', GuaranteeId: 'G-77', Explanation: 'Fever for three days',
    Feedback: false, ReviewStatus: 1, FeedbackStatus: 1, RejectionReason: 0, AuditUserID: DEMO.users.admin.id, LegacyID: null, ValidityTo: null,
  });
  const icd = await db('tblICDCodes').whereIn('ICDCode', ['B54', 'R50']).whereNull('ValidityTo');
  t.equal(row.ICDID, icd.find((d) => d.ICDCode === 'B54').ICDID);
  t.equal(row.ICDID1, icd.find((d) => d.ICDCode === 'R50').ICDID);
  const items = await db('tblClaimItems as l').join('tblItems as i', 'i.ItemID', 'l.ItemID').where('ClaimID', row.ClaimID).orderBy('ClaimItemID');
  t.same(items.map((l) => [l.ItemCode, l.QtyProvided, l.PriceAsked]), [
    ['PARA50', 10, 8], // no client price: the price-list override
    ['AMOX25', 15, 50], // the client's price
    ['METF50', 2, 25], // not on the price list: the register price
  ]);
  t.ok(items.every((l) => l.ClaimItemStatus === 1 && l.Availability === true && l.RejectionReason === 0 && l.ValidityTo === null));
  const services = await db('tblClaimServices as l').join('tblServices as s', 's.ServiceID', 'l.ServiceID').where('ClaimID', row.ClaimID).orderBy('ClaimServiceID');
  t.same(services.map((l) => [l.ServCode, l.QtyProvided, l.PriceAsked]), [['OPD01', 1, 1200], ['XRAY01', 1, 15000]]);
  t.equal(row.Claimed, 80 + 750 + 50 + 1200 + 15000, 'the sum of the lines, whatever total the client sent');

  const read = (await server.fhir(`Claim/${id}`)).body;
  t.same(read.identifier[1].value, 'TC000001');
  t.same(read.item.map((i: any) => [i.productOrService.text, i.unitPrice.value]), [['PARA50', 8], ['AMOX25', 50], ['METF50', 25], ['OPD01', 1200], ['XRAY01', 15000]]);
  t.same(read.diagnosis.map((d: any) => d.diagnosisCodeableConcept.coding[0].code), ['B54', 'R50']);
  t.same(read.supportingInfo.map((s: any) => [s.category.coding[0].code, s.valueString]), [['guarantee', 'G-77'], ['explanation', 'Fever for three days']]);
  const response = (await server.fhir(`ClaimResponse/${id}`)).body;
  t.equal(response.outcome, 'queued');
});

t.test('round trip, update of lines, history, vread, delete, 410', async (t) => {
  const created = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(await newClaim('TC000002')) });
  const id = created.body.id;
  const row = await db('tblClaim').where('ClaimUUID', id).first();
  const before = await counts();

  // The representation read back can be sent back unchanged: same values, no line touched.
  const same = await server.fhir(`Claim/${id}`, { method: 'PUT', body: JSON.stringify(created.body), headers: { 'if-match': created.headers.get('etag')! } });
  t.equal(same.status, 200, JSON.stringify(same.body));
  const strip = (c: any) => ({ ...c, meta: undefined });
  t.same(strip(same.body), strip(created.body), 'round trip: the same resource');
  const afterSame = await counts();
  t.equal(afterSame.items, before.items, 'no item line rewritten');
  t.equal(afterSame.services, before.services, 'no service line rewritten');
  t.equal(afterSame.claims, before.claims + 1, 'one history copy of the header');

  // Change a quantity, drop a line, add one.
  const changed = structuredClone(same.body);
  changed.item[0].quantity.value = 12; // PARA50 10 → 12
  changed.item.splice(2, 1); // drop METF50
  changed.item.push(line('service', await service('LAB01'), 1, 0, 6));
  changed.billablePeriod.end = day(-2);
  const updated = await server.fhir(`Claim/${id}`, { method: 'PUT', body: JSON.stringify(changed) });
  t.equal(updated.status, 200, JSON.stringify(updated.body));
  t.same(updated.body.item.map((i: any) => [i.productOrService.text, i.quantity.value]), [['PARA50', 12], ['AMOX25', 15], ['OPD01', 1], ['XRAY01', 1], ['LAB01', 1]]);
  const current = await db('tblClaim').where('ClaimID', row.ClaimID).first();
  t.equal(current.Claimed, 96 + 750 + 1200 + 15000 + 1000);
  t.equal(current.DateTo, day(-2));
  const para = await item('PARA50');
  const paraLines = await db('tblClaimItems').where('ClaimID', row.ClaimID).where('ItemID', para.ItemID).orderBy('ClaimItemID');
  t.equal(paraLines.length, 2, 'the changed line and its history copy');
  const [kept, copy] = paraLines;
  t.equal(kept.ValidityTo, null);
  t.equal(kept.QtyProvided, 12);
  t.equal(copy.LegacyID, kept.ClaimItemID);
  t.equal(copy.QtyProvided, 10);
  const metf = await db('tblClaimItems').where('ClaimID', row.ClaimID).where('ItemID', (await item('METF50')).ItemID);
  t.ok(metf.every((l) => l.ValidityTo !== null), 'the dropped line is closed');
  t.equal(new Date(kept.ValidityFrom).getTime(), new Date(current.ValidityFrom).getTime(), 'lines change at the version instant');

  const history = await server.fhir(`Claim/${id}/_history`);
  t.same(history.body.entry.map((e: any) => e.request.method), ['PUT', 'PUT', 'POST']);
  const first = history.body.entry.at(-1).resource;
  t.same(first.item.map((i: any) => [i.productOrService.text, i.quantity.value]), [['PARA50', 10], ['AMOX25', 15], ['METF50', 2], ['OPD01', 1], ['XRAY01', 1]], 'the first version with its own lines');
  const vread = await server.fhir(`Claim/${id}/_history/${first.meta.versionId}`);
  t.same(vread.body.item, first.item);
  t.same(history.body.entry[0].resource.item, updated.body.item);

  const deleted = await server.fhir(`Claim/${id}`, { method: 'DELETE' });
  t.equal(deleted.status, 204, JSON.stringify(deleted.body));
  t.equal((await server.fhir(`Claim/${id}`)).status, 410);
  t.equal((await server.fhir(`ClaimResponse/${id}`)).status, 410);
  t.equal((await server.fhir(`Claim?identifier=TC000002`)).body.total, 0);
  const closed = await db('tblClaim').where('ClaimID', row.ClaimID).first();
  t.ok(closed.ValidityTo, 'soft-deleted');
  t.equal(Number((await db('tblClaimItems').where('ClaimID', row.ClaimID).whereNull('ValidityTo').count({ n: '*' }))[0].n), 0, 'with its items');
  t.equal(Number((await db('tblClaimServices').where('ClaimID', row.ClaimID).whereNull('ValidityTo').count({ n: '*' }))[0].n), 0, 'and services');
  const afterDelete = await server.fhir(`Claim/${id}/_history`);
  t.equal(afterDelete.body.entry[0].request.method, 'DELETE');
  t.equal(afterDelete.body.entry[1].resource.item.length, 5, 'the last version keeps its lines');
  const code = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(await newClaim('TC000002')) });
  t.equal(code.status, 201, 'the code of a deleted claim can be used again');
});

t.test('references by code, type + identifier, and contained #Type/id and #id', async (t) => {
  const claim = await newClaim('TC000003');
  claim.patient = { type: 'Patient', identifier: { type: idType('Code'), value: insuree.CHFID } };
  claim.provider = { reference: `Organization/${hf.HFCode}` };
  claim.enterer = { reference: '#admin' };
  claim.contained = [
    { resourceType: 'Practitioner', id: 'admin', identifier: [{ type: idType('Code'), value: admin.ClaimAdminCode }] },
    { resourceType: 'Medication', id: (await item('PARA50')).ItemUUID },
  ];
  claim.item = [
    { ...line('item', await item('PARA50'), 1, undefined, 1), extension: [{ url: `${IG}/StructureDefinition/claim-item-reference`, valueReference: { reference: `#Medication/${(await item('PARA50')).ItemUUID}` } }] },
    { sequence: 2, category: { text: 'service' }, productOrService: { text: 'OPD01' }, extension: [{ url: `${IG}/StructureDefinition/claim-item-reference`, valueReference: { type: 'ActivityDefinition', identifier: { type: idType('Code'), value: 'OPD01' } } }], quantity: { value: 1 } },
    { sequence: 3, productOrService: { text: 'LAB01' }, category: { coding: [{ code: 'service' }] }, quantity: { value: 1 } },
  ];
  const res = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(claim) });
  t.equal(res.status, 201, JSON.stringify(res.body));
  t.same(res.body.item.map((i: any) => i.productOrService.text), ['PARA50', 'OPD01', 'LAB01']);
  t.equal(res.body.enterer.display, admin.ClaimAdminCode);
  t.equal(res.body.patient.display, insuree.CHFID);
  t.notOk(res.body.contained, 'contained resources only name existing rows; nothing is stored');
});

t.test('PATCH changes a line through the same update', async (t) => {
  const created = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(await newClaim('TC000004')) });
  const patch = [{ op: 'replace', path: '/item/0/quantity/value', value: 3 }];
  const res = await server.fhir(`Claim/${created.body.id}`, { method: 'PATCH', body: JSON.stringify(patch), headers: { 'content-type': 'application/json-patch+json' } });
  t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
  t.equal(res.body.item[0].quantity.value, 3);
  t.equal(res.body.total.value, created.body.total.value - 7 * created.body.item[0].unitPrice.value);
});

t.test('only entered claims change or are deleted', async (t) => {
  const checked = (await server.fhir(`Claim/${DEMO.claims.checked.uuid}`)).body;
  const before = await counts();
  const put = await server.fhir(`Claim/${checked.id}`, { method: 'PUT', body: JSON.stringify(checked) });
  t.equal(put.status, 409);
  t.match(put.body.issue[0].diagnostics, /only entered claims/);
  const del = await server.fhir(`Claim/${DEMO.claims.valuated.uuid}`, { method: 'DELETE' });
  t.equal(del.status, 409);
  t.same(await counts(), before, 'nothing written');
});

t.test('bad input is a 4xx OperationOutcome naming the element, and writes nothing', async (t) => {
  const before = await counts();
  const post = (body: unknown) => server.fhir('Claim', { method: 'POST', body: JSON.stringify(body) });
  const variant = async (change: (c: any) => void) => {
    const c = await newClaim('TC000009');
    change(c);
    return c;
  };
  const cases: [string, any, number, RegExp][] = [
    ['code too long', await variant((c) => (c.identifier[0].value = 'TOOLONG01')), 422, /Claim\.identifier/],
    ['no code', await variant((c) => delete c.identifier), 422, /Claim\.identifier/],
    ['duplicate code at the facility', await variant((c) => (c.identifier[0].value = DEMO.claims.partlyRejected.code)), 409, /already has a claim/],
    ['end before start', await variant((c) => (c.billablePeriod = { start: day(-1), end: day(-3) })), 422, /billablePeriod/],
    ['claimed before the visit', await variant((c) => (c.created = day(-5))), 422, /Claim\.created/],
    ['in the future', await variant((c) => { c.billablePeriod = { start: day(5), end: day(5) }; c.created = day(5); }), 422, /future/],
    ['impossible date', await variant((c) => (c.created = '2024-02-30')), 422, /Claim\.created/],
    ['unknown ICD code', await variant((c) => (c.diagnosis[1].diagnosisCodeableConcept.coding[0].code = 'ZZ99')), 422, /diagnosis\[1\]/],
    ['no diagnosis', await variant((c) => delete c.diagnosis), 422, /Claim\.diagnosis/],
    ['unknown visit type', await variant((c) => (c.type.coding[0].code = 'X')), 422, /Claim\.type/],
    ['unknown patient', await variant((c) => (c.patient.reference = 'Patient/00000000-0000-4000-8000-000000000000')), 422, /Claim\.patient/],
    ['patient of the wrong type', await variant((c) => (c.patient.reference = `Organization/${hf.HfUUID}`)), 422, /Claim\.patient/],
    ['no provider', await variant((c) => delete c.provider), 422, /Claim\.provider/],
    ['administrator of another facility', await variant((c) => (c.enterer.reference = `Practitioner/${DEMO.claimAdmin.uuid}`)), 422, /Claim\.enterer/],
    ['unknown item', await variant((c) => (c.item[0].extension[0].valueReference.reference = 'Medication/NOPE01')), 422, /item\[0\]/],
    ['item referencing a service', await variant((c) => (c.item[0].extension[0].valueReference.reference = 'ActivityDefinition/OPD01')), 422, /item\[0\]/],
    ['zero quantity', await variant((c) => (c.item[1].quantity.value = 0)), 422, /item\[1\]\.quantity/],
    ['negative price', await variant((c) => (c.item[1].unitPrice.value = -5)), 422, /item\[1\]\.unitPrice/],
    ['another currency', await variant((c) => (c.item[1].unitPrice.currency = 'XXX')), 422, /currency/],
    ['no lines', await variant((c) => delete c.item), 422, /Claim\.item/],
    ['unknown line category', await variant((c) => { c.item[0].category.text = 'drug'; delete c.item[0].extension; }), 422, /category/],
    ['attachment of a refused type', await variant((c) => c.supportingInfo.push({ sequence: 3, category: { coding: [{ code: 'attachment' }] }, valueAttachment: { contentType: 'application/x-msdownload', data: 'AA==' } })), 422, /not an accepted document type/],
    ['unknown contained', await variant((c) => (c.enterer = { reference: '#nobody' })), 422, /Claim\.enterer/],
  ];
  for (const [name, body, status, message] of cases) {
    const res = await post(body);
    t.equal(res.status, status, `${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    t.equal(res.body?.resourceType, 'OperationOutcome', name);
    t.match(JSON.stringify(res.body.issue), message, `${name}: names the element`);
  }
  const many = await post(await variant((c) => {
    c.identifier[0].value = 'WAYTOOLONG';
    c.item[0].quantity.value = -1;
    c.item[1].unitPrice.value = -5;
  }));
  t.ok(many.body.issue.length >= 3, `every problem at once: ${JSON.stringify(many.body)}`);
  t.same(await counts(), before, 'nothing written');
  const elsewhere = await newClaim(DEMO.claims.entered.code);
  const ok = await post(elsewhere);
  t.equal(ok.status, 201, 'a code used at another facility is fine');
});

t.test('rights and facilities', async (t) => {
  const officer = await server.login(DEMO.users.enrolmentOfficer.login, DEMO.users.enrolmentOfficer.password);
  t.equal((await server.fhir('Claim', { method: 'POST', body: JSON.stringify(await newClaim('TC000010')), token: officer })).status, 403, 'no right to enter claims');
  const claimAdmin = await server.login(DEMO.users.claimAdmin.login, DEMO.users.claimAdmin.password);
  const other = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(await newClaim('TC000011')), token: claimAdmin });
  t.equal(other.status, 403, 'a claim administrator enters claims for his own facility only');
  const own = await newClaim('TC000012');
  const hospital = await db('tblHF').where('HfID', DEMO.healthFacility.id).first();
  own.provider = { reference: `Organization/${hospital.HfUUID}` };
  own.enterer = { reference: `Practitioner/${DEMO.claimAdmin.uuid}` };
  const res = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(own), token: claimAdmin });
  t.equal(res.status, 201, JSON.stringify(res.body));
  t.equal((await db('tblClaim').where('ClaimUUID', res.body.id).first()).AuditUserID, DEMO.users.claimAdmin.id);
  const put = await server.fhir(`Claim/${res.body.id}`, { method: 'PUT', body: JSON.stringify(res.body), token: claimAdmin });
  t.equal(put.status, 403, 'editing needs 111010');
  const del = await server.fhir(`Claim/${res.body.id}`, { method: 'DELETE', token: claimAdmin });
  t.equal(del.status, 204, 'deleting an entered claim: 111004');
});
