/**
 * Content negotiation (http://hl7.org/fhir/R4/http.html#mime-type): FHIR JSON in and out,
 * `_format` overriding Accept, `_pretty`, 406 for an Accept nothing can satisfy.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FhirError } from './outcome.js';

export const FHIR_JSON = 'application/fhir+json';
const JSON_TYPES = new Set([FHIR_JSON, 'application/json', 'json', 'application/json+fhir', 'text/json']);

/** Which representation the client asked for; throws 406 when it is none we produce. */
export function negotiate(request: FastifyRequest): 'json' {
  const format = (request.query as Record<string, unknown> | undefined)?._format;
  if (typeof format === 'string' && format) {
    if (JSON_TYPES.has(format.split(';')[0].trim().toLowerCase())) return 'json';
    throw new FhirError(406, { code: 'not-supported', diagnostics: `_format ${format} is not supported; use json` });
  }
  const accept = request.headers.accept;
  if (!accept) return 'json';
  const acceptable = accept.split(',').some((part) => {
    const type = part.split(';')[0].trim().toLowerCase();
    return type === '*/*' || type === 'application/*' || JSON_TYPES.has(type);
  });
  if (!acceptable) {
    throw new FhirError(406, { code: 'not-supported', diagnostics: `Cannot produce ${accept}; this server speaks ${FHIR_JSON}` });
  }
  return 'json';
}

export function sendFhir(request: FastifyRequest, reply: FastifyReply, status: number, body: unknown) {
  const pretty = (request.query as Record<string, unknown> | undefined)?._pretty === 'true';
  reply.code(status).type(`${FHIR_JSON}; charset=utf-8`);
  return reply.send(body === undefined ? undefined : JSON.stringify(body, null, pretty ? 2 : undefined));
}
