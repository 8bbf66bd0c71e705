/**
 * Generates r4-invariants.json: the error-severity FHIRPath invariants of the R4 core resources and
 * datatypes (from the StructureDefinitions shipped in the hl7.fhir.r4.examples devDependency), keyed
 * by the JSON-schema definition they apply to (`Patient_Contact` for Patient.contact, `Period`).
 * ele-1 and ext-1 are left out: the schema (no empty elements) and invariants.ts check them natively.
 *
 *   npx tsx src/fhir/validation/generate-r4-invariants.ts
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fhirJsonSchema, propertiesOf } from './fhir-schema.js';

interface Constraint {
  key: string;
  severity: string;
  human: string;
  expression?: string;
  source?: string;
  extension?: { url: string }[];
}

export interface R4Invariant {
  key: string;
  human: string;
  expression: string;
  /** Element path, the FHIRPath base the expression is evaluated in. */
  path: string;
  /** Set when the invariant is on a datatype element of the definition (Organization.telecom): the property. */
  element?: string;
}

const require = createRequire(import.meta.url);
const examples = dirname(require.resolve('hl7.fhir.r4.examples/package.json'));
const { definitions, resourceTypes } = fhirJsonSchema();

/** Element path → schema definition, for roots and backbone elements (first path wins for recursive ones). */
function pathsToDefinitions(root: string): Map<string, string> {
  const out = new Map<string, string>([[root, root]]);
  const seen = new Set<string>([root]);
  const queue: [string, string][] = [[root, root]];
  while (queue.length) {
    const [path, def] = queue.shift()!;
    for (const [name, prop] of propertiesOf(def)) {
      if (prop.kind !== 'backbone' || seen.has(prop.def)) continue;
      seen.add(prop.def);
      out.set(`${path}.${name}`, prop.def);
      queue.push([`${path}.${name}`, prop.def]);
    }
  }
  return out;
}

const invariants: Record<string, R4Invariant[]> = {};
const skipped: string[] = [];
const add = (def: string, inv: R4Invariant) => {
  const list = (invariants[def] ??= []);
  if (!list.some((i) => i.key === inv.key)) list.push(inv);
};

for (const file of readdirSync(examples).filter((f) => f.startsWith('StructureDefinition-')).sort()) {
  const sd = JSON.parse(readFileSync(join(examples, file), 'utf8'));
  if (sd.derivation !== 'specialization' || !['resource', 'complex-type'].includes(sd.kind) || !definitions[sd.type]) continue;
  const defs = pathsToDefinitions(sd.type);
  for (const element of sd.snapshot?.element ?? []) {
    for (const c of (element.constraint ?? []) as Constraint[]) {
      if (c.severity !== 'error' || !c.expression || c.key === 'ele-1' || c.key === 'ext-1') continue;
      if (c.extension?.some((e) => e.url.endsWith('elementdefinition-bestpractice'))) continue;
      if (c.source?.endsWith('/DomainResource')) {
        add('DomainResource', { key: c.key, human: c.human, expression: c.expression, path: 'DomainResource' });
        continue;
      }
      const def = defs.get(element.path);
      if (def) {
        add(def, { key: c.key, human: c.human, expression: c.expression, path: element.path });
        continue;
      }
      const parent = defs.get(element.path.slice(0, element.path.lastIndexOf('.')));
      const name = element.path.slice(element.path.lastIndexOf('.') + 1);
      if (parent && propertiesOf(parent).get(name)?.kind === 'complex') {
        add(parent, { key: c.key, human: c.human, expression: c.expression, path: element.path, element: name });
        continue;
      }
      skipped.push(`${element.path} ${c.key}`);
    }
  }
}

const out = join(dirname(fileURLToPath(import.meta.url)), 'r4-invariants.json');
const sorted = Object.fromEntries(Object.entries(invariants).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(out, JSON.stringify({ source: 'hl7.fhir.r4.examples 4.0.1 StructureDefinition snapshots', invariants: sorted }, null, 1) + '\n');
const count = Object.values(invariants).reduce((n, l) => n + l.length, 0);
console.log(`${count} invariants on ${Object.keys(invariants).length} definitions (${resourceTypes.size} resource types) → ${out}`);
if (skipped.length) console.log(`not on a root or backbone element (not checked): ${skipped.join(', ')}`);
