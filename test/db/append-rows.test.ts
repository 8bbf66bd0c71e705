/**
 * The dialect's bulk append (the audit trail's batches), on the real database: every column kind,
 * NULL, text that COPY or JSON would have to escape, all or none, and the borrowed connection
 * given back in a usable state. SQL Server's statement at the SQL level.
 */
import t, { type Test } from 'tap';
import { openTestDatabase } from '../helpers/databases.js';
import type { Knex } from 'knex';
import { checkStatement, compileOnlyMssqlKnex, toMssqlStatement, type Compiled } from '../helpers/mssql-capture.js';
import { dialectFor, type BulkColumn, type BulkRow } from '../../src/db/dialect/index.js';
import { mssql, insertStatement } from '../../src/db/dialect/mssql.js';
import { copyLine } from '../../src/db/copy-text.js';

const columns: BulkColumn[] = [
  { name: 'Name', kind: 'text' },
  { name: 'Count', kind: 'integer' },
  { name: 'At', kind: 'timestamp' },
  { name: 'Note', kind: 'text' },
];
const at = new Date('2026-03-04T05:06:07.089Z');
const AWKWARD = [
  'quote " apostrophe \' backslash \\ newline \n return \r tab \t',
  '\\N',
  '\\.',
  '',
  'ünïcödé ✓ \u2028 😀',
  'line one\nline two\n',
  '\\\\t',
];

/** A test database with fhir_test_bulk, the table of `columns` (Name of five characters at most, unique, if asked). */
async function tableOfColumns(t: Test, { uniqueShortName = false } = {}): Promise<Knex> {
  const db = await openTestDatabase();
  t.teardown(() => db.drop());
  await db.knex.schema.createTable('fhir_test_bulk', (table) => {
    if (uniqueShortName) table.string('Name', 5).unique();
    else table.text('Name');
    table.integer('Count');
    table.timestamp('At', { useTz: true });
    table.text('Note');
  });
  return db.knex;
}

t.test('appendRows writes each row as given', async (t) => {
  const knex = await tableOfColumns(t);
  const rows: BulkRow[] = [
    ...AWKWARD.map((name, i): BulkRow => [name, i, at.toISOString(), `note ${i}`]),
    [null, 100, '2026-03-04T07:06:07.089+02:00', null],
    ['nul \u0000 inside', 101, at.toISOString(), '\u0000'],
    ['big', 2147483647, '1999-12-31T23:59:59.999Z', 'x'.repeat(10_000)],
  ];
  await dialectFor(knex).appendRows(knex, 'fhir_test_bulk', columns, rows);
  const read = await knex('fhir_test_bulk').orderBy('Count');
  t.same(
    read.map((r) => [r.Name, r.Count, new Date(r.At).toISOString(), r.Note]),
    [
      ...AWKWARD.map((name, i) => [name, i, at.toISOString(), `note ${i}`]),
      [null, 100, at.toISOString(), null],
      ['nul \uFFFD inside', 101, at.toISOString(), '\uFFFD'],
      ['big', 2147483647, '1999-12-31T23:59:59.999Z', 'x'.repeat(10_000)],
    ],
    'text, NULL, integers and instants come back as given; U+0000, which PostgreSQL text cannot hold, as U+FFFD',
  );

  await dialectFor(knex).appendRows(knex, 'fhir_test_bulk', columns, []);
  t.equal(Number((await knex('fhir_test_bulk').count({ n: '*' }))[0].n), rows.length, 'an empty batch writes nothing');
});

