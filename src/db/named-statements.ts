/**
 * PostgreSQL plans each unnamed statement anew, and planning a resource's select with its joins costs
 * several times executing it. SELECTs therefore go as named statements (named by a hash of their
 * text), planned once per connection. Search shapes vary, so only the first MAX_NAMED distinct
 * statements get a name; the rest stay unnamed rather than fill the server's statement cache.
 *
 * Reads and search pages also skip knex's query runner (directSelect), on connections kept from one
 * SELECT to the next (kept-connections.ts), and the rows of a named statement are built from a
 * shape worked out once per statement (NamedSelect).
 */
import type { Knex } from 'knex';
import pg from 'pg';
// @ts-expect-error pg ships no types for its internal modules
import { prepareValue } from 'pg/lib/utils';
// @ts-expect-error knex ships no types for its dialect modules
import ClientPG from 'knex/lib/dialects/postgres/index.js';
import { createHash } from 'node:crypto';
import { KeptConnections, type Pool } from './kept-connections.js';

const MAX_NAMED = 2000;
/** SQL text → statement name, so that a statement seen before costs a lookup, not a hash. */
const named = new Map<string, string>();
function statementName(sql: string): string | undefined {
  let name = named.get(sql);
  if (!name && named.size < MAX_NAMED) {
    name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    named.set(sql, name);
  }
  return name;
}

/**
 * knex's PostgreSQL client, sending every SELECT it runs as a named statement. Outside a transaction
 * (whose failed statement aborts it) a statement whose result type changed is parsed again.
 */
export class NamedStatementsClient extends (ClientPG as { new (config: unknown): object }) {
  _query(connection: pg.Client & { __knexTxId?: string }, obj: { sql: string; options?: Record<string, unknown> }) {
    const run = () => (ClientPG.prototype as { _query(c: unknown, o: unknown): Promise<unknown> })._query.call(this, connection, obj);
    if (!/^\s*select/i.test(obj.sql) || obj.options?.name) return run();
    const name = statementName(obj.sql);
    if (!name) return run();
    obj.options = { ...obj.options, name };
    return connection.__knexTxId ? run() : reparsedIfStale(connection, name, run);
  }
}

/**
 * PostgreSQL refuses a prepared statement whose result type changed since it was parsed (a
 * migration altered a column of its table), on every connection that parsed it, until the
 * connection forgets it. So the statement is deallocated there, and run once more: parsed and
 * described anew.
 */
async function reparsedIfStale<T>(connection: pg.Client, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code !== '0A000' || message !== 'cached plan must not change result type') throw error;
    await connection.query(`deallocate "${name}"`);
    delete (connection as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements[name];
    rowShapes.delete(name);
    return run();
  }
}

type Row = Record<string, unknown>;
/** A knex client's pool, from which a connection is borrowed for what knex's query runner does not send. */
export interface PooledClient<Connection = pg.Client> {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<unknown>;
}
type DirectSelect = (sql: string, values: unknown[]) => Promise<Row[]>;

/**
 * Runs a SELECT already compiled to PostgreSQL's own SQL ($1, $2, ...) straight on a pooled pg
 * connection, as a named statement: knex's query runner (builder promise, events, query object,
 * response processing) costs about as much node CPU as the driver's own work on a short read.
 * Undefined where knex must run the query: other drivers, transactions (their connection is held by
 * knex), and a Knex instance whose queries someone observes (knex `query` / `start` listeners, as
 * the tests that inspect SQL attach), so that observers see every query.
 */
export function directSelect(db: Knex): DirectSelect | undefined {
  if (!(db.client instanceof NamedStatementsClient) || db.isTransaction) return undefined;
  if (db.listenerCount('query') > 0 || db.listenerCount('start') > 0) return undefined;
  let run = directRunners.get(db.client);
  if (!run) directRunners.set(db.client, (run = runnerOn(db.client as unknown as PooledClient & { pool?: Pool<pg.Client> })));
  return run;
}

/** One runner per knex client (pool), made once rather than on every query. */
const directRunners = new WeakMap<object, DirectSelect>();

function runnerOn(client: PooledClient & { pool?: Pool<pg.Client> }): DirectSelect {
  let kept: KeptConnections | undefined;
  return async (sql, values) => {
    // Kept per pool: knex makes a new one when a destroyed instance is initialised again.
    if (kept?.pool !== client.pool) kept = client.pool && new KeptConnections(client, client.pool);
    if (!kept) throw new Error('Unable to acquire a connection'); // destroyed, as knex says
    const connections = kept;
    const connection = await connections.take();
    try {
      const name = statementName(sql);
      if (!name) return (await connection.query({ text: sql, values })).rows;
      return await reparsedIfStale(connection, name, () => new Promise<Row[]>((resolve, reject) => connection.query(new NamedSelect(name, sql, values, resolve, reject))));
    } finally {
      connections.keep(connection);
    }
  };
}

/** The parts of pg's connection (protocol writer) a prepared query uses. */
interface PgConnection {
  bind(config: { statement: string; values: unknown[]; valueMapper: (value: unknown) => unknown }): void;
  execute(config: object): void;
  sync(): void;
}

