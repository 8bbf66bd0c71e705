/**
 * The proof on generated data: a fresh database filled by the data generator (`npm run seed`, a few
 * thousand insurees), served by the real server:
 * - every current row of every mapped table, through the search of every registered type, all pages,
 *   passes the R4 JSON schema, the core invariants and its profile (test/helpers/served-walk.ts);
 * - the generator covers every mapped entity with the variety of the hand-written demo dataset: every
 *   element, extension and code the demo serves for a type, the generated data serves too.
 * Runs on both engines (the generator loads PGlite through its COPY device as well).
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { openGeneratedDatabase } from '../helpers/databases.js';
import { registeredTypes, servedPaths, UNPROFILED_TYPES, walkServedResources } from '../helpers/served-walk.js';
import { dayOf } from '../../src/db/generator/dates.js';

const INSUREES = 2000;
// Seeding and walking some 8,000 resources takes about a minute and a half on a quiet machine.
t.setTimeout(600_000);

const started = Date.now();
const server = await startServer(t, {}, {
  database: () => openGeneratedDatabase({ insurees: INSUREES, seed: 11, today: dayOf('2025-06-30'), claimsPerInsureeYear: 0.5 }),
});
t.comment(`generated ${INSUREES} insurees and started in ${Date.now() - started} ms`);
const types = (await registeredTypes(server)).map((r) => r.type);
await server.app.flushAudit();

const walked = Date.now();
const generated = await walkServedResources(t, server, { types, label: 'the generated dataset serves' });
t.comment(`walked in ${Date.now() - walked} ms`);

t.test('the generated data is as varied as the demo data', async (t) => {
  const demoServer = await startServer(t);
  // The audit trail and the terminology catalogue do not come from the generated tables.
  const mapped = types.filter((type) => !UNPROFILED_TYPES.includes(type));
  const demo = await servedPaths(demoServer, mapped);
  for (const type of mapped) {
    const seen = generated.paths.get(type) ?? new Set();
    const missing = [...(demo.get(type) ?? [])].filter((path) => !seen.has(path));
    t.same(missing, [], `${type}: every element, extension and code of the demo data`);
  }
});
