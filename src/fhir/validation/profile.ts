/**
 * Validation of a resource against a StructureDefinition's differential (enough for our own
 * profiles, which constrain the R4 base and are written by us):
 *
 * - cardinality (min/max) of elements, of slices and of extensions by url;
 * - fixed[x] (exact) and pattern[x] (partial: what the pattern has, the value must have);
 * - required bindings to our own ValueSets, enumerated from our CodeSystem files (code, Coding,
 *   CodeableConcept); bindings to other ValueSets or of other strengths are not checked;
 * - type restrictions: the allowed types of a choice element, the target resource type of a
 *   Reference (from targetProfile: a core type or one of our profiles' base types);
 * - FHIRPath invariants (`constraint[].expression`), evaluated with the fhirpath package; an
 *   expression that cannot be compiled is skipped and counted (see invariantStats);
 * - slicing by extension url, and by value/pattern discriminators on simple paths; closed slicing.
 *
 * Every extension in the resource whose url is one of our extension StructureDefinitions is
 * validated against it (its value[x] type, bindings, sub-extensions), wherever it sits.
 */
import type { Issue } from '../outcome.js';
import { checkInvariant } from './fhirpath.js';

// Resources and ElementDefinitions are walked as plain JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ElementDefinitionJson {
  id?: string;
  path: string;
  sliceName?: string;
  min?: number;
  max?: string;
  type?: { code: string; profile?: string[]; targetProfile?: string[] }[];
  binding?: { strength: string; valueSet?: string; description?: string };
  constraint?: { key: string; severity: 'error' | 'warning'; human: string; expression?: string }[];
  slicing?: { discriminator?: { type: string; path: string }[]; rules?: 'open' | 'closed' | 'openAtEnd'; ordered?: boolean };
  [fixedOrPattern: string]: unknown;
}

export interface StructureDefinitionJson {
  resourceType: 'StructureDefinition';
  id: string;
  url: string;
  name?: string;
  type: string;
  kind: string;
  derivation?: string;
  baseDefinition?: string;
  differential: { element: ElementDefinitionJson[] };
}

/** What profile validation needs from the registry. */
export interface ProfileContext {
  /** Codes (`system|code`) of a ValueSet that is ours; undefined for ValueSets we do not hold. */
  valueSetCodes(url: string): Set<string> | undefined;
  /** The canonical system for a system variant (relative, doubled slash) of ours. */
  canonicalSystem(system: string): string;
  /** The resource type a targetProfile stands for. */
  typeOfProfile(url: string): string | undefined;
  /** The extension StructureDefinition for a url (or one of its variants), and whether the url was exact. */
  extension(url: string): { profile: CompiledProfile; exact: boolean } | undefined;
}

interface ElementNode {
  /** Property name, `value[x]` for choices; the type for the root. */
  name: string;
  sliceName?: string;
  def?: ElementDefinitionJson;
  /** Element path without slices, the FHIRPath base of its constraints. */
  path: string;
  children: Map<string, ElementNode>;
  slices: ElementNode[];
}

export interface CompiledProfile {
  url: string;
  id: string;
  type: string;
  kind: string;
  root: ElementNode;
  sd: StructureDefinitionJson;
}

export function compileProfile(sd: StructureDefinitionJson): CompiledProfile {
  const root: ElementNode = { name: sd.type, path: sd.type, children: new Map(), slices: [] };
  for (const element of sd.differential?.element ?? []) {
    const id = element.id ?? element.path;
    const segments = id.split('.');
    if (segments[0] !== sd.type) throw new Error(`${sd.url}: element ${id} is not in ${sd.type}`);
    let node = root;
    for (const segment of segments.slice(1)) {
      const [name, sliceName] = segment.split(':');
      let child = node.children.get(name);
      if (!child) {
        child = { name, path: `${node.path}.${name}`, children: new Map(), slices: [] };
        node.children.set(name, child);
      }
      if (sliceName) {
        let slice = child.slices.find((s) => s.sliceName === sliceName);
        if (!slice) {
          slice = { name, sliceName, path: child.path, children: new Map(), slices: [] };
          child.slices.push(slice);
        }
        node = slice;
      } else {
        node = child;
      }
    }
    node.def = element;
  }
  return { url: sd.url, id: sd.id, type: sd.type, kind: sd.kind, root, sd };
}

