/**
 * Communication ⇄ tblFeedback and CommunicationRequest ⇄ claims selected for feedback: read, search
 * (also through the count, `_has` and include queries), feedback delivery the openIMIS way (tblFeedback
 * row, claim FeedbackStatus 8 / Feedback / FeedbackID with a claim history row), every refusal a 4xx
 * that writes nothing, rights and row security. Every query is also compiled for SQL Server and checked.
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
capture.start();

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const PAYLOAD_TYPE = `${IG}/StructureDefinition/communication-payload-type`;
const PAYLOAD_SYSTEM = `${IG}/CodeSystem/feedback-payload`;
const { checked, valuated, entered, enteredElsewhere } = DEMO.claims;
const claimRow = (id: number) => db('tblClaim').where('ClaimID', id).first();
const insureeOf = async (claimId: number) => db('tblInsuree').where('InsureeID', (await claimRow(claimId)).InsureeID).first();
const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);
const snapshot = async () => ({ feedback: await count('tblFeedback'), claims: await count('tblClaim') });
const tokenOf = (user: { login: string; password: string }) => server.login(user.login, user.password);
const officer = await tokenOf(DEMO.users.enrolmentOfficer);
const claimAdmin = await tokenOf(DEMO.users.claimAdmin);
const clerk = await tokenOf(DEMO.users.clerk);
const noRights = await tokenOf(DEMO.users.noRoles);

/** A delivered feedback as the openIMIS policies app sends it (subject by CHFID, about by claim UUID). */
function feedback(claimUuid: string, chfid: string, answers: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  const values = { CareRendered: 'yes', PaymentAsked: 'no', DrugPrescribed: 'yes', DrugReceived: 'no', Asessment: '5', ...answers };
  return {
    resourceType: 'Communication',
    status: 'completed',
    subject: { reference: `Patient/${chfid}` },
    about: [{ reference: `Claim/${claimUuid}` }],
    payload: Object.entries(values).map(([code, value]) => ({
      extension: [{ url: PAYLOAD_TYPE, valueCodeableConcept: { coding: [{ system: PAYLOAD_SYSTEM, code }] } }],
      contentString: value,
    })),
    ...extra,
  };
}
const post = (body: unknown, token?: string) => server.fhir('Communication', { method: 'POST', body: JSON.stringify(body), token });
const ids = (bundle: any) => (bundle.entry ?? []).map((e: any) => e.resource.id).sort();

t.test('CommunicationRequest: the claims selected for feedback, one per claim, id = the claim UUID', async (t) => {
  const all = await server.fhir('CommunicationRequest?_total=accurate');
  t.equal(all.status, 200);
  t.same(ids(all.body), [checked.uuid, valuated.uuid].sort(), 'feedback status 4 (checked) and 8 (valuated) only');
  t.equal(all.body.total, 2);

  const read = await server.fhir(`CommunicationRequest/${checked.uuid}`);
  t.equal(read.status, 200);
  const checkedInsuree = await insureeOf(checked.id);
  const admin = await db('tblClaimAdmin').where('ClaimAdminId', (await claimRow(checked.id)).ClaimAdminId).first();
  t.match(read.body, {
    resourceType: 'CommunicationRequest',
    id: checked.uuid,
    meta: { profile: [`${IG}/StructureDefinition/openimis-communication-request`] },
    status: 'active',
    statusReason: { coding: [{ system: `${IG}/CodeSystem/feedback-status`, code: '4', display: 'Selected' }] },
    subject: { reference: `Patient/${checkedInsuree.InsureeUUID}`, display: checkedInsuree.CHFID },
    about: [{ reference: `Claim/${checked.uuid}`, display: checked.code }],
    recipient: [{ reference: `Practitioner/${admin.ClaimAdminUUID}`, display: admin.ClaimAdminCode }],
  });
  t.same(
    read.body.payload.map((p: any) => p.extension[0].valueCodeableConcept.coding[0].code),
    ['CareRendered', 'PaymentAsked', 'DrugPrescribed', 'DrugReceived', 'Asessment'],
  );
  t.ok(read.body.payload.every((p: any) => p.extension[0].url === PAYLOAD_TYPE && p.contentString.length > 10), 'each a question');
  t.equal((await server.fhir(`CommunicationRequest/${valuated.uuid}`)).body.status, 'completed');
  t.equal((await server.fhir(`CommunicationRequest/${checked.code}`)).body.id, checked.uuid, 'read by claim code');
  t.equal((await server.fhir(`CommunicationRequest/${entered.uuid}`)).status, 404, 'a claim not selected for feedback is no request');
  const history = await server.fhir(`CommunicationRequest/${checked.uuid}/_history`);
  t.equal(history.body.entry.length, 1, 'the claim version before its selection (feedback status 1) is no version of the request');

  const search = async (query: string) => ids((await server.fhir(`CommunicationRequest?${query}`)).body);
  t.same(await search('status=active'), [checked.uuid]);
  t.same(await search('status=http://hl7.org/fhir/request-status|completed'), [valuated.uuid]);
  t.same(await search(`status=${IG}/CodeSystem/feedback-status|4`), [checked.uuid], 'by the openIMIS feedback status');
  t.same(await search('status=revoked'), []);
  t.same(await search(`subject=Patient/${checkedInsuree.InsureeUUID}`), [checked.uuid]);
  t.same(await search(`patient=${checkedInsuree.CHFID}`), [checked.uuid], 'patient by insurance number');
  t.same(await search(`about=Claim/${valuated.uuid}`), [valuated.uuid]);
  t.same(await search(`recipient=Practitioner/${admin.ClaimAdminUUID}`), [checked.uuid, valuated.uuid].sort());
  t.same(await search(`about:Claim.identifier=${checked.code}`), [checked.uuid], 'chained to the claim');
  const included = await server.fhir(`CommunicationRequest?about=${checked.uuid}&_include=CommunicationRequest:subject`);
  t.same(included.body.entry.map((e: any) => e.resource.resourceType), ['CommunicationRequest', 'Patient']);
  t.equal((await server.fhir('CommunicationRequest', { method: 'POST', body: '{"resourceType":"CommunicationRequest"}' })).status, 405, 'read-only');
});

