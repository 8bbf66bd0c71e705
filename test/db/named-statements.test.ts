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

  await t.test('an error from the server rejects, and the pool goes on', async (t) => {
    const failing = 'select "InsureeID" / ("InsureeID" - $1::int) as q from "tblInsuree" where "InsureeID" <= $1::int order by 1';
    for (let i = 0; i < 12; i++) await t.rejects(direct(failing, [3]), { code: '22012' }, 'division by zero');
    t.same(await direct(sql, [...bindings]), await query.clone());
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
