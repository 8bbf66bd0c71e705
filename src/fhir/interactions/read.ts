/** read and vread (http://hl7.org/fhir/R4/http.html#read). */
import { findEntity, findVersions, stateOf, versionOf } from '../store.js';
import { gone, notFound } from '../outcome.js';
import { CONFIGURED, fixedResource, materialise, ok, versionHeaders } from './common.js';
import type { Handler } from './types.js';

export const read: Handler = async (req, ctx) => {
  const { def, id = '' } = req;
  const fixed = def.fixedInstances?.(ctx).find((r) => r.id === id);
  if (fixed) return ok(fixedResource(fixed), CONFIGURED, ctx);
  const row = await findEntity(def, ctx, id);
  if (!row) throw notFound(def.type, id);
  if (stateOf(row, def.table) === 'deleted') throw gone(def.type, id);
  const { resource, version } = await materialise(def, row, ctx);
  if (notModified(req.headers, version.versionId, version.lastUpdated)) {
    return { status: 304, headers: versionHeaders(resource, version, ctx) };
  }
  return ok(resource, version, ctx);
};

export const vread: Handler = async (req, ctx) => {
  const { def, id = '', versionId = '' } = req;
  const entity = await findEntity(def, ctx, id);
  if (!entity) throw notFound(def.type, id);
  const versions = await findVersions(def, ctx, entity);
  const row = versions.find((v) => versionOf(v, def.table).versionId === versionId);
  if (!row) throw notFound(def.type, `${id}/_history/${versionId}`);
  // The entity row of a deleted resource is the deletion itself, not a readable version.
  if (row === versions[0] && stateOf(row, def.table) === 'deleted') throw gone(def.type, `${id}/_history/${versionId}`);
  const { resource, version } = await materialise(def, row, ctx);
  return ok(resource, version, ctx);
};

/** If-None-Match / If-Modified-Since (http://hl7.org/fhir/R4/http.html#cread). */
function notModified(headers: Record<string, string | undefined>, versionId: string, lastUpdated: Date): boolean {
  const noneMatch = headers['if-none-match'];
  if (noneMatch) return noneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === `"${versionId}"` || tag.trim() === '*');
  const since = headers['if-modified-since'];
  if (since) {
    const sinceMs = Date.parse(since);
    // HTTP dates have second precision.
    return Number.isFinite(sinceMs) && Math.floor(lastUpdated.getTime() / 1000) * 1000 <= sinceMs;
  }
  return false;
}