/** Every FHIRPath invariant of a profile (for warm-up and statistics). */
export function profileInvariants(profile: CompiledProfile): { key: string; human: string; expression: string; path: string }[] {
  const out: { key: string; human: string; expression: string; path: string }[] = [];
  const visit = (node: ElementNode) => {
    for (const c of node.def?.constraint ?? []) if (c.expression) out.push({ key: c.key, human: c.human, expression: c.expression, path: node.path });
    for (const child of node.children.values()) visit(child);
    for (const slice of node.slices) visit(slice);
  };
  visit(profile.root);
  return out;
}

interface Located {
  value: Json;
  expr: string;
  /** Property key in the parent (differs from the node name for choices: valueBoolean for value[x]). */
  key: string;
  /** The `_x` primitive extension element, when present. */
  primitive?: Json;
}

interface Run {
  issues: Issue[];
  ctx: ProfileContext;
  resource: Json;
  profile: CompiledProfile;
}

/** Validates a resource (or, for an extension profile, an extension) against a compiled profile. */
export function validateAgainstProfile(resource: Json, profile: CompiledProfile, ctx: ProfileContext): Issue[] {
  const run: Run = { issues: [], ctx, resource, profile };
  if (profile.kind === 'resource' && resource?.resourceType !== profile.type) {
    return [
      {
        severity: 'error',
        code: 'invalid',
        diagnostics: `The profile ${profile.url} is for ${profile.type}, not ${resource?.resourceType}`,
        expression: ['resourceType'],
      },
    ];
  }
  const root: Located = { value: resource, expr: profile.type, key: profile.type };
  checkValue(run, profile.root, root);
  applyChildren(run, profile.root, root);
  checkExtensions(run, resource, profile.type, new Set());
  return run.issues;
}

function issue(run: Run, code: Issue['code'], expression: string, diagnostics: string, severity: Issue['severity'] = 'error') {
  run.issues.push({ severity, code, diagnostics: `${expression}: ${diagnostics}`, expression: [expression] });
}

function childValues(parent: Located, name: string): Located[] {
  const value = parent.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  if (name.endsWith('[x]')) {
    const base = name.slice(0, -3);
    const out: Located[] = [];
    for (const key of Object.keys(value)) {
      if (key.startsWith(base) && /^[A-Z]/.test(key.slice(base.length))) {
        out.push({ value: value[key], expr: `${parent.expr}.${key}`, key, primitive: value[`_${key}`] });
      }
    }
    return out;
  }
  const direct = value[name];
  const primitive = value[`_${name}`];
  if (direct === undefined && primitive === undefined) return [];
  if (Array.isArray(direct) || Array.isArray(primitive)) {
    const length = Math.max(Array.isArray(direct) ? direct.length : 0, Array.isArray(primitive) ? primitive.length : 0);
    const out: Located[] = [];
    for (let i = 0; i < length; i++) {
      const item = Array.isArray(direct) ? direct[i] : undefined;
      const ext = Array.isArray(primitive) ? primitive[i] : undefined;
      if ((item === undefined || item === null) && (ext === undefined || ext === null)) continue;
      out.push({ value: item ?? undefined, expr: `${parent.expr}.${name}[${i}]`, key: name, primitive: ext ?? undefined });
    }
    return out;
  }
  return [{ value: direct, expr: `${parent.expr}.${name}`, key: name, primitive }];
}

function applyChildren(run: Run, node: ElementNode, parent: Located): void {
  for (const child of node.children.values()) {
    applyElement(run, child, childValues(parent, child.name), parent);
  }
}

