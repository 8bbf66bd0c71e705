/**
 * The proof: every current row of the demo database, served as a FHIR resource by the real server,
 * passes the R4 JSON schema, the R4 core invariants and the profile it claims in meta.profile[0].
 * Walks the search of every registered resource type, all pages (test/helpers/served-walk.ts; the
 * generated national dataset is walked by served-generated.test.ts).
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { profileRegistry } from '../../src/fhir/validation/index.js';
import { registeredTypes, UNPROFILED_TYPES, walkServedResources } from '../helpers/served-walk.js';

const server = await startServer(t);
const registered = await registeredTypes(server);
// The audit trail is written in batches: write what the requests so far recorded.
await server.app.flushAudit();
const registry = profileRegistry();

t.test('every registered type declares one of our profiles', async (t) => {
  t.ok(registered.length >= 11, registered.map((r) => r.type).join(', '));
  for (const entry of registered) {
    if (UNPROFILED_TYPES.includes(entry.type)) continue;
    // A type over several tables (Practitioner) has no single base profile: one per table, all supported.
    const profiles = entry.profile ? [entry.profile] : entry.supportedProfile ?? [];
    t.ok(profiles.length && profiles.every((p) => registry.profile(p)), `${entry.type}: ${profiles.join(', ')}`);
  }
});

await walkServedResources(t, server, { types: registered.map((r) => r.type), label: 'the demo database serves' });
