/** PostgreSQL (and PGlite): quoted mixed-case identifiers, case-sensitive text, varchar UUIDs. */
import type { Dialect } from './index.js';

export const postgres: Dialect = {
  name: 'postgresql',
  likeInsensitive: (db, column, pattern) => db.raw(`lower(??) like lower(?) escape '\\'`, [column, pattern]),
  likeSensitive: (db, column, pattern) => db.raw(`?? like ? escape '\\'`, [column, pattern]),
  equalsInsensitive: (db, column, value) => db.raw('lower(??) = lower(?)', [column, value]),
  equalsSensitive: (db, column, value) => db.raw('?? = ?', [column, value]),
  readUuid: (value) => String(value ?? '').toLowerCase(),
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