t.test('appendRows writes all or none, and the connection it borrowed goes on working', async (t) => {
  const knex = await tableOfColumns(t, { uniqueShortName: true });
  const dialect = dialectFor(knex);
  const failures: [string, BulkRow[]][] = [
    ['a duplicate', [['a', 1, at.toISOString(), null], ['a', 2, at.toISOString(), null]]],
    ['text too long', [['b', 1, at.toISOString(), null], ['toolong', 2, at.toISOString(), null]]],
    ['not an integer', [['c', 1, at.toISOString(), null], ['d', 'x' as never, at.toISOString(), null]]],
    ['not an instant', [['e', 1, at.toISOString(), null], ['f', 2, 'no such day', null]]],
  ];
  for (const [what, rows] of failures) {
    await t.rejects(dialect.appendRows(knex, 'fhir_test_bulk', columns, rows), `${what} fails the batch`);
    t.same(await knex('fhir_test_bulk').select('Name'), [], `${what}: nothing of the batch is written`);
  }
  // More rounds than the pool has connections: each borrowed one came back out of its failed transaction.
  for (let i = 0; i < 12; i++) await dialect.appendRows(knex, 'fhir_test_bulk', columns, [[`ok${i}`, i, at.toISOString(), null]]);
  t.equal(Number((await knex('fhir_test_bulk').count({ n: '*' }))[0].n), 12, 'later batches are written');
  t.same(await knex.raw('select 1 as one').then((r) => dialect.rawRows(r)), [{ one: 1 }], 'plain queries run on the pool');
  await t.rejects(knex.transaction((trx) => dialect.appendRows(trx, 'fhir_test_bulk', columns, [])), /own transaction/, 'refused inside a transaction');
});

t.test('concurrent appends each land whole', async (t) => {
  const knex = await tableOfColumns(t);
  const dialect = dialectFor(knex);
  await Promise.all(
    Array.from({ length: 8 }, (_, b) =>
      dialect.appendRows(knex, 'fhir_test_bulk', columns, Array.from({ length: 250 }, (_, i): BulkRow => [`b${b}`, i, at.toISOString(), null])),
    ),
  );
  const counts = await knex('fhir_test_bulk').select('Name').count({ n: '*' }).groupBy('Name').orderBy('Name');
  t.same((counts as { Name: string; n: string }[]).map((c) => [c.Name, Number(c.n)]), Array.from({ length: 8 }, (_, b) => [`b${b}`, 250]));
});

t.test('COPY text escapes what the format reserves', async (t) => {
  t.equal(copyLine(['a\\b', 'c\td', 'e\nf', 'g\rh', 'i\u0000j', null, 7, '']), 'a\\\\b\tc\\td\te\\nf\tg\\rh\ti\uFFFDj\t\\N\t7\t\n');
});

t.test('on SQL Server, rows go as INSERTs within its parameter limit, timestamps bound as Dates', async (t) => {
  const ms = compileOnlyMssqlKnex();
  const iso = '2026-03-04T05:06:07.089Z';
  const { sql, bindings } = insertStatement(ms, 'fhir_test_bulk', columns.slice(0, 3), [['a', 1, iso], ['b', null, iso]]).toSQL();
  t.match(sql, /^insert into \[fhir_test_bulk\] \(\[At\], \[Count\], \[Name\]\)/);
  t.same(bindings, [new Date(iso), 1, 'a', new Date(iso), null, 'b']);

  // The statements appendRows sends for a batch of 300 rows of 15 columns, under the SQL Server checks.
  const wide: BulkColumn[] = Array.from({ length: 15 }, (_, i) => ({ name: `C${i}`, kind: i === 1 ? 'timestamp' : i === 2 ? 'integer' : 'text' }));
  const sent: Knex.QueryBuilder[] = [];
  const inTransaction = { transaction: async (work: (trx: unknown) => Promise<void>) => work((table: string) => ({ insert: (rows: unknown[]) => (sent.push(ms(table).insert(rows as never)), Promise.resolve()) })) };
  const row: BulkRow = wide.map((c) => (c.kind === 'timestamp' ? iso : c.kind === 'integer' ? 7 : c.name));
  await mssql.appendRows(inTransaction as never, 'fhir_audit_event', wide, Array.from({ length: 300 }, () => row));
  t.same(sent.map((s) => s.toSQL().bindings.length), [1995, 1995, 510], 'three statements, none past 2,100 parameters');
  for (const s of sent) t.same(checkStatement(toMssqlStatement(ms, s.toSQL() as Compiled)).issues, [], 'passes the SQL Server checks');
  await ms.destroy();
});
