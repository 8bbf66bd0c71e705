/**
 * The mssql Dialect's fragments, compiled for SQL Server, and the SQL-level checks themselves (so
 * that a checker that lets everything through cannot make server-queries.test.ts pass).
 */
import t from 'tap';
import knexFactory from 'knex';
import { mssql } from '../../src/db/dialect/mssql.js';
import { postgres } from '../../src/db/dialect/postgres.js';
import { dialectFor, escapeLike, type Dialect } from '../../src/db/dialect/index.js';
import { checkStatement, compileOnlyMssqlKnex, toMssqlStatement, type Compiled, type MssqlStatement } from '../helpers/mssql-capture.js';

const ms = compileOnlyMssqlKnex();
const pg = knexFactory({ client: 'pg' });
t.teardown(async () => {
  await ms.destroy();
  await pg.destroy();
});

/** Compiles a builder for mssql into the statement shape the checks take. */
const statement = (builder: { toSQL(): unknown }): MssqlStatement => toMssqlStatement(ms, builder.toSQL() as Compiled);

t.test('dialectFor picks the mssql Dialect for the mssql client only', async (t) => {
  t.equal(dialectFor(ms), mssql);
  t.equal(dialectFor(pg), postgres);
  t.same(Object.keys(mssql).sort(), Object.keys(postgres).sort(), 'both Dialects implement the same methods');
});

