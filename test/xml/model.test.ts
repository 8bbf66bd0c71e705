/**
 * The R4 element model (src/fhir/model): generated from the official StructureDefinitions, small,
 * up to date with its builder, and answering what XML, _summary and validation ask of it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  FHIR_VERSION, element, elementAt, elementsOf, isPrimitive, isResourceType, isSummary, primitiveJson, property,
  resourceTypes, summaryProperties, typeInfo, typeOf,
} from '../../src/fhir/model/index.js';
import { EXAMPLES_DIR, readExample } from './examples.js';

const MODEL_FILE = new URL('../../src/fhir/model/r4-elements.json', import.meta.url);

t.test('the generated file is small and matches what the builder makes of the official definitions', async (t) => {
  const size = statSync(MODEL_FILE).size;
  t.ok(size < 2 * 1024 * 1024, `r4-elements.json is ${size} bytes`);
  const dir = mkdtempSync(join(tmpdir(), 'fhir-model-'));
  try {
    const out = join(dir, 'r4-elements.json');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-fhir-model.ts', '--source', EXAMPLES_DIR, '--out', out], {
      cwd: new URL('../..', import.meta.url),
      stdio: 'pipe',
    });
    t.equal(readFileSync(out, 'utf8'), readFileSync(MODEL_FILE, 'utf8'), 'npx tsx scripts/build-fhir-model.ts leaves it unchanged');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t.test('every R4 resource type, and only those', async (t) => {
  t.equal(FHIR_VERSION, '4.0.1');
  const types = resourceTypes();
  t.equal(types.length, 146);
  for (const name of ['Patient', 'Claim', 'Parameters', 'Bundle', 'Binary', 'InsurancePlan', 'CoverageEligibilityResponse']) {
    t.ok(isResourceType(name), name);
  }
  for (const name of ['Resource', 'DomainResource', 'HumanName', 'string', 'Patient.contact', 'Nope']) t.notOk(isResourceType(name), name);
  // Exactly the concrete resources defined in the specification's resource bundle.
  type Sd = { resourceType: string; name: string; kind: string; abstract: boolean; derivation?: string };
  const definitions = (readExample('Bundle-resources.json') as { entry: { resource: Sd }[] }).entry.map((e) => e.resource);
  const defined = definitions
    .filter((r) => r.resourceType === 'StructureDefinition' && r.kind === 'resource' && !r.abstract && r.derivation !== 'constraint')
    .map((r) => r.name)
    .sort();
  t.strictSame(types, defined);
});

t.test('elements in StructureDefinition order, inherited first', async (t) => {
  t.strictSame(
    elementsOf('Patient').slice(0, 12).map((e) => e.name),
    ['id', 'meta', 'implicitRules', 'language', 'text', 'contained', 'extension', 'modifierExtension', 'identifier', 'active', 'name', 'telecom'],
  );
  t.strictSame(elementsOf('Extension').map((e) => e.name), ['id', 'extension', 'url', 'value']);
  t.strictSame(elementsOf('Age').map((e) => e.name), elementsOf('Quantity').map((e) => e.name), 'Age is a Quantity');
  t.strictSame(elementsOf('Patient.contact').slice(0, 4).map((e) => e.name), ['id', 'extension', 'modifierExtension', 'relationship']);
  t.strictSame(elementsOf('string'), [], 'primitives have no listed elements');
  t.throws(() => elementsOf('Nope'), /Unknown FHIR type Nope/);
});

t.test('element facts: types, cardinality, flags, targets', async (t) => {
  const deceased = element('Patient', 'deceased')!;
  t.strictSame(
    { choice: deceased.choice, types: deceased.types, isArray: deceased.isArray, summary: deceased.summary, modifier: deceased.modifier, path: deceased.path },
    { choice: true, types: ['boolean', 'dateTime'], isArray: false, summary: true, modifier: true, path: 'Patient.deceased[x]' },
  );
  const name = element('Patient', 'name')!;
  t.equal(name.max, '*');
  t.ok(name.isArray);
  t.equal(element('Claim', 'patient')!.min, 1);
  t.strictSame(element('Claim', 'patient')!.targets, ['Patient']);
  t.ok(element('Element', 'id')!.xmlAttr, 'Element.id is an XML attribute');
  t.ok(element('Extension', 'url')!.xmlAttr, 'Extension.url is an XML attribute');
  t.notOk(element('Patient', 'id')!.xmlAttr, 'Resource.id is an element');
  t.equal(element('Patient', 'id')!.types[0], 'id');
  t.equal(element('Patient', 'id')!.definedIn, 'Resource');
  t.equal(element('Questionnaire.item', 'item')!.types[0], 'Questionnaire.item', 'contentReference');
  t.equal(element('Parameters.parameter', 'part')!.types[0], 'Parameters.parameter');
  t.strictSame(property('Observation', 'valueQuantity')?.type, 'Quantity');
  t.equal(property('Observation', 'value'), undefined, 'a choice has no property without its type');
  t.equal(property('Nope', 'x'), undefined);
});

t.test('primitives and their JSON representation', async (t) => {
  t.equal(primitiveJson('boolean'), 'boolean');
  t.equal(primitiveJson('integer'), 'integer');
  t.equal(primitiveJson('positiveInt'), 'integer');
  t.equal(primitiveJson('unsignedInt'), 'integer');
  t.equal(primitiveJson('decimal'), 'decimal');
  t.equal(primitiveJson('code'), 'string');
  t.equal(primitiveJson('xhtml'), 'xhtml');
  t.equal(primitiveJson('HumanName'), undefined);
  t.ok(isPrimitive('dateTime'));
  t.notOk(isPrimitive('Coding'));
  t.strictSame(typeInfo('positiveInt'), { name: 'positiveInt', kind: 'primitive', base: 'integer', abstract: false, json: 'integer' });
});

t.test('isSummary (Σ) for _summary=true', async (t) => {
  t.ok(isSummary('Patient', 'birthDate'));
  t.ok(isSummary('Patient', 'deceasedBoolean'), 'choice by property name');
  t.ok(isSummary('Patient', 'deceased'), 'choice by element name');
  t.notOk(isSummary('Patient', 'photo'));
  t.notOk(isSummary('Patient', 'nope'));
  t.ok(isSummary('Patient', 'id'));
  t.ok(isSummary('Patient', 'meta'));
  t.notOk(isSummary('Patient', 'text'), 'text is added by _summary=true separately, not Σ');
  t.strictSame(
    summaryProperties('Patient'),
    ['id', 'meta', 'implicitRules', 'identifier', 'active', 'name', 'telecom', 'gender', 'birthDate', 'deceasedBoolean',
      'deceasedDateTime', 'address', 'managingOrganization', 'link'],
  );
});

t.test('typeOf and elementAt walk paths across types', async (t) => {
  t.equal(typeOf('Patient'), 'Patient');
  t.equal(typeOf('Patient.birthDate'), 'date');
  t.equal(typeOf('Patient.contact'), 'Patient.contact');
  t.equal(typeOf('Patient.contact.name.family'), 'string');
  t.equal(typeOf('Observation.valueQuantity.value'), 'decimal');
  t.equal(typeOf('Observation.value'), undefined, 'a choice of several types is ambiguous');
  t.equal(typeOf('Observation.value[x]'), undefined);
  t.equal(typeOf('Questionnaire.item.item.item.linkId'), 'string');
  t.equal(typeOf('Bundle.entry.resource'), 'Resource');
  t.equal(typeOf('Claim.item.unitPrice.currency'), 'code');
  t.equal(typeOf('Patient.nope'), undefined);
  t.equal(typeOf('Nope.x'), undefined);
  t.equal(elementAt('Observation.value')?.path, 'Observation.value[x]');
  t.equal(elementAt('Patient.name.given')?.path, 'HumanName.given');
  t.ok(elementAt('Patient.name.given')?.isArray);
});
