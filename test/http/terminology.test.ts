/**
 * Terminology: CodeSystem and ValueSet (the IG's lists, and the openIMIS code tables and diagnoses
 * served complete from the database), $expand (filter, paging, designations, French displays),
 * $lookup (French designation), $validate-code on both types, unknown systems and value sets, rights
 * (diagnoses need 111001). The server registers the CodeSystem and ValueSet definitions of
 * src/terminology (the application does not yet: see src/terminology/README.md); everything else is
 * the application. Every query is also compiled for SQL Server and checked.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { MssqlCapture, checkCapturedForMssql } from '../helpers/mssql-capture.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { ICD_CODES } from '../../src/db/demo/medical.js';
import { validateResource } from '../../src/fhir/validation/index.js';

const capture = new MssqlCapture().installDialectTwins();
t.teardown(() => capture.close());
const server = await startServer(t);
const db = server.db.knex;
capture.attach(db);
capture.start();

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const CS = (id: string) => `${IG}/CodeSystem/${id}`;
const VS = (id: string) => `${IG}/ValueSet/${id}`;
const EDUCATION = CS('patient-education-level');
const DIAGNOSES = CS('diagnosis-ICD10-level1');
const clerk = await server.login(DEMO.users.clerk.login, DEMO.users.clerk.password);
const claimAdmin = await server.login(DEMO.users.claimAdmin.login, DEMO.users.claimAdmin.password);
const noRights = await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password);
const icd = [...ICD_CODES].map(([, code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));
const q = encodeURIComponent;
const errorsOf = (resource: unknown) => validateResource(resource).filter((i) => (i.severity ?? 'error') === 'error');
/** A Parameters output as { name: value } (repeated names as arrays of their parts). */
const out = (body: any) => {
  const result: Record<string, any> = {};
  for (const p of body.parameter ?? []) {
    const value = p.part ? Object.fromEntries(p.part.map((x: any) => [x.name, x.valueCode ?? x.valueString ?? x.valueCoding])) : Object.entries(p).find(([k]) => k.startsWith('value'))?.[1];
    if (p.name === 'designation') (result.designation ??= []).push(value);
    else result[p.name] = value;
  }
  return result;
};

t.test('CodeSystem: the IG lists as profiles/ has them, the code tables complete from the database', async (t) => {
  const status = await server.fhir('CodeSystem/claim-status');
  t.equal(status.status, 200);
  t.match(status.body, { resourceType: 'CodeSystem', id: 'claim-status', url: CS('claim-status'), content: 'complete', count: 5 });
  t.ok(status.headers.get('etag'));

  const education = await server.fhir('CodeSystem/patient-education-level');
  t.equal(education.status, 200);
  const rows = await db('tblEducations').orderBy('SortOrder');
  t.match(education.body, { id: 'patient-education-level', url: EDUCATION, status: 'active', content: 'complete', count: rows.length });
  t.same(
    education.body.concept.map((c: any) => [c.code, c.display, c.designation?.[0]?.language, c.designation?.[0]?.value]),
    rows.map((r) => [String(r.EducationId), r.Education, 'fr', r.AltLanguage]),
    'every row, in SortOrder, the French label as designation',
  );
  t.match(education.body.description, /tblEducations/);
  t.same(errorsOf(education.body), []);

  const diagnoses = await server.fhir('CodeSystem/diagnosis-ICD10-level1');
  t.equal(diagnoses.status, 200);
  t.equal(diagnoses.body.count, DEMO.registers.icdCodes);
  t.same(diagnoses.body.concept.map((c: any) => [c.code, c.display]), icd.map((c) => [c.code, c.name]), 'every current ICD code, by code');

  // The module's path names read the IG code system they stand for (the claims app reads CodeSystem/diagnosis).
  const byPath = await server.fhir('CodeSystem/diagnosis');
  t.equal(byPath.status, 200);
  t.equal(byPath.body.id, 'diagnosis-ICD10-level1', 'the body id the module gives it');
  t.same(byPath.body, diagnoses.body);
  t.equal((await server.fhir('CodeSystem/organization-hf-legal-form')).body.id, 'organization-legal-form');
  t.equal((await server.fhir('CodeSystem/no-such-system')).status, 404);

  // A change to a code table is a new version at once.
  const etag = education.headers.get('etag')!;
  t.equal((await server.fhir('CodeSystem/patient-education-level', { headers: { 'if-none-match': etag } })).status, 304);
  await db('tblEducations').insert({ EducationId: 99, Education: 'Vocational training', AltLanguage: 'Formation professionnelle', SortOrder: 99 });
  const changed = await server.fhir('CodeSystem/patient-education-level', { headers: { 'if-none-match': etag } });
  t.equal(changed.status, 200, 'not 304: the content changed');
  t.not(changed.headers.get('etag'), etag);
  t.same(changed.body.concept.at(-1), { code: '99', display: 'Vocational training', designation: [{ language: 'fr', value: 'Formation professionnelle' }] });
  await db('tblEducations').where('EducationId', 99).delete();

  t.equal((await server.fhir('CodeSystem/no-such-system')).status, 404);
  t.equal((await server.fhir('CodeSystem/claim-status', { method: 'PUT', body: JSON.stringify(status.body) })).status, 405, 'read-only');
});