interface Field {
  name: string;
  dataTypeID: number;
}

/** What pg works out anew from every RowDescription: the columns' names and value parsers. */
class RowShape {
  /** Builds a row from the text values of a DataRow. */
  readonly parse: (values: (string | null)[]) => Row;

  constructor(readonly fields: Field[]) {
    const names = fields.map((f) => f.name);
    const parsers = fields.map((f) => pg.types.getTypeParser(f.dataTypeID, 'text') as (value: string) => unknown);
    this.parse = rowBuilder(names, parsers);
  }

  matches(fields: Field[]): boolean {
    if (fields.length !== this.fields.length) return false;
    for (let i = 0; i < fields.length; i++) {
      if (fields[i].name !== this.fields[i].name || fields[i].dataTypeID !== this.fields[i].dataTypeID) return false;
    }
    return true;
  }
}

/** pg's parser for types it knows no parser for: String(value), and text values are strings already. */
const UNPARSED = pg.types.getTypeParser(0 as never, 'text');

/**
 * A function that builds a statement's row as one object literal of its columns. V8 keeps such an
 * object's properties fast, and all the rows of a statement share one hidden class. An object filled
 * column by column with computed keys turns into a dictionary past about twenty properties: a
 * Patient's 42 columns were each stored, then read by every mapper, by a hash lookup. Names are
 * written as JSON string literals, so no column name can be anything but a property name; a column
 * named `__proto__` is a computed key, which a literal defines as an own property, not the prototype.
 */
function rowBuilder(names: string[], parsers: ((value: string) => unknown)[]): (values: (string | null)[]) => Row {
  const columns = names.map((name, i) => {
    const key = name === '__proto__' ? '["__proto__"]' : JSON.stringify(name);
    return `${key}: ${parsers[i] === UNPARSED ? `v[${i}]` : `v[${i}] === null ? null : p[${i}](v[${i}])`}`;
  });
  return new Function('p', `return (v) => ({ ${columns.join(', ')} });`)(parsers) as (values: (string | null)[]) => Row;
}

const pgPrepare = (pg.Query.prototype as unknown as { prepare(this: pg.Query, connection: PgConnection): void }).prepare;

/** Shapes by statement name; bounded, since only MAX_NAMED statements have names. */
const rowShapes = new Map<string, RowShape>();

function shapeOf(name: string, fields: Field[]): RowShape {
  let shape = rowShapes.get(name);
  if (!shape?.matches(fields)) rowShapes.set(name, (shape = new RowShape(fields)));
  return shape;
}

/**
 * A named SELECT whose rows come from its statement's remembered shape. pg rebuilds a row template
 * and looks up a parser for every column of every result (about 9 µs for a Patient's 42 columns,
 * as much as the rest of reading the rows); the shape is checked against each RowDescription,
 * so a statement whose result changed gets a new one. Submitted through pg's own Query (parse,
 * bind, errors, the connection's protocol state); only the rows are built here. Values come in
 * text format: the query never asks for binary.
 */
class NamedSelect extends pg.Query {
  private shape?: RowShape;
  private readonly found: Row[] = [];
  // pg's own fields (untyped in @types/pg). Its flag for an error thrown while reading rows is
  // reported once the server is ready for the next query.
  declare name: string;
  declare values: unknown[];
  declare callback: (error?: Error) => void;
  declare _canceledDueToError: unknown;
  declare hasBeenParsed: (connection: PgConnection) => boolean;

  constructor(name: string, text: string, values: unknown[], resolve: (rows: Row[]) => void, reject: (error: Error) => void) {
    // Text only: pg copies a config object's every property descriptor on each query.
    super(text);
    this.name = name;
    this.values = values;
    this.callback = (error) => (error ? reject(error) : resolve(this.found));
  }

  /**
   * A statement this connection has parsed already, and whose shape is known, runs without asking
   * for its RowDescription again (no Describe: Bind, Execute, Sync), so pg does not decode a Patient's
   * 42 column descriptions on every read. The rows keep that shape: PostgreSQL refuses to run a
   * prepared statement whose result type has changed ("cached plan must not change result type"),
   * and the statement is then parsed and described anew (reparsedIfStale). Otherwise pg prepares
   * the query as usual.
   */
  prepare(connection: PgConnection) {
    const known = rowShapes.get(this.name);
    if (!known || !this.hasBeenParsed(connection)) return pgPrepare.call(this, connection);
    this.shape = known;
    try {
      connection.bind({ statement: this.name, values: this.values, valueMapper: prepareValue });
      connection.execute({});
    } catch (error) {
      // Nothing was sent for this query: the error is reported once the server answers the Sync.
      this._canceledDueToError = error;
    }
    connection.sync();
  }

  handleRowDescription(message: { fields: Field[] }) {
    this.shape = shapeOf(this.name, message.fields);
  }

  handleDataRow(message: { fields: (string | null)[] }) {
    if (this._canceledDueToError || !this.shape) return;
    try {
      this.found.push(this.shape.parse(message.fields));
    } catch (error) {
      this._canceledDueToError = error;
    }
  }
}
