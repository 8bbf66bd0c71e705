/**
 * SELECTs run straight on a pooled connection (directSelect), with rows built from each named
 * statement's remembered shape: the same rows as knex gives, the same errors, and a connection that
 * stays usable after an error. PostgreSQL pass only: other engines never take this path.
 */
import t from 'tap';
import pg from 'pg';
import { openTestDatabase, testEngine } from '../helpers/databases.js';
import { directSelect } from '../../src/db/named-statements.js';

t.test('direct SELECTs on PostgreSQL', { skip: testEngine !== 'postgresql' && 'PostgreSQL pass only' }, async (t) => {
  const db = await openTestDatabase();
  t.teardown(() => db.drop());
  const { knex } = db;
  const direct = directSelect(knex);
  if (!direct) throw new Error('the server’s PostgreSQL client should run SELECTs directly');

  const query = knex('tblInsuree as t')
    .leftJoin('tblPhotos as ph', 'ph.PhotoID', 't.PhotoID')
    .select('t.*', 'ph.PhotoDate as photo_date', knex.raw('?::numeric(18,2) as amount', [12.5]), knex.raw('count(*) over () as total'))
    .where('t.InsureeID', '<', 50)
    .orderBy('t.InsureeID');
  const { sql, bindings } = query.toSQL().toNative();

  await t.test('gives the rows knex gives, every type alike, each time', async (t) => {
    const expected = await query.clone();
    t.ok(expected.length > 5, 'the demo data has insurees');
    t.same(await direct(sql, [...bindings]), expected, 'first run: the shape is worked out');
    const again = await direct(sql, [...bindings]);
    t.same(again, expected, 'second run: the remembered shape');
    t.same(Object.keys(again[0]), Object.keys(expected[0]), 'columns in the order of the select');
    t.type(again[0].ValidityFrom, Date);
    t.equal(again[0].amount, 12.5);
    t.equal(typeof again[0].total, 'number');
  });

  await t.test('rows take further columns like any object', async (t) => {
    const rows = await direct(sql, [...bindings]);
    for (const row of rows) row.village_name = 'V';
    t.ok(rows.every((row) => row.village_name === 'V' && 'CHFID' in row));
  });

  await t.test('columns of any name are properties of that name, as through knex', async (t) => {
    const statements = [
      `select 1 as "a""b", 2 as "back\\slash", 3 as "line
break", 4 as "ünï ✓", 5 as "constructor", 6 as "toString", 7 as "}); throw 1; ({", null::text as "n", 'x'::text as "${'c'.repeat(63)}"`,
      'select 1 as a, 2 as b, 3 as a',
      `select 1 as "__proto__", 'p'::text as "own"`,
    ];
    for (const statement of statements) {
      const expected = ((await knex.raw(statement)) as { rows: Record<string, unknown>[] }).rows;
      for (let i = 0; i < 3; i++) {
        const [row] = await direct(statement, []);
        t.same(Object.entries(row), Object.entries(expected[0]), `${statement.slice(0, 40)}: run ${i + 1}`);
        t.equal(Object.getPrototypeOf(row), Object.prototype, 'a plain object');
      }
    }
    const [row] = await direct(statements[2], []);
    t.ok(Object.hasOwn(row, '__proto__'), '__proto__ is an own column');
    t.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 1);
  });

  await t.test('an error from the server rejects, and the pool goes on', async (t) => {
    const failing = 'select "InsureeID" / ("InsureeID" - $1::int) as q from "tblInsuree" where "InsureeID" <= $1::int order by 1';
    for (let i = 0; i < 12; i++) await t.rejects(direct(failing, [3]), { code: '22012' }, 'division by zero');
    t.same(await direct(sql, [...bindings]), await query.clone());
  });

  await t.test('a statement parsed on a connection runs there without Describe', async (t) => {
    const expected = await query.clone();
    const connection = pg.Connection.prototype as unknown as { describe(message: unknown): void };
    const describe = connection.describe;
    let described = 0;
    connection.describe = function (this: unknown, message: unknown) {
      described++;
      return describe.call(this, message);
    };
    t.teardown(() => void (connection.describe = describe));
    const statement = 'select "InsureeID", "CHFID", $1::int as n from "tblInsuree" where "InsureeID" < $1::int order by 1';
    for (let i = 0; i < 40; i++) {
      const rows = await direct(statement, [10]);
      t.equal(rows.length, 9);
      t.same(rows[3], { InsureeID: 4, CHFID: rows[3].CHFID, n: 10 });
    }
    const pool = (knex.client as { pool: { numFree(): number; numUsed(): number } }).pool;
    t.ok(described <= pool.numFree() + pool.numUsed(), `one Describe per connection at most (${described} for 40 runs)`);
    t.same(await direct(sql, [...bindings]), expected, 'rows of the remembered shape');
  });

  await t.test('a value pg cannot send rejects a statement the connection knows, and the pool goes on', async (t) => {
    const statement = 'select $1::text as v';
    for (let i = 0; i < 12; i++) t.same(await direct(statement, [`ok${i}`]), [{ v: `ok${i}` }]);
    const unsendable = { toPostgres: () => { throw new Error('cannot send this value'); } };
    for (let i = 0; i < 12; i++) await t.rejects(direct(statement, [unsendable]), /cannot send this value/);
    t.same(await direct(statement, ['after']), [{ v: 'after' }]);
  });

  await t.test('a result type changed under parsed statements (a migration): they are parsed again, never read with the old shape', async (t) => {
    await knex.raw('create table fhir_test_shape (a int)');
    await knex.raw('insert into fhir_test_shape values (1), (2)');
    const statement = 'select a from fhir_test_shape order by a';
    const viaKnex = async () => ((await knex.raw(statement)) as { rows: unknown[] }).rows;
    // Several at once, so that more than one connection parses the statement.
    const runs = async (run: () => Promise<unknown[]>) => (await Promise.all(Array.from({ length: 12 }, run))).flat();
    t.same(await runs(() => direct(statement, [])), Array(12).fill([{ a: 1 }, { a: 2 }]).flat());
    t.same(await runs(viaKnex), Array(12).fill([{ a: 1 }, { a: 2 }]).flat());
    await knex.raw('alter table fhir_test_shape alter column a type text');
    t.same(await runs(() => direct(statement, [])), Array(12).fill([{ a: '1' }, { a: '2' }]).flat(), 'direct: the new type');
    t.same(await runs(viaKnex), Array(12).fill([{ a: '1' }, { a: '2' }]).flat(), 'through knex: the new type');
    await knex.transaction(async (trx) => t.same((await trx.raw(statement)).rows, [{ a: '1' }, { a: '2' }], 'in a transaction'));
  });

  await t.test('a value that cannot be parsed rejects once the server is ready again', async (t) => {
    const MONEY_OID = pg.types.builtins.MONEY;
    const original = pg.types.getTypeParser(MONEY_OID, 'text');
    pg.types.setTypeParser(MONEY_OID, () => {
      throw new Error('unparseable amount');
    });
    t.teardown(() => pg.types.setTypeParser(MONEY_OID, original as (value: string) => unknown));
    for (let i = 0; i < 12; i++) await t.rejects(direct('select $1::int::money as m, generate_series(1, 3) as n', [i]), /unparseable amount/);
    t.same(await direct('select $1::int as n', [7]), [{ n: 7 }], 'the connections still answer');
  });
});