t.test('CodeSystem and ValueSet searches', async (t) => {
  const all = await server.fhir('CodeSystem?_count=100&_total=accurate');
  t.equal(all.status, 200);
  t.ok(all.body.total >= 45, `${all.body.total} code systems`);
  t.equal(all.body.entry.length, all.body.total);
  const byUrl = await server.fhir(`CodeSystem?url=${q(EDUCATION)}`);
  t.same(byUrl.body.entry.map((e: any) => e.resource.id), ['patient-education-level']);
  t.same((await server.fhir(`CodeSystem?system=${q(DIAGNOSES)}`)).body.entry.map((e: any) => e.resource.id), ['diagnosis-ICD10-level1']);
  const named = await server.fhir('CodeSystem?name=Patient&_sort=name&_total=accurate');
  t.same(named.body.entry.map((e: any) => e.resource.name), ['PatientContactRelationship', 'PatientEducationLevel', 'PatientIdentificationType', 'PatientProfession']);
  t.equal(named.body.total, 4);
  t.equal((await server.fhir('CodeSystem?title:contains=legal&_count=0')).body.total, 2, 'facility and policy holder legal forms');
  // Paging over the catalogue.
  const first = await server.fhir('CodeSystem?_count=10');
  const next = first.body.link.find((l: any) => l.relation === 'next');
  const second = await server.fhir(next.url);
  t.equal(second.body.entry.length, 10);
  t.same(second.body.entry.filter((e: any) => first.body.entry.some((f: any) => f.resource.id === e.resource.id)), [], 'no overlap');

  const valueSets = await server.fhir('ValueSet?_count=100');
  t.ok(valueSets.body.entry.length >= 47);
  const vs = await server.fhir('ValueSet/patient-education-level');
  t.match(vs.body, { resourceType: 'ValueSet', id: 'patient-education-level', url: VS('patient-education-level'), compose: { include: [{ system: EDUCATION }] } });
  t.same((await server.fhir(`ValueSet?url=${q(VS('feedback-payload'))}`)).body.entry.map((e: any) => e.resource.id), ['feedback-payload']);
  // url is a uri parameter: exact, :below (everything under a base) and :above (the canonical a versioned URL lies under).
  const igValueSets = valueSets.body.entry.filter((e: any) => e.resource.url.startsWith(`${IG}/ValueSet/`)).length;
  t.equal((await server.fhir(`ValueSet?url:below=${q(`${IG}/ValueSet`)}&_count=0`)).body.total, igValueSets, 'url:below the IG base');
  t.equal((await server.fhir(`ValueSet?url:below=${q(`${IG}/ValueSet/feedback-pay`)}&_count=0`)).body.total, 0, ':below by whole segments');
  t.same((await server.fhir(`CodeSystem?url:above=${q(`${EDUCATION}/_history/2`)}`)).body.entry.map((e: any) => e.resource.id), ['patient-education-level'], 'url:above');
  t.equal((await server.fhir(`CodeSystem?url=${q(EDUCATION.toUpperCase())}&_count=0`)).body.total, 0, 'URIs are exact');

  // Everything served is valid R4.
  const problems: string[] = [];
  for (const entry of [...all.body.entry, ...valueSets.body.entry]) {
    for (const issue of errorsOf(entry.resource)) problems.push(`${entry.resource.resourceType}/${entry.resource.id}: ${issue.diagnostics}`);
  }
  t.same(problems, [], 'every CodeSystem and ValueSet passes the R4 schema and invariants');
});

