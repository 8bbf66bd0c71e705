/**
 * create, update and delete, plain and conditional (http://hl7.org/fhir/R4/http.html#create,
 * #update, #delete, #cond-update). Each runs in one database transaction: a failure anywhere leaves
 * nothing behind.
 */
import type { FhirResource as Resource } from 'fhir/r4.js';
import type { AnyResourceDefinition, RequestContext, Row, WriteContext } from '../types.js';
import { badRequest, gone, notFound, notSupported, preconditionFailed, informational, unprocessable } from '../outcome.js';
import { applyPatchDocument } from '../patch/index.js';
import { assertValid } from '../validation/check.js';
import { findEntity, stateOf, versionOf } from '../store.js';
import { parseSearch } from '../search/parse.js';
import { withinRights } from '../search/rights.js';
import { searchRows } from '../search/execute.js';
import { sourcesOf } from '../registry.js';
import { materialise, versionHeaders } from './common.js';
import type { FhirRequest, FhirResponse, Handler } from './types.js';

export const create: Handler = async (req, ctx) => {
  const { def } = req;
  if (!def.create) throw notSupported(`${def.type} cannot be created through this server`);
  const body = resourceBody(req, def);
  return inTransaction(ctx, async (wctx) => {
    const condition = req.headers['if-none-exist'];
    if (condition) {
      const existing = await matching(def, wctx, queryOf(condition));
      if (existing.length > 1) throw preconditionFailed(`If-None-Exist: ${condition} matches several ${def.type} resources`);
      if (existing.length === 1) return respond(req, def, existing[0], wctx, 200);
    }
    return respond(req, def, await createRow(def, body, wctx), wctx, 201);
  });
};

export const update: Handler = async (req, ctx) => {
  const { def, id = '' } = req;
  if (!def.update) throw notSupported(`${def.type} cannot be updated through this server`);
  const body = resourceBody(req, def);
  return inTransaction(ctx, async (wctx) => {
    const current = await findEntity(def, wctx, id, wctx.tx);
    if (!current) throw notFound(def.type, id);
    const entityId = String(current[def.table.uuid]).toLowerCase();
    if (body.id !== undefined && body.id !== id && body.id !== entityId) {
      throw badRequest(`The resource id "${body.id}" does not match the URL id "${id}"`, [`${def.type}.id`]);
    }
    return respond(req, def, await updateRow(def, body, current, req, wctx), wctx, 200);
  });
};

/** PATCH [type]/[id] and PATCH [type]?[search]: patch the current version, then update with it. */
export const patch: Handler = async (req, ctx) => {
  const { def, id } = req;
  if (!def.update) throw notSupported(`${def.type} cannot be changed through this server`);
  return inTransaction(ctx, async (wctx) => {
    let current: Row | undefined;
    if (id !== undefined) {
      current = await findEntity(def, wctx, id, wctx.tx);
      if (!current) throw notFound(def.type, id);
    } else {
      const found = await matching(def, wctx, req.query);
      if (found.length !== 1) throw found.length ? preconditionFailed(`The search matches several ${def.type} resources`) : notFound(def.type, '?');
      current = found[0];
    }
    if (stateOf(current, def.table) === 'deleted') throw gone(def.type, String(current[def.table.uuid]).toLowerCase());
    const { resource } = await materialise(def, current, wctx);
    const patched = applyPatchDocument(resource as unknown as Record<string, unknown>, req.body, req.headers['content-type'] ?? '');
    if (patched.resourceType !== resource.resourceType || patched.id !== resource.id) {
      throw unprocessable('A patch cannot change the resourceType or the id', [`${def.type}.id`]);
    }
    assertValid(def, patched);
    return respond(req, def, await updateRow(def, patched as unknown as Resource, current, req, wctx), wctx, 200);
  });
};

/** PUT [type]?[search]: update the one match, create when there is none, 412 when several. */
export const conditionalUpdate: Handler = async (req, ctx) => {
  const { def } = req;
  if (!def.update) throw notSupported(`${def.type} cannot be updated through this server`);
  const body = resourceBody(req, def);
  return inTransaction(ctx, async (wctx) => {
    const found = await matching(def, wctx, req.query);
    if (found.length > 1) throw preconditionFailed(`The search matches several ${def.type} resources`);
    if (found.length === 0) {
      if (!def.create) throw notSupported(`${def.type} cannot be created through this server`);
      return respond(req, def, await createRow(def, body, wctx), wctx, 201);
    }
    return respond(req, def, await updateRow(def, body, found[0], req, wctx), wctx, 200);
  });
};

