/**
 * A knex PostgreSQL client that sends every SELECT as a named statement (name = hash of the SQL
 * text), so that PostgreSQL parses and plans it once per connection and then reuses the plan.
 * Used by the experiments only (bench/targets/ours-named.ts, bench/profile.ts --named).
 */
import { createHash } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
// @ts-expect-error knex ships no types for its dialect modules
import ClientPG from 'knex/lib/dialects/postgres/index.js';
import type { DbConfig } from '../../src/config.js';
import { knexConfig } from '../../src/db/connect.js';

class NamedStatementsClient extends (ClientPG as { new (config: unknown): object }) {
  _query(connection: unknown, obj: { sql: string; options?: Record<string, unknown> }) {
    if (/^\s*select/i.test(obj.sql) && !obj.options?.name) {
      obj.options = { ...obj.options, name: `b${createHash('sha1').update(obj.sql).digest('hex').slice(0, 24)}` };
    }
    return (ClientPG.prototype as { _query(c: unknown, o: unknown): Promise<unknown> })._query.call(this, connection, obj);
  }
}

export function openNamedStatementsDatabase(db: DbConfig): Knex {
  return knexFactory({ ...knexConfig(db), client: NamedStatementsClient as unknown as typeof Knex.Client });
}
