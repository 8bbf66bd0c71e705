/**
 * batch and transaction Bundles (http://hl7.org/fhir/R4/http.html#transaction). Each entry is
 * dispatched to the same handlers as a plain HTTP request, with the same rights. A transaction is one
 * database transaction, all or nothing, processed DELETE, POST, PUT/PATCH, GET as the specification
 * orders it, with urn:uuid references between entries resolved; a batch runs each entry on its own.
 */
import type { Bundle, BundleEntry, BundleEntryResponse } from 'fhir/r4.js';
import type { Interaction, RequestContext } from '../types.js';
import { FhirError, badRequest, operationOutcome } from '../outcome.js';
import { authorize } from '../authorize.js';
import type { Query } from '../search/parse.js';
import type { FhirResponse, Handler } from './types.js';
import { read, vread } from './read.js';
import { search } from './search.js';
import { instanceHistory, typeHistory } from './history.js';
import { conditionalRemove, conditionalUpdate, create, patch, remove, update } from './write.js';
import { runInteraction } from '../sources/interactions.js';

const MAX_ENTRIES = 1000;
const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };
const REASON: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified' };

export async function processBundle(body: unknown, ctx: RequestContext): Promise<Bundle> {
  const bundle = body as Bundle;
  if (!bundle || bundle.resourceType !== 'Bundle') throw badRequest('POST to the base takes a Bundle of type batch or transaction');
  if (bundle.type !== 'batch' && bundle.type !== 'transaction') throw badRequest(`Bundle.type must be batch or transaction, not ${bundle.type}`);
  const entries = bundle.entry ?? [];
  if (entries.length > MAX_ENTRIES) throw new FhirError(413, { code: 'too-long', diagnostics: `At most ${MAX_ENTRIES} entries per Bundle` });
  entries.forEach((entry, i) => {
    if (!entry.request?.method || !entry.request.url) throw badRequest(`Bundle.entry[${i}].request needs method and url`, [`Bundle.entry[${i}].request`]);
  });
  return bundle.type === 'transaction' ? transaction(entries, ctx) : batch(entries, ctx);
}

async function batch(entries: BundleEntry[], ctx: RequestContext): Promise<Bundle> {
  const responses: BundleEntry[] = [];
  for (const entry of entries) {
    try {
      responses.push(toEntry(await dispatch(entry, ctx)));
    } catch (error) {
      if (!(error instanceof FhirError)) throw error;
      responses.push({ response: { status: String(error.status), outcome: operationOutcome(error.issues) } });
    }
  }
  return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
}

async function transaction(entries: BundleEntry[], ctx: RequestContext): Promise<Bundle> {
  const responses = new Array<BundleEntry>(entries.length);
  const order = entries.map((entry, index) => ({ entry: structuredClone(entry), index }));
  order.sort((a, b) => (ORDER[a.entry.request!.method] ?? 9) - (ORDER[b.entry.request!.method] ?? 9) || a.index - b.index);
  const resolved = new Map<string, string>();
  const pending = new Set(entries.filter((e) => e.request!.method === 'POST' && e.fullUrl?.startsWith('urn:')).map((e) => e.fullUrl!));

  await ctx.db.transaction(async (tx) => {
    const tctx: RequestContext = { ...ctx, db: tx };
    // POSTs run in an order where every urn:uuid they reference has been created already.
    const queue = [...order];
    while (queue.length) {
      const postsLeft = queue.some(({ entry }) => entry.request!.method === 'POST');
      const next = postsLeft
        ? queue.findIndex(({ entry }) => entry.request!.method === 'POST' ? !references(entry, pending).length : entry.request!.method === 'DELETE')
        : 0;
      if (next < 0) throw badRequest('The transaction has circular urn:uuid references between new resources');
      const [{ entry, index }] = queue.splice(next, 1);
      substitute(entry, resolved);
      let response: FhirResponse;
      try {
        response = await dispatch(entry, tctx);
      } catch (error) {
        if (error instanceof FhirError) {
          throw new FhirError(error.status, error.issues.map((i) => ({ ...i, diagnostics: `Bundle.entry[${index}]: ${i.diagnostics}` })));
        }
        throw error;
      }
      if (entry.fullUrl && pending.has(entry.fullUrl) && response.body?.id) {
        resolved.set(entry.fullUrl, `${response.body.resourceType}/${response.body.id}`);
        pending.delete(entry.fullUrl);
      }
      responses[index] = toEntry(response, entry.fullUrl?.startsWith('urn:') ? undefined : entry.fullUrl);
    }
  });
  return { resourceType: 'Bundle', type: 'transaction-response', entry: responses };
}

