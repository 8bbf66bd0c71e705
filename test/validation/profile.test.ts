/**
 * Profile validation rule by rule, on small StructureDefinitions written for the test (nothing
 * openIMIS-specific): cardinality, extensions by url, slices, fixed and pattern values, required
 * bindings, choice and reference types, FHIRPath constraints, derived profiles.
 */
import t from 'tap';
import { ProfileRegistry, validateResource } from '../../src/fhir/validation/index.js';
import { invariantStats } from '../../src/fhir/validation/fhirpath.js';
import type { ElementDefinitionJson, StructureDefinitionJson } from '../../src/fhir/validation/profile.js';

const BASE = 'http://example.org/fhir';
const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const el = (id: string, rest: Partial<ElementDefinitionJson> = {}): ElementDefinitionJson => ({ id, path: id.replace(/:[^.]*/g, ''), ...rest });

function sd(id: string, type: string, elements: ElementDefinitionJson[], extra: Partial<StructureDefinitionJson> = {}): StructureDefinitionJson {
  return {
    resourceType: 'StructureDefinition',
    id,
    url: `${BASE}/StructureDefinition/${id}`,
    type,
    kind: type === 'Extension' ? 'complex-type' : 'resource',
    derivation: 'constraint',
    baseDefinition: CORE + type,
    differential: { element: [el(type), ...elements] },
    ...extra,
  };
}

const flag = sd('flag', 'Extension', [el('Extension.extension', { max: '0' }), el('Extension.url', { fixedUri: `${BASE}/StructureDefinition/flag` }), el('Extension.value[x]', { min: 1, type: [{ code: 'boolean' }] })]);
const colour = sd('colour', 'Extension', [
  el('Extension.url', { fixedUri: `${BASE}/StructureDefinition/colour` }),
  el('Extension.value[x]', { min: 1, type: [{ code: 'CodeableConcept' }], binding: { strength: 'required', valueSet: `${BASE}/ValueSet/colours` } }),
]);
const document = sd('document', 'Extension', [
  el('Extension.extension', { min: 1, slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } }),
  el('Extension.extension:number', { sliceName: 'number', min: 1, max: '1' }),
  el('Extension.extension:number.url', { fixedUri: 'number' }),
  el('Extension.extension:number.value[x]', { min: 1, type: [{ code: 'string' }] }),
  el('Extension.extension:kind', { sliceName: 'kind', min: 0, max: '1' }),
  el('Extension.extension:kind.url', { fixedUri: 'kind' }),
  el('Extension.extension:kind.value[x]', { min: 1, type: [{ code: 'code' }], binding: { strength: 'required', valueSet: `${BASE}/ValueSet/colours` } }),
  el('Extension.url', { fixedUri: `${BASE}/StructureDefinition/document` }),
  el('Extension.value[x]', { max: '0' }),
]);
const person = sd(
  'person',
  'Patient',
  [
    el('Patient.extension', { slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } }),
    el('Patient.extension:flag', { sliceName: 'flag', min: 1, max: '1', type: [{ code: 'Extension', profile: [flag.url] }] }),
    el('Patient.extension:document', { sliceName: 'document', min: 0, max: '1', type: [{ code: 'Extension', profile: [document.url] }] }),
    el('Patient.identifier', { min: 1, slicing: { discriminator: [{ type: 'pattern', path: 'type' }], rules: 'open' } }),
    el('Patient.identifier:code', { sliceName: 'code', min: 1, max: '1' }),
    el('Patient.identifier:code.type', { patternCodeableConcept: { coding: [{ system: `${BASE}/CodeSystem/id-types`, code: 'Code' }] } }),
    el('Patient.name', { min: 1, max: '1' }),
    el('Patient.name.family', { min: 1 }),
    el('Patient.name.use', { fixedCode: 'usual' }),
    el('Patient.gender', { binding: { strength: 'required', valueSet: `${BASE}/ValueSet/two-genders` } }),
    el('Patient.maritalStatus', { binding: { strength: 'required', valueSet: `${BASE}/ValueSet/colours` } }),
    el('Patient.deceased[x]', { type: [{ code: 'boolean' }] }),
    el('Patient.generalPractitioner', { type: [{ code: 'Reference', targetProfile: [CORE + 'Organization'] }] }),
    el('Patient.link', { max: '0' }),
    el('Patient.contact', { constraint: [{ key: 'tst-1', severity: 'error', human: 'A contact has a name', expression: 'name.exists()' }] }),
  ],
  {},
);
person.differential.element[0].constraint = [
  { key: 'tst-2', severity: 'error', human: 'Born before dying', expression: 'deceased.exists().not() or birthDate.exists()' },
  { key: 'tst-3', severity: 'warning', human: 'Should have a telecom', expression: 'telecom.exists()' },
  { key: 'tst-4', severity: 'error', human: 'Broken', expression: 'name.where(' },
];
const strict = sd('strict-person', 'Patient', [el('Patient.birthDate', { min: 1 })], { baseDefinition: person.url });
const closed = sd('closed', 'Patient', [
  el('Patient.extension', { slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'closed' } }),
  el('Patient.extension:flag', { sliceName: 'flag', type: [{ code: 'Extension', profile: [flag.url] }] }),
]);

