/**
 * Captures every query the server issues while it runs on the real test database (PGlite or
 * PostgreSQL) and compiles each one again for SQL Server, so that tests can check the T-SQL the
 * server would send through tedious, which cannot run on our machines.
 *
 * How it works
 * - Knex emits `start` with the QueryBuilder, Raw or SchemaBuilder just before it compiles and runs
 *   it; statements run inside a transaction are forwarded to the root instance too. For each one we
 *   compile the same builder with a second Knex instance of client `mssql` that never connects
 *   (`mssqlClient.queryCompiler(builder).toSQL()`, `schemaCompiler(...)`, and for a Raw its own
 *   toSQL() with its client swapped for the compile). The compile-only instance is built from the
 *   server's own `knexConfig()` for DB_ENGINE=mssql, so binding types (tedious `mapBinding`) and the
 *   database name (`columnInfo()`) are the production ones.
 * - The `query` event tells what really ran. Every query that ran must be one we compiled, or the
 *   capture has silently broken; only transaction control (BEGIN/COMMIT/ROLLBACK) is exempt: on SQL
 *   Server Knex opens and closes transactions through tedious' beginTransaction / commitTransaction
 *   / rollbackTransaction calls, not through SQL.
 *
 * Dialect fragments, honestly. A raw written by the PostgreSQL Dialect (`lower(??) like lower(?)`) is
 * PostgreSQL-only by design: on SQL Server the server would have asked the mssql Dialect instead.
 * Compiling the PG fragment for mssql would check SQL that SQL Server never receives, and running
 * the server with the mssql Dialect on PostgreSQL would change what the searches match (and break on
 * T-SQL-only syntax such as COLLATE). So, while a capture is installed, each Raw-returning method of
 * the PostgreSQL Dialect object also asks the mssql Dialect object for the same fragment (same
 * arguments, the compile-only mssql Knex) and ties the two together: the fragment compiles as the
 * PostgreSQL Dialect wrote it for the real database, and as the mssql Dialect wrote it when the
 * mssql compiler asks (Knex hands a Raw the compiling client before calling its toSQL). Fragments
 * built inside where-callbacks are rebuilt during the mssql compile and so get their twin too. The
 * capture records, for each statement, which Dialect methods went into its mssql text. What this
 * cannot see: code that branches on `dialect.name` itself (callers must not; see dialect/index.ts).
 */
import knexFactory, { type Knex } from 'knex';
import { postgres } from '../../src/db/dialect/postgres.js';
import { mssql } from '../../src/db/dialect/mssql.js';
import { dialectFor, type Dialect } from '../../src/db/dialect/index.js';
import { knexConfig } from '../../src/db/connect.js';
import { loadConfig } from '../../src/config.js';

/** One compiled SQL Server statement. */
export interface MssqlStatement {
  /** With `?` placeholders, as Knex compiles it. */
  sql: string;
  bindings: unknown[];
  /** As tedious receives it: `@p0`, `@p1` … and the bindings after prepBindings. */
  native: { sql: string; bindings: unknown[] };
  /** The tedious type each native binding is sent as (Knex's _typeForBinding): Bit, NVarChar … */
  types: string[];
}

export interface CapturedQuery {
  /** What the test was doing when the query started (see MssqlCapture.during). */
  label: string;
  kind: 'query' | 'raw' | 'schema';
  /** Knex method: select, first, insert, update, del, columnInfo, raw … */
  method: string;
  /** The SQL the real database received (the running client's compile, in the driver's placeholders). */
  pg: string[];
  /** The same builder compiled for SQL Server; undefined when the compile threw (see error). */
  mssql?: MssqlStatement[];
  error?: Error;
  /** Dialect methods whose mssql twin went into the mssql text. */
  dialectMethods: string[];
  /** The builder asked for RETURNING (an insert/update whose ids the server reads back). */
  returning: boolean;
}

export interface ExecutedQuery {
  label: string;
  sql: string;
}

type AnyBuilder = Knex.QueryBuilder | Knex.Raw | Knex.SchemaBuilder;
type RawWithInternals = Knex.Raw & { client: unknown; isRawInstance?: boolean; sql: string; bindings: unknown };
type Compiled = { sql: string; bindings?: readonly unknown[]; method?: string; toNative?: () => { sql: string; bindings: readonly unknown[] } };

const TRANSACTION_CONTROL = /^\s*(begin|start transaction|commit|rollback|savepoint|release savepoint|rollback to savepoint)\b/i;