t.test('$expand: filter, paging, designations, French displays', async (t) => {
  const expand = async (query: string, token?: string) => server.fhir(`ValueSet/$expand?${query}`, { token });
  const page1 = await expand(`url=${q(VS('diagnosis-ICD10-level1'))}&count=5`);
  t.equal(page1.status, 200, JSON.stringify(page1.body));
  t.same(errorsOf(page1.body), [], 'a valid ValueSet');
  t.match(page1.body, { resourceType: 'ValueSet', id: 'diagnosis-ICD10-level1', url: VS('diagnosis-ICD10-level1'), expansion: { total: icd.length, offset: 0 } });
  t.match(page1.body.expansion.identifier, /^urn:uuid:/);
  t.same(page1.body.expansion.contains, icd.slice(0, 5).map((c) => ({ system: DIAGNOSES, code: c.code, display: c.name })));
  const page2 = await expand(`url=${q(VS('diagnosis-ICD10-level1'))}&count=5&offset=5`);
  t.same(page2.body.expansion.contains.map((c: any) => c.code), icd.slice(5, 10).map((c) => c.code), 'the next page');
  t.match(page2.body.expansion.parameter, [{ name: 'offset', valueInteger: 5 }, { name: 'count', valueInteger: 5 }]);
  const last = await expand(`url=${q(VS('diagnosis-ICD10-level1'))}&count=10&offset=${icd.length - 3}`);
  t.equal(last.body.expansion.contains.length, 3, 'the last page is short');
  const beyond = await expand(`url=${q(VS('diagnosis-ICD10-level1'))}&offset=${icd.length + 10}`);
  t.equal(beyond.body.expansion.total, icd.length);
  t.notOk(beyond.body.expansion.contains, 'nothing beyond the end');

  const malaria = await expand(`url=${q(VS('diagnosis-ICD10-level1'))}&filter=MALARIA`);
  const expected = icd.filter((c) => c.name.toLowerCase().includes('malaria')).map((c) => c.code);
  t.ok(expected.length >= 2);
  t.same(malaria.body.expansion.contains.map((c: any) => c.code), expected, 'filter on the display, any case');
  t.equal(malaria.body.expansion.total, expected.length);
  t.match(malaria.body.expansion.parameter, [{ name: 'filter', valueString: 'MALARIA' }]);
  const byCode = await expand(`url=${q(VS('diagnosis-ICD10-level1'))}&filter=b5&count=1`);
  t.equal(byCode.body.expansion.total, icd.filter((c) => c.code.startsWith('B5')).length, 'filter on the code start');
  t.equal(byCode.body.expansion.contains.length, 1);
  t.equal((await expand(`url=${q(VS('diagnosis-ICD10-level1'))}&filter=${q('100%_')}`)).body.expansion.total, 0, 'LIKE wildcards are text');
  const none = await expand(`url=${q(VS('diagnosis-ICD10-level1'))}&count=0`);
  t.equal(none.body.expansion.total, icd.length);
  t.notOk(none.body.expansion.contains);

  // Instance level, French.
  const french = await server.fhir('ValueSet/patient-education-level/$expand?displayLanguage=fr&includeDesignations=true');
  t.equal(french.status, 200);
  const rows = await db('tblEducations').orderBy('SortOrder');
  t.same(french.body.expansion.contains.map((c: any) => c.display), rows.map((r) => r.AltLanguage));
  t.same(french.body.expansion.contains[0].designation, [{ language: 'fr', value: rows[0].AltLanguage }]);
  const filtered = await server.fhir(`ValueSet/patient-education-level/$expand?filter=${q('école')}`);
  t.same(filtered.body.expansion.contains.map((c: any) => c.code), ['2', '3'], 'the filter matches French labels too');

  // POST Parameters; a value set over two systems pages across both (external codes listed).
  const posted = await server.fhir('ValueSet/$expand', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'valueSet',
          resource: {
            resourceType: 'ValueSet',
            status: 'active',
            compose: {
              include: [
                { system: 'http://terminology.hl7.org/CodeSystem/insurance-plan-type', concept: [{ code: 'medical', display: 'Medical' }] },
                { system: CS('claim-status') },
                { system: EDUCATION, concept: [{ code: '4' }, { code: '404' }] },
              ],
            },
          },
        },
        { name: 'offset', valueInteger: 4 },
        { name: 'count', valueInteger: 3 },
      ],
    }),
  });
  t.equal(posted.status, 200, JSON.stringify(posted.body));
  t.equal(posted.body.expansion.total, 1 + 5 + 1, 'the listed code 404 is not in the code system');
  t.same(posted.body.expansion.contains.map((c: any) => `${c.system.split('/').at(-1)}|${c.code}`), ['claim-status|8', 'claim-status|16', 'patient-education-level|4']);
  t.equal(posted.body.expansion.contains[2].display, 'University');
  const benefit = await expand(`url=${q(VS('insurance-plan-benefit-type'))}`);
  t.equal(benefit.body.expansion.contains[0].code, 'medical', 'an IG value set with an external system');

  // Errors.
  const unknown = await expand(`url=${q(VS('no-such-set'))}`);
  t.equal(unknown.status, 404);
  t.equal(unknown.body.resourceType, 'OperationOutcome');
  t.equal((await server.fhir('ValueSet/no-such-set/$expand')).status, 404);
  t.equal((await server.fhir('ValueSet/$expand')).status, 400, 'no value set named');
  t.equal((await expand(`url=${q(VS('claim-status'))}&count=-1`)).status, 400);
  t.equal((await expand(`url=${q(VS('claim-status'))}&offset=x`)).status, 400);
  const external = await server.fhir('ValueSet/$expand', {
    method: 'POST',
    body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'valueSet', resource: { resourceType: 'ValueSet', status: 'active', compose: { include: [{ system: 'http://loinc.org' }] } } }] }),
  });
  t.equal(external.status, 422, 'a whole external code system cannot be enumerated');
  t.match(external.body.issue[0], { code: 'not-supported' });
});

