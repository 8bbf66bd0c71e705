/**
 * The generic engine on resources that know nothing of openIMIS: _sort with keyset paging (NULLs
 * included), number and date prefixes, references, chaining, _has, _include / _revinclude (one query
 * per parameter), _summary / _elements, delete and conditional interactions, type history.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { createFakeTables, fakeChild, fakeParent } from './fake-resources.js';

const server = await startServer(t, {}, {
  extraResources: [fakeParent, fakeChild],
  beforeStart: async (db) => {
    await createFakeTables(db.knex);
    const now = new Date('2024-01-01T00:00:00Z');
    const parents = [
      { ParentUUID: 'aaaaaaaa-0000-4000-8000-000000000001', Code: 'P1', Name: 'Alpha' },
      { ParentUUID: 'aaaaaaaa-0000-4000-8000-000000000002', Code: 'P2', Name: 'Beta' },
    ];
    await db.knex('test_parent').insert(parents.map((p) => ({ ...p, ValidityFrom: now, AuditUserID: 1 })));
    const children = [];
    for (let i = 1; i <= 25; i++) {
      children.push({
        ChildUUID: `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`,
        Name: ['Cole', 'adams', 'Baker', 'Dunn', 'Evans'][i % 5],
        Rank: i % 4 === 0 ? null : i % 7,
        Born: i % 3 === 0 ? null : `20${String(10 + (i % 6)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
        ParentID: i % 2 === 0 ? 1 : i % 5 === 0 ? null : 2,
        ValidityFrom: new Date(now.getTime() + i * 1000),
        AuditUserID: 1,
      });
    }
    await db.knex('test_child').insert(children);
  },
});

const rankOf = (r: any): number | null => r.extension?.find((e: any) => e.url === 'urn:rank')?.valueInteger ?? null;

async function all(url: string): Promise<any[]> {
  const out: any[] = [];
  let next: string | undefined = url;
  for (let i = 0; next && i < 50; i++) {
    const res = await server.fhir(next);
    if (res.status !== 200) throw new Error(`${next}: ${res.status} ${JSON.stringify(res.body)}`);
    out.push(...(res.body.entry ?? []).filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource));
    next = res.body.link.find((l: any) => l.relation === 'next')?.url;
  }
  return out;
}

t.test('_sort pages through every row once, in order, with NULLs last, both directions', async (t) => {
  for (const sort of ['rank', '-rank', 'birthdate,-name', '-birthdate', 'name,rank', '_lastUpdated', '-_id']) {
    const sorted = await all(`Person?_sort=${sort}&_count=4`);
    t.equal(sorted.length, 25, `${sort}: every row`);
    t.equal(new Set(sorted.map((r) => r.id)).size, 25, `${sort}: once`);
    if (sort === 'rank') {
      const ranks = sorted.map((r) => (rankOf(r)));
      const firstNull = ranks.indexOf(null);
      t.ok(ranks.slice(firstNull).every((r) => r === null), 'NULLs last');
      const values = ranks.slice(0, firstNull) as number[];
      t.same(values, [...values].sort((a, b) => a - b), 'ascending');
    }
    if (sort === '-rank') {
      const values = sorted.map((r) => (rankOf(r))).filter((r) => r !== null) as number[];
      t.same(values, [...values].sort((a, b) => b - a), 'descending');
    }
  }
  const page1 = await server.fhir('Person?_sort=name&_count=5');
  const page2 = await server.fhir(page1.body.link.find((l: any) => l.relation === 'next').url);
  const back = await server.fhir(page2.body.link.find((l: any) => l.relation === 'previous').url);
  t.same(back.body.entry.map((e: any) => e.resource.id), page1.body.entry.map((e: any) => e.resource.id), 'previous returns the page before');
  t.equal((await server.fhir('Person?_sort=nonsense')).status, 400);
});

t.test('paging stays consistent when rows are inserted between pages', async (t) => {
  const first = await server.fhir('Person?_count=10');
  await server.db.knex('test_child').insert({ ChildUUID: 'cccccccc-0000-4000-8000-000000000001', Name: 'Late', ValidityFrom: new Date(), AuditUserID: 1 });
  const rest = await all(first.body.link.find((l: any) => l.relation === 'next').url);
  const ids = [...first.body.entry.map((e: any) => e.resource.id), ...rest.map((r) => r.id)];
  t.equal(new Set(ids).size, ids.length, 'no row twice');
  t.ok(ids.includes('cccccccc-0000-4000-8000-000000000001'), 'the new row (highest key) appears at the end');
});

t.test('number and date prefixes', async (t) => {
  const ge = await all('Person?rank=ge5&_count=100');
  t.ok(ge.length > 0 && ge.every((r) => (rankOf(r) ?? -1) >= 5));
  const ne = await all('Person?rank=ne3&_count=100');
  t.ok(ne.every((r) => rankOf(r) !== 3));
  const lt = await all('Person?birthdate=lt2013&_count=100');
  t.ok(lt.length > 0 && lt.every((r) => r.birthDate < '2013'));
  const missing = await all('Person?birthdate:missing=true&_count=100');
  t.ok(missing.length > 0 && missing.every((r) => !r.birthDate));
});

t.test('references: Type/id, bare id, absolute URL, business code; chaining and _has', async (t) => {
  const p1 = 'aaaaaaaa-0000-4000-8000-000000000001';
  const expected = (await server.db.knex('test_child').where('ParentID', 1).whereNull('ValidityTo')).length;
  for (const value of [`HealthcareService/${p1}`, p1, `${server.base}/HealthcareService/${p1}`, 'P1']) {
    const found = await all(`Person?organization=${encodeURIComponent(value)}&_count=100`);
    t.equal(found.length, expected, value);
  }
  t.equal((await all('Person?organization.name=Alp&_count=100')).length, expected, 'chain on the target name');
  t.equal((await all('Person?organization:identifier=P1&_count=100')).length, expected, ':identifier');
  const parents = await all('HealthcareService?_has:Person:organization:name=Evans');
  const evansParents = await server.db.knex('test_parent as p').whereExists(
    server.db.knex('test_child as c').whereRaw('c."ParentID" = p."ParentID"').where('c.Name', 'Evans'),
  );
  t.equal(parents.length, evansParents.length, '_has');
  t.equal((await server.fhir('Person?organization.nonsense=1', { headers: { prefer: 'handling=strict' } })).status, 400);
});

t.test('_include and _revinclude add each related resource once, as include entries', async (t) => {
  const queries: string[] = [];
  const listener = (q: { sql: string }) => queries.push(q.sql);
  server.db.knex.on('query', listener);
  const res = await server.fhir('Person?_count=10&_include=Person:organization');
  server.db.knex.off('query', listener);
  const included = res.body.entry.filter((e: any) => e.search.mode === 'include');
  t.ok(included.length >= 1 && included.length <= 2);
  t.ok(included.every((e: any) => e.resource.resourceType === 'HealthcareService'));
  const appQueries = queries.filter((q) => /test_(child|parent)/.test(q));
  t.equal(appQueries.length, 2, 'one query for the page, one for the include');

  const rev = await server.fhir('HealthcareService?_revinclude=Person:organization&_count=10');
  const revIncluded = rev.body.entry.filter((e: any) => e.search.mode === 'include');
  const linked = (await server.db.knex('test_child').whereNotNull('ParentID').whereNull('ValidityTo')).length;
  t.equal(revIncluded.length, linked);
  const iterate = await server.fhir('HealthcareService?_id=aaaaaaaa-0000-4000-8000-000000000001&_revinclude=Person:organization&_include:iterate=Person:organization');
  t.ok(iterate.body.entry.filter((e: any) => e.resource.resourceType === 'HealthcareService').length >= 1);
  t.equal(new Set(iterate.body.entry.map((e: any) => e.fullUrl)).size, iterate.body.entry.length, 'no duplicates');
});

t.test('_summary and _elements return tagged subsets', async (t) => {
  const elements = await server.fhir('Person?_elements=name&_count=1');
  const resource = elements.body.entry[0].resource;
  t.ok(resource.name);
  t.notOk(resource.birthDate);
  t.notOk(resource.extension, 'extension left out');
  t.equal(resource.meta.tag[0].code, 'SUBSETTED');
  const count = await server.fhir('Person?_summary=count');
  t.equal(count.body.total, 26);
  t.notOk(count.body.entry?.length);
});

t.test('delete, conditional create, update and delete, and type history', async (t) => {
  const created = await server.fhir('HealthcareService', { method: 'POST', body: JSON.stringify({ resourceType: 'HealthcareService', name: 'Gamma', identifier: [{ value: 'P3' }] }) });
  t.equal(created.status, 201);
  const again = await server.fhir('HealthcareService', {
    method: 'POST',
    headers: { 'if-none-exist': 'identifier=P3' },
    body: JSON.stringify({ resourceType: 'HealthcareService', name: 'Gamma', identifier: [{ value: 'P3' }] }),
  });
  t.equal(again.status, 200, 'If-None-Exist finds the existing one');
  t.equal(again.body.id, created.body.id);
  const several = await server.fhir('HealthcareService', {
    method: 'POST',
    headers: { 'if-none-exist': 'name:contains=a' },
    body: JSON.stringify({ resourceType: 'HealthcareService', name: 'X' }),
  });
  t.equal(several.status, 412, 'several matches');

  const condUpdate = await server.fhir('HealthcareService?identifier=P3', { method: 'PUT', body: JSON.stringify({ resourceType: 'HealthcareService', name: 'Gamma 2', identifier: [{ value: 'P3' }] }) });
  t.equal(condUpdate.status, 200);
  t.equal(condUpdate.body.name, 'Gamma 2');
  const condCreate = await server.fhir('HealthcareService?identifier=P4', { method: 'PUT', body: JSON.stringify({ resourceType: 'HealthcareService', name: 'Delta', identifier: [{ value: 'P4' }] }) });
  t.equal(condCreate.status, 201, 'conditional update with no match creates');
  const condMany = await server.fhir('HealthcareService?name:contains=a', { method: 'PUT', body: JSON.stringify({ resourceType: 'HealthcareService', name: 'Z' }) });
  t.equal(condMany.status, 412);

  const deleted = await server.fhir(`HealthcareService/${created.body.id}`, { method: 'DELETE' });
  t.equal(deleted.status, 204);
  t.equal((await server.fhir(`HealthcareService/${created.body.id}`)).status, 410, 'read after delete is 410');
  t.equal((await server.fhir(`HealthcareService/${created.body.id}`, { method: 'DELETE' })).status, 204, 'delete is idempotent');
  const history = await server.fhir(`HealthcareService/${created.body.id}/_history`);
  t.same(history.body.entry.map((e: any) => e.request.method), ['DELETE', 'PUT', 'POST']);
  t.notOk(history.body.entry[0].resource, 'a deletion entry has no resource');
  const row = await server.db.knex('test_parent').where('ParentUUID', created.body.id).first();
  t.ok(row.ValidityTo, 'soft-deleted the openIMIS way');
  t.equal(new Date(row.ValidityFrom).getTime(), new Date(row.ValidityTo).getTime());

  t.equal((await server.fhir('HealthcareService?name:contains=a', { method: 'DELETE' })).status, 412, 'conditional delete with several matches');
  t.equal((await server.fhir('HealthcareService?identifier=P4', { method: 'DELETE' })).status, 204);
  t.equal((await server.fhir('HealthcareService?identifier=P4')).body.entry?.length ?? 0, 0);

  const typeHistory = await server.fhir('HealthcareService/_history?_count=50');
  t.equal(typeHistory.body.type, 'history');
  const methods = typeHistory.body.entry.map((e: any) => e.request.method);
  t.ok(methods.includes('POST') && methods.includes('PUT') && methods.includes('DELETE'));
  const since = await server.fhir(`HealthcareService/_history?_since=${encodeURIComponent(created.body.meta.lastUpdated)}`);
  t.ok(since.body.entry.every((e: any) => e.response.lastModified >= created.body.meta.lastUpdated));
});

t.test('PATCH with JSON Patch and with FHIRPath Patch', async (t) => {
  const created = await server.fhir('HealthcareService', { method: 'POST', body: JSON.stringify({ resourceType: 'HealthcareService', name: 'Patchable', identifier: [{ value: 'P9' }] }) });
  const id = created.body.id;
  const json = await server.fhir(`HealthcareService/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json-patch+json', 'if-match': created.headers.get('etag')! },
    body: JSON.stringify([{ op: 'test', path: '/name', value: 'Patchable' }, { op: 'replace', path: '/name', value: 'Patched' }]),
  });
  t.equal(json.status, 200, JSON.stringify(json.body));
  t.equal(json.body.name, 'Patched');
  const failedTest = await server.fhir(`HealthcareService/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([{ op: 'test', path: '/name', value: 'Wrong' }, { op: 'replace', path: '/name', value: 'Never' }]),
  });
  t.equal(failedTest.status, 422, 'a failing test op changes nothing');
  t.equal((await server.fhir(`HealthcareService/${id}`)).body.name, 'Patched');
  t.equal((await server.fhir(`HealthcareService/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json-patch+json' }, body: '{"op":"x"}' })).status, 400);
  t.equal((await server.fhir(`HealthcareService/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json-patch+json' }, body: JSON.stringify([{ op: 'replace', path: '/id', value: 'other' }]) })).status, 422, 'the id cannot change');
  const stale = await server.fhir(`HealthcareService/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json-patch+json', 'if-match': created.headers.get('etag')! }, body: JSON.stringify([{ op: 'replace', path: '/name', value: 'Stale' }]) });
  t.equal(stale.status, 412, 'If-Match on PATCH');

  const fhirpath = await server.fhir(`HealthcareService/${id}`, {
    method: 'PATCH',
    body: JSON.stringify({
      resourceType: 'Parameters',
      parameter: [
        { name: 'operation', part: [{ name: 'type', valueCode: 'replace' }, { name: 'path', valueString: 'HealthcareService.name' }, { name: 'value', valueString: 'Via FHIRPath' }] },
        { name: 'operation', part: [{ name: 'type', valueCode: 'replace' }, { name: 'path', valueString: "HealthcareService.identifier.where(value = 'P9').value" }, { name: 'value', valueString: 'P10' }] },
      ],
    }),
  });
  t.equal(fhirpath.status, 200, JSON.stringify(fhirpath.body));
  t.equal(fhirpath.body.name, 'Via FHIRPath');
  t.equal(fhirpath.body.identifier[0].value, 'P10');
  const bad = await server.fhir(`HealthcareService/${id}`, {
    method: 'PATCH',
    body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'operation', part: [{ name: 'type', valueCode: 'replace' }, { name: 'path', valueString: 'HealthcareService.nothing' }, { name: 'value', valueString: 'x' }] }] }),
  });
  t.equal(bad.status, 422, 'a path that selects nothing');
  const history = await server.fhir(`HealthcareService/${id}/_history`);
  t.equal(history.body.entry.length, 3, 'two patches, two new versions');
});

t.test('_total: none by default, accurate on demand, estimate from the planner', async (t) => {
  const none = await server.fhir('Person?_count=2');
  t.equal(none.body.total, undefined, 'no total unless asked (it costs a COUNT)');
  const accurate = await server.fhir('Person?_count=2&_total=accurate');
  const rows = Number((await server.db.knex('test_child').whereNull('ValidityTo').count({ n: '*' }))[0].n);
  t.equal(accurate.body.total, rows);
  const estimate = await server.fhir('Person?_count=2&_total=estimate');
  t.equal(estimate.status, 200);
  t.ok(Number.isInteger(estimate.body.total) && estimate.body.total >= 0, `an estimate (${estimate.body.total})`);
});