/** The compile-only SQL Server Knex, configured exactly as the server would be for DB_ENGINE=mssql. */
export function compileOnlyMssqlKnex(): Knex {
  const config = loadConfig({
    DB_ENGINE: 'mssql',
    DB_HOST: 'compile-only.invalid',
    DB_NAME: 'imis',
    SECRET_KEY: 'compile-only-secret-key-0123456789',
  });
  // Never connects: nothing is ever run on it, and the pool creates no connection before an acquire.
  return knexFactory({ ...knexConfig(config.db), pool: { min: 0, max: 1 } });
}

let installed: MssqlCapture | undefined;

export class MssqlCapture {
  readonly mssqlKnex: Knex;
  readonly captured: CapturedQuery[] = [];
  readonly executed: ExecutedQuery[] = [];
  private active = false;
  private label = '(unlabelled)';
  private compiling: CapturedQuery | undefined;
  private readonly originals = new Map<string, unknown>();
  private readonly onStart = (builder: AnyBuilder) => this.record(builder);
  private readonly onQuery = (query: { sql?: string }) => {
    if (this.active) this.executed.push({ label: this.label, sql: String(query.sql ?? '') });
  };
  private db: Knex | undefined;

  constructor() {
    this.mssqlKnex = compileOnlyMssqlKnex();
  }

  /**
   * Ties the PostgreSQL Dialect's fragments to their mssql twins (see the header). Call before the
   * server starts, so that no fragment is built without its twin.
   */
  installDialectTwins(): this {
    if (installed && installed !== this) throw new Error('another MssqlCapture is installed');
    installed = this;
    const target = postgres as unknown as Record<string, unknown>;
    const twin = mssql as unknown as Record<string, unknown>;
    for (const [name, method] of Object.entries(postgres)) {
      if (typeof method !== 'function' || typeof twin[name] !== 'function') continue;
      this.originals.set(name, method);
      target[name] = (db: Knex, ...args: unknown[]) => {
        const result = (method as (...a: unknown[]) => unknown).call(postgres, db, ...args);
        if (!isRaw(result)) return result;
        const msRaw = (twin[name] as (...a: unknown[]) => unknown).call(mssql, this.mssqlKnex, ...args);
        if (!isRaw(msRaw)) throw new Error(`mssql.${name} returned no Raw where postgres.${name} did`);
        this.tie(result, msRaw, name);
        return result;
      };
    }
    return this;
  }

  private tie(pgRaw: RawWithInternals, msRaw: RawWithInternals, name: string) {
    const pgToSQL = pgRaw.toSQL;
    const capture = this;
    Object.defineProperty(pgRaw, 'toSQL', {
      configurable: true,
      value(this: RawWithInternals, ...args: unknown[]) {
        if (this.client === capture.mssqlKnex.client) {
          capture.compiling?.dialectMethods.push(name);
          return (msRaw.toSQL as (...a: unknown[]) => unknown).apply(msRaw, args);
        }
        return (pgToSQL as (...a: unknown[]) => unknown).apply(this, args);
      },
    });
  }

  /** Starts listening on the server's Knex instance (the root one; transactions forward to it). */
  attach(db: Knex): this {
    const dialect: Dialect = dialectFor(db);
    if (dialect !== postgres) throw new Error(`the test database should use the PostgreSQL Dialect, got ${dialect.name}`);
    if (installed !== this) throw new Error('installDialectTwins() before attach()');
    this.db = db;
    db.on('start', this.onStart);
    db.on('query', this.onQuery);
    return this;
  }

  start(): void {
    this.active = true;
  }

  stop(): void {
    this.active = false;
  }

  /** Runs `work` with queries labelled `label` (the interaction being driven). */
  async during<T>(label: string, work: () => Promise<T>): Promise<T> {
    const previous = this.label;
    this.label = label;
    try {
      return await work();
    } finally {
      this.label = previous;
    }
  }

  /** Runs `work` without capturing (test set-up reading the database). */
  async paused<T>(work: () => Promise<T>): Promise<T> {
    const was = this.active;
    this.active = false;
    try {
      return await work();
    } finally {
      this.active = was;
    }
  }

  async close(): Promise<void> {
    this.active = false;
    if (this.db) {
      this.db.removeListener('start', this.onStart);
      this.db.removeListener('query', this.onQuery);
    }
    const target = postgres as unknown as Record<string, unknown>;
    for (const [name, method] of this.originals) target[name] = method;
    this.originals.clear();
    if (installed === this) installed = undefined;
    await this.mssqlKnex.destroy();
  }

