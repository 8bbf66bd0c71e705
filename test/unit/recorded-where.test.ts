/**
 * Recorded WHERE conditions (src/fhir/recorded-where.ts): conditions whose recordings share a key
 * compile to the same SQL, and the recorded values are the bindings knex compiles, in order, on
 * PostgreSQL and SQL Server; what the recorder cannot stand for is not recorded.
 */
import t from 'tap';
import knexFactory, { type Knex } from 'knex';
import { recordWhere, sameValues } from '../../src/fhir/recorded-where.js';
import { dateMatch, numberMatch, stringMatch } from '../../src/fhir/search/match.js';
import { keysetWhere } from '../../src/fhir/search/execute.js';
import { dialectFor } from '../../src/db/dialect/index.js';

const engines = { postgresql: knexFactory({ client: 'pg' }), mssql: knexFactory({ client: 'mssql' }) };
t.teardown(() => Promise.all(Object.values(engines).map((db) => db.destroy())));

type Build = (q: Knex.QueryBuilder) => void;

function compiled(db: Knex, build: Build) {
  const query = db.queryBuilder().select(db.raw('1'));
  build(query);
  const { sql, bindings } = query.toSQL();
  return { sql, bindings };
}

const day = (iso: string) => ({ prefix: 'eq' as const, start: new Date(`${iso}T00:00:00Z`), end: new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000) });

/** Conditions as the search builds them, each with two values of the same shape. */
function shapes(db: Knex): [string, (value: string) => Build][] {
  const dialect = dialectFor(db);
  return [
    ['a column equal to a value', (v) => (q) => q.where('t.CHFID', v)],
    ['an operator', (v) => (q) => q.where('t.InsureeID', '>', Number(v.length))],
    ['groups with OR and NOT', (v) => (q) => q.where((w) => w.where('t.A', v).orWhere('t.B', '<', v)).whereNot((n) => n.whereNull('t.C').orWhereNotNull('t.D'))],
    ['an IN list', (v) => (q) => q.whereIn('t.Gender', [v, `${v}x`, v.length])],
    ['raw SQL with identifiers and values', (v) => (q) => q.whereRaw('lower(??) like ? or ?? = ?', ['t.LastName', `${v}%`, 't.CHFID', v])],
    ['a string search', (v) => (q) => stringMatch(q, ['t.LastName', 't.OtherNames'], undefined, v, db, dialect)],
    ['an exact string search', (v) => (q) => stringMatch(q, ['t.LastName'], 'exact', v, db, dialect)],
    ['a number', (v) => (q) => numberMatch(q, 't.Amount', `ge${v.length}.5`, 'amount', db)],
    ['a date', (v) => (q) => dateMatch(q, 't.DOB', 'day', day(`20${10 + v.length}-01-0${v.length % 9 || 1}`), new Date())],
    ['a keyset cursor', (v) => (q) => keysetWhere(q, db, [{ column: 't.DOB', descending: true, nullable: true }, { column: 't.InsureeID', descending: false, nullable: false }], { direction: 'next', key: [0, `${v}`, v.length] })],
  ];
}

for (const [engine, db] of Object.entries(engines)) {
  t.test(`${engine}: the same key, the same SQL; the values are knex's bindings`, async (t) => {
    for (const [name, shape] of shapes(db)) {
      const [a, b] = [shape('Mwangi'), shape('Oti')];
      const [ra, rb] = [recordWhere(a), recordWhere(b)];
      if (!ra || !rb) {
        t.fail(`${name}: recorded`);
        continue;
      }
      t.equal(ra.key, rb.key, `${name}: one key for both values`);
      const [ca, cb] = [compiled(db, a), compiled(db, b)];
      t.equal(ca.sql, cb.sql, `${name}: knex compiles both to the same SQL`);
      t.ok(sameValues(ra.values, ca.bindings), `${name}: the values are the bindings, in order`);
      t.ok(sameValues(rb.values, cb.bindings), `${name}: so are the other value's`);
      t.notOk(sameValues(ra.values, cb.bindings), `${name}: and the two differ`);
    }
  });
}