t.test('Communication: the demo feedback, read and searched', async (t) => {
  const insuree = await insureeOf(valuated.id);
  const demoOfficer = await db('tblOfficer').where('OfficerID', 1).first();
  const read = await server.fhir(`Communication/${DEMO.feedback.uuid}`);
  t.equal(read.status, 200);
  t.match(read.body, {
    resourceType: 'Communication',
    id: DEMO.feedback.uuid,
    meta: { profile: [`${IG}/StructureDefinition/openimis-communication`] },
    identifier: [{ type: { coding: [{ code: 'UUID' }] }, value: DEMO.feedback.uuid }],
    basedOn: [{ reference: `CommunicationRequest/${valuated.uuid}` }],
    status: 'completed',
    subject: { reference: `Patient/${insuree.InsureeUUID}` },
    about: [{ reference: `Claim/${valuated.uuid}`, display: valuated.code }],
    sender: { reference: `Patient/${insuree.InsureeUUID}` },
    recipient: [{ reference: `Practitioner/${String(demoOfficer.OfficerUUID).toLowerCase()}`, type: 'Practitioner' }],
  });
  // The officer is served as Practitioner: the reference resolves, and searches and includes follow it.
  t.equal((await server.fhir(read.body.recipient[0].reference)).body.identifier[1].value, demoOfficer.Code);
  t.same(ids((await server.fhir(`Communication?recipient=${demoOfficer.Code}`)).body), [DEMO.feedback.uuid], 'recipient=<officer code>');
  t.same(ids((await server.fhir(`Communication?recipient.family=${demoOfficer.LastName}`)).body), [DEMO.feedback.uuid], 'recipient.family');
  const withOfficer = await server.fhir(`Communication?_id=${DEMO.feedback.uuid}&_include=Communication:recipient`);
  t.same(withOfficer.body.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id), [String(demoOfficer.OfficerUUID).toLowerCase()]);
  const fromOfficer = await server.fhir(`Practitioner?identifier=${demoOfficer.Code}&_revinclude=Communication:recipient`);
  t.ok(fromOfficer.body.entry.some((e: any) => e.search.mode === 'include' && e.resource.id === DEMO.feedback.uuid), 'Practitioner?_revinclude=Communication:recipient');
  t.same(ids((await server.fhir(`Communication?recipient=Practitioner/${DEMO.claimAdmin.uuid}`)).body), [], 'a claim administrator is no recipient of feedback');
  t.ok(read.body.sent, 'sent = FeedbackDate');
  t.same(
    read.body.payload.map((p: any) => [p.extension[0].valueCodeableConcept.coding[0].code, p.contentString]),
    [['CareRendered', 'yes'], ['PaymentAsked', 'no'], ['DrugPrescribed', 'yes'], ['DrugReceived', 'yes'], ['Asessment', '4']],
  );

  const search = async (query: string) => {
    const res = await server.fhir(`Communication?${query}`);
    t.equal(res.status, 200, `${query}: ${JSON.stringify(res.body).slice(0, 300)}`);
    return ids(res.body);
  };
  const one = [DEMO.feedback.uuid];
  t.same(await search(`identifier=${DEMO.feedback.uuid}`), one);
  t.same(await search(`identifier=${checked.uuid}`), []);
  t.same(await search(`subject=Patient/${insuree.InsureeUUID}`), one);
  t.same(await search(`patient=${insuree.CHFID}`), one, 'patient by insurance number');
  t.same(await search(`subject=Patient/${(await insureeOf(checked.id)).InsureeUUID}`), []);
  t.same(await search(`about=Claim/${valuated.uuid}`), one);
  t.same(await search(`about=${valuated.code}`), one, 'about by claim code');
  t.same(await search(`part-of=Claim/${valuated.uuid}`), one);
  t.same(await search(`part-of=Claim/${checked.uuid}`), []);
  t.same(await search(`based-on=CommunicationRequest/${valuated.uuid}`), one);
  t.same(await search(`sent=lt${read.body.sent}`), []);
  t.same(await search(`sent=ge${read.body.sent.slice(0, 10)}`), one);
  t.same(await search(`subject.identifier=${insuree.CHFID}`), one, 'chained to the patient');
  // The count and the _has subquery start from the bare table: the claim's insuree must still be there.
  const total = await server.fhir(`Communication?subject=Patient/${insuree.InsureeUUID}&_total=accurate`);
  t.equal(total.body.total, 1);
  t.equal((await server.fhir(`Communication?patient=${insuree.CHFID}&_count=0`)).body.total, 1, '_count=0');
  const has = await server.fhir(`Patient?_has:Communication:subject:identifier=${DEMO.feedback.uuid}`);
  t.same(ids(has.body), [insuree.InsureeUUID]);
  const withClaim = await server.fhir(`Communication?_include=Communication:about&_include=Communication:patient`);
  t.same(withClaim.body.entry.map((e: any) => e.resource.resourceType).sort(), ['Claim', 'Communication', 'Patient']);
  const fromClaim = await server.fhir(`Claim?_id=${valuated.uuid}&_revinclude=Communication:about`);
  t.same(fromClaim.body.entry.map((e: any) => e.resource.id), [valuated.uuid, DEMO.feedback.uuid]);
  t.equal((await server.fhir('Communication/_history')).body.entry.length, 1, 'type history');
  t.equal((await server.fhir(`Communication/${DEMO.feedback.uuid}/_history`)).body.entry.length, 1, 'instance history');
});