t.test('$lookup: display, French designation, unknown system and code', async (t) => {
  const lookup = async (query: string, token?: string) => server.fhir(`CodeSystem/$lookup?${query}`, { token });
  const education = await lookup(`system=${q(EDUCATION)}&code=2`);
  t.equal(education.status, 200, JSON.stringify(education.body));
  t.same(errorsOf(education.body), []);
  t.same(out(education.body), { name: 'PatientEducationLevel', version: '0.1.0', display: 'Primary school', designation: [{ language: 'fr', value: 'École primaire' }] });
  t.equal(out((await lookup(`system=${q(EDUCATION)}&code=2&displayLanguage=fr`)).body).display, 'École primaire');
  t.equal(out((await lookup(`system=${q('CodeSystem/patient-profession')}&code=1`)).body).display, 'Housewife', 'a relative system url');
  t.equal(out((await lookup(`system=${q(`${IG}//CodeSystem/group-type`)}&code=H`)).body).display, 'Household', 'a doubled slash');
  t.equal(out((await lookup(`system=${q(DIAGNOSES)}&code=B54`)).body).display, 'Unspecified malaria');
  t.equal(out((await lookup(`system=${q(`${IG}/CodeSystem/diagnosis`)}&code=B54`)).body).display, 'Unspecified malaria', "the module's path name");
  t.equal(out((await lookup(`system=${q(CS('feedback-payload'))}&code=Asessment`)).body).name, 'FeedbackPayload');
  const posted = await server.fhir('CodeSystem/$lookup', {
    method: 'POST',
    body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'coding', valueCoding: { system: CS('payer-type'), code: 'G' } }] }),
  });
  t.equal(out(posted.body).display, 'Government');

  const unknownCode = await lookup(`system=${q(EDUCATION)}&code=42`);
  t.equal(unknownCode.status, 404);
  t.match(unknownCode.body.issue[0], { code: 'not-found', diagnostics: /"42"/ });
  const unknownSystem = await lookup(`system=${q('http://example.org/nothing')}&code=1`);
  t.equal(unknownSystem.status, 404);
  t.match(unknownSystem.body.issue[0].diagnostics, /not known/);
  t.equal((await lookup(`code=2`)).status, 400, 'no system');
  t.equal((await server.fhir('CodeSystem/patient-education-level/$lookup?code=2')).status, 404, '$lookup is a type-level operation');
});

