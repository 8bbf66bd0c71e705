/**
 * Content negotiation (http://hl7.org/fhir/R4/http.html#mime-type): FHIR JSON and FHIR XML in and
 * out, `_format` overriding Accept, `_pretty`, 406 for an Accept nothing can satisfy.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FhirError } from './outcome.js';
import { toXml } from './xml/index.js';

export const FHIR_JSON = 'application/fhir+json';
export const FHIR_XML = 'application/fhir+xml';
export type Format = 'json' | 'xml';

const JSON_TYPES = new Set([FHIR_JSON, 'application/json', 'json', 'application/json+fhir', 'text/json']);
const XML_TYPES = new Set([FHIR_XML, 'application/xml', 'xml', 'text/xml', 'application/xml+fhir']);

/** The format asked for, or undefined when none we produce is acceptable. */
function requested(request: FastifyRequest): Format | undefined {
  const format = (request.query as Record<string, unknown> | undefined)?._format;
  if (typeof format === 'string' && format) {
    const type = format.split(';')[0].trim().toLowerCase();
    return JSON_TYPES.has(type) ? 'json' : XML_TYPES.has(type) ? 'xml' : undefined;
  }
  const accept = request.headers.accept;
  if (!accept) return 'json';
  // The first acceptable type in the client's order of preference (q values respected).
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
      return { type, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranges) {
    if (JSON_TYPES.has(type) || type === '*/*' || type === 'application/*') return 'json';
    if (XML_TYPES.has(type)) return 'xml';
  }
  return undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    fhirFormat?: Format;
  }
}

/** Which representation the client asked for; throws 406 when it is none we produce. */
export function negotiate(request: FastifyRequest): Format {
  const format = requested(request);
  if (!format) {
    throw new FhirError(406, {
      code: 'not-supported',
      diagnostics: `Cannot produce ${request.headers.accept ?? (request.query as Record<string, unknown>)._format}; this server speaks ${FHIR_JSON} and ${FHIR_XML}`,
    });
  }
  request.fhirFormat = format;
  return format;
}

export function sendFhir(request: FastifyRequest, reply: FastifyReply, status: number, body: unknown) {
  const pretty = (request.query as Record<string, unknown> | undefined)?._pretty === 'true';
  const format = request.fhirFormat ?? requested(request) ?? 'json';
  reply.code(status);
  if (body === undefined) return reply.send();
  if (format === 'xml') {
    reply.type(`${FHIR_XML}; charset=utf-8`);
    return reply.send(toXml(body as object, { pretty }));
  }
  reply.type(`${FHIR_JSON}; charset=utf-8`);
  return reply.send(JSON.stringify(body, null, pretty ? 2 : undefined));
}
