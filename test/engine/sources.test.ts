/**
 * One type over two tables, on resources that know nothing of openIMIS: "Person" is served from the
 * engine test's child table (source `child`, with a rank) and a second table of its own (source
 * `adult`, with a nickname and no rank). Keyset paging across the tables with every kind of sort
 * value (mixed case, duplicates, NULLs, a column one source lacks), parameters of one source,
 * :missing, reverse includes from the parent, create by rule, and a type-level check of the registry.
 */
import t from 'tap';
import type { Knex } from 'knex';
import type { Person } from 'fhir/r4.js';
import { startServer } from '../helpers/app.js';
import { createFakeTables, fakeChild, fakeParent } from './fake-resources.js';
import type { ResourceDefinition, VersionedTable } from '../../src/fhir/types.js';
import { insertVersioned } from '../../src/db/legacy-history.js';
import { Registry } from '../../src/fhir/registry.js';

const adultTable: VersionedTable = {
  name: 'test_adult', pk: 'AdultID', uuid: 'AdultUUID', validityFrom: 'ValidityFrom', validityTo: 'ValidityTo', legacyId: 'LegacyID', auditUser: 'AuditUserID',
};
const nickOf = (p: any) => p.extension?.find((e: any) => e.url === 'urn:nick')?.valueString;

const child: ResourceDefinition<Person> = {
  ...fakeChild,
  source: 'child',
  takes: { rule: 'no nickname', test: (p) => !nickOf(p) },
};
const adult: ResourceDefinition<Person> = {
  type: 'Person',
  source: 'adult',
  takes: { rule: 'a nickname (extension urn:nick)', test: (p) => Boolean(nickOf(p)) },
  table: adultTable,
  codeColumn: 'Nick',
  select: (db: Knex) => db(`${adultTable.name} as t`).leftJoin('test_parent as p', 'p.ParentID', 't.ParentID').select('t.*', 'p.ParentUUID as parent_uuid'),
  toFhir: (row) =>
    ({
      resourceType: 'Person',
      id: row.AdultUUID,
      name: [{ family: row.Name }],
      extension: [{ url: 'urn:nick', valueString: row.Nick }, ...(row.parent_uuid ? [{ url: 'urn:parent', valueReference: { reference: `HealthcareService/${row.parent_uuid}` } }] : [])],
    }) as unknown as Person,
  searchParams: [
    { code: 'name', type: 'string', description: 'name', columns: ['t.Name'], sortColumn: 't.Name' },
    { code: 'nick', type: 'token', description: 'nickname', tokens: [{ column: 't.Nick' }] },
    { code: 'organization', type: 'reference', description: 'parent', column: 't.ParentID', target: 'HealthcareService' },
  ],
  rights: fakeChild.rights,
  create: async (r, ctx) => (await insertVersioned(ctx.tx, adultTable, { Name: r.name?.[0]?.family, Nick: nickOf(r) }, { userId: ctx.caller.userId, at: ctx.at })).id,
};

const NAMES = ['Cole', 'adams', 'Baker', null, 'cole', 'Évans', 'Dunn'];
const server = await startServer(t, {}, {
  extraResources: [fakeParent, child, adult],
  beforeStart: async (db) => {
    await createFakeTables(db.knex);
    await db.knex.schema.createTable(adultTable.name, (tb) => {
      tb.increments('AdultID');
      tb.string('AdultUUID', 36).notNullable();
      tb.timestamp('ValidityFrom', { useTz: true }).notNullable();
      tb.timestamp('ValidityTo', { useTz: true });
      tb.integer('LegacyID');
      tb.integer('AuditUserID').notNullable();
      tb.string('Name', 100);
      tb.string('Nick', 20);
      tb.integer('ParentID');
    });
    const now = new Date('2024-01-01T00:00:00Z');
    await db.knex('test_parent').insert([{ ParentUUID: 'aaaaaaaa-0000-4000-8000-000000000001', Code: 'P1', Name: 'Alpha', ValidityFrom: now, AuditUserID: 1 }]);
    const rows = (n: number, make: (i: number) => object) => Array.from({ length: n }, (_, k) => make(k + 1));
    await db.knex('test_child').insert(
      rows(13, (i) => ({ ChildUUID: `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`, Name: NAMES[i % NAMES.length], Rank: i % 4 === 0 ? null : i % 5, ParentID: i % 3 === 0 ? 1 : null, ValidityFrom: new Date(now.getTime() + i * 1000), AuditUserID: 1 })),
    );
    await db.knex(adultTable.name).insert(
      rows(11, (i) => ({ AdultUUID: `dddddddd-0000-4000-8000-${String(i).padStart(12, '0')}`, Name: NAMES[(i * 3) % NAMES.length], Nick: `n${i}`, ParentID: i % 2 === 0 ? 1 : null, ValidityFrom: new Date(now.getTime() + i * 1500), AuditUserID: 1 })),
    );
  },
});
const TOTAL = 24;
const ids = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource.id);

async function walk(url: string, relation = 'next'): Promise<string[][]> {
  const pages: string[][] = [];
  let next: string | undefined = url;
  for (let i = 0; next && i < 60; i++) {
    const res = await server.fhir(next);
    if (res.status !== 200) throw new Error(`${next}: ${res.status} ${JSON.stringify(res.body)}`);
    pages.push(ids(res.body));
    next = res.body.link.find((l: any) => l.relation === relation)?.url;
  }
  return pages;
}

