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
 *
 * Then, in this file: checkStatement() (parses as T-SQL with node-sql-parser's `transactsql`
 * grammar, with a documented allow-list PARSER_GAPS for valid T-SQL the grammar lacks; no
 * PostgreSQL-only syntax; values bound next to bit / uniqueidentifier / datetime columns that SQL
 * Server accepts; parameter and row limits) and checkCapturedForMssql(), the assertions over a whole
 * capture that any HTTP test can opt into (see the end of the file).
 */
import knexFactory, { type Knex } from 'knex';
import type { Test } from 'tap';
import { postgres } from '../../src/db/dialect/postgres.js';
import { mssql } from '../../src/db/dialect/mssql.js';
import { dialectFor, type Dialect } from '../../src/db/dialect/index.js';
import { knexConfig } from '../../src/db/connect.js';
import { loadConfig } from '../../src/config.js';
import pkg from 'node-sql-parser';
import { LEGACY_TABLES } from '../../src/db/legacy-schema/index.js';
import { compiledFrom } from '../../src/fhir/statements.js';

/** One compiled SQL Server statement. */
export interface MssqlStatement {
  /** With `?` placeholders, as Knex compiles it. */
  sql: string;
  bindings: unknown[];
  /** As tedious receives it: `@p0`, `@p1` … and the bindings after prepBindings. */
  native: { sql: string; bindings: unknown[] };
  /** The tedious type each native binding is sent as (Knex's _typeForBinding): Bit, NVarChar … */
  types: string[];
  /** What the test was doing when the query started (captured statements only). */
  label?: string;
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
  /** The running client's compile threw too (so nothing ran; the server answered the error). */
  pgError?: Error;
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
export type Compiled = { sql: string; bindings?: readonly unknown[]; method?: string; toNative?: () => { sql: string; bindings: readonly unknown[] } };

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
/** Statements of the PostgreSQL Dialect whose SQL Server twin is nothing (see installDialectTwins). */
const notOnMssql = new WeakSet<object>();

export class MssqlCapture {
  readonly mssqlKnex: Knex;
  readonly captured: CapturedQuery[] = [];
  readonly executed: ExecutedQuery[] = [];
  /** Native SQL of the PostgreSQL-only statements (see notOnMssql). */
  private readonly postgresOnly = new Set<string>();
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
        // The twin may be a Raw or a whole statement (a QueryBuilder): both compile with toSQL().
        const msRaw = (twin[name] as (...a: unknown[]) => unknown).call(mssql, this.mssqlKnex, ...args);
        // Nothing at all: a PostgreSQL-only statement (a session setting) SQL Server never receives.
        if (msRaw === undefined) {
          notOnMssql.add(result);
          this.postgresOnly.add((result as Knex.Raw).toSQL().toNative().sql);
          return result;
        }
        if (!msRaw || typeof (msRaw as { toSQL?: unknown }).toSQL !== 'function') {
          throw new Error(`mssql.${name} returned no Raw or query where postgres.${name} returned a Raw`);
        }
        this.tie(result, msRaw as RawWithInternals, name);
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
    if (!this.active || notOnMssql.has(builder)) return;
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
      const own = (builder as unknown as { client?: { positionBindings?(sql: string): string } }).client;
      entry.pg = (Array.isArray(pg) ? pg : [pg]).map((c) => (c.toNative ? c.toNative().sql : (own?.positionBindings?.(c.sql) ?? c.sql)));
    } catch (error) {
      // The runner's own compile throws the same error to the server (a 400 for a bad search
      // value, say); nothing ran.
      entry.pgError = error as Error;
    }
    this.compiling = entry;
    try {
      // A lookup run from SQL compiled once (src/fhir/statements.ts) is compiled again from its query.
      const source = isRaw(builder) ? compiledFrom.get(builder)?.() : undefined;
      entry.mssql = this.compileForMssql(source ?? builder).map((compiled) => ({ ...this.describe(compiled), label: entry.label }));
    } catch (error) {
      entry.error = error as Error;
    } finally {
      this.compiling = undefined;
    }
  }

  private describe(compiled: Compiled): MssqlStatement {
    return toMssqlStatement(this.mssqlKnex, compiled);
  }

  /** Queries that ran on the real database without a captured compile (other than transaction control). */
  uncaptured(): ExecutedQuery[] {
    const compiled = new Set(this.captured.flatMap((c) => c.pg));
    return this.executed.filter((q) => !compiled.has(q.sql) && !this.postgresOnly.has(q.sql) && !TRANSACTION_CONTROL.test(q.sql));
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

/** A statement compiled by the mssql client (`toSQL()` of a builder or Raw) with its native form. */
export function toMssqlStatement(mssqlKnex: Knex, compiled: Compiled): MssqlStatement {
  const client = mssqlKnex.client as Knex.Client & {
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

function isRaw(value: unknown): value is RawWithInternals {
  return Boolean(value && typeof value === 'object' && (value as { isRawInstance?: boolean }).isRawInstance);
}

function isSchemaBuilder(value: unknown): value is Knex.SchemaBuilder {
  return Boolean(value && typeof value === 'object' && Array.isArray((value as { _sequence?: unknown })._sequence));
}

// =================================================================================================
// SQL-level checks of one compiled SQL Server statement: it parses as T-SQL, no PostgreSQL-only
// syntax is left, and the values bound next to legacy columns suit their SQL Server types (bit,
// uniqueidentifier, datetime). The SQL Server types come from the legacy schema as data
// (src/db/legacy-schema) with the mapping of the research notes (legacy-database.md §4.2).
// =================================================================================================

const { Parser } = pkg as unknown as { Parser: new () => { astify(sql: string, opt: { database: string }): unknown } };
const parser = new Parser();

export interface Issue {
  code: string;
  message: string;
  /** The column involved, as table.column (SQL Server type checks). */
  column?: string;
  /** The label of the compile the issue was found in (bound values differ between compiles). */
  label?: string;
}

export interface Report {
  /** Text given to the parser, after the allow-listed rewrites. */
  parsedText: string;
  parsed: boolean;
  /** Allow-list entries (PARSER_GAPS ids) the statement needed. */
  gaps: string[];
  issues: Issue[];
}

/**
 * Constructs that are valid T-SQL (and that Knex's mssql client emits) but that node-sql-parser's
 * `transactsql` grammar (5.x) rejects. Each is rewritten to an equivalent the grammar accepts before
 * parsing, only where it matches exactly this form; anything else must parse as it is.
 */
export const PARSER_GAPS: { id: string; reason: string }[] = [
  {
    id: 'top-parameter',
    reason: 'T-SQL takes TOP (expression) and Knex binds the row count (`top (@p0)`); the grammar takes only a number there',
  },
  {
    id: 'offset-fetch-parameters',
    reason: 'T-SQL takes expressions in OFFSET … ROWS FETCH NEXT … ROWS ONLY and Knex binds them; the grammar takes only numbers',
  },
  {
    id: 'output-inserted',
    reason: "INSERT … OUTPUT inserted.[col] VALUES … is SQL Server's RETURNING (what Knex emits for .returning()); the grammar has no OUTPUT clause",
  },
  {
    id: 'like-escape',
    reason: "LIKE … ESCAPE '\\' is T-SQL (and SQL-92); the grammar has no ESCAPE clause",
  },
  {
    id: 'procedure-status',
    reason: "EXEC @status = procedure … takes a procedure's return status, and IF @status < 0 THROW … reports a refusal (the dialect's exclusiveLock); the grammar has neither",
  },
];

/** PostgreSQL-only syntax, looked for outside string literals. */
const PG_ONLY: [string, RegExp][] = [
  ['ilike', /\bilike\b/i],
  [':: cast', /::/],
  ['returning', /\breturning\b/i],
  ['limit', /\blimit\b/i],
  ['offset without ROWS', /\boffset\b(?!\s+(?:@p\d+|\d+)\s+rows\b)/i],
  ['double-quoted identifier', /"/],
  ['nulls first/last', /\bnulls\s+(?:first|last)\b/i],
  ['for update/share', /\bfor\s+(?:no\s+key\s+)?(?:update|share|key\s+share)\b/i],
  ['boolean literal (T-SQL has none)', /\b(?:true|false)\b/i],
  ['|| concatenation', /\|\|/],
  ['$n placeholder', /\$\d+/],
  ['distinct on', /\bdistinct\s+on\b/i],
  ['is [not] distinct from (SQL Server 2022+ only)', /\bis\s+(?:not\s+)?distinct\s+from\b/i],
  ['similar to / regex match', /\bsimilar\s+to\b|\s!?~\*?\s/i],
  [
    'PostgreSQL function',
    /\b(?:now|current_schema|gen_random_uuid|date_trunc|to_char|to_date|string_to_array|array_agg|generate_series|greatest|least|age|extract)\s*\(/i,
  ],
  ['interval literal', /\binterval\s+'/i],
  ['array / any()', /\b(?:array\s*\[|any\s*\()/i],
  // On SQL Server the collation already ignores case; lower()/upper() on a column is what the
  // PostgreSQL Dialect writes, and on SQL Server it only defeats the index (and on a
  // uniqueidentifier forces a conversion).
  ['lower()/upper() on a column', /\b(?:lower|upper)\s*\(\s*\[/i],
];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

type SqlServerType = 'bit' | 'uniqueidentifier' | 'datetime' | 'smalldatetime' | 'date' | 'other';

/** PG date columns that are not `date` on SQL Server (§4.2 of the research notes). */
const MS_DATE_EXCEPTIONS: Record<string, SqlServerType> = {
  'tblclaim.datefrom': 'smalldatetime',
  'tblclaim.dateto': 'smalldatetime',
  'tblpremium.createddate': 'datetime',
  'tblproduct.datefrom': 'smalldatetime',
  'tblproduct.dateto': 'smalldatetime',
  'tblofficer.worksto': 'smalldatetime',
};

function sqlServerType(table: string, column: string, pgType: string): SqlServerType {
  const key = `${table}.${column}`.toLowerCase();
  if (MS_DATE_EXCEPTIONS[key]) return MS_DATE_EXCEPTIONS[key];
  if (/^rowid$/i.test(column)) return 'other'; // rowversion on SQL Server
  if (pgType === 'boolean' || /^bit\b/.test(pgType)) return 'bit';
  if (/uuid$/i.test(column) && (pgType === 'uuid' || pgType === 'varchar(36)')) return 'uniqueidentifier';
  if (/^timestamp/.test(pgType)) return 'datetime';
  if (pgType === 'date') return 'date';
  return 'other';
}

/** table (lower case) → column (lower case) → [spelling, SQL Server type] */
const SCHEMA = new Map<string, Map<string, [string, SqlServerType]>>(
  LEGACY_TABLES.map((t) => [
    t.name.toLowerCase(),
    new Map(t.columns.map((c) => [c.name.toLowerCase(), [`${t.name}.${c.name}`, sqlServerType(t.name, c.name, c.type)] as [string, SqlServerType]])),
  ]),
);

/** Blanks string literals ('…', with '' escapes) so that syntax checks look at SQL only. */
export function withoutLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''");
}

/**
 * Checks a statement; `others` are further compiles of the same SQL text with other bound values,
 * whose values are checked against the same parse (an issue is reported once per code and column).
 */
export function checkStatement(statement: MssqlStatement, others: MssqlStatement[] = []): Report {
  const issues: Issue[] = [];
  const { sql, bindings } = statement.native;
  const bare = withoutLiterals(sql);
  const label = statement.label;

  for (const [name, pattern] of PG_ONLY) {
    const match = pattern.exec(bare);
    if (match) issues.push({ code: 'pg-syntax', message: `${name}: "${bare.slice(Math.max(0, match.index - 30), match.index + 40)}"` });
  }
  if (/\?/.test(bare)) issues.push({ code: 'placeholder', message: 'a ? placeholder is left in the native SQL' });
  // SQL Server refuses a request with more than 2100 parameters, and a VALUES list of more than 1000 rows.
  if (bindings.length > 2100) issues.push({ code: 'too-many-parameters', message: `${bindings.length} parameters (SQL Server takes at most 2100)` });
  const rows = /^insert into .*? values (\(.*\))$/.exec(bare)?.[1].split('), (').length ?? 0;
  if (rows > 1000) issues.push({ code: 'too-many-rows', message: `${rows} rows in one VALUES list (SQL Server takes at most 1000)` });
  const used = [...bare.matchAll(/@p(\d+)\b/g)].map((m) => Number(m[1]));
  const expected = new Set(bindings.map((_, i) => i));
  if (used.some((i) => !expected.has(i)) || [...expected].some((i) => !used.includes(i))) {
    issues.push({ code: 'placeholder', message: `parameters used ${[...new Set(used)].join(',')} but ${bindings.length} bound` });
  }

  const gaps: string[] = [];
  let text = sql;
  const literal = (name: string) => {
    const value = bindings[Number(name.slice(2))];
    if (!Number.isInteger(value) || (value as number) < 0) {
      issues.push({ code: 'row-count', message: `${name} in TOP/OFFSET/FETCH is bound to ${JSON.stringify(value)}, not a row count` });
      return '0';
    }
    return String(value);
  };
  text = text.replace(/\btop \((@p\d+)\)/g, (_m, p: string) => (gaps.push('top-parameter'), `top (${literal(p)})`));
  text = text.replace(/\boffset (@p\d+) rows fetch next (@p\d+) rows only\b/g, (_m, o: string, f: string) => {
    gaps.push('offset-fetch-parameters');
    return `offset ${literal(o)} rows fetch next ${literal(f)} rows only`;
  });
  text = text.replace(/ output inserted\.\[[^\]]+\](?:, inserted\.\[[^\]]+\])*(?= values | select | default values)/g, () => {
    gaps.push('output-inserted');
    return '';
  });
  text = text.replace(/ escape '\\'/g, () => (gaps.push('like-escape'), ''));
  text = text.replace(/\bexec @\w+ = /g, () => (gaps.push('procedure-status'), 'exec '));
  text = text.replace(/ if @\w+ < 0 throw \d+, '[^']*', \d+;/g, () => (gaps.push('procedure-status'), ''));

  let ast: unknown;
  try {
    ast = parser.astify(text, { database: 'transactsql' });
  } catch (error) {
    issues.push({ code: 'parse', message: (error as Error).message.slice(0, 300) });
  }
  if (ast) {
    const seen = new Set<string>();
    const seenValues = new Set<string>();
    for (const compiled of [statement, ...others]) {
      const values = JSON.stringify(compiled.native.bindings);
      if (seenValues.has(values)) continue;
      seenValues.add(values);
      for (const issue of typeChecks(ast, compiled)) {
        const key = `${issue.code}|${issue.column}|${compiled.label}`;
        if (!seen.has(key)) issues.push({ ...issue, label: compiled.label });
        seen.add(key);
      }
    }
  }
  return { parsedText: text, parsed: ast !== undefined, gaps: [...new Set(gaps)], issues: issues.map((i) => ({ label, ...i })) };
}

// ---------------------------------------------------------------------------------------------
// Bound values next to typed columns, from the AST. A scope maps the aliases of each statement
// (and subquery) to legacy tables.

type Node = Record<string, unknown>;
type Scope = { aliases: Map<string, string>; tables: string[] };

const STATEMENTS = new Set(['select', 'update', 'insert', 'replace', 'delete']);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=', 'LIKE', 'NOT LIKE']);

function name(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const expr = (value as Node).expr as Node | undefined;
    if (expr && typeof expr.value === 'string') return expr.value;
  }
  return undefined;
}

function scopeOf(node: Node, outer: Scope): Scope {
  const aliases = new Map(outer.aliases);
  const tables = [...outer.tables];
  const sources = [node.from, node.table].flatMap((s) => (Array.isArray(s) ? s : []));
  for (const source of sources as Node[]) {
    const table = name(source?.table);
    if (!table) continue;
    tables.unshift(table.toLowerCase());
    aliases.set(String(source.as ?? table).toLowerCase(), table.toLowerCase());
    aliases.set(table.toLowerCase(), table.toLowerCase());
  }
  return { aliases, tables };
}

function columnType(scope: Scope, tableRef: unknown, column: string): [string, SqlServerType] | undefined {
  const table = name(tableRef);
  const candidates = table ? [scope.aliases.get(table.toLowerCase()) ?? table.toLowerCase()] : scope.tables;
  for (const t of candidates) {
    const found = SCHEMA.get(t)?.get(column.toLowerCase());
    if (found) return found;
  }
  return undefined;
}

function parameterIndex(node: unknown): number | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Node;
  const column = name(n.column);
  if (n.type === 'column_ref' && column && /^@p\d+$/.test(column)) return Number(column.slice(2));
  if (n.type === 'var' && typeof n.name === 'string' && /^p\d+$/.test(n.name)) return Number(n.name.slice(1));
  return undefined;
}

function typeChecks(ast: unknown, statement: MssqlStatement): Issue[] {
  const issues: Issue[] = [];
  const { bindings } = statement.native;

  const check = (typed: [string, SqlServerType] | undefined, index: number | undefined, how: string) => {
    if (!typed || index === undefined) return;
    const [column, type] = typed;
    const value = bindings[index];
    const tedious = statement.types[index];
    if (value === null || value === undefined) return;
    switch (type) {
      case 'bit':
        if (tedious !== 'Bit') {
          issues.push({ code: 'bit-binding', column, message: `${column} (bit) ${how} @p${index} sent as ${tedious} (${JSON.stringify(value)}), not as a boolean` });
        }
        return;
      case 'uniqueidentifier':
        if (typeof value !== 'string' || !UUID_RE.test(value)) {
          issues.push({
            code: 'uuid-conversion',
            column,
            message: `${column} (uniqueidentifier) ${how} @p${index} = ${JSON.stringify(value)}: SQL Server converts the ${tedious} to uniqueidentifier and fails ("Conversion failed when converting from a character string to uniqueidentifier")`,
          });
        }
        return;
      case 'datetime':
      case 'smalldatetime':
        if (typeof value === 'string' && DAY_RE.test(value)) {
          issues.push({
            code: 'dateformat',
            column,
            message: `${column} (${type}) ${how} '${value}': a yyyy-mm-dd string converts to ${type} by the session's DATEFORMAT (ydm under SET LANGUAGE british, french …)`,
          });
        }
        return;
      default:
        return;
    }
  };

  const visit = (value: unknown, scope: Scope): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, scope);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (node.ast && typeof node.ast === 'object') {
      visit(node.ast, scope);
      return;
    }
    if (typeof node.type === 'string' && STATEMENTS.has(node.type)) {
      scope = scopeOf(node, scope);
      if (node.type === 'update' && Array.isArray(node.set)) {
        for (const set of node.set as Node[]) {
          const column = name(set.column);
          if (column) check(columnType(scope, set.table, column), parameterIndex(set.value), 'set to');
        }
      }
      if (node.type === 'insert' && Array.isArray(node.columns)) {
        const columns = (node.columns as unknown[]).map(name);
        const values = node.values as Node | undefined;
        const rows: unknown[][] =
          values?.type === 'values'
            ? ((values.values as Node[]) ?? []).map((row) => (row.value as unknown[]) ?? [])
            : values?.type === 'select'
              ? [((values.columns as Node[]) ?? []).map((c) => c.expr)]
              : [];
        for (const row of rows) {
          columns.forEach((column, i) => column && check(columnType(scope, undefined, column), parameterIndex(row[i]), 'inserted as'));
        }
      }
    }
    if (node.type === 'binary_expr') {
      const operator = String(node.operator).toUpperCase();
      const left = node.left as Node;
      const right = node.right as Node;
      const typedOf = (n: Node) => (n?.type === 'column_ref' && parameterIndex(n) === undefined ? columnType(scope, n.table, name(n.column) ?? '') : undefined);
      if (COMPARISONS.has(operator)) {
        check(typedOf(left), parameterIndex(right), `compared (${operator}) with`);
        check(typedOf(right), parameterIndex(left), `compared (${operator}) with`);
      } else if ((operator === 'IN' || operator === 'NOT IN') && right?.type === 'expr_list' && Array.isArray(right.value)) {
        for (const item of right.value as unknown[]) check(typedOf(left), parameterIndex(item), `compared (${operator}) with`);
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'tableList' || key === 'columnList') continue;
      if (child && typeof child === 'object') visit(child, scope);
    }
  };
  visit(ast, { aliases: new Map(), tables: [] });
  return issues;
}

// =================================================================================================
// The assertions a test makes over a whole capture. Any HTTP test can opt in:
//   const capture = new MssqlCapture().installDialectTwins();   // before startServer
//   const server = await startServer(t); capture.attach(server.db.knex); capture.start();
//   ... drive the server ...
//   t.test('SQL Server', async (t) => { capture.stop(); checkCapturedForMssql(t, capture); });
// =================================================================================================

export interface KnownIssue {
  id: string;
  /** The change that removes it (outside src/db/dialect, or the issue would simply be fixed). */
  fix: string;
  matches(issue: Issue, statement: MssqlStatement, captures: CapturedQuery[]): boolean;
}

/**
 * Findings whose fix lies outside src/db/dialect: reported as tap todo with the fix, once per
 * finding with the number of statements. Each matches narrowly, so that a new occurrence of the
 * same kind elsewhere still fails.
 */
export const KNOWN_MSSQL_ISSUES: KnownIssue[] = [];

/** What only the capture knows: what the caller asked for (RETURNING, a :exact search). */
function callerChecks(statement: MssqlStatement, captures: CapturedQuery[]): Issue[] {
  const issues: Issue[] = [];
  const sql = statement.native.sql;
  if (captures.some((c) => c.returning) && /^insert\b/i.test(sql) && !/\boutput inserted\./i.test(sql)) {
    issues.push({ code: 'output-inserted', message: 'an insert that returns ids has no OUTPUT inserted' });
  }
  // FHIR :exact is case-sensitive; on a case-insensitive collation that takes a _CS_ collation.
  // (Only the search's own selects: the audit trail may flush while a :exact search is captured.)
  if (/^\s*select\b/i.test(sql) && captures.every((c) => /:exact=/.test(c.label)) && !/collate \w+_CS_/i.test(sql)) {
    issues.push({ code: 'exact-ignores-case', message: ':exact compares with the database collation, which ignores case on SQL Server' });
  }
  return issues;
}

/**
 * Asserts over a stopped capture: every query that ran was captured and compiles for mssql; each
 * distinct statement parses as T-SQL and has no issue (known ones are todo); at least
 * `minDistinct` distinct statements. Lists the statements in t.comment. Returns the shapes.
 */
export function checkCapturedForMssql(
  t: Test,
  capture: MssqlCapture,
  options: { minDistinct?: number; known?: KnownIssue[] } = {},
): ReturnType<MssqlCapture['shapes']> {
  const { minDistinct = 1, known = KNOWN_MSSQL_ISSUES } = options;
  t.ok(capture.executed.length > 0, `${capture.executed.length} queries ran on the test database`);
  t.same(capture.uncaptured(), [], 'every query that ran was captured (transaction control aside)');
  // Where the running client's compile threw as well (a bad search value found while building the
  // WHERE clause), nothing ran and the server answered 400: not an SQL Server matter.
  const failed = capture.captured.filter((c) => !c.mssql && !c.pgError);
  t.same(failed.map((c) => `${c.label}: ${c.error?.message}`), [], 'every captured query compiles for mssql');

  const shapes = capture.shapes();
  t.ok(shapes.size >= minDistinct, `${shapes.size} distinct SQL Server statements (at least ${minDistinct})`);

  const gapUse = new Map<string, number>();
  const knownFound = new Map<KnownIssue, string[]>();
  for (const { statement, statements, captures } of shapes.values()) {
    const report = checkStatement(statement, statements.slice(1));
    for (const gap of report.gaps) gapUse.set(gap, (gapUse.get(gap) ?? 0) + 1);
    const sql = statement.native.sql;
    t.ok(report.parsed, `parses as T-SQL: ${captures[0].label}: ${sql.slice(0, 160)}`, report.parsed ? {} : { parsedText: report.parsedText, issues: report.issues });
    for (const issue of [...report.issues.filter((i) => i.code !== 'parse'), ...callerChecks(statement, captures)]) {
      const message = `${issue.code}: ${issue.message} [${issue.label ?? captures[0].label}: ${sql.slice(0, 200)}]`;
      const match = known.find((k) => k.matches(issue, statement, captures));
      if (match) knownFound.set(match, [...(knownFound.get(match) ?? []), message]);
      else t.fail(message);
    }
  }
  for (const [issue, messages] of knownFound) {
    t.fail(`${issue.id}: ${messages.length} statements, e.g. ${messages[0]}`, { todo: issue.fix, examples: messages.slice(0, 5) });
  }
  for (const gap of PARSER_GAPS) t.comment(`parser allow-list ${gap.id}: used by ${gapUse.get(gap.id) ?? 0} statements (${gap.reason})`);

  t.comment(`${shapes.size} distinct SQL Server statements from ${capture.captured.length} captured queries:`);
  for (const { statement, captures } of shapes.values()) {
    const labels = [...new Set(captures.map((c) => c.label))];
    const dialect = [...new Set(captures.flatMap((c) => c.dialectMethods))];
    t.comment(
      `[${captures.length}× ${labels.slice(0, 2).join('; ')}${labels.length > 2 ? ` +${labels.length - 2}` : ''}]` +
        `${dialect.length ? ` {mssql Dialect: ${dialect.join(', ')}}` : ''} (${statement.types.join(', ')})\n  ${statement.native.sql}`,
    );
  }
  return shapes;
}