t.test('deliver feedback: tblFeedback row, claim marked delivered with a history row, round trip', async (t) => {
  const before = await snapshot();
  const claimBefore = await claimRow(checked.id);
  const insuree = await insureeOf(checked.id);
  const sent = new Date(Date.now() - 3_600_000).toISOString();
  const res = await post(feedback(checked.uuid, insuree.CHFID, { PaymentAsked: 'Yes', Asessment: '2' }, { sent }), officer);
  t.equal(res.status, 201, JSON.stringify(res.body));
  const id = res.body.id;
  t.equal(res.headers.get('location'), `${server.base}/Communication/${id}/_history/${res.body.meta.versionId}`);

  const row = await db('tblFeedback').where('FeedbackUUID', id).first();
  t.match(row, {
    ClaimID: checked.id, CareRendered: true, PaymentAsked: true, DrugPrescribed: true, DrugReceived: false, Asessment: 2,
    CHFOfficerCode: 1, AuditUserID: DEMO.users.enrolmentOfficer.id, ValidityTo: null, LegacyID: null,
  });
  t.equal(new Date(row.FeedbackDate).toISOString(), sent, 'FeedbackDate = sent');
  const claim = await claimRow(checked.id);
  t.match(claim, { FeedbackStatus: 8, Feedback: true, FeedbackID: row.FeedbackID, ClaimStatus: claimBefore.ClaimStatus, ValidityTo: null });
  t.ok(new Date(claim.ValidityFrom) > new Date(claimBefore.ValidityFrom), 'a new claim version');
  const copy = await db('tblClaim').where('LegacyID', checked.id).whereNot('ClaimID', checked.id).orderBy('ClaimID', 'desc').first();
  t.match(copy, { FeedbackStatus: 4, Feedback: false, FeedbackID: null, ClaimCode: checked.code }, 'the previous claim version kept as history');
  t.same(await snapshot(), { feedback: before.feedback + 1, claims: before.claims + 1 });

  // What was delivered reads back, and the request is completed.
  t.same(res.body.payload.map((p: any) => p.contentString), ['yes', 'yes', 'yes', 'no', '2']);
  t.match(res.body, { about: [{ reference: `Claim/${checked.uuid}` }], subject: { reference: `Patient/${insuree.InsureeUUID}` }, sent });
  t.match(res.body.recipient, [{ reference: `Practitioner/${DEMO.officer.uuid}` }], 'the officer who delivered it');
  const read = await server.fhir(`Communication/${id}`, { token: officer });
  t.same(read.body, res.body);
  t.same(ids((await server.fhir(`Communication?about=Claim/${checked.uuid}`)).body), [id]);
  const request = await server.fhir(`CommunicationRequest/${checked.uuid}`);
  t.equal(request.body.status, 'completed');
  t.equal((await server.fhir(`CommunicationRequest/${checked.uuid}/_history`)).body.entry.length, 2, 'selected, then delivered');
  t.same(ids((await server.fhir('CommunicationRequest?status=active')).body), []);

  // Delivering it again: feedback exists.
  const again = await post(feedback(checked.uuid, insuree.CHFID), officer);
  t.equal(again.status, 409);
  t.match(again.body.issue[0].diagnostics, /Feedback exists for this claim/);
});

