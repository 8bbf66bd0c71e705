/**
 * The interactions of a type served from several tables. Each finds the source concerned — the one
 * that holds the id, the one a new body belongs to, the one a conditional search matched — checks
 * the caller's rights ON THAT SOURCE, and hands over to the ordinary single-table handler with that
 * source as the definition; searches and type history run over every source the caller may read.
 */
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4.js';
import type { AnyResourceDefinition, Interaction, MultiSourceType, RequestContext, ServedType } from '../types.js';
import { isMultiSource } from '../types.js';
import { allowed, authorize } from '../authorize.js';
import { includesWithinRights, withinRights } from '../search/rights.js';
import { badRequest, notFound, preconditionFailed, unprocessable } from '../outcome.js';
import type { FhirRequest, FhirResponse, Handler } from '../interactions/types.js';
import { read, vread } from '../interactions/read.js';
import { search, linkQuery } from '../interactions/search.js';
import { instanceHistory, typeHistory } from '../interactions/history.js';
import { conditionalRemove, conditionalUpdate, create, patch, remove, update } from '../interactions/write.js';
import { fixedResource, toResources } from '../interactions/common.js';
import { includeRows } from '../search/execute.js';
import { searchset } from '../bundle.js';
import { subset } from '../subset.js';
import { sourcesOf } from '../registry.js';
import { locateSource } from './locate.js';
import { parseMultiSearch, searchMultiRows } from './search.js';

type MultiHandler = (req: FhirRequest<MultiSourceType>, ctx: RequestContext) => Promise<FhirResponse>;

/** Runs an interaction handler on a served type: directly, or through its several-sources form. */
export function runInteraction(handler: Handler, req: FhirRequest<ServedType>, ctx: RequestContext): Promise<FhirResponse> {
  if (!isMultiSource(req.def)) return handler(req as FhirRequest, ctx);
  const multi = MULTI.get(handler);
  if (!multi) throw new Error(`${req.def.type}: no several-sources form of this interaction`);
  return multi(req as FhirRequest<MultiSourceType>, ctx);
}

/** read, vread, instance history, update, patch, delete by id: the source holding the id answers. */
const byId =
  (handler: Handler, interaction: Interaction): MultiHandler =>
  async (req, ctx) => {
    const multi = req.def;
    const id = req.id ?? '';
    const fixed = multi.sources.find((s) => s.fixedInstances?.(ctx).some((r) => r.id === id));
    const source = fixed ?? (await locateSource(multi, ctx, id));
    if (!source) throw notFound(multi.type, id);
    authorize(ctx.caller, source, interaction);
    return handler({ ...req, def: source }, ctx);
  };

/**
 * The source a new resource belongs to: the one whose profile the body claims in meta.profile, else
 * the one whose `takes` rule the body satisfies; none or several is a 422 that states the rules.
 */
export function sourceForBody(multi: MultiSourceType, body: unknown): AnyResourceDefinition {
  if (!body || typeof body !== 'object' || Array.isArray(body) || (body as { resourceType?: unknown }).resourceType !== multi.type) {
    throw badRequest(`The request body must be a ${multi.type} resource`, ['resourceType']);
  }
  const claimed = ((body as FhirResource).meta?.profile ?? []) as string[];
  const byProfile = multi.sources.filter((s) => s.profile && claimed.includes(s.profile));
  if (byProfile.length === 1) return byProfile[0];
  const taking = multi.sources.filter((s) => s.takes?.test(body));
  if (taking.length === 1) return taking[0];
  const rules = multi.sources.map((s) => `${s.source}: ${s.takes?.rule ?? 'never from a body'}`).join('; ');
  throw unprocessable(
    `${taking.length ? 'Several kinds' : 'No kind'} of ${multi.type} match${taking.length ? '' : 'es'} this body; the kind is chosen by meta.profile or by ${rules}`,
    [multi.type],
  );
}

const createMulti: MultiHandler = async (req, ctx) => {
  const source = sourceForBody(req.def, req.body);
  authorize(ctx.caller, source, 'create');
  return create({ ...req, def: source }, ctx);
};

/** The one current resource a conditional interaction's search matches (at most two looked at). */
async function matchingSources(req: FhirRequest<MultiSourceType>, ctx: RequestContext) {
  const parsed = parseMultiSearch(req.query, req.def, ctx.resolve, sourceList(ctx), true);
  // Every source is looked in (the match is then checked for the interaction's right on its own).
  const request = { ...parsed, branches: parsed.branches.map((b) => ({ ...b, request: withinRights(ctx.caller, ctx.resolve, b.request) })) };
  if (request.branches.every((b) => b.request.params.length === 0)) throw badRequest('A conditional interaction needs search criteria');
  request.count = 2;
  return (await searchMultiRows(ctx, request)).items;
}