t.test('conditions that compile differently have different keys', async (t) => {
  const pairs: [string, Build, Build][] = [
    ['other column', (q) => q.where('t.A', 1), (q) => q.where('t.B', 1)],
    ['other operator', (q) => q.where('t.A', '<', 1), (q) => q.where('t.A', '<=', 1)],
    ['AND against OR', (q) => q.where('t.A', 1).where('t.B', 2), (q) => q.where('t.A', 1).orWhere('t.B', 2)],
    ['NOT', (q) => q.where((w) => w.where('t.A', 1)), (q) => q.whereNot((w) => w.where('t.A', 1))],
    ['grouping', (q) => q.where((w) => w.where('t.A', 1).orWhere('t.B', 2)).where('t.C', 3), (q) => q.where('t.A', 1).orWhere((w) => w.where('t.B', 2).where('t.C', 3))],
    ['list length', (q) => q.whereIn('t.A', [1, 2]), (q) => q.whereIn('t.A', [1, 2, 3])],
    ['raw identifier', (q) => q.whereRaw('?? = ?', ['t.A', 1]), (q) => q.whereRaw('?? = ?', ['t.B', 1])],
    ['raw SQL', (q) => q.whereRaw('lower(??) = ?', ['t.A', 'x']), (q) => q.whereRaw('upper(??) = ?', ['t.A', 'x'])],
    ['two arguments against three', (q) => q.where('t.A', '='), (q) => q.where('t.A', '=', '=')],
  ];
  for (const [name, a, b] of pairs) t.not(recordWhere(a)?.key, recordWhere(b)?.key, name);
});

t.test('what the recorder cannot stand for is not recorded', async (t) => {
  const db = engines.postgresql;
  const cases: [string, Build][] = [
    ['a subquery', (q) => q.whereIn('t.FamilyID', db('tblFamilies').select('FamilyID'))],
    ['EXISTS', (q) => q.whereExists(db('tblFamilies').select(db.raw('1')))],
    ['an object of columns', (q) => q.where({ 't.A': 1 })],
    ['NULL, which knex turns into IS NULL in some places and binds in others', (q) => q.where('t.A', null as never)],
    ['NULL with an operator', (q) => q.where('t.A', '<>', null as never)],
    ['an undefined value', (q) => q.where('t.A', undefined as never)],
    ['a list as a value', (q) => q.where('t.A', 'in', [1, 2] as never)],
    ['a boolean as the condition', (q) => q.where(true as never)],
    ['a method the recorder does not know', (q) => q.whereBetween('t.A', [1, 2])],
    ['named raw bindings', (q) => q.whereRaw('?? = :v', { v: 1 } as never)],
    ['a wrapped raw', (q) => q.where(db.raw('?? = ?', ['t.A', 1]).wrap('(', ')'))],
    ['a raw with fewer bindings than placeholders', (q) => q.whereRaw('?? = ? and ? = 1', ['t.A', 1])],
    ['a raw with more bindings than placeholders', (q) => q.whereRaw('?? = ?', ['t.A', 1, 2])],
    ['a build that throws', () => {
      throw new Error('bad value');
    }],
  ];
  for (const [name, build] of cases) t.equal(recordWhere(build), undefined, name);
  t.ok(recordWhere((q) => q.whereRaw('? = 1 and \\? is literal', ['x'])), 'an escaped question mark is no placeholder');
});

t.test('sameValues compares dates by time, everything else by identity', async (t) => {
  t.ok(sameValues([new Date(5), 'a', 1], [new Date(5), 'a', 1]));
  t.notOk(sameValues([new Date(5)], [new Date(6)]));
  t.notOk(sameValues(['1'], [1]));
  t.notOk(sameValues([1], [1, 2]));
});
