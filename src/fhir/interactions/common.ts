/** Shared steps of the interactions: mapping a row with its meta, and version headers. */
import type { FhirResource as Resource } from 'fhir/r4.js';
import type { AnyResourceDefinition, RequestContext, Row } from '../types.js';
import { versionOf, type Version } from '../store.js';
import type { FhirResponse } from './types.js';
import { httpDate, isoInstant } from '../instant-text.js';

export function toResource(def: AnyResourceDefinition, row: Row, ctx: RequestContext): { resource: Resource; version: Version } {
  const version = versionOf(row, def.table);
  const mapped = def.toFhir(row, ctx);
  // meta comes from the store, whatever the mapper set; resourceType, id and meta lead the JSON (the
  // spread keeps the places they already have). Not a rest destructuring: JSON.stringify wrote the
  // object that made more slowly (9k instructions of a read of 653k, by callgrind).
  const resource = { resourceType: mapped.resourceType, id: mapped.id, meta: undefined, ...mapped } as Resource;
  resource.meta = {
    ...mapped.meta,
    versionId: version.versionId,
    lastUpdated: isoInstant(version.lastUpdated),
    ...(def.profile ? { profile: [def.profile] } : {}),
  };
  return { resource, version };
}

/** Fixed instances (configuration, no row) have one version, as old as the running configuration. */
export const CONFIGURED: Version = { versionId: '1', lastUpdated: new Date() };

export function fixedResource(fixed: Resource): Resource {
  return { ...fixed, meta: { ...fixed.meta, versionId: CONFIGURED.versionId, lastUpdated: CONFIGURED.lastUpdated.toISOString() } } as Resource;
}

/** Maps rows of one type, after loading their details once for all of them. */
export async function toResources(def: AnyResourceDefinition, rows: Row[], ctx: RequestContext) {
  if (def.loadDetails && rows.length) await def.loadDetails(rows, ctx);
  return rows.map((row) => toResource(def, row, ctx));
}

/** Maps one row, with its details. */
export async function materialise(def: AnyResourceDefinition, row: Row, ctx: RequestContext) {
  return (await toResources(def, [row], ctx))[0];
}

export function versionHeaders(resource: Resource, version: Version, ctx: RequestContext): Record<string, string> {
  return {
    etag: `W/"${version.versionId}"`,
    'last-modified': httpDate(version.lastUpdated),
    'content-location': `${ctx.baseUrl}/${resource.resourceType}/${resource.id}/_history/${version.versionId}`,
  };
}

export function ok(resource: Resource, version: Version, ctx: RequestContext, status = 200): FhirResponse {
  return { status, body: resource, headers: versionHeaders(resource, version, ctx) };
}