t.test('refused feedback: 4xx, nothing written', async (t) => {
  // A fresh selected claim of the same facility for the answer checks: entered claim 1, selected.
  await db('tblClaim').where('ClaimID', entered.id).update({ FeedbackStatus: 4 });
  const insuree = await insureeOf(entered.id);
  const before = await snapshot();
  const refused = async (label: string, body: unknown, status: number, pattern: RegExp, token = officer) => {
    const res = await post(body, token);
    t.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
    t.equal(res.body?.resourceType, 'OperationOutcome', label);
    t.match((res.body?.issue ?? []).map((i: any) => i.diagnostics).join('\n'), pattern, label);
  };
  const good = () => feedback(entered.uuid, insuree.CHFID);
  const fourAnswers = good();
  fourAnswers.payload.pop();
  await refused('four answers', fourAnswers, 422, /exactly 5 answers/);
  const twice = good();
  twice.payload[4] = twice.payload[0];
  await refused('a question answered twice', twice, 422, /second time/);
  await refused('a yes/no answer that is neither', feedback(entered.uuid, insuree.CHFID, { DrugReceived: 'maybe' }), 422, /DrugReceived must be "yes" or "no"/);
  await refused('a score out of range', feedback(entered.uuid, insuree.CHFID, { Asessment: '7' }), 422, /score from 0 to 5/);
  const unknownCode = good();
  unknownCode.payload[0].extension[0].valueCodeableConcept.coding[0].code = 'Smile';
  await refused('an unknown question', unknownCode, 422, /feedback-payload|Smile/);
  const noType = good();
  (noType.payload[1] as any).extension = [];
  await refused('an answer without its question', noType, 422, /payload/);
  await refused('status not completed', { ...good(), status: 'in-progress' }, 422, /status/);
  await refused('no claim', { ...good(), about: undefined }, 422, /about/);
  await refused('an unknown claim', feedback('00000000-0000-4000-8000-000000000000', insuree.CHFID), 422, /Claim does not exist/);
  await refused('the subject is not the claim insuree', feedback(entered.uuid, DEMO.headInsuree.chfid === insuree.CHFID ? '664033731' : DEMO.headInsuree.chfid), 422, /not the insuree of claim/);
  await refused('an unknown officer', { ...good(), recipient: [{ reference: 'Practitioner/NOPE' }] }, 422, /no current enrolment officer/);
  await refused('sent in the future', { ...good(), sent: '2999-01-01T00:00:00Z' }, 422, /future/);
  await refused('feedback exists', feedback(valuated.uuid, (await insureeOf(valuated.id)).CHFID), 409, /Feedback exists for this claim/);
  await refused('not selected for feedback', feedback(DEMO.claims.rejected.uuid, (await insureeOf(DEMO.claims.rejected.id)).CHFID), 409, /not selected for feedback/);
  await refused('without the right to deliver feedback (claim administrator)', good(), 403, /111009/, claimAdmin);
  await refused('without any right', good(), 403, /111009/, noRights);
  // Row security: a claim of another district (BADS001, district R1D2), selected for feedback.
  await db('tblClaim').where('ClaimID', enteredElsewhere.id).update({ FeedbackStatus: 4 });
  await refused('a claim outside the officer\'s districts', feedback(enteredElsewhere.uuid, (await insureeOf(enteredElsewhere.id)).CHFID), 403, /outside the claims/);
  t.same(await snapshot(), before, 'nothing written');
  t.match(await claimRow(entered.id), { FeedbackStatus: 4, Feedback: false, FeedbackID: null });

  // The same feedback, valid, goes through: by claim code, the officer named as recipient, true/false answers.
  const ok = await post(
    feedback(entered.code, insuree.CHFID, { CareRendered: 'true', PaymentAsked: 'FALSE' }, { about: [{ reference: `Claim/${entered.code}` }], recipient: [{ reference: 'Practitioner/E00002' }] }),
    server.adminToken,
  );
  t.equal(ok.status, 201, JSON.stringify(ok.body));
  t.match(await db('tblFeedback').where('FeedbackUUID', ok.body.id).first(), { CareRendered: true, PaymentAsked: false, CHFOfficerCode: 2, AuditUserID: DEMO.users.admin.id });
});

