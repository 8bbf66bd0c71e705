/**
 * Interactions are plain functions from a FhirRequest to a FhirResponse, independent of Fastify,
 * so the same handlers can serve HTTP, batch entries and tests.
 */
import type { FhirResource as Resource } from 'fhir/r4.js';
import type { AnyResourceDefinition, RequestContext } from '../types.js';
import type { Query } from '../search/parse.js';

export interface FhirRequest<D = AnyResourceDefinition> {
  /** The type's definition; a type with several tables reaches the sources' handlers (sources/). */
  def: D;
  id?: string;
  versionId?: string;
  query: Query;
  body?: unknown;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
}

export interface FhirResponse {
  status: number;
  body?: Resource;
  headers?: Record<string, string>;
}

export type Handler = (req: FhirRequest, ctx: RequestContext) => Promise<FhirResponse>;
