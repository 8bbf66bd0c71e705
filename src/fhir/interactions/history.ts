/** history-instance (http://hl7.org/fhir/R4/http.html#history), from the legacy history copies. */
import { findEntity, findVersions, stateOf } from '../store.js';
import { badRequest, notFound } from '../outcome.js';
import { history as historyBundle, type HistoryItem } from '../bundle.js';
import { parseDateValue } from '../search/dates.js';
import { toResource } from './common.js';
import type { Handler } from './types.js';

export const instanceHistory: Handler = async (req, ctx) => {
  const { def, id = '' } = req;
  const entity = await findEntity(def, ctx, id);
  if (!entity) throw notFound(def.type, id);
  const since = req.query._since ? parseDateValue(String(req.query._since), '_since').start : undefined;
  const countRaw = req.query._count;
  const count = countRaw === undefined ? Infinity : Number(countRaw);
  if (countRaw !== undefined && !(Number.isInteger(count) && count >= 0)) {
    throw badRequest('_count must be a non-negative integer');
  }
  const versions = await findVersions(def, ctx, entity);
  const items: HistoryItem[] = versions.map((row, index) => {
    const { resource, version } = toResource(def, row, ctx);
    const oldest = index === versions.length - 1;
    const deletion = index === 0 && stateOf(row, def.table) === 'deleted';
    return { resource, ...version, method: deletion ? 'DELETE' : oldest ? 'POST' : 'PUT' };
  });
  const selected = items
    .filter((item) => !since || item.lastUpdated >= since)
    .slice(0, count);
  const self = `${ctx.baseUrl}/${def.type}/${id}/_history`;
  return { status: 200, body: historyBundle(selected, { baseUrl: ctx.baseUrl, links: [{ relation: 'self', url: self }] }) };
};