function label(node: ElementNode, parent: Located): string {
  return `${parent.expr}.${node.name.replace('[x]', '')}${node.sliceName ? `:${node.sliceName}` : ''}`;
}

function applyElement(run: Run, node: ElementNode, values: Located[], parent: Located): void {
  const def = node.def;
  if (def) {
    const where = label(node, parent);
    const min = def.min ?? 0;
    const max = def.max === undefined || def.max === '*' ? Infinity : Number(def.max);
    const what = node.sliceName ? describeSlice(run, node) : `${node.name}`;
    if (values.length < min) {
      issue(run, 'required', where.replace(/:[^.]*$/, ''), min === 1 && !node.sliceName ? 'required element is missing' : `${what}: at least ${min} required, found ${values.length}`);
    }
    if (values.length > max) {
      issue(run, 'structure', where.replace(/:[^.]*$/, ''), max === 0 ? `${what} is not allowed in this profile` : `${what}: at most ${max} allowed, found ${values.length}`);
    }
  }
  for (const located of values) checkValue(run, node, located);
  if (node.slices.length) {
    const matchedAny = new Set<Located>();
    for (const slice of node.slices) {
      const matched = values.filter((v) => sliceMatches(run, node, slice, v));
      matched.forEach((m) => matchedAny.add(m));
      applyElement(run, slice, matched, parent);
    }
    if (node.def?.slicing?.rules === 'closed') {
      for (const v of values) if (!matchedAny.has(v)) issue(run, 'structure', v.expr, 'does not match any of the slices this profile allows');
    }
  }
  if (node.children.size) {
    for (const located of values) if (located.value && typeof located.value === 'object') applyChildren(run, node, located);
  }
}

function describeSlice(run: Run, slice: ElementNode): string {
  const url = extensionUrlOfSlice(slice);
  if (url) return `extension ${url.replace(/^https:\/\/openimis\.github\.io\/openimis_fhir_r4_ig\/StructureDefinition\//, '')}`;
  return `slice ${slice.sliceName}`;
}

function extensionUrlOfSlice(slice: ElementNode): string | undefined {
  const profile = slice.def?.type?.find((t) => t.code === 'Extension')?.profile?.[0];
  if (profile) return profile;
  const fixed = slice.children.get('url')?.def?.fixedUri;
  return typeof fixed === 'string' ? fixed : undefined;
}

function sliceMatches(run: Run, base: ElementNode, slice: ElementNode, located: Located): boolean {
  const value = located.value;
  if (!value || typeof value !== 'object') return false;
  if (base.name === 'extension' || base.name === 'modifierExtension') {
    const url = extensionUrlOfSlice(slice);
    if (!url || typeof value.url !== 'string') return false;
    if (value.url === url) return true;
    const resolved = run.ctx.extension(value.url);
    return resolved !== undefined && resolved.profile.url === url;
  }
  const discriminators = base.def?.slicing?.discriminator ?? [];
  if (!discriminators.length) return false;
  return discriminators.every((d) => {
    if (d.type !== 'value' && d.type !== 'pattern') return false;
    const target = d.path === '$this' ? slice : nodeAt(slice, d.path);
    const expected = target?.def ? fixedOrPattern(target.def) : undefined;
    if (!expected) return false;
    const actual = d.path === '$this' ? [value] : valuesAt(value, d.path);
    return actual.some((a) => (expected.kind === 'fixed' ? deepEqual(a, expected.value) : matchesPattern(a, expected.value)));
  });
}

function nodeAt(node: ElementNode, path: string): ElementNode | undefined {
  let current: ElementNode | undefined = node;
  for (const segment of path.split('.')) current = current?.children.get(segment);
  return current;
}

