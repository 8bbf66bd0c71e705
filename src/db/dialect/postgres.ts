/** PostgreSQL (and PGlite): quoted mixed-case identifiers, case-sensitive text, varchar UUIDs. */
import type { BulkColumn, Dialect } from './index.js';

const ARRAY_TYPES: Record<BulkColumn['kind'], string> = { text: 'text[]', integer: 'int4[]', timestamp: 'timestamptz[]' };

export const postgres: Dialect = {
  name: 'postgresql',
  likeInsensitive: (db, column, pattern) => db.raw(`lower(??) like lower(?) escape '\\'`, [column, pattern]),
  likeSensitive: (db, column, pattern) => db.raw(`?? like ? escape '\\'`, [column, pattern]),
  equalsInsensitive: (db, column, value) => db.raw('lower(??) = lower(?)', [column, value]),
  equalsSensitive: (db, column, value) => db.raw('?? = ?', [column, value]),
  readUuid: (value) => String(value ?? '').toLowerCase(),
  // A parameter per column (an array), unnested: knex's multi-row insert compiled and sent a
  // parameter per value (1,500 for 100 audit events), several times the CPU on both sides.
  insertRows(db, table, columns, rows) {
    const names = columns.map(() => '??').join(', ');
    const arrays = columns.map((c) => `?::${ARRAY_TYPES[c.kind]}`).join(', ');
    const bindings = [table, ...columns.map((c) => c.name), ...columns.map((c) => rows.map((row) => row[c.name] ?? null))];
    return db.raw(`insert into ?? (${names}) select * from unnest(${arrays})`, bindings as never);
  },
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
