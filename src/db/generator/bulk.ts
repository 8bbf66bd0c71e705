/**
 * Bulk-load plumbing: before the load, the foreign keys, unique constraints and secondary indexes of
 * the tables being filled are dropped (their definitions are read from the catalog); afterwards
 * they are re-created, which validates every foreign key in one pass per constraint instead of one
 * deferred check per row. Also: sequences past max(id) and ANALYZE.
 */
import type { Knex } from 'knex';
import { LEGACY_TABLES, quoteIdent } from '../legacy-schema/index.js';

/** Runs SQL statements, possibly on several connections at once. */
export interface SqlRunner {
  /** Number of statements that may run at the same time. */
  readonly parallel: number;
  run(sql: string): Promise<void>;
}

export interface SavedDdl {
  /** ADD CONSTRAINT … UNIQUE statements and CREATE INDEX statements, per table. */
  indexes: { table: string; sql: string }[];
  /** ADD CONSTRAINT … FOREIGN KEY statements, per table. */
  foreignKeys: { table: string; sql: string }[];
}

export interface StepTiming {
  step: string;
  table: string;
  ms: number;
}

/** Drops foreign keys, unique constraints and secondary indexes of `tables`; returns how to recreate them. */
export async function dropLoadConstraints(knex: Knex, tables: readonly string[]): Promise<SavedDdl> {
  const constraints = (await knex.raw<{ rows: { tbl: string; name: string; def: string; type: string }[] }>(`
    SELECT t.relname AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def, c.contype AS type
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND c.contype IN ('f', 'u') AND t.relname = ANY(string_to_array(?, ','))
    ORDER BY c.contype, t.relname, c.conname`, [tables.join(',')])).rows;
  const indexes = (await knex.raw<{ rows: { tbl: string; name: string; def: string }[] }>(`
    SELECT t.relname AS tbl, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND t.relname = ANY(string_to_array(?, ','))
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY t.relname, ic.relname`, [tables.join(',')])).rows;

  const saved: SavedDdl = { indexes: [], foreignKeys: [] };
  // Foreign keys first (a unique constraint may be what a foreign key points at).
  for (const c of constraints.filter((c) => c.type === 'f')) {
    await knex.raw(`ALTER TABLE ${quoteIdent(c.tbl)} DROP CONSTRAINT ${quoteIdent(c.name)}`);
    saved.foreignKeys.push({ table: c.tbl, sql: `ALTER TABLE ${quoteIdent(c.tbl)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}` });
  }
  for (const c of constraints.filter((c) => c.type === 'u')) {
    try {
      await knex.raw(`ALTER TABLE ${quoteIdent(c.tbl)} DROP CONSTRAINT ${quoteIdent(c.name)}`);
      saved.indexes.push({ table: c.tbl, sql: `ALTER TABLE ${quoteIdent(c.tbl)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}` });
    } catch {
      // still needed by a foreign key of a table we do not load: keep it
    }
  }
  for (const i of indexes) {
    await knex.raw(`DROP INDEX ${quoteIdent(i.name)}`);
    saved.indexes.push({ table: i.tbl, sql: i.def });
  }
  return saved;
}

/** Runs tasks with at most `parallel` at a time, recording the time of each. */
async function runAll(runner: SqlRunner, tasks: { table: string; sql: string }[], step: string, timings: StepTiming[]): Promise<void> {
  // Large tables first, so the two workers finish together.
  const queue = [...tasks];
  const worker = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      const started = Date.now();
      await runner.run(task.sql);
      timings.push({ step, table: task.table, ms: Date.now() - started });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, runner.parallel) }, worker));
}

/** Re-creates what dropLoadConstraints removed: indexes and unique constraints, then foreign keys. */
export async function restoreLoadConstraints(runner: SqlRunner, saved: SavedDdl, sizes: Map<string, number>): Promise<StepTiming[]> {
  const timings: StepTiming[] = [];
  const bySize = (a: { table: string }, b: { table: string }) => (sizes.get(b.table) ?? 0) - (sizes.get(a.table) ?? 0);
  await runAll(runner, [...saved.indexes].sort(bySize), 'index', timings);
  await runAll(runner, [...saved.foreignKeys].sort(bySize), 'foreign key', timings);
  return timings;
}

/** Moves every serial sequence of the legacy tables past the highest id. */
export async function resetSequences(knex: Knex): Promise<void> {
  for (const table of LEGACY_TABLES) {
    const column = table.columns.find((c) => c.serial)?.name;
    if (!column) continue;
    await knex.raw(
      `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(${quoteIdent(column)}) FROM ${quoteIdent(table.name)}), 0) + 1, false)`,
      [quoteIdent(table.name), column],
    );
  }
}

export async function analyze(runner: SqlRunner, tables: readonly string[], timings: StepTiming[]): Promise<void> {
  await runAll(runner, tables.map((t) => ({ table: t, sql: `ANALYZE ${quoteIdent(t)}` })), 'analyze', timings);
}