function valuesAt(value: Json, path: string): Json[] {
  let current: Json[] = [value];
  for (const segment of path.split('.')) {
    const next: Json[] = [];
    for (const item of current) {
      const child = item?.[segment];
      if (child === undefined) continue;
      if (Array.isArray(child)) next.push(...child);
      else next.push(child);
    }
    current = next;
  }
  return current;
}

function fixedOrPattern(def: ElementDefinitionJson): { kind: 'fixed' | 'pattern'; key: string; value: Json } | undefined {
  for (const key of Object.keys(def)) {
    if (def[key] === undefined) continue;
    if (key.startsWith('fixed') && /^[A-Z]/.test(key.slice(5))) return { kind: 'fixed', key, value: def[key] };
    if (key.startsWith('pattern') && /^[A-Z]/.test(key.slice(7))) return { kind: 'pattern', key, value: def[key] };
  }
  return undefined;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
}

/** FHIR pattern semantics: every property of the pattern is in the value; array items each match some item. */
function matchesPattern(value: Json, pattern: Json): boolean {
  if (pattern === null || typeof pattern !== 'object') return value === pattern;
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return false;
    return pattern.every((p) => value.some((v) => matchesPattern(v, p)));
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.keys(pattern).every((k) => matchesPattern(value[k], pattern[k]));
}

function show(value: Json): string {
  const text = JSON.stringify(value);
  return text && text.length > 80 ? `${text.slice(0, 77)}…` : String(text);
}

function typeCodeOfKey(base: string, key: string): string {
  const suffix = key.slice(base.length);
  return suffix[0].toLowerCase() + suffix.slice(1);
}

function checkValue(run: Run, node: ElementNode, located: Located): void {
  const def = node.def;
  if (!def) return;
  const value = located.value;
  const constraint = fixedOrPattern(def);
  if (constraint && value !== undefined) {
    if (constraint.kind === 'fixed' && !deepEqual(value, constraint.value)) {
      issue(run, 'value', located.expr, `must be exactly ${show(constraint.value)}, not ${show(value)}`);
    } else if (constraint.kind === 'pattern' && !matchesPattern(value, constraint.value)) {
      issue(run, 'value', located.expr, `must match the pattern ${show(constraint.value)}, found ${show(value)}`);
    }
  }
  if (def.type?.length && node.name.endsWith('[x]')) {
    const base = node.name.slice(0, -3);
    const code = typeCodeOfKey(base, located.key);
    if (!def.type.some((t) => t.code.toLowerCase() === code.toLowerCase())) {
      issue(run, 'structure', located.expr, `${located.key} is not allowed here; the profile allows ${def.type.map((t) => `${base}${t.code[0].toUpperCase()}${t.code.slice(1)}`).join(', ')}`);
      return;
    }
  }
  if (value !== undefined && def.type?.length) checkReferenceTarget(run, def, located);
  if (value !== undefined && def.binding?.strength === 'required' && def.binding.valueSet) checkBinding(run, def, located);
  for (const c of def.constraint ?? []) {
    if (!c.expression || value === undefined) continue;
    const ok = checkInvariant({ key: c.key, human: c.human, expression: c.expression, path: node.path }, value, run.resource);
    if (ok === false) issue(run, 'invariant', located.expr, `${c.human} (${c.key})`, c.severity === 'warning' ? 'warning' : 'error');
  }
}

