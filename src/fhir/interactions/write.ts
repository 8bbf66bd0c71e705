/**
 * create and update (http://hl7.org/fhir/R4/http.html#create, #update). Each runs in one database
 * transaction: a failure anywhere leaves nothing behind.
 */
import type { FhirResource as Resource } from 'fhir/r4.js';
import type { AnyResourceDefinition, RequestContext, Row, WriteContext } from '../types.js';
import { badRequest, gone, notFound, notSupported, preconditionFailed } from '../outcome.js';
import { informational } from '../outcome.js';
import { findEntity, stateOf, versionOf } from '../store.js';
import { toResource, versionHeaders } from './common.js';
import type { FhirRequest, FhirResponse, Handler } from './types.js';

export const create: Handler = async (req, ctx) => {
  const { def } = req;
  if (!def.create) throw notSupported(`${def.type} cannot be created through this server`);
  const body = resourceBody(req, def);
  const row = await inTransaction(ctx, async (wctx) => {
    const pk = await def.create!(body, wctx);
    return reload(def, wctx, pk);
  });
  return respond(req, def, row, ctx, 201);
};

export const update: Handler = async (req, ctx) => {
  const { def, id = '' } = req;
  if (!def.update) throw notSupported(`${def.type} cannot be updated through this server`);
  const body = resourceBody(req, def);
  const row = await inTransaction(ctx, async (wctx) => {
    const current = await findEntity(def, wctx, id, wctx.tx);
    if (!current) throw notFound(def.type, id);
    if (body.id !== undefined && body.id !== id && body.id !== toResource(def, current, ctx).resource.id) {
      throw badRequest(`The resource id "${body.id}" does not match the URL id "${id}"`, [`${def.type}.id`]);
    }
    if (stateOf(current, def.table) === 'deleted') throw gone(def.type, id);
    checkIfMatch(req, versionOf(current, def.table).versionId);
    await def.update!(body, current, wctx);
    return reload(def, wctx, Number(current[def.table.pk]));
  });
  return respond(req, def, row, ctx, 200);
};

function resourceBody(req: FhirRequest, def: AnyResourceDefinition): Resource {
  const body = req.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`The request body must be a ${def.type} resource`);
  }
  const resourceType = (body as { resourceType?: unknown }).resourceType;
  if (resourceType !== def.type) {
    throw badRequest(`Expected resourceType ${def.type}, got ${JSON.stringify(resourceType ?? null)}`, ['resourceType']);
  }
  return body as Resource;
}

async function inTransaction<T>(ctx: RequestContext, work: (wctx: WriteContext) => Promise<T>): Promise<T> {
  return ctx.db.transaction((tx) => work({ ...ctx, tx, at: ctx.now() }));
}

async function reload(def: AnyResourceDefinition, wctx: WriteContext, pk: number): Promise<Row> {
  const row = await def.select(wctx.tx).where(`t.${def.table.pk}`, pk).first();
  if (!row) throw new Error(`${def.type} row ${pk} vanished inside its own transaction`);
  return row;
}

function checkIfMatch(req: FhirRequest, versionId: string) {
  const ifMatch = req.headers['if-match'];
  if (!ifMatch) return;
  const wanted = ifMatch.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  if (wanted !== versionId) {
    throw preconditionFailed(`Version ${wanted} is not the current version (${versionId}) of this resource`);
  }
}

/** Prefer: return=minimal | representation | OperationOutcome (http://hl7.org/fhir/R4/http.html#ops). */
function respond(req: FhirRequest, def: AnyResourceDefinition, row: Row, ctx: RequestContext, status: number): FhirResponse {
  const { resource, version } = toResource(def, row, ctx);
  const headers = versionHeaders(resource, version, ctx);
  if (status === 201) headers.location = headers['content-location'];
  const prefer = /return\s*=\s*(minimal|representation|OperationOutcome)/i.exec(req.headers.prefer ?? '')?.[1]?.toLowerCase();
  if (prefer === 'minimal') return { status, headers };
  if (prefer === 'operationoutcome') {
    return { status, headers, body: informational(`${def.type}/${resource.id} ${status === 201 ? 'created' : 'updated'}`) };
  }
  return { status, headers, body: resource };
}
