/**
 * The CapabilityStatement at /metadata: the static part from capability-statement.json, the
 * resources, interactions and search parameters generated from what is registered.
 */
import { readFileSync } from 'node:fs';
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';
import { sourcesOf, type Registry } from './registry.js';
import type { AnyResourceDefinition, Interaction, SearchParamDecl, ServedType } from './types.js';
import { implicitParams } from './search/implicit.js';
import { modifiersOf } from './search/parse.js';
import { projectFile } from '../paths.js';
import type { Operation, OperationRegistry } from './operations.js';

/** _include values from the type's own references, _revinclude values from references to it (each once). */
function includesOf(registry: Registry, served: ServedType) {
  const refs = (d: AnyResourceDefinition) => d.searchParams.filter((p) => p.type === 'reference') as { code: string; target: string }[];
  const searchInclude = [...new Set(sourcesOf(served).flatMap((def) => refs(def).filter((p) => registry.served(p.target)).map((p) => `${def.type}:${p.code}`)))];
  const searchRevInclude = [
    ...new Set(registry.definitions().flatMap((other) => refs(other).filter((p) => p.target === served.type).map((p) => `${other.type}:${p.code}`))),
  ];
  return { ...(searchInclude.length ? { searchInclude } : {}), ...(searchRevInclude.length ? { searchRevInclude } : {}) };
}

/** What one source supports; a type with several sources lists the union. */
function supportedInteractions(def: AnyResourceDefinition): Interaction[] {
  return INTERACTIONS.filter(
    (i) =>
      (def.rights[i] !== undefined || (i === 'patch' && def.rights.update !== undefined)) &&
      (i !== 'create' || def.create) &&
      (i !== 'update' || def.update) &&
      (i !== 'patch' || def.update) &&
      (i !== 'delete' || def.delete),
  );
}

/** Search parameters of every source, each code once (the first source's declaration describes it). */
function searchParamsOf(sources: AnyResourceDefinition[]): SearchParamDecl[] {
  const byCode = new Map<string, SearchParamDecl>();
  for (const def of sources) for (const p of [...implicitParams(def.table), ...def.searchParams]) if (!byCode.has(p.code)) byCode.set(p.code, p);
  return [...byCode.values()];
}

/** R4's searchParam has no modifier element: the supported modifiers are named in the documentation. */
function modifiersNote(decl: SearchParamDecl): string {
  const modifiers = modifiersOf(decl);
  return modifiers.length ? ` (modifiers: ${modifiers.map((m) => `:${m}`).join(' ')})` : '';
}

/** Operations as the CapabilityStatement lists them: name and canonical OperationDefinition URL. */
function operationsOf(ops: Operation[]) {
  return ops.length ? { operation: ops.map((op) => ({ name: op.name, definition: op.definition.url! })) } : {};
}

const STATIC: CapabilityStatement = JSON.parse(readFileSync(projectFile('capability-statement.json'), 'utf8'));

const INTERACTIONS: Interaction[] = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'];
const PARAM_DEFINITION = (type: string, code: string) => `http://hl7.org/fhir/SearchParameter/${type}-${code}`;

export function capabilityStatement(registry: Registry, operations: OperationRegistry, baseUrl: string): CapabilityStatement {
  const resources = registry.all().map((served): CapabilityStatementRestResource => {
    const sources = sourcesOf(served);
    const supported = INTERACTIONS.filter((i) => sources.some((def) => supportedInteractions(def).includes(i)));
    const profiles = [...new Set(sources.map((d) => d.profile).filter((p): p is string => Boolean(p)))];
    const any = (hook: 'create' | 'update' | 'delete') => sources.some((def) => def[hook]);
    return {
      type: served.type,
      // One base profile per type; a type over several tables supports each source's profile.
      ...(profiles.length === 1 ? { profile: profiles[0] } : {}),
      ...(profiles.length ? { supportedProfile: profiles } : {}),
      interaction: supported.map((code) => ({ code })),
      versioning: 'versioned-update',
      readHistory: true,
      updateCreate: false,
      conditionalRead: 'full-support',
      conditionalCreate: any('create'),
      conditionalUpdate: any('update'),
      conditionalDelete: any('delete') ? 'single' : 'not-supported',
      searchParam: searchParamsOf(sources).map((p: SearchParamDecl) => ({
        name: p.code,
        definition: p.definition ?? PARAM_DEFINITION(served.type, p.code),
        type: p.type,
        documentation: `${p.description}${modifiersNote(p)}`,
      })),
      ...includesOf(registry, served),
      ...operationsOf(operations.forType(served.type)),
    };
  });
  return {
    ...STATIC,
    date: new Date().toISOString(),
    implementation: { description: 'openIMIS FHIR R4 server', url: baseUrl },
    patchFormat: ['application/json-patch+json', 'application/fhir+json'],
    rest: STATIC.rest!.map((rest) => ({
      ...rest,
      resource: resources,
      interaction: [{ code: 'batch' }, { code: 'transaction' }, { code: 'history-system' }],
      ...operationsOf(operations.all().filter((op) => op.definition.system)),
    })),
  };
}
