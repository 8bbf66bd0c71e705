/**
 * The two patch formats of FHIR R4 (http://hl7.org/fhir/R4/http.html#patch): JSON Patch
 * (application/json-patch+json, applied with fast-json-patch) and FHIRPath Patch (a Parameters body).
 */
import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { Parameters } from 'fhir/r4.js';
import { badRequest, unprocessable } from '../outcome.js';
import { applyFhirPathPatch } from './fhirpath-patch.js';

export const JSON_PATCH = 'application/json-patch+json';

export function applyPatchDocument(resource: Record<string, unknown>, body: unknown, contentType: string): Record<string, unknown> {
  if (contentType.startsWith(JSON_PATCH)) return applyJsonPatch(resource, body);
  if (body && typeof body === 'object' && (body as { resourceType?: unknown }).resourceType === 'Parameters') {
    return applyFhirPathPatch(resource, body as Parameters);
  }
  throw badRequest(`PATCH takes a JSON Patch (${JSON_PATCH}) or a FHIRPath Patch Parameters resource`);
}

function applyJsonPatch(resource: Record<string, unknown>, body: unknown): Record<string, unknown> {
  if (!Array.isArray(body)) throw badRequest('A JSON Patch document is an array of operations');
  const operations = body as Operation[];
  const invalid = jsonPatch.validate(operations, resource);
  if (invalid) {
    // A malformed operation is the client's syntax error; a path that does not resolve is unprocessable.
    const malformed = /OPERATION_(OP|PATH|VALUE|FROM)_(INVALID|REQUIRED|CANNOT_ADD_TO_ARRAY)|SEQUENCE_NOT_AN_ARRAY/.test(invalid.name);
    const error = `JSON Patch operation ${invalid.index ?? ''}: ${invalid.message.split('\n')[0]}`;
    throw malformed && !/UNRESOLVABLE/.test(invalid.name) ? badRequest(error) : unprocessable(error);
  }
  try {
    return jsonPatch.applyPatch(structuredClone(resource), operations, false, false).newDocument;
  } catch (error) {
    throw unprocessable(`JSON Patch: ${(error as Error).message.split('\n')[0]}`);
  }
}
