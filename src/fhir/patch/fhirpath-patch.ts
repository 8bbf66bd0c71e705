/**
 * FHIRPath Patch (http://hl7.org/fhir/R4/fhirpatch.html): a Parameters resource of `operation`
 * parts (type add | insert | delete | replace | move, path, name, value, index, source,
 * destination). Paths are the FHIRPath subset patches use in practice: element names from the
 * resource type, `[n]` indexes, `.first()`, `.last()` and `.where(name = 'value')` filters
 * (several joined with `and`).
 */
import type { Parameters, ParametersParameter } from 'fhir/r4.js';
import { badRequest, unprocessable } from '../outcome.js';

type Json = Record<string, any>;
interface Slot {
  parent: Json;
  key: string;
  index?: number;
}

export function applyFhirPathPatch(resource: Json, patch: Parameters): Json {
  if (patch.resourceType !== 'Parameters') throw badRequest('A FHIRPath Patch is a Parameters resource');
  const result = structuredClone(resource);
  for (const [i, op] of (patch.parameter ?? []).entries()) {
    if (op.name !== 'operation') throw badRequest(`Parameters.parameter[${i}] must be named "operation"`);
    applyOne(result, op, i);
  }
  return result;
}

function part(op: ParametersParameter, name: string): ParametersParameter | undefined {
  return op.part?.find((p) => p.name === name);
}

function valueOf(p: ParametersParameter | undefined): unknown {
  if (!p) return undefined;
  if (p.part && p.part.length) {
    // A complex value given as parts: each part is an element of the new value.
    return Object.fromEntries(p.part.map((child) => [child.name, valueOf(child)]));
  }
  const key = Object.keys(p).find((k) => k.startsWith('value'));
  return key ? (p as Json)[key] : (p as Json).resource;
}

function applyOne(root: Json, op: ParametersParameter, i: number) {
  const type = part(op, 'type')?.valueCode;
  const path = part(op, 'path')?.valueString;
  if (!type || !path) throw badRequest(`operation ${i}: type and path are required`);
  const where = `operation ${i} (${type} ${path})`;
  switch (type) {
    case 'add': {
      const name = part(op, 'name')?.valueString;
      const value = valueOf(part(op, 'value'));
      if (!name || value === undefined) throw badRequest(`${where}: name and value are required`);
      const target = single(resolve(root, path, where), where, true);
      const container = read(target) as Json;
      if (!container || typeof container !== 'object') throw unprocessable(`${where}: the path does not select an element`);
      const existing = container[name];
      container[name] = existing === undefined ? (isListElement(name) ? [value] : value) : Array.isArray(existing) ? [...existing, value] : value;
      return;
    }
    case 'insert': {
      const value = valueOf(part(op, 'value'));
      const index = part(op, 'index')?.valueInteger;
      const list = listAt(root, path, where);
      if (value === undefined || index === undefined || index < 0 || index > list.length) throw unprocessable(`${where}: value and a valid index are required`);
      list.splice(index, 0, value);
      return;
    }
    case 'delete': {
      const slots = resolve(root, path, where);
      if (slots.length === 0) return; // deleting nothing is not an error
      remove(single(slots, where, false));
      return;
    }
    case 'replace': {
      const value = valueOf(part(op, 'value'));
      if (value === undefined) throw badRequest(`${where}: value is required`);
      write(single(resolve(root, path, where), where, false), value);
      return;
    }
    case 'move': {
      const source = part(op, 'source')?.valueInteger;
      const destination = part(op, 'destination')?.valueInteger;
      const list = listAt(root, path, where);
      if (source === undefined || destination === undefined || source < 0 || source >= list.length || destination < 0 || destination >= list.length) {
        throw unprocessable(`${where}: source and destination must be valid indexes`);
      }
      const [moved] = list.splice(source, 1);
      list.splice(destination, 0, moved);
      return;
    }
    default:
      throw badRequest(`${where}: unknown operation type`);
  }
}

const LIST_ELEMENTS = new Set(['identifier', 'name', 'telecom', 'address', 'contact', 'extension', 'modifierExtension', 'given', 'line', 'coding', 'photo', 'link', 'item', 'diagnosis', 'member', 'characteristic', 'qualification', 'generalPractitioner', 'type', 'payor', 'class', 'term', 'note', 'contained']);
const isListElement = (name: string) => LIST_ELEMENTS.has(name);

