/**
 * SQL Server: the openIMIS databases use a case-insensitive collation, so plain LIKE and = already
 * ignore case; a case-sensitive match needs an explicit _CS_ collation. uniqueidentifier values
 * come back upper case.
 */
import type { Dialect } from './index.js';

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
  // tedious sends text as nvarchar, and SQL Server's datetime2 does not take ISO text with a zone.
  insertRows: (db, table, columns, rows) =>
    db(table).insert(
      rows.map((row) => {
        const values: Record<string, unknown> = {};
        for (const { name, kind } of columns) values[name] = kind === 'timestamp' && typeof row[name] === 'string' ? new Date(row[name]) : row[name];
        return values;
      }) as never,
    ),
  // Delayed durability needs a database-level ALLOW that an openIMIS database does not have.
  relaxCommit: () => undefined,
  rawRows: (result) => result as Record<string, unknown>[],
  // SQL Server's estimates come with SHOWPLAN, which needs its own session settings: count instead.
  estimateCount: async () => undefined,
};
