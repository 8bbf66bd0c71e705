/**
 * Our conformance resources in profiles/: they load, are valid R4, agree with the mappings and the
 * extension URLs the resources emit, accept the openIMIS module's input variants, reject what
 * breaks them; and validation is fast enough for every write.
 */
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectFile } from '../../src/paths.js';
import { ProfileRegistry, profileRegistry, validateResource, warmUpValidation } from '../../src/fhir/validation/index.js';
import { validateSchema } from '../../src/fhir/validation/schema.js';

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const dir = projectFile('profiles');
const registry = profileRegistry();

t.test('every file of profiles/ is a valid R4 conformance resource and the registry is consistent', async (t) => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  t.ok(files.length > 100, `${files.length} files`);
  for (const file of files) {
    const resource = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    t.same(validateSchema(resource), [], file);
    t.equal(file, `${resource.resourceType}-${resource.id}.json`, `${file} is named after its id`);
    t.equal(resource.url, `${IG}/${resource.resourceType}/${resource.id}`, `${file} has the canonical url of its id`);
  }
  t.same(ProfileRegistry.load(dir).check(), [], 'bound ValueSets, extension profiles and targets all defined');
  const stats = registry.stats();
  t.ok(stats.profiles >= 21 && stats.extensions >= 40, JSON.stringify(stats));
});

t.test('the profiles the IG names are all there', async (t) => {
  for (const id of [
    'openimis-patient', 'openimis-group', 'openimis-location', 'openimis-health-facility-organization', 'openimis-insurance-organization',
    'openimis-claim-administrator-practitioner', 'openimis-enrolment-officer-practitioner', 'openimis-claim-administrator-practitioner-role',
    'openimis-enrolment-officer-practitioner-role', 'openimis-claim', 'openimis-claim-response', 'openimis-coverage', 'openimis-contract',
    'openimis-insurance-plan', 'openimis-medication', 'openimis-activity-definition', 'openimis-activitiy-definition', 'openimis-communication',
    'openimis-communication-request', 'openimis-coverage-eligibility-request', 'openimis-coverage-eligibility-response',
  ]) {
    t.ok(registry.profile(`${IG}/StructureDefinition/${id}`), id);
  }
});

t.test('CodeSystems carry every code of mappings/ of their system', async (t) => {
  for (const file of readdirSync(projectFile('mappings')).filter((f) => f.endsWith('.json'))) {
    const mapping = JSON.parse(readFileSync(projectFile('mappings', file), 'utf8')) as { system: string; codes: { fhir: string }[] };
    if (!mapping.system.startsWith(`${IG}/CodeSystem/`)) continue;
    const cs = registry.codeSystemList().find((c) => c.url === mapping.system);
    t.ok(cs, `${file}: CodeSystem ${mapping.system}`);
    const codes = new Set((cs?.concept ?? []).map((c) => c.code));
    t.same(mapping.codes.map((c) => c.fhir).filter((c) => !codes.has(c)), [], `${file}: every code is in the CodeSystem`);
  }
});

t.test('every IG extension, profile and code system the resources write is defined here', async (t) => {
  const sources: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(folder, entry.name));
      else if (entry.name.endsWith('.ts')) sources.push(readFileSync(join(folder, entry.name), 'utf8'));
    }
  };
  walk(projectFile('src', 'resources'));
  const text = sources.join('\n');
  const ids = (fn: string) => [...text.matchAll(new RegExp(`${fn}\\('([^']+)'\\)`, 'g'))].map((m) => m[1]);
  const definitions = new Set(ids('structureDefinition'));
  t.ok(definitions.size > 30, `${definitions.size} StructureDefinitions referenced`);
  for (const id of definitions) t.ok(registry.profile(`${IG}/StructureDefinition/${id}`), `StructureDefinition/${id}`);
  for (const id of new Set(ids('codeSystem'))) t.ok(registry.codeSystemList().some((c) => c.id === id), `CodeSystem/${id}`);
});

// ---------------------------------------------------------------------------------------------
// Inputs the way openIMIS clients send them

const id = (code: string, value: string, system = `${IG}/CodeSystem/openimis-identifiers`) => ({ type: { coding: [{ system, code }] }, value });
const patient = (extra: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  extension: [
    { url: `${IG}/StructureDefinition/patient-is-head`, valueBoolean: true },
    { url: `${IG}/StructureDefinition/patient-card-issued`, valueBoolean: false },
  ],
  identifier: [id('Code', '070707070')],
  name: [{ use: 'usual', family: 'Doe', given: ['John'] }],
  gender: 'male',
  birthDate: '1980-01-01',
  address: [
    {
      use: 'home',
      type: 'physical',
      extension: [
        { url: `${IG}/StructureDefinition/address-municipality`, valueString: 'Achi' },
        { url: `${IG}/StructureDefinition/address-location-reference`, valueReference: { reference: 'Location/8f5b9d1e-2f2c-4c22-9b0c-3f0c1c1c1c1c' } },
      ],
      city: 'Rachla',
      district: 'Rapta',
      state: 'Ultha',
    },
  ],
  ...extra,
});
const PATIENT = `${IG}/StructureDefinition/openimis-patient`;
const errorsOf = (resource: unknown, profile: string) =>
  validateResource(resource, { profile })
    .filter((i) => i.severity === 'error')
    .map((i) => i.diagnostics);

