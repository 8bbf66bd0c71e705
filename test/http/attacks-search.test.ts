/**
 * SQL injection and LIKE / escape metacharacters in every declared search parameter of every
 * resource type of /metadata (so a new type or parameter is attacked too), also with the :exact,
 * :contains, :not and :missing modifiers, date/number prefixes, system|code, and in _id, _sort and
 * _include: 200 or 400, never 500; a tautology widens nothing; the database is unchanged.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { INJECTIONS, MODIFIERS, SEARCH_PAYLOADS, TAUTOLOGIES, pool, snapshot } from '../helpers/attacks.js';

// Hundreds of requests: more time than a usual test file gets, for busy CI machines.
t.setTimeout(360_000);
const server = await startServer(t);
const db = server.db.knex;
const before = await snapshot(db);
const metadata = (await server.fhir('metadata', { token: null })).body;
const resources: { type: string; searchParam?: { name: string; type: string }[]; interaction: { code: string }[] }[] = metadata.rest[0].resource;

t.test('SQL injection and metacharacters in every search parameter of every resource type', async (t) => {
  const jobs: { type: string; query: string; tautology: boolean; label: string }[] = [];
  for (const resource of resources) {
    for (const param of resource.searchParam ?? []) {
      for (const modifier of MODIFIERS[param.type] ?? ['']) {
        const values = modifier === ':missing' ? [`true' OR '1'='1`, 'maybe'] : modifier ? SEARCH_PAYLOADS.slice(0, 1) : SEARCH_PAYLOADS;
        for (const value of values) {
          const query = `${param.name}${modifier}=${encodeURIComponent(value)}`;
          jobs.push({ type: resource.type, query, tautology: TAUTOLOGIES.has(value) && modifier !== ':not', label: `${resource.type}?${param.name}${modifier}` });
        }
      }
      if (param.type === 'token') jobs.push({ type: resource.type, query: `${param.name}=${encodeURIComponent(`${INJECTIONS[0]}|${INJECTIONS[1]}`)}`, tautology: true, label: `${resource.type}?${param.name}=system|code` });
      if (param.type === 'date' || param.type === 'number') {
        for (const prefix of ['gt', 'le', 'ne']) jobs.push({ type: resource.type, query: `${param.name}=${prefix}${encodeURIComponent(INJECTIONS[2])}`, tautology: false, label: `${resource.type}?${param.name}=${prefix}…` });
      }
    }
    for (const value of INJECTIONS.slice(0, 3)) {
      jobs.push({ type: resource.type, query: `_id=${encodeURIComponent(value)}`, tautology: true, label: `${resource.type}?_id` });
      jobs.push({ type: resource.type, query: `_sort=${encodeURIComponent(value)}`, tautology: false, label: `${resource.type}?_sort` });
      jobs.push({ type: resource.type, query: `_include=${encodeURIComponent(`${resource.type}:${value}`)}`, tautology: false, label: `${resource.type}?_include` });
    }
  }
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  await pool(jobs, 6, async ({ type, query, tautology, label }) => {
    const res = await server.fhir(`${type}?${query}&_count=1&_total=accurate`);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status === 200) {
      if (res.body?.resourceType !== 'Bundle') problems.push(`${label}: 200 without a Bundle`);
      // A tautology must not turn into "every row": at most what a literal match could find (none).
      else if (typeof res.body.total !== 'number') problems.push(`${label}: no total`);
      else if (tautology && res.body.total > 0 && !(type === 'CodeSystem' || type === 'ValueSet')) problems.push(`${label} (${query}): ${res.body.total} matches`);
    } else if (res.status !== 400) problems.push(`${label} (${query}): ${res.status}`);
    else if (res.body?.resourceType !== 'OperationOutcome') problems.push(`${label}: 400 without an OperationOutcome`);
  });
  t.same(problems, [], `${jobs.length} searches over ${resources.length} types: 200 or 400 only (${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')})`);
  t.ok(jobs.length > 700, `the walk is wide (${jobs.length} requests)`);
});

t.test('the database is unchanged', async (t) => {
  await server.app.flushAudit();
  t.same(await snapshot(db), before, 'every legacy table holds exactly the rows it held before the attacks');
});
