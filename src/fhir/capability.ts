/**
 * The CapabilityStatement at /metadata: the static part from capability-statement.json, the
 * resources, interactions and search parameters generated from what is registered.
 */
import { readFileSync } from 'node:fs';
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';
import type { Registry } from './registry.js';
import type { AnyResourceDefinition, Interaction, SearchParamDecl } from './types.js';
import { implicitParams } from './search/implicit.js';
import { projectFile } from '../paths.js';
import type { Operation, OperationRegistry } from './operations.js';

/** _include values from the type's own references, _revinclude values from references to it. */
function includesOf(registry: Registry, def: AnyResourceDefinition) {
  const refs = (d: AnyResourceDefinition) => d.searchParams.filter((p) => p.type === 'reference') as { code: string; target: string }[];
  const searchInclude = refs(def).filter((p) => registry.get(p.target)).map((p) => `${def.type}:${p.code}`);
  const searchRevInclude = registry.all().flatMap((other) => refs(other).filter((p) => p.target === def.type).map((p) => `${other.type}:${p.code}`));
  return { ...(searchInclude.length ? { searchInclude } : {}), ...(searchRevInclude.length ? { searchRevInclude } : {}) };
}

/** Operations as the CapabilityStatement lists them: name and canonical OperationDefinition URL. */
function operationsOf(ops: Operation[]) {
  return ops.length ? { operation: ops.map((op) => ({ name: op.name, definition: op.definition.url! })) } : {};
}

const STATIC: CapabilityStatement = JSON.parse(readFileSync(projectFile('capability-statement.json'), 'utf8'));

const INTERACTIONS: Interaction[] = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'];
const PARAM_DEFINITION = (type: string, code: string) => `http://hl7.org/fhir/SearchParameter/${type}-${code}`;

export function capabilityStatement(registry: Registry, operations: OperationRegistry, baseUrl: string): CapabilityStatement {
  const resources = registry.all().map((def): CapabilityStatementRestResource => {
    const supported = INTERACTIONS.filter(
      (i) =>
        (def.rights[i] !== undefined || (i === 'patch' && def.rights.update !== undefined)) &&
        (i !== 'create' || def.create) &&
        (i !== 'update' || def.update) &&
        (i !== 'patch' || def.update) &&
        (i !== 'delete' || def.delete),
    );
    return {
      type: def.type,
      ...(def.profile ? { profile: def.profile, supportedProfile: [def.profile] } : {}),
      interaction: supported.map((code) => ({ code })),
      versioning: 'versioned-update',
      readHistory: true,
      updateCreate: false,
      conditionalRead: 'full-support',
      conditionalCreate: Boolean(def.create),
      conditionalUpdate: Boolean(def.update),
      conditionalDelete: def.delete ? 'single' : 'not-supported',
      searchParam: [...implicitParams(def.table), ...def.searchParams].map((p: SearchParamDecl) => ({
        name: p.code,
        definition: p.definition ?? PARAM_DEFINITION(def.type, p.code),
        type: p.type,
        documentation: p.description,
      })),
      ...includesOf(registry, def),
      ...operationsOf(operations.forType(def.type)),
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