t.test('every mssql Dialect fragment compiles to T-SQL that passes the checks', async (t) => {
  const pattern = `${escapeLike('50%_[a]\\')}%`;
  const fragments: [keyof Dialect, string][] = [
    ['likeInsensitive', pattern],
    ['likeSensitive', pattern],
    ['equalsInsensitive', 'Someone@Example.org'],
    ['equalsSensitive', 'Mwangi'],
  ];
  for (const [method, value] of fragments) {
    const raw = (mssql[method] as (db: typeof ms, column: string, value: string) => ReturnType<typeof ms.raw>)(ms, 't.LastName', value);
    const s = statement(ms('tblInsuree as t').select('t.InsureeID').where(raw).whereNull('t.ValidityTo'));
    const report = checkStatement(s);
    t.ok(report.parsed, `${method} parses: ${s.native.sql}`);
    t.same(report.issues, [], `${method}: no issue`);
    t.notMatch(s.native.sql, /lower\(|upper\(/i, `${method}: no case folding on SQL Server (case-insensitive collation)`);
  }
  const sensitive = statement(ms('tblInsuree as t').where(mssql.equalsSensitive(ms, 't.LastName', 'Mwangi')));
  t.match(sensitive.native.sql, /\[t\]\.\[LastName\] = @p0 and \[t\]\.\[LastName\] collate Latin1_General_CS_AS = @p1/, 'case-sensitive equality keeps a seekable plain comparison');
  t.equal(mssql.readUuid('8D95A7E4-18F8-49FE-8497-B7DF975016E8'), '8d95a7e4-18f8-49fe-8497-b7df975016e8', 'UUIDs read back lower case');
});

t.test('the checks catch PostgreSQL-only SQL', async (t) => {
  const flags = (name: string, sql: string, bindings: unknown[] = []) => {
    const issues = checkStatement(statement(ms.raw(sql, bindings as never))).issues;
    t.ok(issues.some((i) => i.code === 'pg-syntax' && i.message.startsWith(`${name}: `)), `${name}: ${sql}`);
  };
  flags('ilike', 'select * from [tblInsuree] where [LastName] ilike ?', ['a%']);
  flags(':: cast', 'select [DOB]::text from [tblInsuree]');
  flags('double-quoted identifier', 'select * from "tblInsuree"');
  flags('limit', 'select * from [tblInsuree] limit 5');
  flags('boolean literal (T-SQL has none)', 'select * from [tblInsuree] where [IsHead] = true');
  flags('nulls first/last', 'select * from [tblInsuree] order by [DOB] nulls last');
  flags('for update/share', 'select * from [tblInsuree] where [InsureeID] = ? for update', [1]);
  flags('returning', 'insert into [tblGender] ([Code]) values (?) returning [Code]', ['X']);
  flags('lower()/upper() on a column', 'select * from [tblInsuree] as [t] where lower([t].[InsureeUUID]) = ?', ['x']);
  flags('offset without ROWS', 'select * from [tblInsuree] order by [InsureeID] offset ?', [3]);
  t.same(checkStatement(statement(ms.raw("select 'a \"quoted\" limit' as [x]"))).issues, [], 'string literals are not looked into');
  t.same(checkStatement(statement(ms.raw('select x from where'))).parsed, false, 'a syntax error does not parse');
  const audit = (rows: number) =>
    checkStatement(statement(ms('fhir_audit_event').insert(Array.from({ length: rows }, (_, i) => ({ Path: `/x/${i}`, StatusCode: 200, Method: 'GET' }))))).issues.map((i) => i.code);
  t.same(audit(700), [], '2100 parameters pass');
  t.same(audit(701), ['too-many-parameters'], 'more than 2100 parameters');
});

t.test('the checks look at the values bound next to bit, uniqueidentifier and datetime columns', async (t) => {
  const codes = (s: MssqlStatement) => checkStatement(s).issues.map((i) => `${i.code} ${i.column}`);
  t.same(codes(statement(ms('tblInsuree as t').where('t.IsHead', true).first())), [], 'a boolean for a bit column');
  t.same(codes(statement(ms('tblInsuree as t').where('t.IsHead', 1))), ['bit-binding tblInsuree.IsHead'], 'a number for a bit column');
  t.same(codes(statement(ms('tblInsuree').insert({ IsHead: 'true', CHFID: 'x' }))), ['bit-binding tblInsuree.IsHead'], 'a string inserted into a bit column');
  t.same(codes(statement(ms('tblInsuree').where('InsureeID', 1).update({ CardIssued: 0 }))), ['bit-binding tblInsuree.CardIssued'], 'a number set into a bit column');
  t.same(codes(statement(ms('tblInsuree as t').where('t.InsureeUUID', '8d95a7e4-18f8-49fe-8497-b7df975016e8'))), [], 'a UUID for a uniqueidentifier');
  t.same(codes(statement(ms('tblInsuree as t').where('t.InsureeUUID', '070707070'))), ['uuid-conversion tblInsuree.InsureeUUID'], 'a CHFID for a uniqueidentifier');
  t.same(
    codes(statement(ms('tblInsuree as t').whereIn('t.FamilyID', ms('tblFamilies as t').select('t.FamilyID').where('t.FamilyUUID', 'nope')))),
    ['uuid-conversion tblFamilies.FamilyUUID'],
    'subqueries resolve their own aliases',
  );
  t.same(codes(statement(ms('tblClaim as c').where('c.DateFrom', '>=', '2024-02-03'))), ['dateformat tblClaim.DateFrom'], 'a yyyy-mm-dd string for a smalldatetime');
  t.same(codes(statement(ms('tblInsuree as t').where('t.DOB', '>=', '2024-02-03'))), [], 'a yyyy-mm-dd string for a date');
  const history = statement(ms.raw('insert into ?? (??, ??) select ?, ?? from ?? where ?? = ?', ['tblInsuree', 'IsHead', 'InsureeUUID', 'x', 'InsureeUUID', 'tblInsuree', 'InsureeID', 1]));
  t.same(codes(history), ['bit-binding tblInsuree.IsHead'], 'insert … select pairs columns with the select list');
});

t.test('allow-listed parser gaps are rewritten only in their exact form', async (t) => {
  const top = checkStatement(statement(ms('tblInsuree').select('CHFID').orderBy('InsureeID').limit(5).offset(10)));
  t.ok(top.parsed);
  t.same(top.gaps, ['offset-fetch-parameters']);
  const insert = checkStatement(statement(ms('tblGender').insert({ Code: 'X' }).returning('Code')));
  t.ok(insert.parsed);
  t.same(insert.gaps, ['output-inserted']);
  const like = checkStatement(statement(ms('tblInsuree').where(mssql.likeInsensitive(ms, 'LastName', 'a%')).first()));
  t.ok(like.parsed);
  t.same(like.gaps.sort(), ['like-escape', 'top-parameter']);
  const otherEscape = checkStatement(statement(ms.raw("select * from [tblInsuree] where [LastName] like ? escape '!'", ['a%'])));
  t.notOk(otherEscape.parsed, 'another ESCAPE character is not rewritten (and so must parse on its own)');
  const lock = checkStatement(statement(mssql.exclusiveLock(ms, 'openimis-fhir: migrations')));
  t.ok(lock.parsed);
  t.same(lock.issues, []);
  t.same(lock.gaps, ['procedure-status']);
  const otherThrow = checkStatement(statement(ms.raw("declare @s int; exec @s = sp_getapplock @Resource = ?; if @s > 0 throw 51000, 'x', 1;", ['x'])));
  t.notOk(otherThrow.parsed, 'another status check is not rewritten');
});

t.test("SQL Server's exclusive lock is an application lock owned by the transaction, refused loudly", async (t) => {
  const lock = statement(mssql.exclusiveLock(ms, 'openimis-fhir: migrations'));
  t.match(lock.native.sql, /exec @status = sp_getapplock @Resource = @p0, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = -1;/);
  t.match(lock.native.sql, /if @status < 0 throw 51000, '[^']+', 1;$/);
  t.same(lock.native.bindings, ['openimis-fhir: migrations']);
});