const registry = new ProfileRegistry();
registry.add({ resourceType: 'CodeSystem', id: 'colours', url: `${BASE}/CodeSystem/colours`, concept: [{ code: 'red' }, { code: 'blue', concept: [{ code: 'navy' }] }] });
registry.add({ resourceType: 'ValueSet', id: 'colours', url: `${BASE}/ValueSet/colours`, compose: { include: [{ system: `${BASE}/CodeSystem/colours` }] } });
registry.add({ resourceType: 'ValueSet', id: 'two-genders', url: `${BASE}/ValueSet/two-genders`, compose: { include: [{ system: 'http://hl7.org/fhir/administrative-gender', concept: [{ code: 'male' }, { code: 'female' }] }] } });
for (const def of [flag, colour, document, person, strict, closed]) registry.add(def);

const good = () => ({
  resourceType: 'Patient',
  extension: [{ url: flag.url, valueBoolean: true }],
  identifier: [{ type: { coding: [{ system: `${BASE}/CodeSystem/id-types`, code: 'Code' }] }, value: 'A1' }],
  name: [{ use: 'usual', family: 'Doe' }],
  telecom: [{ system: 'phone', value: '1' }],
});
const check = (resource: unknown, profile = person.url) => validateResource(resource, { profile, registry });
const errors = (resource: unknown, profile = person.url) =>
  check(resource, profile)
    .filter((i) => i.severity === 'error')
    .map((i) => i.diagnostics);

t.test('a conforming resource passes', async (t) => {
  t.same(check(good()), []);
});

t.test('cardinality: required, maximum, prohibited, nested', async (t) => {
  t.same(errors({ ...good(), name: undefined }), ['Patient.name: required element is missing']);
  t.same(errors({ ...good(), name: [{ family: 'A' }, { family: 'B' }] }), ['Patient.name: name: at most 1 allowed, found 2']);
  t.same(errors({ ...good(), name: [{ given: ['A'] }] }), ['Patient.name[0].family: required element is missing']);
  t.same(errors({ ...good(), link: [{ other: { reference: 'Patient/1' }, type: 'seealso' }] }), ['Patient.link: link is not allowed in this profile']);
});

