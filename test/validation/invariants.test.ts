/**
 * The R4 core invariants (r4-invariants.json, FHIRPath through the fhirpath package) and the native
 * ext-1 / ref-1 checks: they fire on broken resources, stay quiet on the official examples.
 */
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkCoreInvariants, coreInvariants } from '../../src/fhir/validation/invariants.js';
import { compileInvariant, invariantStats } from '../../src/fhir/validation/fhirpath.js';
import { validateSchema } from '../../src/fhir/validation/schema.js';

const require = createRequire(import.meta.url);
const examples = dirname(require.resolve('hl7.fhir.r4.examples/package.json'));
const keys = (resource: unknown) => checkCoreInvariants(resource).map((i) => [/\(([a-z]+-\d+)\)$/.exec(i.diagnostics)?.[1], i.expression?.[0]]);

t.test('all but a few core invariants compile; the rest are counted as skipped', async (t) => {
  const all = coreInvariants();
  t.ok(all.length > 150, `${all.length} invariants`);
  for (const inv of all) compileInvariant(inv);
  t.ok(invariantStats.compiled >= all.length - 5, `${invariantStats.compiled} compiled`);
  t.same(invariantStats.skipped.map((s) => s.key).sort(), ['ctm-1', 'que-7'], 'resolve() and a known misevaluation are skipped');
});

t.test('resource invariants: pat-1 on Patient.contact, org-3 on Organization.telecom', async (t) => {
  t.same(keys({ resourceType: 'Patient', contact: [{ relationship: [{ text: 'mother' }] }, { name: { text: 'x' } }] }), [['pat-1', 'Patient.contact[0]']]);
  t.same(keys({ resourceType: 'Organization', name: 'x', telecom: [{ system: 'phone', value: '1', use: 'home' }] }), [['org-3', 'Organization.telecom[0]']]);
  t.same(keys({ resourceType: 'Organization', name: 'x', telecom: [{ system: 'phone', value: '1', use: 'work' }] }), []);
});

t.test('datatype invariants wherever the datatype is: per-1, cpt-2, att-1', async (t) => {
  t.same(keys({ resourceType: 'Claim', billablePeriod: { start: '2024-02-01', end: '2024-01-01' } }), [['per-1', 'Claim.billablePeriod']]);
  t.same(keys({ resourceType: 'Patient', telecom: [{ value: '123' }] }), [['cpt-2', 'Patient.telecom[0]']]);
  t.same(keys({ resourceType: 'Patient', photo: [{ data: 'AAAA' }] }), [['att-1', 'Patient.photo[0]']]);
  t.same(keys({ resourceType: 'Patient', extension: [{ url: 'http://x', valuePeriod: { start: '2024-02-01', end: '2024-01-01' } }] }), [['per-1', 'Patient.extension[0].valuePeriod']]);
});

t.test('ext-1: a value or extensions, not both, not none', async (t) => {
  t.same(keys({ resourceType: 'Patient', extension: [{ url: 'http://x' }] }), [['ext-1', 'Patient.extension[0]']]);
  t.same(keys({ resourceType: 'Patient', extension: [{ url: 'http://x', valueString: 'a', extension: [{ url: 'b', valueString: 'c' }] }] }), [['ext-1', 'Patient.extension[0]']]);
  t.same(keys({ resourceType: 'Patient', extension: [{ url: 'http://x', _valueString: { extension: [{ url: 'http://y', valueString: 'z' }] } }] }), [], 'a primitive extension is a value');
});

t.test('ref-1 and the contained-resource rules', async (t) => {
  t.same(keys({ resourceType: 'Patient', managingOrganization: { reference: '#org' } }), [['ref-1', 'Patient.managingOrganization']]);
  t.same(keys({ resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'org', name: 'x' }], managingOrganization: { reference: '#org' } }), []);
  t.same(keys({ resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'org', name: 'x' }] }), [['dom-3', 'Patient']], 'a contained resource nobody refers to');
  t.has(
    keys({ resourceType: 'Claim', contained: [{ resourceType: 'Patient', id: 'p1', contained: [{ resourceType: 'Organization', id: 'o', name: 'x' }] }], patient: { reference: '#p1' } }),
    [['dom-2', 'Claim']],
    'a contained resource with contained resources',
  );
  // The openIMIS module's contained references (#Type/id) are not R4 local references.
  t.same(keys({ resourceType: 'Claim', contained: [{ resourceType: 'Patient', id: 'p1' }], patient: { reference: '#Patient/p1' } }).sort(), [
    ['dom-3', 'Claim'],
    ['ref-1', 'Claim.patient'],
  ]);
});

t.test('the official examples of the types openIMIS serves break no core invariant', async (t) => {
  const wanted = /^(Patient|Group|Location|Organization|Practitioner|PractitionerRole|Claim|ClaimResponse|Coverage|Contract|InsurancePlan|Medication|ActivityDefinition|Communication|CommunicationRequest|CoverageEligibilityRequest|CoverageEligibilityResponse|Questionnaire)-/;
  const files = readdirSync(examples).filter((f) => wanted.test(f)).sort();
  let checked = 0;
  for (const file of files) {
    const resource = JSON.parse(readFileSync(join(examples, file), 'utf8'));
    if (validateSchema(resource).length) continue;
    checked++;
    const issues = checkCoreInvariants(resource);
    t.same(issues, [], file);
  }
  t.ok(checked > 100, `${checked} examples`);
  t.same(invariantStats.failedEvaluations, {}, 'no invariant threw while evaluated');
});
