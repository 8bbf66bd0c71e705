/**
 * ClaimResponse: the adjudication of every demo claim as far as its status goes (one claim per
 * status), totals, rejection reasons, review notes, search, and that it is read-only.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const currency = server.config.currency;
const claims = await db('tblClaim').whereNull('ValidityTo').orderBy('ClaimID');
const read = async (uuid: string) => {
  const res = await server.fhir(`ClaimResponse/${uuid}`);
  if (res.status !== 200) throw new Error(`${uuid}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const categories = (item: any) => item.adjudication.map((a: any) => a.category.coding[0].code);
const total = (response: any, status: string) => response.total.find((x: any) => x.category.coding[0].code === status)?.amount.value;
const lines = async (claimId: number) => [
  ...(await db('tblClaimItems').where('ClaimID', claimId).whereNull('ValidityTo').orderBy('ClaimItemID')),
  ...(await db('tblClaimServices').where('ClaimID', claimId).whereNull('ValidityTo').orderBy('ClaimServiceID')),
];

t.test('entered: queued, one "entered" adjudication per line with the price asked', async (t) => {
  const c = DEMO.claims.entered;
  const response = await read(c.uuid);
  t.equal(response.resourceType, 'ClaimResponse');
  t.equal(response.id, c.uuid);
  t.same(response.identifier.map((i: any) => i.value), [c.uuid, c.code]);
  t.equal(response.status, 'active');
  t.equal(response.use, 'claim');
  t.equal(response.outcome, 'queued');
  t.equal(response.disposition, 'entered');
  t.match(response.request, { reference: `Claim/${c.uuid}`, type: 'Claim', display: c.code });
  t.match(response.insurer, { reference: 'Organization/openIMIS-Implementation', identifier: { value: 'openIMIS' } });
  t.match(response.requestor, { reference: `Practitioner/${DEMO.claimAdmin.uuid}` });
  t.match(response.patient, { reference: /^Patient\/[0-9a-f-]{36}$/, display: c.chfid });
  t.match(response.created, /^\d{4}-\d\d-\d\dT/);
  t.equal(response.type.coding[0].system, `${IG}/CodeSystem/claim-visit-type`);
  const rows = await lines(c.id);
  t.equal(response.item.length, rows.length);
  response.item.forEach((item: any, i: number) => {
    t.equal(item.itemSequence, i + 1);
    t.same(categories(item), ['2']);
    t.same(item.adjudication[0].category.coding[0], { system: `${IG}/CodeSystem/claim-status`, code: '2', display: 'entered' });
    t.same(item.adjudication[0].reason.coding[0], { system: `${IG}/CodeSystem/claim-rejection-reasons`, code: '0', display: 'ACCEPTED' });
    t.same(item.adjudication[0].amount, { value: rows[i].PriceAsked, currency });
    t.equal(item.adjudication[0].value, rows[i].QtyProvided);
    t.match(item.extension[0], { url: `${IG}/StructureDefinition/claim-item-reference`, valueReference: { reference: /^(Medication|ActivityDefinition)\// } });
  });
  t.same(response.total.map((x: any) => [x.category.coding[0].code, x.amount.value]), [['2', c.claimed]]);
  t.notOk(response.error);
});

t.test('checked: partial, entered and checked adjudications, approved total', async (t) => {
  const c = DEMO.claims.checked;
  const response = await read(c.uuid);
  t.equal(response.outcome, 'partial');
  t.ok(response.item.every((i: any) => categories(i).join() === '2,4'));
  t.equal(total(response, '2'), c.claimed);
  t.equal(total(response, '4'), c.approved);
  t.equal(total(response, '8'), undefined);
});

t.test('rejected: complete, one "rejected" adjudication per line with its reason, errors', async (t) => {
  const c = DEMO.claims.rejected;
  const response = await read(c.uuid);
  t.equal(response.outcome, 'complete');
  t.equal(response.disposition, 'rejected');
  t.same(response.item.map(categories), [['1'], ['1']]);
  t.same(response.item.map((i: any) => i.adjudication[0].reason.coding[0].code), c.lineRejectionReasons.map(String));
  t.equal(response.item[1].adjudication[0].reason.coding[0].display, 'NOT IN PRICE LIST');
  const row = claims.find((r) => r.ClaimID === c.id);
  t.same(response.error.map((e: any) => [e.itemSequence, e.code.coding[0].code]), [
    [undefined, String(row.RejectionReason)],
    [1, String(c.lineRejectionReasons[0])],
    [2, String(c.lineRejectionReasons[1])],
  ]);
  t.same(response.total.map((x: any) => x.category.coding[0].code), ['2']);
  t.equal(total(response, '2'), c.claimed);
});

t.test('partly rejected: the rejected line apart, the approved total without it, the review note', async (t) => {
  const c = DEMO.claims.partlyRejected;
  const response = await read(c.uuid);
  t.equal(response.outcome, 'partial');
  const rows = await lines(c.id);
  response.item.forEach((item: any, i: number) => {
    if (rows[i].RejectionReason) {
      t.same(categories(item), ['1']);
      t.equal(item.adjudication[0].reason.coding[0].code, String(rows[i].RejectionReason));
    } else t.same(categories(item), ['2', '4']);
  });
  t.equal(response.item.filter((i: any) => categories(i)[0] === '1').length, 1);
  t.equal(total(response, '4'), c.approved);
  t.equal(response.error.length, 1);
  const row = claims.find((r) => r.ClaimID === c.id);
  t.same(response.processNote, [{ number: 1, type: 'display', text: row.Adjustment }], 'the adjustment note');
});

t.test('processed: entered, checked and processed adjudications', async (t) => {
  const c = DEMO.claims.processed;
  const response = await read(c.uuid);
  t.equal(response.outcome, 'partial');
  t.ok(response.item.every((i: any) => categories(i).join() === '2,4,8'));
  t.equal(total(response, '4'), c.approved);
  t.equal(total(response, '8'), c.approved, 'no adjustment: the approved amounts');
  t.equal(total(response, '16'), undefined);
});

t.test('valuated: complete, every status, valuated amounts and totals', async (t) => {
  for (const c of [DEMO.claims.valuated, DEMO.claims.valuatedByBatch]) {
    const response = await read(c.uuid);
    t.equal(response.outcome, 'complete');
    t.ok(response.item.every((i: any) => categories(i).join() === '2,4,8,16'), c.code);
    const rows = await lines(c.id);
    response.item.forEach((item: any, i: number) => {
      const valuated = item.adjudication[3];
      t.equal(valuated.amount.value, rows[i].PriceValuated ?? rows[i].PriceApproved ?? rows[i].PriceAsked);
      t.equal(valuated.value, rows[i].QtyApproved || rows[i].QtyProvided);
    });
    t.equal(total(response, '2'), c.claimed);
    t.equal(total(response, '16'), c.valuated, `${c.code} valuated total (after deductibles)`);
  }
});

t.test('every current demo claim has a ClaimResponse that maps', async (t) => {
  const res = await server.fhir('ClaimResponse?_count=1000');
  t.equal(res.status, 200);
  t.equal(res.body.total, claims.length);
  for (const { resource } of res.body.entry) {
    const row = claims.find((r) => r.ClaimUUID.toLowerCase() === resource.id);
    t.ok(row, resource.id);
    t.equal(resource.item.length, (await lines(row.ClaimID)).length);
    t.ok(resource.item.every((i: any) => i.adjudication.length >= 1));
  }
});

t.test('search: identifier, request, patient, outcome, created', async (t) => {
  const ids = (body: any) => (body.entry ?? []).map((e: any) => e.resource.id).sort();
  const uuids = (rows: any[]) => rows.map((r) => r.ClaimUUID.toLowerCase()).sort();
  const get = async (query: string) => (await server.fhir(`ClaimResponse?${query}&_count=1000`)).body;
  const c = DEMO.claims.valuated;
  t.same(ids(await get(`identifier=${c.code}`)), [c.uuid]);
  t.same(ids(await get(`request=Claim/${c.uuid}`)), [c.uuid]);
  t.same(ids(await get(`request=${c.code}`)), [c.uuid], 'request by claim code');
  const row = claims.find((r) => r.ClaimID === c.id);
  const insuree = await db('tblInsuree').where('InsureeID', row.InsureeID).first();
  t.same(ids(await get(`patient=Patient/${insuree.InsureeUUID}`)), uuids(claims.filter((r) => r.InsureeID === row.InsureeID)));
  t.same(ids(await get('outcome=queued')), uuids(claims.filter((r) => r.ClaimStatus === 2)));
  t.same(ids(await get('outcome=partial')), uuids(claims.filter((r) => r.ClaimStatus === 4 || r.ClaimStatus === 8)));
  t.same(ids(await get('outcome=complete')), uuids(claims.filter((r) => r.ClaimStatus === 1 || r.ClaimStatus === 16)));
  t.same(ids(await get('outcome=error')), []);
  const from = new Date(row.ValidityFrom);
  t.same(ids(await get(`created=ge${from.toISOString()}`)), uuids(claims.filter((r) => new Date(r.ValidityFrom) >= from)));
  const chained = await get(`request.identifier=${c.code}&_include=ClaimResponse:request`);
  t.same(chained.entry.map((e: any) => `${e.resource.resourceType}/${e.search.mode}`), ['ClaimResponse/match', 'Claim/include']);
});

t.test('read-only: no create, update or delete', async (t) => {
  const response = await read(DEMO.claims.entered.uuid);
  const post = await server.fhir('ClaimResponse', { method: 'POST', body: JSON.stringify(response) });
  t.equal(post.status, 405);
  t.equal(post.body.resourceType, 'OperationOutcome');
  const put = await server.fhir(`ClaimResponse/${response.id}`, { method: 'PUT', body: JSON.stringify(response) });
  t.equal(put.status, 405);
  const del = await server.fhir(`ClaimResponse/${response.id}`, { method: 'DELETE' });
  t.equal(del.status, 405);
  const metadata = await server.fhir('metadata');
  const declared = metadata.body.rest[0].resource.find((r: any) => r.type === 'ClaimResponse');
  t.same(declared.interaction.map((i: any) => i.code).sort(), ['history-instance', 'read', 'search-type', 'vread'].concat(
    declared.interaction.some((i: any) => i.code === 'history-type') ? ['history-type'] : [],
  ).sort());
});
