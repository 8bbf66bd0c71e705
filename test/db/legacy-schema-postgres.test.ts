/**
 * The same schema + demo load against a real PostgreSQL server (127.0.0.1:5432, user postgres,
 * trust auth), in a scratch database created and dropped by the test. Skipped when no server answers.
 * Override the server with PGTEST_HOST / PGTEST_PORT / PGTEST_USER / PGTEST_PASSWORD.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { createLegacySchema, createPerformanceIndexes } from '../../src/db/legacy-schema/index.js';
import { loadDemoData } from '../../src/db/demo/index.js';
import { checkDemo, checkSchema } from './fixtures/checks.js';

const server = {
  host: process.env.PGTEST_HOST ?? '127.0.0.1',
  port: Number(process.env.PGTEST_PORT ?? 5432),
  user: process.env.PGTEST_USER ?? 'postgres',
  password: process.env.PGTEST_PASSWORD ?? '',
};
const connect = (database: string): Knex => knexFactory({ client: 'pg', connection: { ...server, database }, pool: { min: 0, max: 2 } });

const admin = connect('postgres');
let unavailable: string | false = false;
try {
  await admin.raw('SELECT 1');
} catch (error) {
  unavailable = `no PostgreSQL at ${server.host}:${server.port} (${(error as Error).message})`;
}
t.teardown(() => admin.destroy());

t.test('legacy schema and demo data on PostgreSQL', { skip: unavailable }, async (t) => {
  const database = `openimis_fhir_test_${randomBytes(6).toString('hex')}`;
  await admin.raw(`CREATE DATABASE "${database}" ENCODING 'UTF8' TEMPLATE template0`);
  const knex = connect(database);
  t.teardown(async () => {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS "${database}"`);
  });

  // A leap day as "today" exercises the month arithmetic of the policy dates.
  const today = new Date('2024-02-29T10:00:00Z');
  await createLegacySchema(knex);
  await createPerformanceIndexes(knex);
  await checkSchema(t, knex);
  await loadDemoData(knex, today);
  await checkDemo(t, knex, today);

  // Server-side inserts after the demo get fresh ids from the sequences.
  const [row] = await knex('tblLocations')
    .insert({ LocationUUID: 'a0000000-0000-4000-8000-000000000001', LocationCode: 'R3', LocationName: 'New region', LocationType: 'R', ValidityFrom: today, AuditUserId: 1 })
    .returning('LocationId');
  t.ok(Number(row.LocationId) > 24, 'a new location gets a fresh id');
});
