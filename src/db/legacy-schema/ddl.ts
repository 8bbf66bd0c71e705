/**
 * Turns the table data into PostgreSQL DDL statements (one statement per string, because PGlite's
 * query path accepts a single statement at a time).
 */
import type { LegacyColumn, LegacyTable } from './types.js';

/** Quotes an identifier exactly as written (the legacy schema is all quoted mixed case). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function columnDdl(column: LegacyColumn): string {
  let type = column.type;
  if (column.serial) {
    if (type === 'integer') type = 'serial';
    else if (type === 'bigint') type = 'bigserial';
    else throw new Error(`serial is only supported on integer/bigint, not ${type} (${column.name})`);
  }
  let ddl = `${quoteIdent(column.name)} ${type}`;
  if (column.notNull) ddl += ' NOT NULL';
  if (column.default !== undefined) ddl += ` DEFAULT ${column.default}`;
  return ddl;
}

const columnList = (columns: string[]) => columns.map(quoteIdent).join(', ');

export function createTableStatement(table: LegacyTable): string {
  const parts = table.columns.map(columnDdl);
  if (table.primaryKey.length > 0) {
    parts.push(`CONSTRAINT ${quoteIdent(`${table.name}_pkey`)} PRIMARY KEY (${columnList(table.primaryKey)})`);
  }
  for (const columns of table.unique) {
    parts.push(`CONSTRAINT ${quoteIdent(`${table.name}_${columns.join('_')}_key`)} UNIQUE (${columnList(columns)})`);
  }
  return `CREATE TABLE ${quoteIdent(table.name)} (\n  ${parts.join(',\n  ')}\n)`;
}

export function foreignKeyStatements(table: LegacyTable): string[] {
  return table.foreignKeys.map(
    (fk) =>
      `ALTER TABLE ${quoteIdent(table.name)} ADD CONSTRAINT ${quoteIdent(`${table.name}_${fk.column}_fkey`)} ` +
      `FOREIGN KEY (${quoteIdent(fk.column)}) REFERENCES ${quoteIdent(fk.refTable)} (${quoteIdent(fk.refColumn)}) ` +
      'DEFERRABLE INITIALLY DEFERRED',
  );
}

/**
 * The legacy PostgreSQL database indexes its foreign-key columns; a column that already leads the
 * primary key or a unique constraint needs no extra index.
 */
export function foreignKeyIndexStatements(table: LegacyTable): string[] {
  const leading = new Set([table.primaryKey[0], ...table.unique.map((u) => u[0])]);
  const columns = [...new Set(table.foreignKeys.map((fk) => fk.column))].filter((c) => !leading.has(c));
  return columns.map(
    (column) => `CREATE INDEX ${quoteIdent(`${table.name}_${column}_idx`)} ON ${quoteIdent(table.name)} (${quoteIdent(column)})`,
  );
}

/** Every statement needed to build the schema in an empty database, in a safe order. */
export function legacySchemaStatements(tables: readonly LegacyTable[]): string[] {
  return [
    ...tables.map(createTableStatement),
    ...tables.flatMap(foreignKeyStatements),
    ...tables.flatMap(foreignKeyIndexStatements),
  ];
}
