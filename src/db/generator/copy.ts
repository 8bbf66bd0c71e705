/**
 * Streams generated rows into PostgreSQL with COPY ... FROM STDIN (text format), one connection per
 * open table so several tables load at once while the generator keeps a bounded buffer per table.
 * A PGlite target is also provided for small datasets: it collects COPY text and loads it in chunks
 * through PGlite's '/dev/blob' device.
 */
import { once } from 'node:events';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { PGlite } from '@electric-sql/pglite';
import { copyLine, copyStatement, type CopyValue } from '../copy-text.js';

export type Value = CopyValue;

/** One table being loaded. `row` is synchronous; the caller awaits `LoadTarget.drain()` now and then. */
export interface TableSink {
  readonly table: string;
  readonly columns: readonly string[];
  rows: number;
  bytes: number;
  row(values: readonly Value[]): void;
}

export interface TableStats {
  table: string;
  rows: number;
  bytes: number;
  /** Milliseconds between opening the table and the end of its COPY. */
  ms: number;
}

export interface LoadTarget {
  open(table: string, columns: readonly string[]): Promise<TableSink>;
  /** Waits until every open table has room in its buffer again. */
  drain(): Promise<void>;
  /** Finishes one table's COPY. */
  close(sink: TableSink): Promise<TableStats>;
  /** Opens, fills and closes a table in one go (for small tables). */
  load(table: string, columns: readonly string[], rows: Iterable<readonly Value[]>): Promise<TableStats>;
  readonly stats: TableStats[];
}

const CHUNK = 256 * 1024;

function columnMismatch(table: string, columns: readonly string[], values: readonly Value[]): Error {
  return new Error(`${table}: ${values.length} values for ${columns.length} columns (${columns.join(', ')})`);
}

abstract class BaseTarget implements LoadTarget {
  readonly stats: TableStats[] = [];
  abstract open(table: string, columns: readonly string[]): Promise<TableSink>;
  abstract drain(): Promise<void>;
  abstract close(sink: TableSink): Promise<TableStats>;

  async load(table: string, columns: readonly string[], rows: Iterable<readonly Value[]>): Promise<TableStats> {
    const sink = await this.open(table, columns);
    let n = 0;
    for (const r of rows) {
      sink.row(r);
      if (++n % 5000 === 0) await this.drain();
    }
    return this.close(sink);
  }
}

class PgSink implements TableSink {
  rows = 0;
  bytes = 0;
  buffer = '';
  blocked = false;
  error: Error | undefined;
  readonly started = Date.now();

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
    readonly stream: copyStreams.CopyStreamQuery,
    readonly client: pg.PoolClient,
  ) {
    stream.on('error', (err: Error) => {
      this.error = err;
    });
  }

  row(values: readonly Value[]): void {
    if (values.length !== this.columns.length) throw columnMismatch(this.table, this.columns, values);
    this.buffer += copyLine(values);
    this.rows++;
    if (this.buffer.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (!this.buffer) return;
    this.bytes += this.buffer.length;
    if (!this.stream.write(this.buffer)) this.blocked = true;
    this.buffer = '';
  }
}

/** COPY over a node-postgres pool: every open table holds one pooled connection until closed. */
export class PgCopyTarget extends BaseTarget {
  private readonly open_ = new Set<PgSink>();

  constructor(private readonly pool: pg.Pool) {
    super();
  }

  async open(table: string, columns: readonly string[]): Promise<TableSink> {
    const client = await this.pool.connect();
    try {
      await client.query('SET synchronous_commit = off');
      const stream = client.query(copyStreams.from(copyStatement(table, columns)));
      const sink = new PgSink(table, columns, stream, client);
      this.open_.add(sink);
      return sink;
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
  }

  async drain(): Promise<void> {
    for (const sink of this.open_) {
      if (sink.error) throw this.failure(sink);
      if (sink.blocked) {
        await Promise.race([once(sink.stream, 'drain'), once(sink.stream, 'error')]);
        sink.blocked = false;
        if (sink.error) throw this.failure(sink);
      }
    }
  }

  async close(s: TableSink): Promise<TableStats> {
    const sink = s as PgSink;
    sink.flush();
    sink.stream.end();
    try {
      if (!sink.stream.writableFinished && !sink.error) await once(sink.stream, 'finish');
    } catch {
      // the error is kept on the sink
    }
    this.open_.delete(sink);
    if (sink.error) {
      const failure = this.failure(sink);
      sink.client.release(sink.error);
      throw failure;
    }
    sink.client.release();
    const stats = { table: sink.table, rows: sink.rows, bytes: sink.bytes, ms: Date.now() - sink.started };
    this.stats.push(stats);
    return stats;
  }

  /** Ends every still-open COPY after a failure, so the pool can be closed. */
  async abort(): Promise<void> {
    for (const sink of this.open_) {
      sink.stream.destroy(new Error('aborted'));
      sink.client.release(true);
    }
    this.open_.clear();
  }

  private failure(sink: PgSink): Error {
    const err = new Error(`COPY into ${sink.table} failed: ${sink.error?.message}`);
    (err as Error & { cause?: unknown }).cause = sink.error;
    return err;
  }
}

class BlobSink implements TableSink {
  rows = 0;
  bytes = 0;
  parts: string[] = [];
  size = 0;
  readonly started = Date.now();
  constructor(readonly table: string, readonly columns: readonly string[]) {}

  row(values: readonly Value[]): void {
    if (values.length !== this.columns.length) throw columnMismatch(this.table, this.columns, values);
    const line = copyLine(values);
    this.parts.push(line);
    this.size += line.length;
    this.rows++;
  }
}

/** PGlite (single connection): COPY from an in-memory blob, 8 MB at a time. */
export class PgliteCopyTarget extends BaseTarget {
  private readonly open_ = new Set<BlobSink>();
  constructor(private readonly pglite: PGlite) {
    super();
  }

  async open(table: string, columns: readonly string[]): Promise<TableSink> {
    const sink = new BlobSink(table, columns);
    this.open_.add(sink);
    return sink;
  }

  async drain(): Promise<void> {
    for (const sink of this.open_) if (sink.size >= 8 * 1024 * 1024) await this.flush(sink);
  }

  async close(s: TableSink): Promise<TableStats> {
    const sink = s as BlobSink;
    await this.flush(sink);
    this.open_.delete(sink);
    const stats = { table: sink.table, rows: sink.rows, bytes: sink.bytes, ms: Date.now() - sink.started };
    this.stats.push(stats);
    return stats;
  }

  private async flush(sink: BlobSink): Promise<void> {
    if (!sink.parts.length) return;
    const blob = new Blob([sink.parts.join('')]);
    sink.bytes += sink.size;
    sink.parts = [];
    sink.size = 0;
    await this.pglite.query(copyStatement(sink.table, sink.columns, "'/dev/blob'"), [], { blob });
  }
}