t.test('every sort pages through both tables once, in the one order of the database, both directions', async (t) => {
  for (const sort of ['', 'name', '-name', 'rank', '-rank', 'name,-rank', '_lastUpdated', '-_id']) {
    const q = sort ? `&_sort=${sort}` : '';
    const whole = ids((await server.fhir(`Person?_count=100${q}`)).body);
    t.equal(new Set(whole).size, TOTAL, `${sort || '(none)'}: every resource once`);
    for (const size of [1, 4, 7]) {
      const pages = await walk(`Person?_count=${size}${q}`);
      t.same(pages.flat(), whole, `${sort || '(none)'}: pages of ${size}`);
      // From the last page back to the first by the previous links.
      const lastPage = await server.fhir(`Person?_count=${size}${q}&_offset=${Math.floor((TOTAL - 1) / size) * size}`);
      const back = await walk(lastPage.body.link.find((l: any) => l.relation === 'previous')?.url ?? '', 'previous');
      t.same([...back.reverse().flat(), ...ids(lastPage.body)], whole, `${sort || '(none)'}: back by previous links, pages of ${size}`);
    }
  }
  const byRank = (await server.fhir('Person?_count=100&_sort=rank')).body.entry.map((e: any) => e.resource);
  const firstAdult = byRank.findIndex((r: any) => nickOf(r));
  t.ok(byRank.slice(firstAdult).every((r: any) => nickOf(r) || !r.extension?.some((e: any) => e.url === 'urn:rank')), 'a source without the sort column sorts with the NULLs, last');
});

t.test('a parameter of one source, :missing, a shared parameter, unknown parameters', async (t) => {
  t.same(ids((await server.fhir('Person?nick=n3')).body), ['dddddddd-0000-4000-8000-000000000003']);
  t.equal(ids((await server.fhir('Person?rank=ge0&_count=100')).body).length, 13 - 3, 'rank: the children with one');
  t.equal(ids((await server.fhir('Person?rank:missing=true&_count=100')).body).length, 3 + 11, 'rank:missing=true: children without, every adult');
  t.equal(ids((await server.fhir('Person?nick:missing=false&_count=100')).body).length, 11);
  t.equal((await server.fhir('Person?name=cole&_total=accurate&_count=1')).body.total, 3 + 2, 'a shared parameter over both (Cole, cole)');
  t.equal((await server.fhir('Person?nosuch=1', { headers: { prefer: 'handling=strict' } })).status, 400);
  const onlyAdults = await walk('Person?nick=n3,n4,n5&_sort=rank,name&_count=1');
  t.equal(onlyAdults.flat().length, 3, 'sorted by a column only the other source has: all NULL, ordered by the rest');
  const summary = await server.fhir('Person?_summary=count&nick:missing=true');
  t.equal(summary.body.total, 13);
});

t.test('reads, code reads, reverse includes and _has from the parent over both sources', async (t) => {
  t.equal((await server.fhir('Person/dddddddd-0000-4000-8000-000000000002')).status, 200);
  t.equal((await server.fhir('Person/bbbbbbbb-0000-4000-8000-000000000002')).status, 200);
  t.equal((await server.fhir('Person/n2')).body.id, 'dddddddd-0000-4000-8000-000000000002', 'by the code of the source that has one');
  const rev = await server.fhir('HealthcareService?identifier=P1&_revinclude=Person:organization&_count=100');
  const included = rev.body.entry.filter((e: any) => e.search.mode === 'include').map((e: any) => e.resource.id);
  t.equal(included.length, 4 + 5, 'children and adults of the parent');
  t.equal(new Set(included).size, included.length);
  const has = await server.fhir('HealthcareService?_has:Person:organization:name=cole');
  t.same(ids(has.body), ['aaaaaaaa-0000-4000-8000-000000000001']);
  const include = await server.fhir('Person?_count=100&_include=Person:organization');
  t.equal(include.body.entry.filter((e: any) => e.search.mode === 'include').length, 1, 'the parent once');
});

t.test('create by rule; a body of both or no kind is a 422 stating the rules', async (t) => {
  const created = await server.fhir('Person', { method: 'POST', body: JSON.stringify({ resourceType: 'Person', name: [{ family: 'Zed' }], extension: [{ url: 'urn:nick', valueString: 'zz' }] }) });
  t.equal(created.status, 201, JSON.stringify(created.body));
  t.ok(await server.db.knex(adultTable.name).where('AdultUUID', created.body.id).first());
  const plain = await server.fhir('Person', { method: 'POST', body: JSON.stringify({ resourceType: 'Person', name: [{ family: 'Zoe' }] }) });
  t.equal(plain.status, 201);
  t.ok(await server.db.knex('test_child').where('ChildUUID', plain.body.id).first());
});

t.test('the registry refuses a second definition without a source name, and references without targetSource', async (t) => {
  t.throws(() => new Registry([fakeChild, { ...fakeChild }]), /registered twice/);
  const pointing = { ...fakeParent, type: 'Group', searchParams: [{ code: 'member', type: 'reference' as const, description: 'm', column: 't.X', target: 'Person' }] };
  t.throws(() => new Registry([child, adult, pointing]), /targetSource/);
  t.doesNotThrow(() => new Registry([child, adult, { ...pointing, searchParams: [{ ...pointing.searchParams[0], targetSource: 'adult' }] }]));
});
