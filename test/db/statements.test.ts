/**
 * A search page's SELECT compiled once around a marker (selectWhere, src/fhir/statements.ts): the
 * same rows as the query compiled whole, the base built once per caller and shape, and a fallback to
 * the whole query for conditions that are more than a WHERE. On both engines: PGlite runs the
 * spliced SQL through knex, PostgreSQL straight on a pooled connection.
 */
import t from 'tap';
import type { Knex } from 'knex';
import { openTestDatabase } from '../helpers/databases.js';
import { selectWhere } from '../../src/fhir/statements.js';
import { insureeTable, selectInsuree } from '../../src/resources/patient/table.js';
import type { AnyResourceDefinition, RequestContext } from '../../src/fhir/types.js';

t.test('selectWhere', async (t) => {
  const db = await openTestDatabase();
  t.teardown(() => db.drop());
  const { knex } = db;
  const def = { type: 'Patient', table: insureeTable, select: selectInsuree } as unknown as AnyResourceDefinition;
  const contextOf = (caller: object) => ({ caller, db: knex }) as unknown as RequestContext;
  let builds = 0;
  const base = (limit: number) => (db: Knex) => {
    builds++;
    return selectInsuree(db).whereNull('t.ValidityTo').whereIn('t.Gender', ['M', 'F']).orderBy('t.InsureeID').limit(limit);
  };
  const whole = (limit: number, where: (q: Knex.QueryBuilder) => void) => {
    const query = base(limit)(knex);
    where(query);
    return query.then((rows: unknown[]) => rows);
  };
  const conditions: [string, (q: Knex.QueryBuilder) => void][] = [
    ['a parameter', (q) => q.where((w) => w.where('t.LastName', 'like', 'M%'))],
    ['none', () => {}],
    ['several, with OR inside a group, a subquery and a raw bound value', (q) =>
      q
        .where((w) => w.where('t.InsureeID', '>', 3).orWhere('t.CHFID', 'like', '1%'))
        .whereIn('t.FamilyID', knex('tblFamilies as f').select('f.FamilyID').whereNull('f.ValidityTo'))
        .whereRaw('lower(??) like ?', ['t.OtherNames', '%a%'])],
    ['nothing matches', (q) => q.whereRaw('1 = 0')],
  ];

  await t.test('the same rows as the whole query, the base compiled once per shape', async (t) => {
    const caller = {};
    builds = 0;
    for (const [name, where] of conditions) {
      const expected = await whole(7, where);
      if (name !== 'nothing matches') t.ok(expected.length > 0, `${name}: the demo data has matches`);
      t.same(await selectWhere(def, contextOf(caller), knex, 'page 7', base(7), where), expected, name);
    }
    // One build for the template; the others compiled the whole query for the comparison.
    t.equal(builds, 1 + conditions.length, 'the base was built once for all the searches of one shape');
    builds = 0;
    const expected = await whole(3, conditions[0][1]);
    t.same(await selectWhere(def, contextOf(caller), knex, 'page 3', base(3), conditions[0][1]), expected, 'another shape');
    t.equal(builds, 2, 'another shape builds its own base');
  });

  await t.test('each caller has its own statements', async (t) => {
    builds = 0;
    await selectWhere(def, contextOf({}), knex, 'page 7', base(7), conditions[0][1]);
    t.equal(builds, 1);
  });

  await t.test('conditions recorded with a known key are not compiled again', async (t) => {
    const caller = {};
    let compiles = 0;
    // The recorder is no knex builder: only knex's own builders have a client.
    const byName = (prefix: string) => (q: Knex.QueryBuilder) => {
      if ('client' in q) compiles++;
      q.where((w) => w.where('t.LastName', 'like', `${prefix}%`).orWhere('t.OtherNames', 'like', `${prefix}%`));
    };
    const lastNames = await knex('tblInsuree').distinct('LastName').whereNull('ValidityTo').orderBy('LastName').limit(3).pluck('LastName');
    t.equal(lastNames.length, 3, 'the demo data has three last names');
    for (const [i, name] of lastNames.entries()) {
      compiles = 0;
      const where = byName(name.slice(0, 2));
      const expected = await whole(7, where);
      compiles = 0;
      t.ok(expected.length > 0, `${name}: matches`);
      t.same(await selectWhere(def, contextOf(caller), knex, 'page 7', base(7), where), expected, `${name}: the rows of the whole query`);
      t.equal(compiles, i === 0 ? 1 : 0, i === 0 ? 'compiled by knex the first time' : 'then only recorded');
    }
  });

  await t.test('the same statement in and out of a transaction (through knex, and direct where it can)', async (t) => {
    const caller = {};
    const byId = (min: number) => (q: Knex.QueryBuilder) => q.where('t.InsureeID', '>', min);
    const expected = await whole(7, byId(2));
    for (const order of [['outside', 'inside'], ['inside', 'outside']]) {
      for (const where of order) {
        const run = (db: Knex) => selectWhere(def, contextOf(caller), db, `page 7 ${order[0]}`, base(7), byId(2));
        const rows = where === 'outside' ? await run(knex) : await knex.transaction((trx) => run(trx));
        t.same(rows, expected, `${where}, after ${order[0] === where ? 'nothing' : order[0]}`);
      }
    }
  });

  await t.test('a recording whose values are not the compiled bindings is not kept', async (t) => {
    let calls = 0;
    let compiles = 0;
    // Each call sees a new value, as a search relative to the current time would.
    const drifting = (q: Knex.QueryBuilder) => {
      if ('client' in q) compiles++;
      // An operator no other test uses: its key has not been kept before.
      q.where('t.InsureeID', '>=', calls++);
    };
    for (let i = 0; i < 3; i++) {
      calls = 3;
      compiles = 0;
      // Recorded with 3, compiled with 4.
      const rows = await selectWhere(def, contextOf({}), knex, 'page 7', base(7), drifting);
      t.equal(compiles, 1, 'compiled by knex every time');
      calls = 4;
      const expected = await whole(7, drifting);
      t.ok(expected.length > 0, 'there are matches');
      t.same(rows, expected, 'the rows of the value knex compiled');
      calls = 3;
      t.notSame(rows, await whole(7, drifting), 'not those of the recorded value');
    }
  });

  await t.test('conditions that are more than a WHERE run as one whole query', async (t) => {
    const joined = (q: Knex.QueryBuilder) => q.join('tblFamilies as ff', 'ff.FamilyID', 't.FamilyID').where('ff.Poverty', true);
    const rows = await selectWhere(def, contextOf({}), knex, 'page 7', base(7), joined);
    t.same(rows, await whole(7, joined));
  });
});