t.test('rights and row security on reads', async (t) => {
  for (const path of ['Communication', `Communication/${DEMO.feedback.uuid}`, 'CommunicationRequest', `CommunicationRequest/${valuated.uuid}`]) {
    t.equal((await server.fhir(path, { token: noRights })).status, 403, `${path} without rights`);
    t.equal((await server.fhir(path, { token: clerk })).status, 403, `${path} for a clerk (no claim right)`);
    t.equal((await server.fhir(path, { token: null })).status, 401, `${path} anonymous`);
    t.equal((await server.fhir(path, { token: claimAdmin })).status, 200, `${path} for a claim administrator (111001)`);
  }
  // enteredElsewhere (BADS001) is selected for feedback now: the administrator sees it, the claim
  // administrator of AMHOS001 and the officer of district R1D1 do not.
  const admin = ids((await server.fhir('CommunicationRequest')).body);
  t.ok(admin.includes(enteredElsewhere.uuid));
  for (const [who, token] of [['claim administrator', claimAdmin], ['enrolment officer', officer]] as const) {
    const seen = ids((await server.fhir('CommunicationRequest?_total=accurate', { token })).body);
    t.notOk(seen.includes(enteredElsewhere.uuid), `${who}: not the other district's request`);
    t.ok(seen.includes(valuated.uuid), `${who}: the facility's requests`);
    t.equal((await server.fhir(`CommunicationRequest/${enteredElsewhere.uuid}`, { token })).status, 404, `${who}: read of the other district's request`);
  }
  // Feedback on another facility's claim (delivered directly in the database) is not visible to them.
  const elsewhere = await db('tblClaim').where('ClaimID', enteredElsewhere.id).first();
  await db('tblFeedback').insert({
    FeedbackUUID: 'a1b2c3d4-0000-4000-8000-000000000001', ClaimID: elsewhere.ClaimID, CareRendered: true, PaymentAsked: false,
    DrugPrescribed: false, DrugReceived: false, Asessment: 3, FeedbackDate: new Date(), ValidityFrom: new Date(), AuditUserID: 1,
  });
  t.equal((await server.fhir('Communication/a1b2c3d4-0000-4000-8000-000000000001')).status, 200, 'the administrator reads it');
  for (const token of [claimAdmin, officer]) {
    t.equal((await server.fhir('Communication/a1b2c3d4-0000-4000-8000-000000000001', { token })).status, 404);
    const seen = await server.fhir('Communication?_total=accurate', { token });
    t.notOk(ids(seen.body).includes('a1b2c3d4-0000-4000-8000-000000000001'));
    t.equal(seen.body.total, seen.body.entry.length, 'the count is scoped too');
  }
});

t.test('every query compiles and checks for SQL Server', async (t) => {
  capture.stop();
  checkCapturedForMssql(t, capture, { minDistinct: 20 });
});