t.test('extensions by url: count, value type, complex parts, unknown ones allowed', async (t) => {
  t.same(errors({ ...good(), extension: [] }), ['Patient.extension: an array must not be empty (leave the element out instead)'], 'schema first');
  t.same(errors({ ...good(), extension: [{ url: 'http://other', valueString: 'x' }] }), [`Patient.extension: extension ${flag.url}: at least 1 required, found 0`]);
  t.same(errors({ ...good(), extension: [{ url: flag.url, valueBoolean: true }, { url: flag.url, valueBoolean: false }] }), [`Patient.extension: extension ${flag.url}: at most 1 allowed, found 2`]);
  t.same(errors({ ...good(), extension: [{ url: flag.url, valueString: 'yes' }] }), ['Patient.extension[0].valueString: valueString is not allowed here; the profile allows valueBoolean (extension flag)']);
  const doc = (parts: unknown[]) => ({ ...good(), extension: [{ url: flag.url, valueBoolean: true }, { url: document.url, extension: parts }] });
  t.same(errors(doc([{ url: 'number', valueString: 'P1' }, { url: 'kind', valueCode: 'navy' }])), []);
  t.same(errors(doc([{ url: 'kind', valueCode: 'red' }])), ['Patient.extension[1].extension: extension number: at least 1 required, found 0 (extension document)']);
  t.same(errors(doc([{ url: 'number', valueInteger: 1 }])), ['Patient.extension[1].extension[0].valueInteger: valueInteger is not allowed here; the profile allows valueString (extension document)']);
  t.same(errors(doc([{ url: 'number', valueString: 'P1' }, { url: 'kind', valueCode: 'green' }])), [
    'Patient.extension[1].extension[1].valueCode: "green" is not in the ValueSet colours (red, blue, navy) (extension document)',
  ]);
  t.same(errors({ ...good(), extension: [{ url: flag.url, valueBoolean: true }, { url: 'http://elsewhere/x', valueString: 'y' }] }), [], 'open slicing');
  t.same(errors({ ...good(), extension: [{ url: flag.url, valueBoolean: true }, { url: 'http://elsewhere/x', valueString: 'y' }] }, closed.url), [
    'Patient.extension[1]: does not match any of the slices this profile allows',
  ], 'closed slicing');
});

t.test('extensions are checked wherever they are, by their own definition', async (t) => {
  const resource = { ...good(), address: [{ city: 'x', extension: [{ url: colour.url, valueCodeableConcept: { coding: [{ system: `${BASE}/CodeSystem/colours`, code: 'pink' }] } }] }] };
  t.same(errors(resource), [`Patient.address[0].extension[0].valueCodeableConcept: ${BASE}/CodeSystem/colours|pink is not in the ValueSet colours (red, blue, navy) (extension colour)`]);
});

t.test('slices by pattern discriminator', async (t) => {
  t.same(errors({ ...good(), identifier: [{ value: 'no type' }] }), ['Patient.identifier: slice code: at least 1 required, found 0']);
  const twice = good();
  twice.identifier.push(structuredClone(twice.identifier[0]));
  t.same(errors(twice), ['Patient.identifier: slice code: at most 1 allowed, found 2']);
});

t.test('fixed and pattern values', async (t) => {
  t.same(errors({ ...good(), name: [{ use: 'official', family: 'Doe' }] }), ['Patient.name[0].use: must be exactly "usual", not "official"']);
  const typed = good();
  typed.identifier[0].type.coding[0].code = 'Other';
  t.same(errors(typed), ['Patient.identifier: slice code: at least 1 required, found 0']);
});

t.test('required bindings: code, CodeableConcept, systems, nested codes', async (t) => {
  t.same(errors({ ...good(), gender: 'other' }), ['Patient.gender: "other" is not in the ValueSet two-genders (male, female)']);
  t.same(errors({ ...good(), gender: 'female' }), []);
  t.same(errors({ ...good(), maritalStatus: { coding: [{ system: `${BASE}/CodeSystem/colours`, code: 'navy' }] } }), [], 'a child concept is in the ValueSet');
  t.same(errors({ ...good(), maritalStatus: { coding: [{ code: 'red' }] } }), [], 'a coding without system matches by code');
  t.same(errors({ ...good(), maritalStatus: { coding: [{ system: 'http://other', code: 'red' }] } }), [
    'Patient.maritalStatus: http://other|red is not in the ValueSet colours (red, blue, navy)',
  ]);
  t.same(errors({ ...good(), maritalStatus: { text: 'married' } }), ['Patient.maritalStatus: a coding from the ValueSet colours is required (red, blue, navy)']);
  t.same(errors({ ...good(), maritalStatus: { coding: [{ system: 'http://other', code: 'x' }, { system: `${BASE}/CodeSystem/colours`, code: 'blue' }] } }), [], 'any coding may match');
});

