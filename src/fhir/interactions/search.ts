/** search-type (http://hl7.org/fhir/R4/http.html#search), GET and POST _search alike. */
import type { BundleLink } from 'fhir/r4.js';
import { parseSearch, type Query, type SearchRequest } from '../search/parse.js';
import { searchRows } from '../store.js';
import { searchset } from '../bundle.js';
import { toResource } from './common.js';
import type { Handler } from './types.js';
import { implicitParams } from '../search/implicit.js';

export const search: Handler = async (req, ctx) => {
  const { def } = req;
  const strict = /handling\s*=\s*strict/i.test(req.headers.prefer ?? '');
  const request = parseSearch(req.query, [...implicitParams(def.table), ...def.searchParams], strict);
  const page = await searchRows(def, ctx, request);
  const resources = page.rows.map((row) => toResource(def, row, ctx).resource);

  const typeUrl = `${ctx.baseUrl}/${def.type}`;
  const link = (relation: string, cursor?: string): BundleLink => ({
    relation,
    url: `${typeUrl}?${selfQuery(req.query, request, cursor)}`,
  });
  const links = [link('self', req.query._cursor as string | undefined), link('first')];
  if (page.previous) links.push(link('previous', page.previous));
  if (page.next) links.push(link('next', page.next));
  return { status: 200, body: searchset(resources, { baseUrl: ctx.baseUrl, links, total: page.total }) };
};

/**
 * The query of a page link: the understood parameters only (unknown ones are dropped, as the
 * specification asks), the page size, and the cursor of the page. Links work as plain GETs, also
 * after a POST _search.
 */
function selfQuery(query: Query, request: SearchRequest, cursor?: string): string {
  const understood = new Set(request.unknown);
  const out = new URLSearchParams();
  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined || understood.has(name) || name === '_cursor' || name === '_offset' || name === 'page-offset') continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) out.append(name, value);
  }
  if (!out.has('_count')) out.set('_count', String(request.count));
  if (cursor) out.set('_cursor', cursor);
  return out.toString();
}
