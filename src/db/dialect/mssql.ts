/**
 * SQL Server: the openIMIS databases use a case-insensitive collation, so plain LIKE and = already
 * ignore case; a case-sensitive match needs an explicit _CS_ collation. uniqueidentifier values
 * come back upper case.
 */
import type { Knex } from 'knex';
import type { BulkColumn, BulkRow, Dialect } from './index.js';

export const mssql: Dialect = {
  name: 'mssql',
  likeInsensitive: (db, column, pattern) => db.raw(`?? like ? escape '\\'`, [column, pattern]),
  likeSensitive: (db, column, pattern) =>
    db.raw(`?? collate Latin1_General_CS_AS like ? escape '\\'`, [column, pattern]),
  equalsInsensitive: (db, column, value) => db.raw('?? = ?', [column, value]),
  // The plain comparison keeps an index seek usable; the collated one then drops case variants.
  equalsSensitive: (db, column, value) =>
    db.raw('(?? = ? and ?? collate Latin1_General_CS_AS = ?)', [column, value, column, value]),
  readUuid: (value) => String(value ?? '').toLowerCase(),
  async appendRows(db, table, columns, rows) {
    // Within SQL Server's limits of 2,100 parameters and 1,000 rows a statement.
    const perStatement = Math.min(1000, Math.floor(2000 / columns.length));
    await db.transaction(async (trx) => {
      for (let i = 0; i < rows.length; i += perStatement) await insertStatement(trx, table, columns, rows.slice(i, i + perStatement));
    });
  },
  rawRows: (result) => result as Record<string, unknown>[],
  // An application lock of the database, owned by the transaction; waits as long as it takes
  // (@LockTimeout -1). sp_getapplock reports a refusal (deadlock victim) as a negative status.
  exclusiveLock: (db, name) =>
    db.raw(
      `declare @status int; exec @status = sp_getapplock @Resource = ?, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = -1; ` +
        `if @status < 0 throw 51000, 'sp_getapplock did not grant the lock', 1;`,
      [name],
    ),
  // SQL Server's estimates come with SHOWPLAN, which needs its own session settings: count instead.
  estimateCount: async () => undefined,
};

/**
 * One INSERT of rows given as values in the order of `columns`. tedious sends text as nvarchar, and
 * SQL Server's datetime2 does not take ISO text with a zone: timestamps are bound as Dates.
 * (Delayed durability, which would spare the log flush at commit, needs a database-level ALLOW that
 * an openIMIS database does not have.)
 */
export function insertStatement(db: Knex, table: string, columns: readonly BulkColumn[], rows: readonly BulkRow[]): Knex.QueryBuilder {
  return db(table).insert(
    rows.map((row) => {
      const values: Record<string, unknown> = {};
      columns.forEach(({ name, kind }, i) => (values[name] = kind === 'timestamp' && typeof row[i] === 'string' ? new Date(row[i]) : row[i]));
      return values;
    }) as never,
  );
}
