/**
 * Claim attachments ⇄ claim_ClaimAttachment (the openIMIS claim module's table): the module's
 * supportingInfo wire format on create, read, search, update, history and delete, stored the
 * module's way; and a database without the table (an older openIMIS) keeps serving claims.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { startServer, type TestServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { validateResource } from '../../src/fhir/validation/index.js';

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const NOTE = Buffer.from('Referral letter: fever for three days.').toString('base64');
const SCAN = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).toString('base64');
const attachment = (value: Record<string, unknown>, sequence = 3) => ({
  sequence,
  category: { coding: [{ system: `${IG}/CodeSystem/claim-supporting-info-category`, code: 'attachment' }] },
  valueAttachment: value,
});

/** A small claim of the demo's Amani Health Centre (price list items), as the module's clients send it. */
async function newClaim(server: TestServer, code: string): Promise<any> {
  const db = server.db.knex;
  const hf = await db('tblHF').where('HFCode', 'AMHC001').whereNull('ValidityTo').first();
  const admin = await db('tblClaimAdmin').where('HFId', hf.HfID).whereNull('ValidityTo').first();
  const insuree = await db('tblInsuree').where('CHFID', DEMO.headInsuree.chfid).whereNull('ValidityTo').first();
  const item = await db('tblItems').where('ItemCode', 'PARA50').whereNull('ValidityTo').first();
  return {
    resourceType: 'Claim',
    identifier: [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] }, value: code }],
    status: 'active',
    use: 'claim',
    type: { coding: [{ system: `${IG}/CodeSystem/claim-visit-type`, code: 'O' }] },
    patient: { reference: `Patient/${insuree.InsureeUUID}` },
    provider: { reference: `Organization/${hf.HfUUID}` },
    enterer: { reference: `Practitioner/${admin.ClaimAdminUUID}` },
    created: day(0),
    billablePeriod: { start: day(-1), end: day(-1) },
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/diagnosis-ICD10-level1`, code: 'B54' }] } }],
    supportingInfo: [
      { sequence: 1, category: { coding: [{ system: `${IG}/CodeSystem/claim-supporting-info-category`, code: 'explanation' }] }, valueString: 'Fever' },
      attachment({ contentType: 'text/plain', data: NOTE, title: 'referral.txt', creation: day(-1) }, 2),
      attachment({ contentType: 'image/png', data: SCAN, title: 'scan.png', hash: createHash('sha1').update(Buffer.from(SCAN, 'base64')).digest('base64') }),
    ],
    item: [
      {
        sequence: 1,
        category: { text: 'item' },
        extension: [{ url: `${IG}/StructureDefinition/claim-item-reference`, valueReference: { reference: `Medication/${item.ItemUUID}` } }],
        productOrService: { text: 'PARA50' },
        quantity: { value: 10 },
      },
    ],
    total: { value: 80, currency: server.config.currency },
  };
}

const attachmentsOf = (claim: any) => (claim.supportingInfo ?? []).filter((i: any) => i.category.coding[0].code === 'attachment').map((i: any) => i.valueAttachment);

t.test('with claim_ClaimAttachment: create, read, search, update, history, delete', async (t) => {
  const server = await startServer(t);
  const db = server.db.knex;
  const created = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(await newClaim(server, 'ATT00001')) });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const claimId = (await db('tblClaim').where('ClaimUUID', created.body.id).first()).ClaimID;
  const rows = await db('claim_ClaimAttachment').where('claim_id', claimId).orderBy('title');
  t.same(
    rows.map((r: any) => [r.title, r.filename, r.mime, r.document, r.ValidityTo]),
    [['referral.txt', 'referral.txt', 'text/plain', NOTE, null], ['scan.png', 'scan.png', 'image/png', SCAN, null]],
    'one row per attachment, the document as base64, the title as file name',
  );
  t.match(rows[0].id, /^[0-9a-f-]{36}$/);

  const read = await server.fhir(`Claim/${created.body.id}`);
  t.equal(read.status, 200);
  t.same(attachmentsOf(read.body), [
    { contentType: 'text/plain', data: NOTE, title: 'referral.txt', creation: day(-1) },
    { contentType: 'image/png', data: SCAN, title: 'scan.png', creation: day(0) },
  ], 'every attachment, in the module\'s form (no hash kept: the data is the proof)');
  t.same(read.body.supportingInfo.map((i: any) => i.sequence), [1, 2, 3]);
  t.same(validateResource(read.body, { profile: read.body.meta.profile[0] }).filter((i: any) => (i.severity ?? 'error') === 'error'), [], 'valid R4 and profile');
  const search = await server.fhir(`Claim?_id=${created.body.id}`);
  t.same(attachmentsOf(search.body.entry[0].resource), attachmentsOf(read.body), 'the same in searches');

  // Update: one attachment kept, one dropped, one added.
  const changed = structuredClone(read.body);
  changed.supportingInfo = [changed.supportingInfo[0], changed.supportingInfo[1], attachment({ contentType: 'application/pdf', data: 'JVBERi0=', title: 'invoice.pdf' })];
  const updated = await server.fhir(`Claim/${created.body.id}`, { method: 'PUT', body: JSON.stringify(changed) });
  t.equal(updated.status, 200, JSON.stringify(updated.body));
  t.same(attachmentsOf(updated.body).map((a: any) => a.title), ['referral.txt', 'invoice.pdf']);
  const after = await db('claim_ClaimAttachment').where('claim_id', claimId).orderBy('ValidityFrom').orderBy('title');
  t.same(after.map((r: any) => [r.title, r.ValidityTo === null]), [['referral.txt', true], ['scan.png', false], ['invoice.pdf', true]], 'the dropped one closed, not deleted');
  t.equal(after.find((r: any) => r.title === 'referral.txt').id, rows[0].id, 'the kept one keeps its row');

  const history = await server.fhir(`Claim/${created.body.id}/_history`);
  t.same(history.body.entry.map((e: any) => attachmentsOf(e.resource).map((a: any) => a.title)), [['referral.txt', 'invoice.pdf'], ['referral.txt', 'scan.png']], 'each version with the attachments it had');

  const deleted = await server.fhir(`Claim/${created.body.id}`, { method: 'DELETE' });
  t.equal(deleted.status, 204);
  t.equal(Number((await db('claim_ClaimAttachment').where('claim_id', claimId).whereNull('ValidityTo').count({ n: '*' }))[0].n), 0, 'closed with the claim');
});

t.test('attachments the module refuses: 422, nothing written', async (t) => {
  const server = await startServer(t);
  const db = server.db.knex;
  const before = Number((await db('tblClaim').count({ n: '*' }))[0].n);
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['an executable', { contentType: 'application/x-msdownload', data: NOTE }, /not an accepted document type/],
    ['no data', { contentType: 'text/plain', title: 'empty' }, /data.*required/],
    ['a wrong hash', { contentType: 'text/plain', data: NOTE, hash: createHash('sha1').update('other').digest('base64') }, /SHA-1/],
    ['no content type', { data: NOTE }, /contentType/],
  ];
  for (const [label, value, message] of cases) {
    const claim = await newClaim(server, 'ATT00002');
    claim.supportingInfo.push(attachment(value, 4));
    const res = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(claim) });
    t.equal(res.status, 422, `${label}: ${res.status}`);
    t.match(JSON.stringify(res.body.issue), message, label);
  }
  t.equal(Number((await db('tblClaim').count({ n: '*' }))[0].n), before, 'no claim written');
  t.equal(Number((await db('claim_ClaimAttachment').count({ n: '*' }))[0].n), 0, 'no attachment written');
});

t.test('an openIMIS database without claim_ClaimAttachment: claims served, attachments refused clearly', async (t) => {
  const server = await startServer(t, {}, { beforeStart: async (db) => void (await db.knex.schema.dropTable('claim_ClaimAttachment')) });
  const read = await server.fhir(`Claim/${DEMO.claims.checked.uuid}`);
  t.equal(read.status, 200, 'claims are read');
  t.equal(attachmentsOf(read.body).length, 0);
  t.equal((await server.fhir('Claim?_count=100')).status, 200, 'and searched');
  const withAttachment = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(await newClaim(server, 'ATT00003')) });
  t.equal(withAttachment.status, 422);
  t.match(withAttachment.body.issue[0].diagnostics, /no claim attachment table \(claim_ClaimAttachment/);
  const claim = await newClaim(server, 'ATT00004');
  claim.supportingInfo = claim.supportingInfo.slice(0, 1);
  const plain = await server.fhir('Claim', { method: 'POST', body: JSON.stringify(claim) });
  t.equal(plain.status, 201, `a claim without attachment is entered (${JSON.stringify(plain.body).slice(0, 300)})`);
});
