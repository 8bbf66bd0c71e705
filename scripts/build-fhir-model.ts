/**
 * Builds src/fhir/model/r4-elements.json, the compact FHIR R4 element model of the engine, from the
 * official R4 StructureDefinitions (their snapshots) shipped in the devDependency
 * `hl7.fhir.r4.examples` (the "examples" package of the R4 specification also carries every
 * StructureDefinition of the core resources and datatypes).
 *
 *   npx tsx scripts/build-fhir-model.ts [--source DIR] [--out FILE]
 *
 * Only a dev-time step: the generated file is committed and the runtime reads nothing else.
 * Kept per type: its kind, base type, and its own elements in StructureDefinition order (inherited
 * elements come from the base chain), each with type(s), cardinality and the Σ / ?! / XML attribute
 * flags. Backbone elements (and datatype elements with children, such as Timing.repeat) become
 * types of their own named by their path ("Patient.contact"); contentReference ("#Questionnaire.item")
 * points to such a type.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ModelElement, ModelFile, ModelType } from '../src/fhir/model/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: { source: { type: 'string' }, out: { type: 'string' } },
});
const source = args.source ?? dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
const out = args.out ?? join(root, 'src/fhir/model/r4-elements.json');

interface SdType {
  code: string;
  profile?: string[];
  targetProfile?: string[];
  extension?: { url: string; valueUrl?: string }[];
}
interface SdElement {
  id: string;
  path: string;
  min?: number;
  max?: string;
  type?: SdType[];
  contentReference?: string;
  isSummary?: boolean;
  isModifier?: boolean;
  representation?: string[];
  base?: { path: string };
}
interface StructureDefinition {
  resourceType: 'StructureDefinition';
  url: string;
  name: string;
  type: string;
  kind: 'primitive-type' | 'complex-type' | 'resource' | 'logical';
  abstract: boolean;
  derivation?: 'specialization' | 'constraint';
  baseDefinition?: string;
  fhirVersion?: string;
  snapshot?: { element: SdElement[] };
}

const SD_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';
const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
/** The JSON representation of the three primitive roots; every other primitive is a JSON string. */
const JSON_ROOTS: Record<string, ModelType['json']> = { boolean: 'boolean', integer: 'integer', decimal: 'decimal' };
/** Core constraints on Quantity that elements may name as a profile; kept as aliases of Quantity. */
const QUANTITY_ALIASES = new Set(['SimpleQuantity', 'MoneyQuantity']);

const definitions = new Map<string, StructureDefinition>();
for (const file of readdirSync(source).filter((f) => f.startsWith('StructureDefinition-') && f.endsWith('.json')).sort()) {
  const sd = JSON.parse(readFileSync(join(source, file), 'utf8')) as StructureDefinition;
  if (sd.resourceType !== 'StructureDefinition' || !sd.snapshot) continue;
  if (sd.url !== SD_PREFIX + sd.name && sd.url !== SD_PREFIX + sd.type) continue;
  const core =
    (sd.kind === 'primitive-type' || sd.kind === 'complex-type' || sd.kind === 'resource') &&
    (sd.derivation !== 'constraint' || QUANTITY_ALIASES.has(sd.name));
  if (core) definitions.set(sd.name, sd);
}
if (!definitions.has('Patient') || !definitions.has('Element')) {
  throw new Error(`No core StructureDefinitions found in ${source}`);
}

const baseName = (sd: StructureDefinition) =>
  sd.baseDefinition?.startsWith(SD_PREFIX) ? sd.baseDefinition.slice(SD_PREFIX.length) : undefined;

function jsonKind(name: string): ModelType['json'] {
  for (let sd = definitions.get(name); sd; sd = definitions.get(baseName(sd) ?? '')) {
    if (JSON_ROOTS[sd.name]) return JSON_ROOTS[sd.name];
  }
  return 'string';
}

/** The FHIR type of one ElementDefinition.type: System.String types carry it in an extension. */
function typeCode(t: SdType, path: string): string {
  if (path === 'Resource.id') return 'id'; // R4 4.0.1 snapshot says string; the specification says id
  if (t.code.startsWith('http://hl7.org/fhirpath/System.')) {
    const ext = t.extension?.find((e) => e.url === FHIR_TYPE_EXT)?.valueUrl;
    return ext ?? 'string';
  }
  return t.code;
}

