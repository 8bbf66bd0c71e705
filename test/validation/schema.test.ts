/**
 * The R4 JSON schema validation: official R4 examples pass (a deterministic sample of a few hundred
 * from hl7.fhir.r4.examples), broken resources give one precise issue per problem.
 */
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { validateSchema } from '../../src/fhir/validation/schema.js';
import { fhirPath } from '../../src/fhir/validation/fhir-schema.js';

const require = createRequire(import.meta.url);
const examples = dirname(require.resolve('hl7.fhir.r4.examples/package.json'));

/**
 * Official examples the pristine schema rejects for real defects in the examples themselves:
 * empty strings (code "", display ""), non-breaking spaces in strings, `_baseDefinition`
 * (an extension on a non-repeating canonical the schema does not declare), an id with a slash.
 * The whole set: 5,262 of 5,306 pass (the schema's own FHIRVersion enum is completed with 4.0.1).
 */
const KNOWN_INVALID = new Set([
  'Bundle-resources.json', 'Bundle-v2-valuesets.json', 'Bundle-valueset-expansions.json', 'Bundle-valuesets.json',
  'CodeSystem-contract-legalstate.json', 'CodeSystem-contract-publicationstatus.json', 'CodeSystem-contract-status.json', 'CodeSystem-medicationrequest-status.json',
  'CodeSystem-program.json', 'CodeSystem-v2-0220.json', 'CodeSystem-v2-0396.json', 'CodeSystem-v2-0550.json',
  'DiagnosticReport-gingival-mass.json', 'SearchParameter-questionnaireresponse-extensions-QuestionnaireResponse-item-subject.json',
  ...[
    'ActivityDefinition', 'CapabilityStatement', 'ChargeItemDefinition', 'CodeSystem', 'CompartmentDefinition', 'ConceptMap',
    'EffectEvidenceSynthesis', 'EventDefinition', 'Evidence', 'EvidenceVariable', 'ExampleScenario', 'GraphDefinition',
    'ImplementationGuide', 'Library', 'Measure', 'MessageDefinition', 'NamingSystem', 'OperationDefinition',
    'PlanDefinition', 'Questionnaire', 'ResearchDefinition', 'ResearchElementDefinition', 'RiskEvidenceSynthesis', 'SearchParameter',
    'StructureDefinition', 'StructureMap', 'TerminologyCapabilities', 'TestScript', 'ValueSet', 'example-composition',
  ].map((type) => `StructureDefinition-${type}.json`),
]);

/** Up to `perType` examples of every resource type (by file name), a few hundred in all. */
function sampleExamples(perType = 3): string[] {
  const byType = new Map<string, string[]>();
  for (const file of readdirSync(examples).sort()) {
    if (!file.endsWith('.json') || file === 'package.json' || file.startsWith('.')) continue;
    const type = file.split('-')[0];
    byType.set(type, [...(byType.get(type) ?? []), file]);
  }
  return [...byType.values()].flatMap((files) => {
    const step = Math.max(1, Math.floor(files.length / perType));
    return files.filter((_, i) => i % step === 0).slice(0, perType);
  });
}

const errorsOf = (resource: unknown) => validateSchema(resource);
const one = (resource: unknown) => {
  const issues = errorsOf(resource);
  return issues.map((i) => [i.code, i.expression?.[0], i.diagnostics]);
};

t.test('a sample of the official R4 examples passes the schema', async (t) => {
  const sample = sampleExamples();
  t.ok(sample.length >= 250, `${sample.length} examples sampled`);
  const types = new Set<string>();
  const failures: string[] = [];
  for (const file of sample) {
    const resource = JSON.parse(readFileSync(join(examples, file), 'utf8'));
    if (typeof resource.resourceType !== 'string') continue;
    types.add(resource.resourceType);
    const issues = validateSchema(resource);
    if (issues.length && !KNOWN_INVALID.has(file)) failures.push(`${file}: ${issues[0].diagnostics}`);
  }
  t.same(failures, [], 'no example outside the known-invalid list fails');
  t.ok(types.size >= 130, `${types.size} resource types covered`);
});

t.test('the official examples of the types openIMIS serves all pass', async (t) => {
  const wanted = /^(Patient|Group|Location|Organization|Practitioner|PractitionerRole|Claim|ClaimResponse|Coverage|Contract|InsurancePlan|Medication|ActivityDefinition|Communication|CommunicationRequest|CoverageEligibilityRequest|CoverageEligibilityResponse)-/;
  const files = readdirSync(examples).filter((f) => wanted.test(f));
  t.ok(files.length > 100, `${files.length} examples`);
  for (const file of files) {
    const issues = validateSchema(JSON.parse(readFileSync(join(examples, file), 'utf8')));
    t.same(issues, [], file);
  }
});

t.test('wrong datatypes: one precise issue each, with a FHIRPath expression', async (t) => {
  t.same(one({ resourceType: 'Patient', birthDate: '1990-13-01' }), [
    ['value', 'Patient.birthDate', 'Patient.birthDate: string "1990-13-01" is not a date YYYY, YYYY-MM or YYYY-MM-DD'],
  ]);
  t.same(one({ resourceType: 'Patient', active: 'true' }), [
    ['structure', 'Patient.active', 'Patient.active: must be true or false (a JSON boolean, unquoted), not string "true"'],
  ]);
  t.same(one({ resourceType: 'Patient', name: [{ given: 'John' }] }), [
    ['structure', 'Patient.name[0].given', 'Patient.name[0].given: must be a JSON array (the element repeats), not string "John"'],
  ]);
  t.same(one({ resourceType: 'Patient', name: { family: 'Doe' } }), [
    ['structure', 'Patient.name', 'Patient.name: must be a JSON array (the element repeats), not an object'],
  ]);
  t.same(one({ resourceType: 'Patient', gender: 'M' }), [
    ['code-invalid', 'Patient.gender', 'Patient.gender: string "M" is not one of male, female, other, unknown'],
  ]);
  t.same(one({ resourceType: 'Patient', id: 'a b' }), [
    ['value', 'Patient.id', 'Patient.id: string "a b" is not an id of 1 to 64 letters, digits, "-" and "."'],
  ]);
  t.same(one({ resourceType: 'Patient', managingOrganization: 'Organization/1' }), [
    ['structure', 'Patient.managingOrganization', 'Patient.managingOrganization: must be a Reference (JSON object), not string "Organization/1"'],
  ]);
  t.same(one({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: '12' } }), [
    ['structure', 'Observation.valueQuantity.value', 'Observation.valueQuantity.value: must be a decimal (a JSON number), not string "12"'],
  ]);
});