function read(slot: Slot): unknown {
  const value = slot.parent[slot.key];
  return slot.index === undefined ? value : value?.[slot.index];
}

function write(slot: Slot, value: unknown) {
  if (slot.index === undefined) slot.parent[slot.key] = value;
  else slot.parent[slot.key][slot.index] = value;
}

function remove(slot: Slot) {
  if (slot.index === undefined) delete slot.parent[slot.key];
  else {
    slot.parent[slot.key].splice(slot.index, 1);
    if (slot.parent[slot.key].length === 0) delete slot.parent[slot.key];
  }
}

function single(slots: Slot[], where: string, allowRoot: boolean): Slot {
  if (slots.length !== 1) throw unprocessable(`${where}: the path selects ${slots.length} elements; exactly one is required`);
  if (!allowRoot && slots[0].key === '') throw unprocessable(`${where}: the resource itself cannot be changed this way`);
  return slots[0];
}

function listAt(root: Json, path: string, where: string): unknown[] {
  const slot = single(resolve(root, path, where), where, false);
  const value = slot.parent[slot.key];
  if (slot.index !== undefined || !Array.isArray(value)) throw unprocessable(`${where}: the path does not select a list`);
  return value;
}

/** Resolves a path to the slots (parent + key [+ index]) holding the selected values. */
function resolve(root: Json, path: string, where: string): Slot[] {
  const steps = tokenize(path, where);
  const type = steps.shift();
  if (type?.kind !== 'name' || type.name !== root.resourceType) throw unprocessable(`${where}: the path must start with ${root.resourceType}`);
  let slots: Slot[] = [{ parent: { '': root }, key: '' }];
  for (const step of steps) {
    switch (step.kind) {
      case 'name':
        slots = slots.flatMap((slot) => {
          const holder = read(slot) as Json;
          const value = holder?.[step.name];
          if (value === undefined) return [];
          return Array.isArray(value) ? value.map((_, index) => ({ parent: holder, key: step.name, index })) : [{ parent: holder, key: step.name }];
        });
        break;
      case 'index':
        slots = slots[step.index] ? [slots[step.index]] : [];
        break;
      case 'first':
        slots = slots.slice(0, 1);
        break;
      case 'last':
        slots = slots.slice(-1);
        break;
      case 'where':
        slots = slots.filter((slot) => step.conditions.every(([name, expected]) => String((read(slot) as Json)?.[name]) === expected));
        break;
    }
  }
  return slots;
}

type Step =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'where'; conditions: [string, string][] };

function tokenize(path: string, where: string): Step[] {
  const steps: Step[] = [];
  const re = /\s*(?:(\.)?([A-Za-z][A-Za-z0-9_]*)(\(\))?|\[(\d+)\]|\.where\(([^)]*)\))/y;
  let pos = 0;
  while (pos < path.length) {
    re.lastIndex = pos;
    const whereMatch = /^\.where\(([^)]*)\)/.exec(path.slice(pos));
    if (whereMatch) {
      const conditions = whereMatch[1].split(/\s+and\s+/).map((c) => {
        const m = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*'((?:[^'\\]|\\.)*)'\s*$/.exec(c);
        if (!m) throw badRequest(`${where}: unsupported where() condition "${c}"`);
        return [m[1], m[2].replace(/\\(.)/g, '$1')] as [string, string];
      });
      steps.push({ kind: 'where', conditions });
      pos += whereMatch[0].length;
      continue;
    }
    const m = re.exec(path);
    if (!m || m.index !== pos || (steps.length > 0 && m[2] && !m[1])) throw badRequest(`${where}: unsupported path syntax at "${path.slice(pos)}"`);
    if (m[4] !== undefined) steps.push({ kind: 'index', index: Number(m[4]) });
    else if (m[3]) {
      if (m[2] === 'first') steps.push({ kind: 'first' });
      else if (m[2] === 'last') steps.push({ kind: 'last' });
      else throw badRequest(`${where}: unsupported function ${m[2]}()`);
    } else steps.push({ kind: 'name', name: m[2] });
    pos = re.lastIndex;
  }
  return steps;
}
