/**
 * Every failure leaves as an OperationOutcome with the right status. Client errors keep their
 * message; server errors are logged with their stack and answered with a generic text.
 */
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { FhirError, operationOutcome, type IssueCode } from '../fhir/outcome.js';
import { sendFhir } from '../fhir/formats.js';

const CODE_BY_STATUS: Record<number, IssueCode> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  410: 'deleted',
  412: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
};

/**
 * SQLSTATE class 22 (data exception: a NUL byte, a value out of range) comes from input the checks
 * let through; class 23 (integrity) from a concurrent change. Neither is a server fault.
 */
function statusOfDatabaseError(error: { code?: unknown }): number | undefined {
  const code = typeof error.code === 'string' ? error.code : '';
  if (/^22[0-9A-Z]{3}$/.test(code)) return 400;
  if (/^23[0-9A-Z]{3}$/.test(code)) return 409;
  return undefined;
}

/**
 * The database cannot take the request now: no pooled connection came free within DB_POOL_TIMEOUT
 * (knex's KnexTimeoutError), or PostgreSQL refused a new connection (SQLSTATE 53300 too many
 * connections, 57P03 starting up or shutting down). The client may retry: 503 with Retry-After.
 */
function isOverloaded(error: { name?: unknown; code?: unknown }): boolean {
  return error.name === 'KnexTimeoutError' || error.code === '53300' || error.code === '57P03';
}

export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError | FhirError, request, reply) => {
      if (error instanceof FhirError) {
        reply.headers(error.headers);
        return sendFhir(request, reply, error.status, operationOutcome(error.issues));
      }
      const dbStatus = statusOfDatabaseError(error);
      if (dbStatus) {
        request.log.warn({ err: error }, 'database refused a value');
        const diagnostics = dbStatus === 409 ? 'The change conflicts with existing data' : 'A value is not acceptable to the database';
        return sendFhir(request, reply, dbStatus, operationOutcome([{ code: CODE_BY_STATUS[dbStatus], diagnostics }]));
      }
      if (isOverloaded(error)) {
        request.log.warn({ err: error }, 'database busy');
        reply.header('retry-after', '1');
        return sendFhir(request, reply, 503, operationOutcome([{ code: 'transient', diagnostics: 'The server is busy; retry shortly' }]));
      }
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return sendFhir(request, reply, 500, operationOutcome([{ severity: 'fatal', code: 'exception', diagnostics: 'Internal server error; the incident has been logged' }]));
      }
      const diagnostics = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? `Unsupported content type ${request.headers['content-type'] ?? '(none)'}; send application/fhir+json`
        : error.message;
      return sendFhir(request, reply, status, operationOutcome([{ code: CODE_BY_STATUS[status] ?? 'invalid', diagnostics }]));
    });
    app.setNotFoundHandler(async (request, reply) =>
      sendFhir(request, reply, 404, operationOutcome([{ code: 'not-found', diagnostics: `No route for ${request.method} ${request.url.split('?')[0]}` }])),
    );
  },
  { name: 'errors' },
);
