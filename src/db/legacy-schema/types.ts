/**
 * Shapes of the legacy table definitions and the small notation they are written in.
 *
 * A column is written as one string, close to the way the research notes list them:
 *   'Name type [NN] [serial] [default <expr>] [-> tblOther.Column]'
 * e.g. 'InsureeID integer NN serial', 'FamilyID integer NN -> tblFamilies.FamilyID',
 * 'CreatedDate date NN default CURRENT_DATE'. Names keep the exact PostgreSQL spelling.
 */

export interface LegacyColumn {
  /** Exact PostgreSQL identifier (created quoted, so case matters). */
  name: string;
  /** PostgreSQL type as written in DDL: integer, varchar(36), numeric(18,2), timestamptz, bit(1) … */
  type: string;
  notNull: boolean;
  /** PG `serial` / `bigserial` style default from an owned sequence. */
  serial: boolean;
  /** SQL default expression (only the four PG defaults the legacy schema has). */
  default?: string;
}

export interface LegacyForeignKey {
  column: string;
  refTable: string;
  refColumn: string;
}

export interface LegacyTable {
  name: string;
  columns: LegacyColumn[];
  /** Primary key columns; empty for the three tables without a key. */
  primaryKey: string[];
  /** Unique constraints, each a list of columns. */
  unique: string[][];
  /** All PostgreSQL foreign keys are DEFERRABLE INITIALLY DEFERRED. */
  foreignKeys: LegacyForeignKey[];
  /** The column holding the public UUID of the entity, when there is one. */
  uuidColumn?: string;
  /** True when the table follows the ValidityFrom/ValidityTo/LegacyID history pattern. */
  versioned: boolean;
}

export interface TableOptions {
  /** Primary key column(s), comma separated; omit for key-less tables. */
  pk?: string;
  /** Unique constraints; each entry is a comma separated column list. */
  unique?: string[];
}

export function parseColumn(spec: string): { column: LegacyColumn; foreignKey?: LegacyForeignKey } {
  const tokens = spec.trim().split(/\s+/);
  const [name, type] = tokens;
  if (!name || !type) throw new Error(`Bad column spec "${spec}"`);
  const column: LegacyColumn = { name, type, notNull: false, serial: false };
  let foreignKey: LegacyForeignKey | undefined;
  for (let i = 2; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === 'NN') column.notNull = true;
    else if (token === 'serial') {
      column.serial = true;
      column.notNull = true;
    } else if (token === 'default') {
      column.default = tokens[++i];
      if (column.default === undefined) throw new Error(`Missing default in "${spec}"`);
    } else if (token === '->') {
      const target = tokens[++i] ?? '';
      const dot = target.indexOf('.');
      if (dot < 1) throw new Error(`Bad reference in "${spec}"`);
      foreignKey = { column: name, refTable: target.slice(0, dot), refColumn: target.slice(dot + 1) };
    } else throw new Error(`Unknown token "${token}" in "${spec}"`);
  }
  return { column, foreignKey };
}

/** Builds a table definition from its name, keys and column specs. */
export function table(name: string, options: TableOptions, specs: string[]): LegacyTable {
  const columns: LegacyColumn[] = [];
  const foreignKeys: LegacyForeignKey[] = [];
  for (const spec of specs) {
    const { column, foreignKey } = parseColumn(spec);
    if (columns.some((c) => c.name === column.name)) throw new Error(`Duplicate column ${name}.${column.name}`);
    columns.push(column);
    if (foreignKey) foreignKeys.push(foreignKey);
  }
  const split = (list: string) => list.split(',').map((s) => s.trim());
  const primaryKey = options.pk ? split(options.pk) : [];
  const unique = (options.unique ?? []).map(split);
  for (const col of [...primaryKey, ...unique.flat()]) {
    if (!columns.some((c) => c.name === col)) throw new Error(`Key column ${name}.${col} is not defined`);
  }
  const uuidColumn = columns.find((c) => /UUID$/.test(c.name))?.name;
  const has = (n: string) => columns.some((c) => c.name.toLowerCase() === n.toLowerCase());
  const versioned = has('ValidityTo') && has('LegacyID');
  return { name, columns, primaryKey, unique, foreignKeys, uuidColumn, versioned };
}
