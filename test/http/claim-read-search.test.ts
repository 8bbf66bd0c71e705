/**
 * Claim read, search, includes and history over the real HTTP server: every demo claim with its
 * lines, diagnoses and references, the search parameters, row security by health facility.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const db = server.db.knex;
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const entered = DEMO.claims.entered;
const claimRows = await db('tblClaim').whereNull('ValidityTo').orderBy('ClaimID');
const ids = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search?.mode !== 'include').map((e: any) => e.resource.id).sort();
const uuidsOf = (rows: any[]) => rows.map((r) => String(r.ClaimUUID).toLowerCase()).sort();
const search = async (query: string) => {
  const res = await server.fhir(`Claim?${query}${query ? '&' : ''}_count=1000`);
  if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

t.test('the demo database has what these tests need', async (t) => {
  t.equal(claimRows.length, DEMO.claimCounts.current);
  t.same([...new Set(claimRows.map((c) => c.ClaimStatus))].sort((a, b) => a - b), [1, 2, 4, 8, 16], 'a claim in every status');
});

t.test('read by UUID: header, references, diagnoses, lines in order', async (t) => {
  const res = await server.fhir(`Claim/${entered.uuid}`);
  t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
  const claim = res.body;
  t.equal(claim.resourceType, 'Claim');
  t.equal(claim.id, entered.uuid);
  t.same(claim.identifier.map((i: any) => [i.type.coding[0].code, i.value]), [['UUID', entered.uuid], ['Code', entered.code]]);
  t.equal(claim.meta.profile[0], `${IG}/StructureDefinition/openimis-claim`);
  t.equal(claim.status, 'active');
  t.equal(claim.use, 'claim');
  t.same(claim.type.coding[0], { system: `${IG}/CodeSystem/claim-visit-type`, code: 'O', display: 'Other' });

  const row = await db('tblClaim').where('ClaimID', entered.id).first();
  t.equal(claim.created, row.DateClaimed);
  t.same(claim.billablePeriod, { start: row.DateFrom, end: row.DateTo ?? row.DateFrom });
  t.same(claim.total, { value: entered.claimed, currency: server.config.currency });

  const insuree = await db('tblInsuree').where('InsureeID', row.InsureeID).first();
  t.match(claim.patient, { reference: `Patient/${insuree.InsureeUUID}`, type: 'Patient', display: entered.chfid });
  t.match(claim.provider, { reference: `Organization/${DEMO.healthFacility.uuid}`, type: 'Organization', display: entered.hfCode });
  t.match(claim.enterer, { reference: `Practitioner/${DEMO.claimAdmin.uuid}`, type: 'Practitioner', display: DEMO.claimAdmin.code });
  t.same(claim.diagnosis, [
    {
      sequence: 1,
      diagnosisCodeableConcept: {
        coding: [{ system: `${IG}/CodeSystem/diagnosis-ICD10-level1`, code: DEMO.registers.icd.code, display: DEMO.registers.icd.name }],
        text: DEMO.registers.icd.name,
      },
    },
  ]);
  t.match(claim.insurance, [{ sequence: 1, focal: true, coverage: { reference: /^Coverage\/[0-9a-f-]{36}$/ } }]);
  const policy = await db('tblInsureePolicy as ip')
    .join('tblPolicy as p', 'p.PolicyID', 'ip.PolicyId')
    .where('ip.InsureeID', row.InsureeID)
    .whereNull('ip.ValidityTo')
    .where('ip.EffectiveDate', '<=', row.DateFrom)
    .where('ip.ExpiryDate', '>=', row.DateFrom)
    .first('p.PolicyUUID');
  t.equal(claim.insurance[0].coverage.reference, `Coverage/${policy.PolicyUUID}`, 'the policy covering the visit');

  const items = await db('tblClaimItems as l').join('tblItems as i', 'i.ItemID', 'l.ItemID').where('l.ClaimID', entered.id).whereNull('l.ValidityTo').orderBy('l.ClaimItemID');
  const services = await db('tblClaimServices as l').join('tblServices as s', 's.ServiceID', 'l.ServiceID').where('l.ClaimID', entered.id).whereNull('l.ValidityTo').orderBy('l.ClaimServiceID');
  t.equal(claim.item.length, items.length + services.length);
  t.same(claim.item.map((i: any) => i.sequence), claim.item.map((_: any, n: number) => n + 1), 'sequences 1..n');
  t.same(claim.item.map((i: any) => i.productOrService.text), [...items.map((i) => i.ItemCode), ...services.map((s) => s.ServCode)], 'items, then services');
  t.same(claim.item.map((i: any) => i.category.coding[0].code), [...items.map(() => 'item'), ...services.map(() => 'service')]);
  const first = claim.item[0];
  t.same(first.quantity, { value: items[0].QtyProvided });
  t.same(first.unitPrice, { value: items[0].PriceAsked, currency: server.config.currency });
  t.equal(first.extension[0].url, `${IG}/StructureDefinition/claim-item-reference`);
  t.match(first.extension[0].valueReference, { reference: `Medication/${items[0].ItemUUID}`, type: 'Medication', display: items[0].ItemCode });
  const last = claim.item.at(-1);
  t.match(last.extension[0].valueReference, { reference: `ActivityDefinition/${services.at(-1).ServiceUUID}`, type: 'ActivityDefinition' });
  t.equal(
    claim.item.reduce((sum: number, i: any) => sum + i.unitPrice.value * i.quantity.value, 0),
    entered.claimed,
    'the lines add up to the claimed total',
  );
  t.notMatch(JSON.stringify(claim), /_ig\/\/|\.html/, 'canonical URLs only');
});

t.test('read by claim code; supporting info; unknown ids', async (t) => {
  const byCode = await server.fhir(`Claim/${DEMO.claims.rejected.code}`);
  t.equal(byCode.status, 200);
  t.equal(byCode.body.id, DEMO.claims.rejected.uuid);
  t.match(byCode.body.supportingInfo, [
    { sequence: 1, category: { coding: [{ system: `${IG}/CodeSystem/claim-supporting-info-category`, code: 'explanation' }] }, valueString: /Dental/ },
  ]);
  const guarantee = await server.fhir(`Claim/${DEMO.claims.valuatedByBatch.uuid}`);
  t.match(guarantee.body.supportingInfo, [{ category: { coding: [{ code: 'guarantee' }] }, valueString: 'GN-2207' }]);
  t.equal(guarantee.body.diagnosis.length, 2, 'main and secondary diagnosis');
  t.equal((await server.fhir('Claim/00000000-0000-4000-8000-000000000000')).status, 404);
  t.equal((await server.fhir('Claim/NOPE0001')).status, 404);
});

t.test('every current demo claim is served and maps its lines', async (t) => {
  const bundle = await search('');
  t.equal(bundle.total, claimRows.length);
  t.same(ids(bundle), uuidsOf(claimRows));
  const lineCount = async (table: string, claimId: number) =>
    Number((await db(table).where('ClaimID', claimId).whereNull('ValidityTo').count({ n: '*' }))[0].n);
  for (const entry of bundle.entry) {
    const claim = entry.resource;
    const row = claimRows.find((r) => r.ClaimUUID.toLowerCase() === claim.id);
    const expected = Object.values(DEMO.claims).find((c) => c.uuid === claim.id)!;
    t.equal(claim.total.value, expected.claimed, `${row.ClaimCode} total`);
    t.equal(claim.item.length, (await lineCount('tblClaimItems', row.ClaimID)) + (await lineCount('tblClaimServices', row.ClaimID)), `${row.ClaimCode} lines`);
    t.ok(claim.item.every((i: any) => /^(Medication|ActivityDefinition)\/[0-9a-f-]{36}$/.test(i.extension[0].valueReference.reference)));
    t.ok(claim.diagnosis.length >= 1);
    t.equal(claim.provider.display, expected.hfCode);
    t.equal(claim.patient.display, expected.chfid);
  }
});

t.test('search by identifier, patient, provider, facility, created, use, status, type', async (t) => {
  t.same(ids(await search(`identifier=${entered.code}`)), [entered.uuid]);
  t.same(ids(await search(`identifier=${entered.uuid.toUpperCase()}`)), [entered.uuid], 'UUIDs in any case');
  t.same(ids(await search(`identifier=${entered.code},${DEMO.claims.checked.code}`)), [entered.uuid, DEMO.claims.checked.uuid].sort());

  const insuree = await db('tblInsuree').where('CHFID', entered.chfid).whereNull('ValidityTo').first();
  const byPatient = claimRows.filter((c) => c.InsureeID === insuree.InsureeID);
  t.same(ids(await search(`patient=Patient/${insuree.InsureeUUID}`)), uuidsOf(byPatient));
  t.same(ids(await search(`patient=${insuree.InsureeUUID}`)), uuidsOf(byPatient), 'a bare id');
  t.same(ids(await search(`patient=Patient/${entered.chfid}`)), uuidsOf(byPatient), 'by insurance number');
  t.same(ids(await search(`patient:identifier=${entered.chfid}`)), uuidsOf(byPatient), ':identifier');

  const atHospital = claimRows.filter((c) => c.HFID === DEMO.healthFacility.id);
  t.ok(atHospital.length > 1 && atHospital.length < claimRows.length);
  t.same(ids(await search(`provider=Organization/${DEMO.healthFacility.uuid}`)), uuidsOf(atHospital));
  t.same(ids(await search(`facility=Organization/${DEMO.healthFacility.code}`)), uuidsOf(atHospital), 'facility, by HF code');

  const row = claimRows.find((c) => c.ClaimID === entered.id);
  const sameDay = claimRows.filter((c) => c.DateClaimed === row.DateClaimed);
  t.same(ids(await search(`created=${row.DateClaimed}`)), uuidsOf(sameDay));
  const since = claimRows.filter((c) => c.DateClaimed >= row.DateClaimed);
  t.same(ids(await search(`created=ge${row.DateClaimed}`)), uuidsOf(since));
  const sorted = await search('_sort=-created');
  const dates = sorted.entry.map((e: any) => e.resource.created);
  t.same(dates, [...dates].sort().reverse(), '_sort=-created');

  t.equal(ids(await search('use=claim')).length, claimRows.length);
  t.equal(ids(await search('use=preauthorization')).length, 0);
  const enteredRows = claimRows.filter((c) => c.ClaimStatus === 2);
  t.same(ids(await search('status=2')), uuidsOf(enteredRows));
  t.same(ids(await search('status=entered')), uuidsOf(enteredRows), 'by status name');
  t.same(ids(await search(`status=${IG}/CodeSystem/claim-status|2`)), uuidsOf(enteredRows), 'with the system');
  t.same(ids(await search('status=checked,valuated')), uuidsOf(claimRows.filter((c) => c.ClaimStatus === 4 || c.ClaimStatus === 16)));
  t.equal(ids(await search('status=active')).length, claimRows.length, 'fm-status active: every current claim');
  t.equal(ids(await search('status=cancelled')).length, 0);
  t.same(ids(await search('type=E')), uuidsOf(claimRows.filter((c) => c.VisitType === 'E')));
});

t.test('search by enterer (Practitioner) when Practitioner is served', async (t) => {
  const metadata = await server.fhir('metadata');
  const served = metadata.body.rest[0].resource.some((r: any) => r.type === 'Practitioner');
  const res = await server.fhir(`Claim?enterer=Practitioner/${DEMO.claimAdmin.uuid}&_count=100`);
  t.equal(res.status, 200);
  const expected = served ? uuidsOf(claimRows.filter((c) => c.ClaimAdminId === DEMO.claimAdmin.id)) : [];
  t.same(ids(res.body), expected, served ? 'the claims of the administrator' : 'no Practitioner type yet: nothing matches');
});

t.test('_include=Claim:patient and _revinclude=ClaimResponse:request', async (t) => {
  const insuree = await db('tblInsuree').where('CHFID', entered.chfid).whereNull('ValidityTo').first();
  const res = await search(`identifier=${entered.code}&_include=Claim:patient&_revinclude=ClaimResponse:request`);
  const matches = res.entry.filter((e: any) => e.search.mode === 'match');
  const included = res.entry.filter((e: any) => e.search.mode === 'include');
  t.same(matches.map((e: any) => e.resource.id), [entered.uuid]);
  t.same(included.map((e: any) => `${e.resource.resourceType}/${e.resource.id}`).sort(), [`ClaimResponse/${entered.uuid}`, `Patient/${insuree.InsureeUUID}`].sort());
  const response = included.find((e: any) => e.resource.resourceType === 'ClaimResponse').resource;
  t.equal(response.item.length, matches[0].resource.item.length, 'the included ClaimResponse has its lines');
  const all = await search('_revinclude=ClaimResponse:request&_include=Claim:provider');
  t.equal(all.entry.filter((e: any) => e.resource.resourceType === 'ClaimResponse').length, claimRows.length);
  t.ok(all.entry.some((e: any) => e.resource.resourceType === 'Organization'), 'providers included');
});

t.test('paging keeps each claim with its own lines', async (t) => {
  const seen: any[] = [];
  let page = (await server.fhir('Claim?_count=3')).body;
  while (page) {
    seen.push(...page.entry.map((e: any) => e.resource));
    const next = page.link.find((l: any) => l.relation === 'next');
    page = next ? (await server.fhir(next.url)).body : undefined;
  }
  t.equal(seen.length, claimRows.length);
  const all = (await search('')).entry.map((e: any) => e.resource);
  for (const claim of seen) t.same(claim.item, all.find((c: any) => c.id === claim.id).item, `${claim.identifier[1].value} same lines`);
});

t.test('history and vread of a claim that was entered then submitted', async (t) => {
  const checked = DEMO.claims.checked;
  const history = await server.fhir(`Claim/${checked.uuid}/_history`);
  t.equal(history.status, 200);
  t.equal(history.body.entry.length, checked.historyRows + 1);
  t.same(history.body.entry.map((e: any) => e.request.method), ['PUT', 'POST']);
  const oldest = history.body.entry.at(-1).resource;
  t.equal(oldest.id, checked.uuid);
  t.equal(oldest.item.length, history.body.entry[0].resource.item.length, 'the lines as they were then');
  const vread = await server.fhir(`ClaimResponse/${checked.uuid}/_history/${oldest.meta.versionId}`);
  t.equal(vread.status, 200);
  t.equal(vread.body.outcome, 'queued', 'the old version was only entered');
  t.equal((await server.fhir(`ClaimResponse/${checked.uuid}`)).body.outcome, 'partial');
});

t.test('row security: a claim administrator sees the claims of his health facility only', async (t) => {
  const token = await server.login(DEMO.users.claimAdmin.login, DEMO.users.claimAdmin.password);
  const res = await server.fhir('Claim?_count=100', { token });
  t.equal(res.status, 200);
  t.same(ids(res.body), uuidsOf(claimRows.filter((c) => c.HFID === DEMO.healthFacility.id)));
  t.equal((await server.fhir(`Claim/${DEMO.claims.partlyRejected.uuid}`, { token })).status, 404, 'another facility’s claim is not found');
  t.equal((await server.fhir(`ClaimResponse/${DEMO.claims.processed.uuid}`, { token })).status, 404);
  t.equal((await server.fhir(`Claim/${entered.uuid}`, { token })).status, 200);

  const officer = await server.login(DEMO.users.enrolmentOfficer.login, DEMO.users.enrolmentOfficer.password);
  const districtHfs = (await db('tblHF as h').join('tblUsersDistricts as d', 'd.LocationId', 'h.LocationId').where('d.UserID', DEMO.users.enrolmentOfficer.id).whereNull('d.ValidityTo').select('h.HfID')).map((h) => h.HfID);
  t.ok(districtHfs.length > 0, 'the officer has districts with facilities');
  const byDistrict = await server.fhir('Claim?_count=100', { token: officer });
  t.ok(ids(byDistrict.body).length > 0);
  t.same(ids(byDistrict.body), uuidsOf(claimRows.filter((c) => districtHfs.includes(c.HFID))), 'by the districts of the user');

  const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
  t.equal((await server.fhir('Claim', { token: clerk })).status, 403, 'no claim right');
  t.equal((await server.fhir('Claim', { token: null })).status, 401);
});

t.test('hostile search values: 200 or 400, never 500', async (t) => {
  for (const value of ["' OR 1=1 --", '%', '\\', 'x'.repeat(3000)]) {
    for (const param of ['identifier', 'patient', 'provider', 'status', 'created', 'use', 'type']) {
      const res = await server.fhir(`Claim?${param}=${encodeURIComponent(value)}`);
      t.ok(res.status === 200 || res.status === 400, `${param} → ${res.status}`);
    }
  }
});
