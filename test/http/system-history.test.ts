/**
 * history-system, `GET [base]/_history`: every version of every type the caller may read, newest
 * first, paged with keyset links; the same versions as the types' own histories, under each type's
 * rights and row security.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const types: string[] = (await server.fhir('metadata')).body.rest[0].resource
  .filter((r: any) => r.interaction.some((i: any) => i.code === 'history-type'))
  .map((r: any) => r.type);
const key = (entry: any) => `${entry.fullUrl} ${entry.response.etag}`;

/** Every entry of a history, following next links. */
async function walk(url: string, token?: string): Promise<{ entries: any[]; pages: number }> {
  const entries: any[] = [];
  let pages = 0;
  let next: string | undefined = url;
  while (next) {
    const page = await server.fhir(next, { token });
    if (page.status !== 200) throw new Error(`${next}: ${page.status} ${JSON.stringify(page.body)}`);
    pages++;
    entries.push(...page.body.entry);
    next = page.body.link.find((l: any) => l.relation === 'next')?.url;
  }
  return { entries, pages };
}

/** The union of the types' own histories (each fits in one page of the demo data). */
async function typeHistories(token?: string, only = types): Promise<string[]> {
  const all: string[] = [];
  for (const type of only) {
    const res = await server.fhir(`${type}/_history?_count=1000`, { token });
    if (res.status === 403) continue;
    if (res.body.entry.length >= 1000) throw new Error(`${type}: its history does not fit one page`);
    all.push(...res.body.entry.map(key));
  }
  return all.sort();
}

t.test('the system history is the union of the type histories, newest first, paged without gaps or repeats', async (t) => {
  t.ok(types.length >= 10, types.join(', '));
  const first = await server.fhir('_history?_count=25');
  t.equal(first.status, 200);
  t.equal(first.body.resourceType, 'Bundle');
  t.equal(first.body.type, 'history');
  t.equal(first.body.entry.length, 25);
  t.notOk('total' in first.body, 'no total: it would count every table');
  t.match(first.body.link.find((l: any) => l.relation === 'self').url, /\/_history\?_count=25$/);
  t.ok(first.body.link.find((l: any) => l.relation === 'next'), 'a next link');

  const { entries, pages } = await walk('_history?_count=13');
  t.ok(pages > 6, `${pages} pages`);
  const keys = entries.map(key);
  t.equal(new Set(keys).size, keys.length, 'no version twice');
  t.same([...keys].sort(), await typeHistories(), 'exactly the versions of the type histories');
  const instants = entries.map((e) => Date.parse(e.response.lastModified));
  t.ok(instants.every((at, i) => i === 0 || at <= instants[i - 1]), 'newest first across types');
  t.ok(new Set(entries.map((e) => e.fullUrl.split('/').at(-2))).size >= 8, 'many types interleaved');
  for (const entry of entries) {
    const method = entry.request.method;
    t.ok(['POST', 'PUT', 'DELETE'].includes(method));
    if (method === 'DELETE') t.notOk(entry.resource);
    else if (entry.resource.meta.versionId !== entry.response.etag.slice(3, -1)) t.fail(`${key(entry)}: etag and versionId differ`);
  }
});

t.test('_since, _type and _count', async (t) => {
  const before = new Date(Date.now() - 1000).toISOString();
  const medication = (await server.fhir('Medication?_count=1')).body.entry[0].resource;
  const { meta, ...body } = medication;
  const put = await server.fhir(`Medication/${medication.id}`, { method: 'PUT', body: JSON.stringify(body) });
  t.equal(put.status, 200, JSON.stringify(put.body));

  const recent = await server.fhir(`_history?_since=${encodeURIComponent(before)}`);
  t.equal(recent.status, 200);
  t.equal(recent.body.entry[0].fullUrl, `${server.base}/Medication/${medication.id}`, 'the update comes first');
  t.equal(recent.body.entry[0].request.method, 'PUT');
  t.ok(recent.body.entry.every((e: any) => Date.parse(e.response.lastModified) >= Date.parse(before)), 'nothing older than _since');

  const only = await walk('_history?_type=Patient,Group&_count=200');
  t.same(new Set(only.entries.map((e) => e.fullUrl.split('/').at(-2))), new Set(['Patient', 'Group']));
  t.same(only.entries.map(key).sort(), await typeHistories(undefined, ['Patient', 'Group']));

  t.equal((await server.fhir('_history?_count=0')).body.entry.length, 0, '_count=0: no entries');
  t.equal((await server.fhir('_history?_count=abc')).status, 400);
  t.equal((await server.fhir('_history?_type=Nothing')).status, 400);
  t.equal((await server.fhir('_history?_cursor=forged')).status, 400);
  t.equal((await server.fhir('_history?_since=yesterday')).status, 400);
});

t.test('rights per type and row security per type', async (t) => {
  t.equal((await server.fhir('_history', { token: null })).status, 401, 'authentication needed');

  const none = await server.fhir('_history', { token: await server.login(DEMO.users.noRoles.login, DEMO.users.noRoles.password) });
  t.equal(none.status, 200, 'no right: an empty history, not a refusal');
  t.same(none.body.entry, []);

  const { claimAdmin, clerk } = DEMO.users;
  for (const user of [claimAdmin, clerk]) {
    const token = await server.login(user.login, user.password);
    const { entries } = await walk('_history?_count=500', token);
    const seenTypes = new Set(entries.map((e) => e.fullUrl.split('/').at(-2)));
    const allowed: string[] = [];
    for (const type of types) if ((await server.fhir(`${type}/_history?_count=1`, { token })).status === 200) allowed.push(type);
    t.ok([...seenTypes].every((type) => allowed.includes(type)), `${user.login}: only types it may read (${[...seenTypes].join(', ')})`);
    t.ok(allowed.length < types.length, `${user.login} may not read every type`);
    t.same(entries.map(key).sort(), await typeHistories(token, allowed), `${user.login}: what its own type histories show, row security included`);
  }
  const token = await server.login(clerk.login, clerk.password);
  const patients = (await walk('_history?_type=Patient&_count=500', token)).entries;
  const all = (await walk('_history?_type=Patient&_count=500')).entries;
  t.ok(patients.length > 0 && patients.length < all.length, `the clerk sees ${patients.length} of ${all.length} Patient versions`);
});

t.test('the CapabilityStatement offers history-system', async (t) => {
  const rest = (await server.fhir('metadata', { token: null })).body.rest[0];
  t.ok(rest.interaction.some((i: any) => i.code === 'history-system'));
});