function referenceType(ref: Json): string | undefined {
  if (!ref || typeof ref !== 'object') return undefined;
  if (typeof ref.reference === 'string') {
    const match = /(?:^|\/|#)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[^/]+)?$/.exec(ref.reference);
    if (match) return match[1];
  }
  return typeof ref.type === 'string' ? ref.type : undefined;
}

function checkReferenceTarget(run: Run, def: ElementDefinitionJson, located: Located): void {
  const targets = def.type!.filter((t) => t.code === 'Reference').flatMap((t) => t.targetProfile ?? []);
  if (!targets.length) return;
  const allowed = new Set(targets.map((t) => run.ctx.typeOfProfile(t)).filter((t): t is string => Boolean(t)));
  if (!allowed.size || allowed.has('Resource')) return;
  const ref = located.value;
  const found = referenceType(ref);
  if (found && !allowed.has(found)) {
    issue(run, 'structure', located.expr, `must refer to ${[...allowed].join(' or ')}, not ${found}`);
  } else if (ref && typeof ref === 'object' && typeof ref.type === 'string' && !allowed.has(ref.type)) {
    issue(run, 'structure', `${located.expr}.type`, `must be ${[...allowed].join(' or ')}, not ${ref.type}`);
  }
}

function checkBinding(run: Run, def: ElementDefinitionJson, located: Located): void {
  const valueSet = def.binding!.valueSet!;
  const codes = run.ctx.valueSetCodes(valueSet);
  if (!codes) return;
  const value = located.value;
  const allowedText = () => {
    const list = [...codes].map((c) => c.split('|')[1]);
    return list.length > 12 ? `${list.slice(0, 12).join(', ')}, …` : list.join(', ');
  };
  const vsName = valueSet.replace(/^.*\/ValueSet\//, '');
  if (typeof value === 'string') {
    if (![...codes].some((c) => c.endsWith(`|${value}`))) {
      issue(run, 'code-invalid', located.expr, `"${value}" is not in the ValueSet ${vsName} (${allowedText()})`);
    }
    return;
  }
  const codings: Json[] = Array.isArray(value?.coding) ? value.coding : value?.code !== undefined || value?.system !== undefined ? [value] : [];
  if (!codings.length) {
    issue(run, 'code-invalid', located.expr, `a coding from the ValueSet ${vsName} is required (${allowedText()})`);
    return;
  }
  const ok = (c: Json) => typeof c?.code === 'string' && (c.system === undefined ? [...codes].some((k) => k.endsWith(`|${c.code}`)) : codes.has(`${run.ctx.canonicalSystem(c.system)}|${c.code}`));
  if (!codings.some(ok)) {
    const first = codings[0];
    issue(run, 'code-invalid', located.expr, `${first?.system ? `${first.system}|` : ''}${first?.code} is not in the ValueSet ${vsName} (${allowedText()})`);
  }
}

/** Finds every extension whose url is one of our extension StructureDefinitions and validates it. */
function checkExtensions(run: Run, value: Json, expr: string, seen: Set<object>): void {
  if (!value || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkExtensions(run, item, `${expr}[${i}]`, seen));
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const name = key.startsWith('_') ? key.slice(1) : key;
    if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(child)) {
      child.forEach((ext, i) => {
        const at = `${expr}.${key}[${i}]`;
        if (ext && typeof ext.url === 'string') {
          const resolved = run.ctx.extension(ext.url);
          if (resolved) {
            if (!resolved.exact) {
              issue(run, 'value', `${at}.url`, `"${ext.url}" is accepted for ${resolved.profile.url}; use the canonical url`, 'warning');
            }
            const sub: Run = { ...run, issues: [], profile: resolved.profile };
            const root: Located = { value: ext, expr: at, key: 'extension' };
            checkValue(sub, resolved.profile.root, root);
            applyChildrenAt(sub, resolved.profile.root, root);
            // Name the extension: its index alone does not tell which one it is.
            for (const found of sub.issues) run.issues.push({ ...found, diagnostics: `${found.diagnostics} (extension ${resolved.profile.id})` });
          }
        }
        checkExtensions(run, ext, at, seen);
      });
      continue;
    }
    checkExtensions(run, child, `${expr}.${name}`, seen);
  }
}

/** applyChildren for an extension located anywhere: its own url was matched through the registry. */
function applyChildrenAt(run: Run, node: ElementNode, parent: Located): void {
  for (const child of node.children.values()) {
    if (child.name === 'url') continue;
    applyElement(run, child, childValues(parent, child.name), parent);
  }
}
