/** search-type (http://hl7.org/fhir/R4/http.html#search), GET and POST _search alike. */
import type { BundleLink, FhirResource } from 'fhir/r4.js';
import { parseSearch, type Query, type SearchRequest } from '../search/parse.js';
import { includeRows, searchRows } from '../search/execute.js';
import { withinRights } from '../search/rights.js';
import { searchset } from '../bundle.js';
import { subset } from '../subset.js';
import { fixedResource, toResources } from './common.js';
import { sourcesOf } from '../registry.js';
import type { Handler } from './types.js';

export const search: Handler = async (req, ctx) => {
  const { def } = req;
  const strict = /handling\s*=\s*strict/i.test(req.headers.prefer ?? '');
  const request = withinRights(ctx.caller, ctx.resolve, parseSearch(req.query, def, ctx.resolve, strict, (type) => sourcesOf(ctx.served(type))));
  const page = await searchRows(def, ctx, request);
  const included = await includeRows(ctx, { def, rows: page.rows }, request.includes);
  const shape = (resource: FhirResource) => subset(resource, request.summary, request.elements);
  const matches = (await toResources(def, page.rows, ctx)).map((m) => shape(m.resource));
  const extras: FhirResource[] = [];
  // Included rows are mapped per type, so each type loads its details once.
  for (const type of new Set(included.map((i) => i.def))) {
    const rows = included.filter((i) => i.def === type).flatMap((i) => (i.row ? [i.row] : []));
    extras.push(...(await toResources(type, rows, ctx)).map((m) => shape(m.resource)));
  }
  for (const item of included) if (item.fixed) extras.push(shape(fixedResource(item.fixed)));

  const typeUrl = `${ctx.baseUrl}/${def.type}`;
  const link = (relation: string, cursor?: string): BundleLink => ({
    relation,
    url: `${typeUrl}?${linkQuery(req.query, request, cursor)}`,
  });
  const links = [link('self', req.query._cursor as string | undefined), link('first')];
  if (page.previous) links.push(link('previous', page.previous));
  if (page.next) links.push(link('next', page.next));
  return { status: 200, body: searchset(matches, { baseUrl: ctx.baseUrl, links, total: page.total, included: extras }) };
};

/**
 * The query of a page link: the understood parameters only (unknown ones are dropped, as the
 * specification asks), the page size, and the cursor of the page. Links work as plain GETs, also
 * after a POST _search.
 */
export function linkQuery(query: Query, request: Pick<SearchRequest, 'unknown' | 'count'>, cursor?: string): string {
  const dropped = new Set([...request.unknown, '_cursor', '_offset', 'page-offset']);
  const out = new URLSearchParams();
  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined || dropped.has(name)) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) out.append(name, value);
  }
  if (!out.has('_count')) out.set('_count', String(request.count));
  if (cursor) out.set('_cursor', cursor);
  return out.toString();
}