t.test('types: choice elements and reference targets', async (t) => {
  t.same(errors({ ...good(), birthDate: '1950-01-01', deceasedDateTime: '2020-01-01' }), ['Patient.deceasedDateTime: deceasedDateTime is not allowed here; the profile allows deceasedBoolean']);
  t.same(errors({ ...good(), generalPractitioner: [{ reference: 'Practitioner/1' }] }), ['Patient.generalPractitioner[0]: must refer to Organization, not Practitioner']);
  t.same(errors({ ...good(), generalPractitioner: [{ reference: 'http://server/fhir/Organization/1/_history/2' }, { reference: '#Organization/o1' }, { type: 'Organization', identifier: { value: 'HF1' } }] }), [
    'Patient.generalPractitioner[1]: SHALL have a contained resource if a local reference is provided; no contained resource has id "Organization/o1" (ref-1)',
  ], 'absolute, contained-style and logical references to the right type');
  t.same(errors({ ...good(), generalPractitioner: [{ type: 'Practitioner', identifier: { value: 'x' } }] }), ['Patient.generalPractitioner[0]: must refer to Organization, not Practitioner']);
});

t.test('FHIRPath constraints: errors, warnings, and the ones that cannot compile', async (t) => {
  t.same(errors({ ...good(), deceasedBoolean: true }), ['Patient: Born before dying (tst-2)']);
  t.same(errors({ ...good(), contact: [{ gender: 'male' }] }), ["Patient.contact[0]: SHALL at least contain a contact's details or a reference to an organization (pat-1)", 'Patient.contact[0]: A contact has a name (tst-1)']);
  const warnings = check({ ...good(), telecom: undefined }).filter((i) => i.severity === 'warning');
  t.same(warnings.map((i) => i.diagnostics), ['Patient: Should have a telecom (tst-3)']);
  t.ok(invariantStats.skipped.some((s) => s.key === 'tst-4'), 'the broken expression is skipped and counted');
});

t.test('derived profiles are checked with their base', async (t) => {
  t.same(errors({ ...good(), name: undefined }, strict.url), ['Patient.birthDate: required element is missing', 'Patient.name: required element is missing']);
});

t.test('profiles from meta.profile, unknown profiles, wrong resource type', async (t) => {
  const claimed = { ...good(), meta: { profile: [strict.url, 'http://unknown/profile'] } };
  const issues = validateResource(claimed, { registry });
  t.same(issues.map((i) => [i.severity, i.diagnostics]), [
    ['warning', 'meta.profile[1]: the profile http://unknown/profile is not known to this server and was not checked'],
    ['error', 'Patient.birthDate: required element is missing'],
  ]);
  t.same(validateResource(good(), { registry, profile: 'http://unknown/profile' }).map((i) => i.code), ['not-supported']);
  t.same(errors({ resourceType: 'Organization', name: 'x' }), ['The profile http://example.org/fhir/StructureDefinition/person is for Patient, not Organization']);
});

t.test('relax: chosen errors become warnings', async (t) => {
  const resource = { ...good(), name: undefined, contact: [{ gender: 'male' }] };
  const issues = validateResource(resource, { registry, profile: person.url, relax: ['Patient.name', 'pat-1'] });
  t.same(issues.filter((i) => i.severity === 'error').map((i) => i.diagnostics), ['Patient.contact[0]: A contact has a name (tst-1)']);
  t.equal(issues.filter((i) => i.severity === 'warning').length, 2);
});

t.test('the registry refuses inconsistent definitions', async (t) => {
  const broken = new ProfileRegistry();
  broken.add(sd('p', 'Patient', [el('Patient.gender', { binding: { strength: 'required', valueSet: 'https://openimis.github.io/openimis_fhir_r4_ig/ValueSet/none' } })]));
  t.throws(() => broken.check(), /ValueSet https:\/\/openimis.github.io\/openimis_fhir_r4_ig\/ValueSet\/none is not defined/);
  t.throws(() => registry.add(flag), /already defined/);
});
