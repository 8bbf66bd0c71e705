/** PostgreSQL (and PGlite): quoted mixed-case identifiers, case-sensitive text, varchar UUIDs. */
import type pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import copyStreams from 'pg-copy-streams';
import ClientPgLite from 'knex-pglite';
import { lockNumber, type Dialect } from './index.js';
import { copyLine, copyStatement } from '../copy-text.js';
import type { PooledClient } from '../named-statements.js';

export const postgres: Dialect = {
  name: 'postgresql',
  likeInsensitive: (db, column, pattern) => db.raw(`lower(??) like lower(?) escape '\\'`, [column, pattern]),
  likeSensitive: (db, column, pattern) => db.raw(`?? like ? escape '\\'`, [column, pattern]),
  equalsInsensitive: (db, column, value) => db.raw('lower(??) = lower(?)', [column, value]),
  equalsSensitive: (db, column, value) => db.raw('?? = ?', [column, value]),
  readUuid: (value) => String(value ?? '').toLowerCase(),
  // COPY: PostgreSQL's cheapest way in. An INSERT from one JSON parameter (json_populate_recordset)
  // cost the server 17–19 µs an audit event, COPY 13 µs (measured); it also spares node
  // JSON.stringify with its list of property names, one of V8's slow paths.
  async appendRows(db, table, columns, rows) {
    if (db.isTransaction) throw new Error('appendRows runs its own transaction');
    const text = rows.map(copyLine).join('');
    const names = columns.map((c) => c.name);
    const client = db.client as PooledClient<pg.Client | PGlite>;
    const connection = await client.acquireConnection();
    try {
      if (client instanceof ClientPgLite) await copyIntoPglite(connection as PGlite, table, names, text);
      else await copyIntoPostgres(connection as pg.Client, table, names, text);
    } finally {
      await client.releaseConnection(connection);
    }
  },
  rawRows: (result) => (result as { rows: Record<string, unknown>[] }).rows,
  // Advisory locks are per database, so servers on other databases of the same cluster never wait.
  exclusiveLock: (db, name) => db.raw('select pg_advisory_xact_lock(?)', [lockNumber(name)]),
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

/** COPY FROM STDIN in a transaction of its own, which does not wait for the disk at commit. */
async function copyIntoPostgres(connection: pg.Client, table: string, columns: string[], text: string) {
  try {
    // The WAL flush at commit was most of PostgreSQL's CPU per audit event (measured).
    await connection.query('begin; set local synchronous_commit to off');
    await new Promise<void>((resolve, reject) => {
      const copy = connection.query(copyStreams.from(copyStatement(table, columns)));
      copy.on('finish', resolve);
      copy.on('error', reject);
      copy.end(text);
    });
    await connection.query('commit');
  } catch (error) {
    await connection.query('rollback').catch(() => undefined);
    throw error;
  }
}

/** PGlite, the embedded default, takes COPY from an in-memory file ('/dev/blob'). */
async function copyIntoPglite(connection: PGlite, table: string, columns: string[], text: string) {
  await connection.transaction((tx) => tx.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([text]) }));
}