t.test('the openIMIS module variants are accepted', async (t) => {
  t.same(errorsOf(patient(), PATIENT), []);
  for (const legacy of ['MR', 'SB', 'LC', 'FI']) {
    t.same(errorsOf(patient({ identifier: [id(legacy, '070707070', 'https://hl7.org/fhir/valueset-identifier-type.html')] }), PATIENT), [], `identifier type ${legacy}`);
  }
  const doubled = patient();
  doubled.extension = [
    { url: `${IG}//StructureDefinition/patient-is-head`, valueBoolean: true },
    { url: `${IG}/StructureDefinition-patient-card-issued`, valueBoolean: true },
  ];
  const issues = validateResource(doubled, { profile: PATIENT });
  t.same(issues.filter((i) => i.severity === 'error'), [], 'doubled slash and page-style extension urls');
  t.equal(issues.filter((i) => i.severity === 'warning').length, 2, 'with a warning each');

  const location = {
    resourceType: 'Location',
    identifier: [id('LC', 'R1')],
    name: 'Region',
    physicalType: { coding: [{ system: `${IG}//CodeSystem/location-type`, code: 'R' }] },
  };
  t.same(errorsOf(location, `${IG}/StructureDefinition/openimis-location`), [], 'location code type LC, doubled-slash system');
  t.same(errorsOf({ ...location, physicalType: { coding: [{ code: 'R' }] } }, `${IG}/StructureDefinition/openimis-location`), [], 'no system');

  const medication = {
    resourceType: 'Medication',
    identifier: [id('Code', 'AMOX')],
    code: { text: 'Amoxicillin' },
    extension: [
      { url: `${IG}/CodeSystem/unit-price`, valueMoney: { value: 12.5, currency: 'USD' } },
      { url: `${IG}/StructureDefinition/medication-type`, valueCodeableConcept: { coding: [{ system: `${IG}/CodeSystem/medication-item-type`, code: 'D' }] } },
    ],
  };
  t.same(errorsOf(medication, `${IG}/StructureDefinition/openimis-medication`), [], "the module's CodeSystem/unit-price url");

  const service = {
    resourceType: 'ActivityDefinition',
    status: 'active',
    name: 'G34',
    title: 'General consultation',
    topic: [{ coding: [{ system: `${IG}/CodeSystem/activity-definition-service-type.html`, code: 'C' }] }],
    extension: [
      { url: `${IG}/StructureDefinition/unit-price`, valueMoney: { value: 10, currency: 'USD' } },
      { url: `${IG}/StructureDefinition/activity-definition-level`, valueCodeableConcept: { coding: [{ system: `${IG}/ValueSet/activity-definition-level`, code: 'S' }] } },
    ],
  };
  t.same(errorsOf(service, `${IG}/StructureDefinition/openimis-activitiy-definition`), [], 'the IG spelling, ".html" and ValueSet systems, code as name');
});

t.test('what breaks the profiles is named precisely', async (t) => {
  t.same(errorsOf(patient({ identifier: [id('UUID', 'x')] }), PATIENT), [
    'Patient: An insuree has an insurance number (CHFID): an identifier of type Code (legacy MR, LC, FI, SB accepted) (oi-pat-code)',
  ]);
  t.same(errorsOf(patient({ birthDate: undefined, generalPractitioner: [{ reference: 'Practitioner/1' }] }), PATIENT), [
    'Patient.birthDate: required element is missing',
    'Patient.generalPractitioner[0]: must refer to Organization, not Practitioner',
  ]);
  const wrongExtension = patient();
  wrongExtension.extension.push({ url: `${IG}/StructureDefinition/patient-group-reference`, valueReference: { reference: 'Location/1' } } as never);
  t.same(errorsOf(wrongExtension, PATIENT), ['Patient.extension[2].valueReference: must refer to Group, not Location (extension patient-group-reference)']);
  const location = { resourceType: 'Location', identifier: [id('Code', 'X1')], name: 'x', physicalType: { coding: [{ code: 'si' }] } };
  t.same(errorsOf(location, `${IG}/StructureDefinition/openimis-location`), ['Location.physicalType: si is not in the ValueSet location-type (R, D, W, V)']);
  t.same(errorsOf({ resourceType: 'Group', type: 'animal', actual: false, member: [{ entity: { reference: 'Group/1' } }] }, `${IG}/StructureDefinition/openimis-group`), [
    'Group: Can only have members if group is "actual" (grp-1)',
    'Group.type: must match the pattern "person", found "animal"',
    'Group.actual: must match the pattern true, found false',
    'Group.member[0].entity: must refer to Patient, not Group',
  ]);
});

// How fast is measured, not asserted here (timed tests fail on busy machines): the comment reports it.
t.test('validation warms up once and then gives the same answer every time', async (t) => {
  const stats = warmUpValidation(['Patient']);
  t.ok(stats.invariants.compiled > 150, `${stats.invariants.compiled} invariants compiled, ${stats.invariants.skipped.length} skipped`);
  const resource = patient({ telecom: [{ system: 'phone', value: '+2551234', use: 'home' }], maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] } });
  const first = validateResource(resource, { profile: PATIENT });
  const started = performance.now();
  const results = Array.from({ length: 200 }, () => validateResource(resource, { profile: PATIENT }));
  t.comment(`${((performance.now() - started) / 200).toFixed(3)} ms per Patient`);
  t.same(results, Array(200).fill(first), 'the same outcome each time');
});
