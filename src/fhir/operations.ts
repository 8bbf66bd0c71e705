/**
 * Custom operations (http://hl7.org/fhir/R4/operations.html): each is a definition — its canonical
 * OperationDefinition, where it applies, the rights it needs — and a handler. The engine routes
 * [base]/$name, [base]/[type]/$name and [base]/[type]/[id]/$name to it, turns GET query parameters
 * and POST bodies into Parameters, and lists it in the CapabilityStatement.
 */
import type { OperationDefinition, Parameters, ParametersParameter, FhirResource } from 'fhir/r4.js';
import type { RequestContext, ServedType } from './types.js';
import type { FhirResponse } from './interactions/types.js';
import { badRequest, forbidden, FhirError } from './outcome.js';
import type { Query } from './search/parse.js';

export interface OperationRequest {
  /** The resource type for type- and instance-level invocations. */
  def?: ServedType;
  id?: string;
  parameters: Parameters;
  /** A POSTed body that was a resource rather than Parameters (e.g. $validate). */
  resource?: FhirResource;
  headers: Record<string, string | undefined>;
}

export interface Operation {
  /** Name without the $. */
  name: string;
  definition: OperationDefinition;
  /** openIMIS rights of which a caller needs one; [] means any authenticated user. */
  rights: number[] | ((def: ServedType | undefined) => number[]);
  /** Resource types it applies to ('*' = every registered type); system-level when definition.system. */
  types: string[] | '*';
  handler(req: OperationRequest, ctx: RequestContext): Promise<FhirResponse>;
}

export class OperationRegistry {
  private readonly byName = new Map<string, Operation>();

  constructor(operations: Operation[]) {
    for (const op of operations) this.byName.set(op.name, op);
  }

  all(): Operation[] {
    return [...this.byName.values()];
  }

  /** The operation for this name at this level, or a 404 saying what is wrong. */
  find(name: string, level: 'system' | 'type' | 'instance', type?: string): Operation {
    const op = this.byName.get(name);
    const applies = op && op.definition[level] && (level === 'system' || op.types === '*' || op.types.includes(type ?? ''));
    if (!op || !applies) {
      throw new FhirError(404, { code: 'not-supported', diagnostics: `Operation $${name} is not supported ${type ? `on ${type}` : 'at the system level'}` });
    }
    return op;
  }

  forType(type: string): Operation[] {
    return this.all().filter((op) => (op.definition.type || op.definition.instance) && (op.types === '*' || op.types.includes(type)));
  }

  definition(id: string): OperationDefinition | undefined {
    return this.all().find((op) => op.definition.id === id)?.definition;
  }
}

export function authorizeOperation(ctx: RequestContext, op: Operation, def: ServedType | undefined) {
  const needed = typeof op.rights === 'function' ? op.rights(def) : op.rights;
  if (ctx.caller.isAdmin || needed.length === 0 || needed.some((r) => ctx.caller.rights.has(r))) return;
  throw forbidden(`$${op.name} requires one of the openIMIS rights ${needed.join(', ')}`);
}

/** GET query parameters or a POSTed Parameters (or bare resource) as one Parameters resource. */
export function operationInput(method: string, query: Query, body: unknown): { parameters: Parameters; resource?: FhirResource } {
  const parameter: ParametersParameter[] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (name.startsWith('_') || raw === undefined) continue;
    for (const value of [raw].flat()) parameter.push({ name, valueString: value });
  }
  if (method === 'POST' && body !== undefined && body !== null && body !== '') {
    if (typeof body !== 'object' || Array.isArray(body) || typeof (body as { resourceType?: unknown }).resourceType !== 'string') {
      throw badRequest('An operation body is a Parameters resource (or, for some operations, a resource)');
    }
    const resource = body as FhirResource;
    if (resource.resourceType === 'Parameters') parameter.push(...(resource.parameter ?? []));
    else return { parameters: { resourceType: 'Parameters', parameter }, resource };
  }
  return { parameters: { resourceType: 'Parameters', parameter } };
}

/** The value of a named input parameter, whatever value[x] it came as. */
export function parameterValue(parameters: Parameters, name: string): unknown {
  const p = parameters.parameter?.find((x) => x.name === name);
  if (!p) return undefined;
  if (p.resource) return p.resource;
  const key = Object.keys(p).find((k) => k.startsWith('value'));
  return key ? (p as unknown as Record<string, unknown>)[key] : undefined;
}
