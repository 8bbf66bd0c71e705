/**
 * WHERE conditions recorded instead of compiled. Compiling a search's conditions with knex (building
 * its statements, then walking them) cost a tenth of the server's CPU on a search by identifier,
 * though two searches that differ only in their values compile to the same SQL.
 *
 * So the conditions are first built on a recorder standing in for a knex query builder. It writes
 * down the calls and their columns, operators and raw SQL (the key), and sets the values aside (the
 * bindings). Searches with the same key share their SQL, compiled by knex the first time; the
 * recording is kept only when its values equal, in order, the bindings knex compiled from the same
 * conditions. Anything the recorder cannot stand for (a subquery, an object of columns, a method it
 * does not know) ends the recording, and the conditions are compiled by knex as before.
 */
import type { Knex } from 'knex';

export interface Recording {
  /** The calls, columns, operators and raw SQL: what decides the SQL, apart from the values. */
  key: string;
  /** The values, in the order knex binds them. */
  values: unknown[];
}

/**
 * What `build` does to a query builder, recorded; undefined if the recorder cannot stand for it.
 * Undefined too when `build` throws: the same conditions built on knex then throw what they throw.
 */
export function recordWhere(build: (qb: Knex.QueryBuilder) => void): Recording | undefined {
  const recorder = new WhereRecorder();
  try {
    build(recorder.builder);
  } catch {
    return undefined;
  }
  return recorder.failed ? undefined : { key: recorder.key, values: recorder.values };
}

/** The values knex compiled are the recorded ones, in the same order. */
export function sameValues(recorded: readonly unknown[], compiled: readonly unknown[]): boolean {
  if (recorded.length !== compiled.length) return false;
  for (let i = 0; i < recorded.length; i++) {
    const a = recorded[i];
    const b = compiled[i];
    if (a instanceof Date && b instanceof Date ? a.getTime() !== b.getTime() : !Object.is(a, b)) return false;
  }
  return true;
}

type Call = (recorder: WhereRecorder, args: unknown[]) => void;

/** where(fn) | where(raw) | where(column, value) | where(column, operator, value) */
const condition: Call = (r, args) => {
  const [first, ...rest] = args;
  if (typeof first === 'function' && rest.length === 0) return r.group(first as (qb: Knex.QueryBuilder) => void);
  if (rest.length === 0) return r.raw(first);
  if (rest.length > 2) return r.fail();
  r.column(first);
  if (rest.length === 2) r.word(rest[0]);
  r.value(rest[rest.length - 1]);
};
const nullCheck: Call = (r, [column]) => r.column(column);
const inList: Call = (r, [column, list]) => {
  r.column(column);
  if (!Array.isArray(list)) return r.fail();
  r.word(String(list.length));
  for (const item of list) r.value(item);
};
const rawSql: Call = (r, [sql, bindings]) => r.rawOf(sql, bindings);

const CALLS: Record<string, Call> = {
  where: condition,
  andWhere: condition,
  orWhere: condition,
  whereNot: condition,
  andWhereNot: condition,
  orWhereNot: condition,
  whereNull: nullCheck,
  orWhereNull: nullCheck,
  whereNotNull: nullCheck,
  orWhereNotNull: nullCheck,
  whereIn: inList,
  orWhereIn: inList,
  whereNotIn: inList,
  orWhereNotIn: inList,
  whereRaw: rawSql,
  orWhereRaw: rawSql,
};

const isPlainValue = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof Date;
/** knex's placeholders: `??` an identifier, `?` a value, `\?` a literal question mark. */
const PLACEHOLDER = /\\?\?\??/g;

class WhereRecorder {
  key = '';
  values: unknown[] = [];
  failed = false;

  readonly builder: Knex.QueryBuilder = new Proxy({} as Knex.QueryBuilder, {
    get: (_target, name) => {
      const call = typeof name === 'string' && Object.hasOwn(CALLS, name) ? CALLS[name] : undefined;
      return (...args: unknown[]) => {
        if (!call) this.fail();
        else if (!this.failed) {
          // A separator no column, operator or SQL of ours holds; values never enter the key.
          this.key += `\u0001${name as string}(${args.length}`;
          call(this, args);
          this.key += ')';
        }
        return this.builder;
      };
    },
  });

  fail() {
    this.failed = true;
  }

  group(build: (qb: Knex.QueryBuilder) => void) {
    this.key += '{';
    build.call(this.builder, this.builder);
    this.key += '}';
  }

  /** A column: a name, or raw SQL. */
  column(column: unknown) {
    if (typeof column === 'string') this.word(column);
    else this.raw(column);
  }

  word(word: unknown) {
    if (typeof word !== 'string') return this.fail();
    this.key += `\u0002${word}`;
  }

  /** A value; null is left to knex, which makes a test for NULL of some comparisons and binds it in others. */
  value(value: unknown) {
    if (isPlainValue(value)) {
      this.key += '\u0002?';
      this.values.push(value);
    } else this.raw(value);
  }

  raw(raw: unknown) {
    const r = raw as { isRawInstance?: boolean; sql?: unknown; bindings?: unknown; _wrappedBefore?: unknown; _wrappedAfter?: unknown } | null;
    if (!r?.isRawInstance || r._wrappedBefore !== undefined || r._wrappedAfter !== undefined) return this.fail();
    this.rawOf(r.sql, r.bindings);
  }

  /** Raw SQL: identifiers (`??`) belong to the key, values (`?`) are set aside. */
  rawOf(sql: unknown, bindings: unknown = []) {
    if (typeof sql !== 'string' || !Array.isArray(bindings)) return this.fail();
    this.key += `\u0003${sql}`;
    let i = 0;
    for (const [placeholder] of sql.matchAll(PLACEHOLDER)) {
      if (placeholder === '\\?') continue;
      if (i >= bindings.length) return this.fail();
      const binding = bindings[i++];
      if (placeholder === '??') this.word(binding);
      else this.value(binding);
    }
    if (i !== bindings.length) this.fail();
    this.key += '\u0003';
  }
}