const onMatch =
  (handler: Handler, interaction: Interaction, none: (req: FhirRequest<MultiSourceType>, ctx: RequestContext) => Promise<FhirResponse>): MultiHandler =>
  async (req, ctx) => {
    if (req.id !== undefined) return byId(handler, interaction)(req, ctx);
    const found = await matchingSources(req, ctx);
    if (found.length > 1) throw preconditionFailed(`The search matches several ${req.def.type} resources`);
    if (found.length === 0) return none(req, ctx);
    const [{ def, row }] = found;
    authorize(ctx.caller, def, interaction);
    return handler({ ...req, def, id: String(row[def.table.uuid]).toLowerCase(), query: {} }, ctx);
  };

const conditionalUpdateMulti = onMatch(update, 'update', async (req, ctx) => {
  // No match: the body is created, in the source it belongs to.
  const source = sourceForBody(req.def, req.body);
  authorize(ctx.caller, source, 'update');
  return conditionalUpdate({ ...req, def: source }, ctx);
});
const conditionalRemoveMulti = onMatch(remove, 'delete', async () => ({ status: 204 }));
const patchMulti = onMatch(patch, 'patch', async (req) => {
  throw notFound(req.def.type, '?');
});

const sourceList = (ctx: RequestContext) => (type: string) => sourcesOf(ctx.served(type));

/** search-type over every source the caller may search, one page in one order. */
const searchMulti: MultiHandler = async (req, ctx) => {
  const strict = /handling\s*=\s*strict/i.test(req.headers.prefer ?? '');
  const parsed = parseMultiSearch(req.query, req.def, ctx.resolve, sourceList(ctx), strict);
  const request = {
    ...parsed,
    includes: includesWithinRights(ctx.caller, ctx.resolve, parsed.includes),
    branches: parsed.branches
      .filter((b) => allowed(ctx.caller, b.def, 'search-type'))
      .map((b) => ({ ...b, request: withinRights(ctx.caller, ctx.resolve, b.request) })),
  };
  const page = await searchMultiRows(ctx, request);
  const included = await includeRows(ctx, page.items, request.includes);
  const shape = (resource: FhirResource) => subset(resource, request.summary, request.elements);
  const mapped = new Map<object, FhirResource>();
  const withRows = [...page.items, ...included.flatMap((i) => (i.row ? [{ def: i.def, row: i.row }] : []))];
  for (const def of new Set(withRows.map((i) => i.def))) {
    const rows = withRows.filter((i) => i.def === def).map((i) => i.row);
    (await toResources(def, rows, ctx)).forEach((m, index) => mapped.set(rows[index], shape(m.resource)));
  }
  for (const item of included) if (item.fixed) mapped.set(item, shape(fixedResource(item.fixed)));
  const typeUrl = `${ctx.baseUrl}/${req.def.type}`;
  const link = (relation: string, cursor?: string) => ({ relation, url: `${typeUrl}?${linkQuery(req.query, request, cursor)}` });
  const links = [link('self', req.query._cursor as string | undefined), link('first')];
  if (page.previous) links.push(link('previous', page.previous));
  if (page.next) links.push(link('next', page.next));
  const matches = page.items.map((i) => mapped.get(i.row)!);
  const extras = included.map((i) => mapped.get(i.row ?? i)!);
  return { status: 200, body: searchset(matches, { baseUrl: ctx.baseUrl, links, total: page.total, included: extras }) };
};

/** history-type: each readable source's history, merged newest first, within _count. */
const typeHistoryMulti: MultiHandler = async (req, ctx) => {
  const readable = req.def.sources.filter((s) => allowed(ctx.caller, s, 'history-type'));
  const bundles = await Promise.all(readable.map(async (def) => (await typeHistory({ ...req, def }, ctx)).body as Bundle));
  const time = (e: BundleEntry) => Date.parse(e.response?.lastModified ?? '') || 0;
  const limit = req.query._count === undefined ? Infinity : Number(req.query._count);
  const entry = bundles.flatMap((b) => b.entry ?? []).sort((a, b) => time(b) - time(a)).slice(0, limit);
  const self = `${ctx.baseUrl}/${req.def.type}/_history`;
  return { status: 200, body: { resourceType: 'Bundle', type: 'history', total: entry.length, link: [{ relation: 'self', url: self }], entry } };
};

const MULTI = new Map<Handler, MultiHandler>([
  [read, byId(read, 'read')],
  [vread, byId(vread, 'vread')],
  [instanceHistory, byId(instanceHistory, 'history-instance')],
  [update, byId(update, 'update')],
  [remove, byId(remove, 'delete')],
  [patch, patchMulti],
  [create, createMulti],
  [conditionalUpdate, conditionalUpdateMulti],
  [conditionalRemove, conditionalRemoveMulti],
  [search, searchMulti],
  [typeHistory, typeHistoryMulti],
]);
