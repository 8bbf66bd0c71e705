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

  await t.test('conditions that are more than a WHERE run as one whole query', async (t) => {
    const joined = (q: Knex.QueryBuilder) => q.join('tblFamilies as ff', 'ff.FamilyID', 't.FamilyID').where('ff.Poverty', true);
    const rows = await selectWhere(def, contextOf({}), knex, 'page 7', base(7), joined);
    t.same(rows, await whole(7, joined));
  });
});