t.test('$validate-code on CodeSystem and ValueSet', async (t) => {
  const csValidate = async (query: string) => out((await server.fhir(`CodeSystem/$validate-code?${query}`)).body);
  t.same(await csValidate(`url=${q(EDUCATION)}&code=3`), { result: true, display: 'Secondary school' });
  t.match(await csValidate(`url=${q(EDUCATION)}&code=42`), { result: false, message: /42.*not in/ });
  t.match(await csValidate(`url=${q(EDUCATION)}&code=3&display=University`), { result: false, message: /not a display/ });
  t.same(await csValidate(`url=${q(EDUCATION)}&code=3&display=${q('école secondaire')}`), { result: true, display: 'Secondary school' }, 'the French label is a display');
  const instance = await server.fhir('CodeSystem/diagnosis-ICD10-level1/$validate-code?code=B54');
  t.same(out(instance.body), { result: true, display: 'Unspecified malaria' });
  t.same(errorsOf(instance.body), []);
  const coding = await server.fhir('CodeSystem/$validate-code', {
    method: 'POST',
    body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'coding', valueCoding: { system: CS('claim-visit-type'), code: 'E' } }] }),
  });
  t.equal(out(coding.body).result, true, 'the system of the coding');
  const unknownSystem = await server.fhir(`CodeSystem/$validate-code?url=${q('http://example.org/nothing')}&code=1`);
  t.equal(unknownSystem.status, 404);
  t.equal((await server.fhir('CodeSystem/nothing/$validate-code?code=1')).status, 404);
  t.equal((await server.fhir(`CodeSystem/$validate-code?url=${q(EDUCATION)}`)).status, 400, 'no code');

  const vsValidate = async (path: string, query: string) => out((await server.fhir(`${path}?${query}`)).body);
  t.same(await vsValidate('ValueSet/$validate-code', `url=${q(VS('diagnosis-ICD10-level1'))}&system=${q(DIAGNOSES)}&code=B54`), { result: true, display: 'Unspecified malaria' });
  t.match(await vsValidate('ValueSet/$validate-code', `url=${q(VS('diagnosis-ICD10-level1'))}&system=${q(DIAGNOSES)}&code=ZZZ`), { result: false });
  t.match(await vsValidate('ValueSet/$validate-code', `url=${q(VS('diagnosis-ICD10-level1'))}&system=${q(EDUCATION)}&code=2`), { result: false }, 'another system');
  t.same(await vsValidate('ValueSet/claim-status/$validate-code', 'code=16'), { result: true, display: 'valuated' }, 'no system: any of the value set');
  t.same(await vsValidate('ValueSet/insurance-plan-benefit-type/$validate-code', `system=${q('http://terminology.hl7.org/CodeSystem/insurance-plan-type')}&code=medical`), {
    result: true,
    display: 'Medical',
  });
  const concept = await server.fhir('ValueSet/patient-profession/$validate-code', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Parameters',
      parameter: [{ name: 'codeableConcept', valueCodeableConcept: { coding: [{ system: 'http://example.org', code: 'x' }, { system: CS('patient-profession'), code: '2' }] } }],
    }),
  });
  t.same(out(concept.body), { result: true, display: 'Employee' }, 'one valid coding suffices');
  t.equal((await server.fhir(`ValueSet/$validate-code?url=${q(VS('nothing'))}&code=1`)).status, 404);
});

