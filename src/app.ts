/**
 * Builds the application: plugins first, then the FHIR API under each base path, in a fixed and
 * explicit order. Kept apart from listen() so that tests drive the same app.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import { dbPlugin } from './plugins/db.js';
import { errorsPlugin } from './plugins/errors.js';
import { hardeningPlugin } from './plugins/hardening.js';
import { authPlugin } from './plugins/auth.js';
import { healthRoutes } from './plugins/health.js';
import { auditPlugin } from './plugins/audit.js';
import { loginRoutes } from './auth/login.js';
import { fhirRoutes } from './fhir/routes.js';
import { Registry } from './fhir/registry.js';
import { OperationRegistry } from './fhir/operations.js';
import { createOperations } from './operations/index.js';
import { fromXml } from './fhir/xml/index.js';
import type { AnyResourceDefinition } from './fhir/types.js';
import { createResources } from './resources/index.js';
import { presentOptionalTables } from './db/optional-tables.js';
import { CodeTables } from './resources/code-tables.js';
import { Places } from './resources/places.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The resource types served. */
    fhirTypes: string[];
  }
}

export interface AppOptions {
  config: Config;
  db: Knex;
  /** Destroy the pool when the app closes (false when a test shares one database). */
  ownsDb?: boolean;
  logger?: boolean;
  /** More resource definitions to serve, beside the openIMIS ones (the engine tests use this). */
  extraResources?: AnyResourceDefinition[];
  /**
   * false leaves the audit trail out: for the benchmark that measures its cost only
   * (bench/targets/ours-noaudit.ts). Deliberately no configuration variable: a deployment cannot
   * turn auditing off.
   */
  audit?: boolean;
}

/** The FHIR API answers at /<SITE_ROOT>/api_fhir_r4 and, for older clients, /<SITE_ROOT>/api_fhir. */
export function basePaths(config: Config): string[] {
  const root = config.siteRoot ? `/${config.siteRoot}` : '';
  return [`${root}/api_fhir_r4`, `${root}/api_fhir`];
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 4096 },
    // A client's X-Request-Id is kept for tracing when it is a sane token; otherwise we make one.
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    },
    trustProxy: config.trustProxy,
  });
  // Hooks with nothing to await take Fastify's callback form: an async hook costs a promise and a
  // microtask turn on every request. The request id is set first thing, not on sending: an answer
  // keeps the headers set before it, errors included, and a route without onSend hooks skips their runner.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  // FHIR JSON and form-encoded POST _search bodies; anything else is a 415.
  app.addContentTypeParser(['application/fhir+json', 'application/json+fhir', 'application/json-patch+json'], { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  // FHIR XML bodies become FHIR JSON before any handler sees them.
  app.addContentTypeParser(['application/fhir+xml', 'application/xml', 'text/xml', 'application/xml+fhir'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, fromXml(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(body as string)) {
      const existing = query[name];
      query[name] = existing === undefined ? value : [existing, value].flat();
    }
    done(null, query);
  });

  await app.register(errorsPlugin);
  await app.register(hardeningPlugin, { config });
  await app.register(dbPlugin, { db: opts.db, destroyOnClose: opts.ownsDb ?? true });
  await app.register(authPlugin, { config });
  if (opts.audit !== false) await app.register(auditPlugin);
  else app.decorate('flushAudit', async () => undefined);
  await app.register(healthRoutes);

  const codes = await CodeTables.load(opts.db);
  const operations = new OperationRegistry(createOperations());
  const places = new Places(opts.db, config.locationCacheSeconds * 1000);
  const optionalTables = await presentOptionalTables(opts.db);
  const registry = new Registry([...createResources({ codes, places, photoBaseUrl: config.siteUrl || '', optionalTables }), ...(opts.extraResources ?? [])]);
  app.decorate('fhirTypes', registry.all().map((d) => d.type));
  for (const basePath of basePaths(config)) {
    await app.register(loginRoutes, { prefix: basePath });
    await app.register(fhirRoutes, { prefix: basePath, basePath, registry, operations, siteUrl: config.siteUrl, currency: config.currency });
  }
  return app;
}