/** The urn:uuid references of an entry that are still to be created. */
function references(entry: BundleEntry, pending: Set<string>): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'reference' && typeof child === 'string' && pending.has(child) && child !== entry.fullUrl) found.push(child);
        else walk(child);
      }
    }
  };
  walk(entry.resource);
  return found;
}

function substitute(entry: BundleEntry, resolved: Map<string, string>) {
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (key === 'reference' && typeof child === 'string' && resolved.has(child)) (value as Record<string, unknown>)[key] = resolved.get(child);
        else walk(child);
      }
    }
  };
  walk(entry.resource);
  for (const [urn, target] of resolved) entry.request!.url = entry.request!.url.split(urn).join(target);
}

function toEntry(response: FhirResponse, fullUrl?: string): BundleEntry {
  const headers = response.headers ?? {};
  const result: BundleEntryResponse = { status: `${response.status} ${REASON[response.status] ?? ''}`.trim() };
  if (headers.location) result.location = headers.location;
  if (headers.etag) result.etag = headers.etag;
  if (headers['last-modified']) result.lastModified = new Date(headers['last-modified']).toISOString();
  if (response.body?.resourceType === 'OperationOutcome' && response.status >= 200 && response.status < 300 && !response.body.id) {
    result.outcome = response.body;
    return { ...(fullUrl ? { fullUrl } : {}), response: result };
  }
  return { ...(fullUrl ? { fullUrl } : {}), ...(response.body ? { resource: response.body } : {}), response: result };
}

/** Routes one entry to its handler, as the HTTP routes would, after the same rights check. */
async function dispatch(entry: BundleEntry, ctx: RequestContext): Promise<FhirResponse> {
  const request = entry.request!;
  const method = request.method.toUpperCase();
  // An absolute URL names the type after the base: keep from the first path segment in capitals.
  const [pathPart, queryPart = ''] = request.url.replace(/^https?:\/\/[^?]*?\/(?=[A-Z])/, '').split('?');
  const segments = pathPart.split('/').filter(Boolean);
  const query: Query = {};
  for (const [name, value] of new URLSearchParams(queryPart)) {
    const existing = query[name];
    query[name] = existing === undefined ? value : [existing, value].flat();
  }
  const [type, id, history, vid] = segments;
  const def = type ? ctx.served(type) : undefined;
  if (!def) throw new FhirError(404, { code: 'not-supported', diagnostics: `${request.url}: resource type ${type ?? '(none)'} is not supported` });

  const headers: Record<string, string | undefined> = {
    'if-none-exist': request.ifNoneExist,
    'if-match': request.ifMatch,
    'if-none-match': request.ifNoneMatch,
    'if-modified-since': request.ifModifiedSince,
    'content-type': method === 'PATCH' && entry.resource?.resourceType === 'Binary' ? 'application/json-patch+json' : 'application/fhir+json',
  };
  let body: unknown = entry.resource;
  if (method === 'PATCH' && entry.resource?.resourceType === 'Binary') {
    // JSON Patch travels in a transaction as a Binary holding the patch document.
    body = JSON.parse(Buffer.from((entry.resource as { data?: string }).data ?? '', 'base64').toString('utf8'));
  }

  let interaction: Interaction;
  let handler: Handler;
  if (method === 'GET' || method === 'HEAD') {
    if (id === undefined || id === '_search') [interaction, handler] = ['search-type', search];
    else if (id === '_history') [interaction, handler] = ['history-type', typeHistory];
    else if (history === '_history' && vid) [interaction, handler] = ['vread', vread];
    else if (history === '_history') [interaction, handler] = ['history-instance', instanceHistory];
    else [interaction, handler] = ['read', read];
  } else if (method === 'POST') {
    [interaction, handler] = id === '_search' ? ['search-type', search] : ['create', create];
  } else if (method === 'PUT') {
    [interaction, handler] = ['update', id ? update : conditionalUpdate];
  } else if (method === 'PATCH') {
    [interaction, handler] = ['patch', patch];
  } else if (method === 'DELETE') {
    [interaction, handler] = ['delete', id ? remove : conditionalRemove];
  } else {
    throw badRequest(`${method} is not a FHIR interaction`);
  }
  authorize(ctx.caller, def, interaction);
  return runInteraction(handler, { def, id: id && !id.startsWith('_') ? id : undefined, versionId: vid, query, body, headers }, ctx);
}