export const remove: Handler = async (req, ctx) => {
  const { def, id = '' } = req;
  if (!def.delete) throw notSupported(`${def.type} cannot be deleted through this server`);
  return inTransaction(ctx, async (wctx) => {
    const current = await findEntity(def, wctx, id, wctx.tx);
    if (!current) throw notFound(def.type, id);
    return deleteRow(def, current, req, wctx);
  });
};

/** DELETE [type]?[search]: delete the one match; 412 when several match. */
export const conditionalRemove: Handler = async (req, ctx) => {
  const { def } = req;
  if (!def.delete) throw notSupported(`${def.type} cannot be deleted through this server`);
  return inTransaction(ctx, async (wctx) => {
    const found = await matching(def, wctx, req.query);
    if (found.length > 1) throw preconditionFailed(`The search matches several ${def.type} resources`);
    if (found.length === 0) return { status: 204 };
    return deleteRow(def, found[0], req, wctx);
  });
};

async function createRow(def: AnyResourceDefinition, body: Resource, wctx: WriteContext): Promise<Row> {
  return reload(def, wctx, await def.create!(body, wctx));
}

async function updateRow(def: AnyResourceDefinition, body: Resource, current: Row, req: FhirRequest, wctx: WriteContext) {
  if (stateOf(current, def.table) === 'deleted') throw gone(def.type, String(current[def.table.uuid]).toLowerCase());
  checkIfMatch(req, versionOf(current, def.table).versionId);
  await def.update!(body, current, wctx);
  return reload(def, wctx, Number(current[def.table.pk]));
}

async function deleteRow(def: AnyResourceDefinition, current: Row, req: FhirRequest, wctx: WriteContext): Promise<FhirResponse> {
  // Deleting what is already deleted succeeds: the outcome the client wants holds.
  if (stateOf(current, def.table) === 'current') {
    checkIfMatch(req, versionOf(current, def.table).versionId);
    await def.delete!(current, wctx);
  }
  if (/return\s*=\s*OperationOutcome/i.test(req.headers.prefer ?? '')) {
    return { status: 200, body: informational(`${def.type}/${String(current[def.table.uuid]).toLowerCase()} deleted`) };
  }
  return { status: 204 };
}

/** Current rows matching a search, at most two: enough to tell none, one and several apart. */
async function matching(def: AnyResourceDefinition, ctx: WriteContext, query: FhirRequest['query']): Promise<Row[]> {
  const request = withinRights(ctx.caller, ctx.resolve, parseSearch(query, def, ctx.resolve, true, (type) => sourcesOf(ctx.served(type))));
  if (request.params.length === 0) throw badRequest(`A conditional interaction needs search criteria`);
  request.count = 2;
  return (await searchRows(def, { ...ctx, db: ctx.tx }, request)).rows;
}

function queryOf(condition: string): FhirRequest['query'] {
  const query: FhirRequest['query'] = {};
  for (const [name, value] of new URLSearchParams(condition.replace(/^.*\?/, ''))) {
    const existing = query[name];
    query[name] = existing === undefined ? value : [existing, value].flat();
  }
  return query;
}

/** The request body as a resource of the type, checked against the schema and the profile. */
function resourceBody(req: FhirRequest, def: AnyResourceDefinition): Resource {
  const resource = bodyOfType(req, def);
  assertValid(def, resource);
  return resource;
}

function bodyOfType(req: FhirRequest, def: AnyResourceDefinition): Resource {
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
  return ctx.db.transaction((tx) => work({ ...ctx, db: tx, tx, at: ctx.now() }));
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
async function respond(req: FhirRequest, def: AnyResourceDefinition, row: Row, ctx: RequestContext, status: number): Promise<FhirResponse> {
  const { resource, version } = await materialise(def, row, ctx);
  const headers = versionHeaders(resource, version, ctx);
  if (status === 201) headers.location = headers['content-location'];
  const prefer = /return\s*=\s*(minimal|representation|OperationOutcome)/i.exec(req.headers.prefer ?? '')?.[1]?.toLowerCase();
  if (prefer === 'minimal') return { status, headers };
  if (prefer === 'operationoutcome') {
    return { status, headers, body: informational(`${def.type}/${resource.id} ${status === 201 ? 'created' : status === 200 ? 'updated' : 'unchanged'}`) };
  }
  return { status, headers, body: resource };
}