t.test('rights: any authenticated user, the diagnoses with claim search (111001)', async (t) => {
  t.equal((await server.fhir('CodeSystem/patient-education-level', { token: null })).status, 401);
  t.equal((await server.fhir(`CodeSystem/$lookup?system=${q(EDUCATION)}&code=1`, { token: null })).status, 401);
  t.equal((await server.fhir('CodeSystem/patient-education-level', { token: noRights })).status, 200, 'no right needed');
  t.equal((await server.fhir(`ValueSet/$expand?url=${q(VS('group-type'))}`, { token: noRights })).status, 200);
  for (const [who, token] of [['clerk', clerk], ['user without roles', noRights]] as const) {
    t.equal((await server.fhir('CodeSystem/diagnosis-ICD10-level1', { token })).status, 404, `${who}: the diagnoses are not shown`);
    const all = await server.fhir('CodeSystem?_count=100&_total=accurate', { token });
    t.notOk(all.body.entry.some((e: any) => e.resource.id === 'diagnosis-ICD10-level1'), `${who}: nor listed`);
    t.equal(all.body.total, all.body.entry.length);
    const lookup = await server.fhir(`CodeSystem/$lookup?system=${q(DIAGNOSES)}&code=B54`, { token });
    t.equal(lookup.status, 403, `${who}: $lookup`);
    t.match(lookup.body.issue[0].diagnostics, /111001/);
    t.equal((await server.fhir(`ValueSet/$expand?url=${q(VS('diagnosis-ICD10-level1'))}`, { token })).status, 403, `${who}: $expand`);
    t.equal((await server.fhir(`ValueSet/diagnosis-ICD10-level1/$validate-code?code=B54`, { token })).status, 403, `${who}: $validate-code`);
  }
  t.equal((await server.fhir('CodeSystem/diagnosis-ICD10-level1', { token: claimAdmin })).status, 200, 'a claim administrator reads them');
  t.equal((await server.fhir('CodeSystem/diagnosis', { token: clerk })).status, 404, 'nor by the module\'s path');
  t.equal((await server.fhir(`CodeSystem/$lookup?system=${q(DIAGNOSES)}&code=B54`, { token: claimAdmin })).status, 200);
});

t.test('the operations in the CapabilityStatement and as OperationDefinitions', async (t) => {
  const metadata = await server.fhir('metadata', { token: null });
  const resource = (type: string) => metadata.body.rest[0].resource.find((r: any) => r.type === type);
  t.same(resource('ValueSet').operation.map((o: any) => o.name).sort(), ['expand', 'validate', 'validate-code']);
  t.same(resource('CodeSystem').operation.map((o: any) => o.name).sort(), ['lookup', 'validate', 'validate-code']);
  t.same(resource('CodeSystem').interaction.map((i: any) => i.code).sort(), ['read', 'search-type', 'vread']);
  for (const id of ['ValueSet-expand', 'CodeSystem-lookup', 'validate-code']) {
    const definition = await server.fhir(`OperationDefinition/${id}`, { token: null });
    t.equal(definition.status, 200, id);
    t.same(errorsOf(definition.body), [], `${id} is a valid OperationDefinition`);
  }
  t.notOk(resource('Patient').operation.some((o: any) => o.name === 'expand'));
});

t.test('every query compiles and checks for SQL Server', async (t) => {
  capture.stop();
  checkCapturedForMssql(t, capture, { minDistinct: 10 });
});