t.test('unknown elements, missing required elements, empty elements', async (t) => {
  t.same(one({ resourceType: 'Patient', name: [{ family: 'Doe', first: 'John' }] }), [
    ['structure', 'Patient.name[0].first', 'Patient.name[0].first: unknown element for HumanName'],
  ]);
  t.same(one({ resourceType: 'Patient', contact: [{ nme: { text: 'x' } }] }), [
    ['structure', 'Patient.contact[0].nme', 'Patient.contact[0].nme: unknown element for Patient.Contact'],
  ]);
  t.same(one({ resourceType: 'Claim', status: 'active', use: 'claim', created: '2024-01-01', type: { text: 'x' }, patient: { reference: 'Patient/1' }, provider: { reference: 'Organization/1' }, insurance: [{ sequence: 1, focal: true, coverage: { reference: 'Coverage/1' } }] }), [
    ['required', 'Claim.priority', 'Claim.priority: required element is missing'],
  ]);
  t.same(one({ resourceType: 'Patient', telecom: [] }), [
    ['structure', 'Patient.telecom', 'Patient.telecom: an array must not be empty (leave the element out instead)'],
  ]);
  t.same(one({ resourceType: 'Patient', name: [{}] }), [['structure', 'Patient.name[0]', 'Patient.name[0]: an element must not be empty (leave it out instead)']]);
  t.same(one({ resourceType: 'Patient', name: [{ family: '' }] }).map((i) => i[1]), ['Patient.name[0].family']);
});

t.test('a choice element has one member only', async (t) => {
  t.same(one({ resourceType: 'Patient', deceasedBoolean: true, deceasedDateTime: '2020-01-01' }), [
    ['structure', 'Patient.deceased', 'Patient: only one of deceasedBoolean, deceasedDateTime may be present (they are one choice element)'],
  ]);
  t.same(one({ resourceType: 'Patient', extension: [{ url: 'http://x', valueString: 'a', valueBoolean: true }] }).map((i) => i[1]), ['Patient.extension[0].value']);
  t.same(one({ resourceType: 'Patient', birthDate: '2000-01-01', _birthDate: { extension: [{ url: 'http://x', valueString: 'a' }] } }), [], 'a primitive and its _element are fine');
  t.same(one({ resourceType: 'DeviceRequest', status: 'active', intent: 'order', codeCodeableConcept: { text: 'x' }, subject: { reference: 'Patient/1' }, reasonCode: [{ text: 'a' }], reasonReference: [{ reference: 'Condition/1' }] }), [], 'reasonCode and reasonReference are two elements');
});

t.test('contained resources and bundle entries are validated as their own type, without oneOf noise', async (t) => {
  t.same(one({ resourceType: 'Claim', contained: [{ resourceType: 'Patient', birthDate: 19900101 }] }).filter((i) => i[1]!.startsWith('Claim.contained')), [
    ['structure', 'Claim.contained[0].birthDate', 'Claim.contained[0].birthDate: must be a date YYYY, YYYY-MM or YYYY-MM-DD (a JSON string), not number 19900101'],
  ]);
  t.same(one({ resourceType: 'Patient', contained: [{ resourceType: 'Nope' }, { id: 'x' }] }), [
    ['structure', 'Patient.contained[0]', 'Patient.contained[0]: resourceType "Nope" is not an R4 resource type'],
    ['structure', 'Patient.contained[1]', 'Patient.contained[1]: has no resourceType'],
  ]);
  t.same(one({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', gender: 'x', name: [{ family: 1 }] } }] }), [
    ['structure', 'Bundle.entry[0].resource.name[0].family', 'Bundle.entry[0].resource.name[0].family: must be a non-empty string (without non-breaking spaces or control characters) (a JSON string), not number 1'],
    ['code-invalid', 'Bundle.entry[0].resource.gender', 'Bundle.entry[0].resource.gender: string "x" is not one of male, female, other, unknown'],
  ]);
});

t.test('not a resource', async (t) => {
  t.same(one([]), [['structure', undefined, 'A resource must be a JSON object']]);
  t.same(one({ id: 'x' }), [['structure', 'resourceType', 'The resource has no resourceType']]);
  t.same(one({ resourceType: 'Insuree' }), [['not-supported', 'resourceType', '"Insuree" is not an R4 resource type']]);
  t.same(one({ resourceType: 'Patient', resourceType2: 1 }), [['structure', 'Patient.resourceType2', 'Patient.resourceType2: unknown element for Patient']]);
});

t.test('FHIRPath-like expressions', async (t) => {
  t.equal(fhirPath('Patient', ''), 'Patient');
  t.equal(fhirPath('Patient', '/name/0/given/1'), 'Patient.name[0].given[1]');
  t.equal(fhirPath('Patient', '/_birthDate/extension/0'), 'Patient.birthDate.extension[0]');
});
