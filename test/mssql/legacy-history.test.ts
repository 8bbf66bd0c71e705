/**
 * The legacy history copy (src/db/legacy-history.ts) as SQL Server would run it.
 *
 * archiveCurrent builds `insert into T (<columns>) select <columns or values> from T where pk = ?`
 * from the columns the database reports. server-queries.test.ts checks it for tblInsuree and
 * tblFamilies, whose column names are spelt alike on both engines. Some tables are not: SQL Server
 * spells tblLocations' (and tblClaimAdmin's, tblOfficerVillages') `LegacyId` and tblInsureePolicy's
 * key `InsureePolicyId` where PostgreSQL has `LegacyID` / `InsureePolicyID` (legacy-database.md §4.1).
 * Here the columns come as SQL Server's INFORMATION_SCHEMA reports them, and the statement is the
 * one archiveCurrent really builds, compiled for mssql.
 */
import t from 'tap';
import type { Knex } from 'knex';
import { archiveCurrent, nextVersionInstant } from '../../src/db/legacy-history.js';
import { LEGACY_TABLES } from '../../src/db/legacy-schema/index.js';
import type { VersionedTable } from '../../src/fhir/types.js';
import { checkStatement, compileOnlyMssqlKnex, toMssqlStatement, type Compiled, type MssqlStatement } from '../helpers/mssql-capture.js';

const ms = compileOnlyMssqlKnex();
t.teardown(() => ms.destroy());

/** SQL Server spellings that differ (in case only) from PostgreSQL's, per table. */
const MS_SPELLING: Record<string, Record<string, string>> = {
  tblLocations: { LegacyID: 'LegacyId' },
  tblInsuree: {},
};

/** A transaction stand-in: columnInfo() answers as SQL Server would, raw() compiles for mssql. */
function sqlServerTx(table: string, statements: MssqlStatement[]): Knex.Transaction {
  const columns = LEGACY_TABLES.find((x) => x.name === table)!.columns.map((c) => MS_SPELLING[table]?.[c.name] ?? c.name);
  const tx = () => ({ columnInfo: async () => Object.fromEntries(columns.map((c) => [c, {}])) });
  return Object.assign(tx, {
    client: {}, // tableColumns() caches per client
    raw: async (sql: string, bindings: readonly Knex.RawBinding[]) => {
      statements.push(toMssqlStatement(ms, ms.raw(sql, bindings).toSQL() as unknown as Compiled));
      return [];
    },
  }) as unknown as Knex.Transaction;
}

/** Column → what the select list puts there (`@pN` resolved to its value, or the copied column). */
function copyPlan(statement: MssqlStatement): Map<string, unknown> {
  const match = /^insert into \[\w+\] \((.*)\) select (.*) from \[\w+\] where \[\w+\] = @p\d+$/.exec(statement.native.sql);
  if (!match) throw new Error(`not an insert … select: ${statement.native.sql}`);
  const columns = match[1].split(', ').map((c) => c.replace(/^\[|\]$/g, ''));
  const values = match[2].split(', ').map((v) => (/^@p\d+$/.test(v) ? { bound: statement.native.bindings[Number(v.slice(2))] } : v.replace(/^\[|\]$/g, '')));
  return new Map(columns.map((c, i) => [c, values[i]]));
}

const tables: Record<string, VersionedTable> = {
  tblInsuree: { name: 'tblInsuree', pk: 'InsureeID', uuid: 'InsureeUUID', validityFrom: 'ValidityFrom', validityTo: 'ValidityTo', legacyId: 'LegacyID', auditUser: 'AuditUserID' },
  tblLocations: { name: 'tblLocations', pk: 'LocationId', uuid: 'LocationUUID', validityFrom: 'ValidityFrom', validityTo: 'ValidityTo', legacyId: 'LegacyID', auditUser: 'AuditUserId' },
};

for (const [name, table] of Object.entries(tables)) {
  t.test(`history copy of ${name} with SQL Server's column names`, async (t) => {
    const statements: MssqlStatement[] = [];
    const closedAt = new Date('2026-01-02T03:04:05.678Z');
    await archiveCurrent(sqlServerTx(name, statements), table, 42, closedAt);
    t.equal(statements.length, 1, 'one statement');
    const report = checkStatement(statements[0]);
    t.ok(report.parsed, `parses: ${statements[0].native.sql}`);
    t.same(report.issues, [], 'no SQL-level issue');

    const plan = copyPlan(statements[0]);
    const legacy = [...plan.keys()].find((c) => c.toLowerCase() === table.legacyId.toLowerCase())!;
    t.same(plan.get(legacy), { bound: 42 }, `${legacy} = the current row's key`);
    t.notOk([...plan.keys()].some((c) => c.toLowerCase() === table.pk.toLowerCase()), 'the IDENTITY key is not inserted');
    t.notOk([...plan.keys()].some((c) => /^rowid$/i.test(c)), 'the rowversion column is not inserted');
    const uuid = [...plan.keys()].find((c) => c.toLowerCase() === table.uuid.toLowerCase())!;
    t.match(plan.get(uuid), { bound: /^[0-9a-f-]{36}$/ }, 'a UUID of its own');
    t.same(plan.get([...plan.keys()].find((c) => c.toLowerCase() === table.validityTo.toLowerCase())!), { bound: closedAt }, 'closed');
  });
}

t.test('version instants stay distinct at SQL Server datetime precision (1/300 s)', async (t) => {
  // datetime keeps ticks of 1/300 s; tedious sends JS Dates as datetime.
  const ticks = (d: Date) => Math.round(d.getTime() * 0.3);
  const previous = new Date('2026-01-02T03:04:05.000Z');
  const table = tables.tblInsuree;
  const next = nextVersionInstant({ [table.validityFrom]: previous }, table, previous);
  t.ok(next.getTime() > previous.getTime(), 'strictly later in JavaScript');
  t.ok(ticks(next) > ticks(previous), `still later once stored as datetime (${next.toISOString()})`);
});