const types: Record<string, ModelType> = {};

for (const sd of definitions.values()) {
  const name = sd.name;
  const elements = sd.snapshot!.element;
  const isAlias = sd.derivation === 'constraint';
  const kind: ModelType['kind'] =
    sd.kind === 'primitive-type' ? 'primitive' : sd.kind === 'resource' ? 'resource' : 'complex';
  const entry: ModelType = { kind };
  const base = isAlias ? sd.type : baseName(sd);
  if (base) entry.base = base;
  if (sd.abstract) entry.abstract = true;
  if (kind === 'primitive') {
    entry.json = name === 'xhtml' ? 'xhtml' : jsonKind(name);
    types[name] = entry; // the value/id/extension of primitives are implied
    continue;
  }
  const withChildren = new Set<string>();
  for (const e of elements) {
    const parent = e.path.slice(0, e.path.lastIndexOf('.'));
    if (parent.includes('.')) withChildren.add(parent);
  }
  const typeOfPath = new Map<string, ModelType>([[name, entry]]);
  entry.elements = [];
  if (isAlias) {
    types[name] = entry;
    continue;
  }
  for (const e of elements.slice(1)) {
    const parentPath = e.path.slice(0, e.path.lastIndexOf('.'));
    const owner = typeOfPath.get(parentPath);
    if (!owner) throw new Error(`${name}: no parent for ${e.path}`);
    const ownName = e.path.slice(parentPath.length + 1);
    const inherited = e.base && e.base.path !== e.path;
    let elementTypes: string[];
    if (e.contentReference) {
      elementTypes = [e.contentReference.slice(e.contentReference.indexOf('#') + 1)];
    } else if (withChildren.has(e.path)) {
      elementTypes = [e.path];
      const backbone: ModelType = {
        kind: 'backbone',
        base: (e.type ?? []).some((t) => t.code === 'BackboneElement') ? 'BackboneElement' : 'Element',
        elements: [],
      };
      typeOfPath.set(e.path, backbone);
      types[e.path] = backbone;
    } else {
      elementTypes = (e.type ?? []).map((t) => typeCode(t, e.path));
      if (!elementTypes.length) throw new Error(`${e.path} has no type`);
    }
    if (inherited) continue;
    const element: ModelElement = { n: ownName, t: elementTypes };
    if (e.min) element.min = e.min;
    if (e.max !== '1') element.max = e.max === '*' ? '*' : Number(e.max);
    if (e.isSummary) element.s = 1;
    if (e.isModifier) element.m = 1;
    if (e.representation?.includes('xmlAttr')) element.x = 1;
    const targets = new Set<string>();
    for (const t of e.type ?? []) {
      for (const p of t.targetProfile ?? []) if (p.startsWith(SD_PREFIX)) targets.add(p.slice(SD_PREFIX.length));
    }
    if (targets.size) element.r = [...targets];
    owner.elements!.push(element);
  }
  types[name] = entry;
}

// Types first in a stable order: primitives, complex types, resources, then backbones after their owner.
const order = (t: ModelType) => ({ primitive: 0, complex: 1, resource: 2, backbone: 2 })[t.kind];
const names = Object.keys(types).sort((a, b) => order(types[a]) - order(types[b]) || (a < b ? -1 : a > b ? 1 : 0));
const fhirVersion = definitions.get('Patient')!.fhirVersion ?? '4.0.1';
const model: ModelFile = { fhirVersion, source: 'hl7.fhir.r4.examples StructureDefinition snapshots', types: {} };
for (const n of names) model.types[n] = types[n];

// One type per line: readable diffs, small file.
const lines = names.map((n) => `    ${JSON.stringify(n)}: ${JSON.stringify(types[n])}`);
const text =
  `{\n  "fhirVersion": ${JSON.stringify(fhirVersion)},\n  "source": ${JSON.stringify(model.source)},\n` +
  `  "types": {\n${lines.join(',\n')}\n  }\n}\n`;
JSON.parse(text);
writeFileSync(out, text);
const counts = names.reduce<Record<string, number>>((acc, n) => ((acc[types[n].kind] = (acc[types[n].kind] ?? 0) + 1), acc), {});
console.log(`${relative(process.cwd(), out)}: ${names.length} types ${JSON.stringify(counts)}, ${text.length} bytes`);
