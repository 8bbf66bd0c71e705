/**
 * One Fastify route per FHIR interaction pattern, mounted under each base path. Routes only adapt
 * HTTP to the interaction handlers; rights are declared by each resource and checked here.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Registry } from './registry.js';
import type { Caller, Interaction, RequestContext, ServedType } from './types.js';
import { FhirError, unauthorized } from './outcome.js';
import { authorize } from './authorize.js';
import { negotiate, sendFhir } from './formats.js';
import type { Handler } from './interactions/types.js';
import type { Query } from './search/parse.js';
import { read, vread } from './interactions/read.js';
import { search } from './interactions/search.js';
import { instanceHistory, typeHistory } from './interactions/history.js';
import { systemHistory } from './interactions/system-history.js';
import { conditionalRemove, conditionalUpdate, create, patch, remove, update } from './interactions/write.js';
import { capabilityStatement } from './capability.js';
import { processBundle } from './interactions/bundle.js';
import { authorizeOperation, operationInput, type OperationRegistry } from './operations.js';
import { dialectFor } from '../db/dialect/index.js';
import { runInteraction } from './sources/interactions.js';

export interface FhirRoutesOptions {
  registry: Registry;
  operations: OperationRegistry;
  /** Path of this mount, e.g. /api/api_fhir_r4 */
  basePath: string;
  siteUrl: string;
  currency: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without authentication (/metadata, login). */
    public?: boolean;
  }
}

export const fhirRoutes: FastifyPluginAsync<FhirRoutesOptions> = async (app, opts) => {
  const { registry } = opts;
  const dialect = dialectFor(app.db);

  const contextOf = (request: FastifyRequest): RequestContext => {
    if (!request.caller) throw unauthorized();
    const origin = opts.siteUrl || `${request.protocol}://${request.host}`;
    return {
      db: app.db,
      dialect,
      caller: request.caller,
      resolve: (type, source) => registry.get(type, source),
      served: (type) => registry.served(type),
      baseUrl: `${origin}${opts.basePath}`,
      currency: opts.currency,
      now: () => new Date(),
    };
  };

  const resourceOf = (request: FastifyRequest): ServedType => {
    const { type } = request.params as { type: string };
    const def = registry.served(type);
    if (!def) throw new FhirError(404, { code: 'not-supported', diagnostics: `Resource type ${type} is not supported` });
    return def;
  };

  /** [base]/$op, [base]/[type]/$op and [base]/[type]/[id]/$op share their paths with the interactions. */
  const operation = async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    negotiate(request);
    const params = request.params as { type: string; id?: string; op?: string };
    const name = [params.op, params.id, params.type].find((p) => p?.startsWith('$'))!.slice(1);
    const level = params.op ? 'instance' : params.id ? 'type' : 'system';
    const def = level === 'system' ? undefined : resourceOf(request);
    const op = opts.operations.find(name, level, def?.type);
    const ctx = contextOf(request);
    authorizeOperation(ctx, op, def);
    const input = operationInput(request.method, request.query as Query, request.body);
    const response = await op.handler({ def, id: level === 'instance' ? params.id : undefined, ...input, headers: request.headers as Record<string, string> }, ctx);
    if (response.headers) reply.headers(response.headers);
    return sendFhir(request, reply, response.status, response.body);
  };
  const isOperation = (request: FastifyRequest) => {
    const { type, id, op } = request.params as { type?: string; id?: string; op?: string };
    return Boolean(op?.startsWith('$') || (!op && id?.startsWith('$')) || (!op && !id && type?.startsWith('$')));
  };

  const route = (interaction: Interaction, handler: Handler) => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    if (isOperation(request)) return operation(request, reply);
    negotiate(request);
    const def = resourceOf(request);
    const ctx = contextOf(request);
    authorize(ctx.caller, def, interaction);
    const params = request.params as { id?: string; vid?: string };
    const query = interactionQuery(request, interaction);
    const response = await runInteraction(
      handler,
      { def, id: params.id, versionId: params.vid, query, body: request.body, headers: request.headers as Record<string, string> },
      ctx,
    );
    if (response.headers) reply.headers(response.headers);
    return sendFhir(request, reply, response.status, response.body);
  };

  app.get('/metadata', { config: { public: true } }, async (request, reply) => {
    negotiate(request);
    const origin = opts.siteUrl || `${request.protocol}://${request.host}`;
    return sendFhir(request, reply, 200, capabilityStatement(registry, opts.operations, `${origin}${opts.basePath}`));
  });

  // batch and transaction: rights are checked entry by entry, as for the plain routes.
  app.post('/', async (request, reply) => {
    negotiate(request);
    return sendFhir(request, reply, 200, await processBundle(request.body, contextOf(request)));
  });
  // history-system: over every table whose history the caller may read (rights per source, in the handler).
  app.get('/_history', async (request, reply) => {
    negotiate(request);
    return sendFhir(request, reply, 200, (await systemHistory(request.query as Query, contextOf(request), registry.definitions())).body);
  });
  app.get('/:type', route('search-type', search));
  app.post('/:type/_search', route('search-type', search));
  app.get('/:type/_history', route('history-type', typeHistory));
  app.get('/:type/:id', route('read', read));
  app.get('/:type/:id/_history', route('history-instance', instanceHistory));
  app.get('/:type/:id/_history/:vid', route('vread', vread));
  app.get('/:type/:id/:op', route('read', read));
  app.post('/:type/:id/:op', route('read', read));
  app.post('/:type/:id', route('read', read));
  app.get('/OperationDefinition/:id', { config: { public: true } }, async (request, reply) => {
    negotiate(request);
    const { id } = request.params as { id: string };
    const definition = opts.operations.definition(id);
    if (!definition) throw new FhirError(404, { code: 'not-found', diagnostics: `OperationDefinition/${id} is not known` });
    return sendFhir(request, reply, 200, definition);
  });
  app.post('/:type', route('create', create));
  app.put('/:type', route('update', conditionalUpdate));
  app.put('/:type/:id', route('update', update));
  app.patch('/:type', route('patch', patch));
  app.patch('/:type/:id', route('patch', patch));
  app.delete('/:type', route('delete', conditionalRemove));
  app.delete('/:type/:id', route('delete', remove));
};

/** A POST _search takes its parameters from the form body as well as the URL. */
function interactionQuery(request: FastifyRequest, interaction: Interaction): Query {
  const query = { ...(request.query as Query) };
  if (interaction === 'search-type' && request.method === 'POST' && request.body && typeof request.body === 'object') {
    for (const [name, value] of Object.entries(request.body as Query)) {
      const existing = query[name];
      const values = [...(existing === undefined ? [] : [existing].flat()), ...[value ?? []].flat()];
      query[name] = values.length === 1 ? values[0] : values;
    }
  }
  return query;
}

export type { FastifyInstance };
