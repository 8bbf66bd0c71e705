/**
 * The dialect's bulk insert (the audit trail's batches), on the real database: every column kind, a
 * NULL, a column a row leaves out, a property that is no column, and text JSON has to escape.
 */
import t from 'tap';
import { openTestDatabase } from '../helpers/databases.js';
import { dialectFor, type BulkColumn } from '../../src/db/dialect/index.js';

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
  ]);
  const rows = await knex('fhir_test_bulk').orderBy('Count');
  t.same(
    rows.map((r) => ({ ...r, At: new Date(r.At).getTime() })),
    [
      { Name: 'quote " backslash \\ newline \n tab \t', Count: 1, At: at.getTime(), Note: 'ünïcödé ✓ \u2028' },
      { Name: null, Count: 2, At: at.getTime(), Note: null },
      { Name: 'no note', Count: 3, At: at.getTime(), Note: null },
    ],
  );
});
