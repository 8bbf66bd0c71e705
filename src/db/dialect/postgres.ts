/** PostgreSQL (and PGlite): quoted mixed-case identifiers, case-sensitive text, varchar UUIDs. */
import type { Dialect } from './index.js';

export const postgres: Dialect = {
  name: 'postgresql',
  likeInsensitive: (db, column, pattern) => db.raw(`lower(??) like lower(?) escape '\\'`, [column, pattern]),
  likeSensitive: (db, column, pattern) => db.raw(`?? like ? escape '\\'`, [column, pattern]),
  equalsInsensitive: (db, column, value) => db.raw('lower(??) = lower(?)', [column, value]),
  equalsSensitive: (db, column, value) => db.raw('?? = ?', [column, value]),
  readUuid: (value) => String(value ?? '').toLowerCase(),
  // One JSON parameter for all the rows, turned into typed rows by the server
  // (json_populate_recordset takes the column types from the table itself). knex's multi-row insert
  // sent a parameter per value (1,500 for 100 audit events), and an array per column still cost the
  // driver a serialisation per value: JSON.stringify does the whole batch natively. Its list of
  // property names keeps only the table's columns, without a copy of each row; a column a row lacks
  // is left out of its JSON object, which json_populate_recordset reads as NULL. The values are
  // scalars (BulkColumn), so the list cannot filter inside one.
  insertRows(db, table, columns, rows) {
    const names = columns.map(() => '??').join(', ');
    const json = JSON.stringify(rows, columns.map((c) => c.name));
    return db.raw(`insert into ?? (${names}) select ${names} from json_populate_recordset(null::??, ?)`, [
      table,
      ...columns.map((c) => c.name),
      ...columns.map((c) => c.name),
      table,
      json,
    ] as never);
  },
  // The WAL flush at commit was most of PostgreSQL's CPU per audit event (measured).
  relaxCommit: (trx) => trx.raw('set local synchronous_commit to off'),
  rawRows: (result) => (result as { rows: Record<string, unknown>[] }).rows,
  async estimateCount(db, query) {
    const { sql, bindings } = query.toSQL();
    const result = await db.raw(`explain (format json) ${sql}`, bindings as never);
    const rows = (result as { rows?: Record<string, unknown>[] }).rows ?? [];
    const plan = rows[0]?.['QUERY PLAN'];
    const parsed = typeof plan === 'string' ? JSON.parse(plan) : plan;
    const estimate = Number((parsed as { Plan?: { 'Plan Rows'?: unknown } }[] | undefined)?.[0]?.Plan?.['Plan Rows']);
    return Number.isFinite(estimate) ? estimate : undefined;
  },
};