  /** Compiles any builder for SQL Server (also usable directly by tests). */
  compileForMssql(builder: AnyBuilder): Compiled[] {
    const client = this.mssqlKnex.client as Knex.Client & {
      queryCompiler(b: unknown): { toSQL(method?: string): Compiled | Compiled[] };
      schemaCompiler(b: unknown): { toSQL(): Compiled | Compiled[] };
    };
    let out: Compiled | Compiled[];
    if (isRaw(builder)) {
      // A Raw compiles with its own client: lend it the mssql one for this synchronous compile.
      const raw = builder as RawWithInternals;
      const own = raw.client;
      raw.client = client;
      try {
        const compiled = raw.toSQL() as unknown as Compiled;
        // toNative() reads the Raw's client when called: take it now, while the client is lent.
        const native = compiled.toNative!();
        out = { ...compiled, toNative: () => native };
      } finally {
        raw.client = own;
      }
    } else if (isSchemaBuilder(builder)) {
      out = client.schemaCompiler(builder).toSQL();
    } else {
      out = client.queryCompiler(builder).toSQL((builder as unknown as { _method?: string })._method);
    }
    return Array.isArray(out) ? out : [out];
  }

  private record(builder: AnyBuilder) {
    if (!this.active) return;
    const internals = builder as unknown as { _method?: string; _single?: { returning?: unknown } };
    const entry: CapturedQuery = {
      label: this.label,
      kind: isRaw(builder) ? 'raw' : isSchemaBuilder(builder) ? 'schema' : 'query',
      method: isRaw(builder) ? 'raw' : String(internals._method ?? 'select'),
      pg: [],
      dialectMethods: [],
      returning: Boolean(internals._single?.returning),
    };
    this.captured.push(entry);
    try {
      const pg = (builder as unknown as { toSQL(): Compiled | Compiled[] }).toSQL();
      // As the driver receives it ($1 … for pg), which is what the `query` event reports.
      entry.pg = (Array.isArray(pg) ? pg : [pg]).map((c) => (c.toNative ? c.toNative().sql : c.sql));
    } catch {
      // The runner's own compile will throw the same error to the server; nothing ran.
    }
    this.compiling = entry;
    try {
      entry.mssql = this.compileForMssql(builder).map((compiled) => this.describe(compiled));
    } catch (error) {
      entry.error = error as Error;
    } finally {
      this.compiling = undefined;
    }
  }

  private describe(compiled: Compiled): MssqlStatement {
    const client = this.mssqlKnex.client as Knex.Client & {
      positionBindings(sql: string): string;
      prepBindings(b: readonly unknown[]): unknown[];
      _typeForBinding(b: unknown): [unknown, { name: string }];
    };
    const bindings = [...(compiled.bindings ?? [])];
    const native = compiled.toNative
      ? compiled.toNative()
      : { sql: client.positionBindings(compiled.sql), bindings: client.prepBindings(bindings) };
    const nativeBindings = [...native.bindings];
    return {
      sql: compiled.sql,
      bindings,
      native: { sql: native.sql, bindings: nativeBindings },
      types: nativeBindings.map((b) => (b === null || b === undefined ? 'Null' : client._typeForBinding(b)[1].name)),
    };
  }

  /** Queries that ran on the real database without a captured compile (other than transaction control). */
  uncaptured(): ExecutedQuery[] {
    const compiled = new Set(this.captured.flatMap((c) => c.pg));
    return this.executed.filter((q) => !compiled.has(q.sql) && !TRANSACTION_CONTROL.test(q.sql));
  }

  /** Distinct SQL Server statements (by native text): every compile of each, and the captures behind them. */
  shapes(): Map<string, { statement: MssqlStatement; statements: MssqlStatement[]; captures: CapturedQuery[] }> {
    const shapes = new Map<string, { statement: MssqlStatement; statements: MssqlStatement[]; captures: CapturedQuery[] }>();
    for (const capture of this.captured) {
      for (const statement of capture.mssql ?? []) {
        const shape = shapes.get(statement.native.sql);
        if (shape) {
          shape.statements.push(statement);
          if (!shape.captures.includes(capture)) shape.captures.push(capture);
        } else {
          shapes.set(statement.native.sql, { statement, statements: [statement], captures: [capture] });
        }
      }
    }
    return shapes;
  }
}

function isRaw(value: unknown): value is RawWithInternals {
  return Boolean(value && typeof value === 'object' && (value as { isRawInstance?: boolean }).isRawInstance);
}

function isSchemaBuilder(value: unknown): value is Knex.SchemaBuilder {
  return Boolean(value && typeof value === 'object' && Array.isArray((value as { _sequence?: unknown })._sequence));
}

