import t from 'tap';
import { knexOverPglite, openPglite } from '../../src/db/connect.js';
import { createLegacySchema, createPerformanceIndexes, LEGACY_TABLES, legacySchemaStatements } from '../../src/db/legacy-schema/index.js';
import { loadDemoData } from '../../src/db/demo/index.js';
import { checkDemo, checkSchema } from './fixtures/checks.js';

t.test('schema data is self-consistent', async (t) => {
  const names = new Set(LEGACY_TABLES.map((tb) => tb.name));
  t.equal(names.size, 69, '69 distinct tables (65 legacy, 4 of the modular openIMIS)');
  for (const table of LEGACY_TABLES) {
    for (const fk of table.foreignKeys) {
      const target = LEGACY_TABLES.find((tb) => tb.name === fk.refTable);
      t.ok(target?.primaryKey.includes(fk.refColumn), `${table.name}.${fk.column} references a primary key (${fk.refTable}.${fk.refColumn})`);
    }
  }
  const ddl = legacySchemaStatements(LEGACY_TABLES).join(';\n');
  t.match(ddl, /CREATE TABLE "tblInsuree" \(\n {2}"InsureeID" serial NOT NULL,/, 'serial key DDL');
  t.match(ddl, /"CreatedDate" date NOT NULL DEFAULT CURRENT_DATE/, 'tblPremium.CreatedDate default');
  t.match(ddl, /REFERENCES "tblInsuree" \("InsureeID"\) DEFERRABLE INITIALLY DEFERRED/, 'deferred foreign keys');
});

t.test('legacy schema and demo data on in-memory PGlite', async (t) => {
  const knex = knexOverPglite(await openPglite());
  t.teardown(() => knex.destroy());
  const today = new Date();

  await createLegacySchema(knex);
  await createPerformanceIndexes(knex);
  await createPerformanceIndexes(knex); // re-running is harmless
  await checkSchema(t, knex);

  const started = Date.now();
  await loadDemoData(knex, today);
  t.comment(`demo data loaded in ${Date.now() - started} ms`);
  await checkDemo(t, knex, today);

  // The family/head circle only works because the foreign keys are deferred: a dangling head fails at COMMIT.
  await t.rejects(
    knex.transaction(async (trx) => {
      await trx('tblFamilies').insert({ FamilyID: 999, FamilyUUID: 'f0000000-0000-4000-8000-000000000999', InsureeID: 0, ValidityFrom: today, AuditUserID: 1 });
    }),
    /foreign key/i,
    'a family with placeholder head 0 cannot be committed',
  );
});
