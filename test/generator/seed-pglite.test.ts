/**
 * The generator on the embedded PGlite (the small-dataset path of `npm run seed`): 300 insurees
 * through COPY from a blob, constraints restored and validated. Runs in the PGlite test suite only
 * (the PostgreSQL suite covers the same generator in seed-postgres.test.ts).
 */
import t from 'tap';
import { knexOverPglite, openPglite } from '../../src/db/connect.js';
import { createLegacySchema } from '../../src/db/legacy-schema/index.js';
import { PgliteCopyTarget, seedDatabase } from '../../src/db/generator/index.js';
import { dayOf } from '../../src/db/generator/dates.js';

const skip = process.env.TEST_DB === 'postgresql' ? 'PGlite suite only' : false;

t.test('seed 300 insurees into PGlite', { skip }, async (t) => {
  const pglite = await openPglite();
  const knex = knexOverPglite(pglite);
  t.teardown(async () => {
    await knex.destroy();
    if (!pglite.closed) await pglite.close();
  });
  await createLegacySchema(knex);
  const summary = await seedDatabase(knex, new PgliteCopyTarget(pglite), { parallel: 1, run: async (sql) => void (await pglite.exec(sql)) }, {
    insurees: 300, seed: 3, today: dayOf('2024-02-29'), claimsPerInsureeYear: 0.5,
  });
  const count = async (sql: string) => Number((await knex.raw<{ rows: { n: number }[] }>(sql)).rows[0].n);
  t.equal(await count('SELECT count(*) n FROM "tblInsuree" WHERE "LegacyID" IS NULL'), 300);
  t.ok(await count('SELECT count(*) n FROM "tblClaim"') > 0, 'claims');
  t.ok(summary.tables.find((s) => s.table === 'tblInsuree')!.rows >= 300, 'summary counts rows');
  t.ok(await count(`SELECT count(*) n FROM pg_constraint WHERE contype = 'f' AND convalidated`) >= 80, 'foreign keys restored');
  t.equal(await count(`SELECT count(*) n FROM "tblInsuree" i LEFT JOIN "tblFamilies" f ON f."FamilyID" = i."FamilyID" WHERE f."FamilyID" IS NULL`), 0);
});
