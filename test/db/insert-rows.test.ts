/**
 * The dialect's bulk insert (the audit trail's batches), on the real database: every column kind, a
 * NULL, a column a row leaves out, a property that is no column, and text JSON has to escape.
 */
import t from 'tap';
import { openTestDatabase } from '../helpers/databases.js';
import knexFactory from 'knex';
import { dialectFor, type BulkColumn } from '../../src/db/dialect/index.js';
import { mssql } from '../../src/db/dialect/mssql.js';

t.test('insertRows writes each row as given', async (t) => {
  const db = await openTestDatabase();
  t.teardown(() => db.drop());
  const { knex } = db;
  await knex.schema.createTable('fhir_test_bulk', (table) => {
    table.text('Name');
    table.integer('Count');
    table.timestamp('At', { useTz: false });
    table.text('Note');
  });
  const columns: BulkColumn[] = [
    { name: 'Name', kind: 'text' },
    { name: 'Count', kind: 'integer' },
    { name: 'At', kind: 'timestamp' },
    { name: 'Note', kind: 'text' },
  ];
  const at = new Date('2026-03-04T05:06:07.089Z');
  await dialectFor(knex).insertRows(knex, 'fhir_test_bulk', columns, [
    { Name: 'quote " backslash \\ newline \n tab \t', Count: 1, At: at, Note: 'ünïcödé ✓ \u2028' },
    { Name: null, Count: 2, At: at, Note: undefined },
    { Name: 'no note', Count: 3, At: at, NotAColumn: 'ignored' },
    { Name: 'instant as text', Count: 4, At: at.toISOString() },
  ]);
  const rows = await knex('fhir_test_bulk').orderBy('Count');
  t.same(
    rows.map((r) => ({ ...r, At: new Date(r.At).getTime() })),
    [
      { Name: 'quote " backslash \\ newline \n tab \t', Count: 1, At: at.getTime(), Note: 'ünïcödé ✓ \u2028' },
      { Name: null, Count: 2, At: at.getTime(), Note: null },
      { Name: 'no note', Count: 3, At: at.getTime(), Note: null },
      { Name: 'instant as text', Count: 4, At: at.getTime(), Note: null },
    ],
  );
});

t.test('on SQL Server, a timestamp given as text is bound as a Date, and only columns are inserted', async (t) => {
  const ms = knexFactory({ client: 'mssql' });
  const columns: BulkColumn[] = [
    { name: 'Name', kind: 'text' },
    { name: 'At', kind: 'timestamp' },
  ];
  const at = '2026-03-04T05:06:07.089Z';
  const { sql, bindings } = mssql.insertRows(ms, 'fhir_test_bulk', columns, [{ Name: 'a', At: at, NotAColumn: 1 }, { Name: 'b', At: new Date(at) }]).toSQL();
  t.match(sql, /^insert into \[fhir_test_bulk\] \(\[At\], \[Name\]\)/);
  t.same(bindings, [new Date(at), 'a', new Date(at), 'b']);
  t.ok(bindings.every((b) => typeof b !== 'string' || b.length === 1), 'no timestamp left as text');
});
