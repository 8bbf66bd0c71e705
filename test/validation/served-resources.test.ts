/**
 * The proof: every current row of the demo database, served as a FHIR resource by the real server,
 * passes the R4 JSON schema, the R4 core invariants and the profile it claims in meta.profile[0].
 * Walks the search of every registered resource type, all pages.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { profileRegistry, validateResource } from '../../src/fhir/validation/index.js';
import type { Issue } from '../../src/fhir/outcome.js';

/**
 * Known defects of a mapper, reported and left to its owner: each is checked as a `todo` (it shows,
 * does not fail the run, and says so once fixed). Matched by type and invariant key or expression.
 */
const KNOWN: { type: string; match: RegExp; why: string }[] = [];

const server = await startServer(t);
const metadata = await server.fhir('metadata');
// The audit trail is written in batches: write what the requests so far recorded.
await server.app.flushAudit();
const types: string[] = metadata.body.rest[0].resource.map((r: { type: string }) => r.type);
const registry = profileRegistry();

t.test('every registered type declares one of our profiles', async (t) => {
  t.ok(types.length >= 11, types.join(', '));
  for (const entry of metadata.body.rest[0].resource as { type: string; profile?: string; supportedProfile?: string[] }[]) {
    // The server's own audit trail and the terminology catalogue follow base R4, not an openIMIS profile.
    if (['AuditEvent', 'CodeSystem', 'ValueSet'].includes(entry.type)) continue;
    // A type over several tables (Practitioner) has no single base profile: one per table, all supported.
    const profiles = entry.profile ? [entry.profile] : entry.supportedProfile ?? [];
    t.ok(profiles.length && profiles.every((p) => registry.profile(p)), `${entry.type}: ${profiles.join(', ')}`);
  }
});

for (const type of types) {
  t.test(`every ${type} the demo database serves is valid`, async (t) => {
    let url: string | undefined = `${type}?_count=100`;
    let count = 0;
    const problems = new Map<string, number>();
    const known = new Map<string, { count: number; why: string }>();
    while (url) {
      const page = await server.fhir(url);
      t.equal(page.status, 200, `${url}: ${page.status}`);
      if (page.status !== 200) break;
      for (const entry of page.body.entry ?? []) {
        const resource = entry.resource;
        if (entry.search?.mode === 'include') continue;
        count++;
        const profile = resource.meta?.profile?.[0];
        if (!['AuditEvent', 'CodeSystem', 'ValueSet'].includes(type) && !profile) problems.set(`${type}/${resource.id}: no meta.profile`, 1);
        const issues = validateResource(resource, { profile }).filter((i: Issue) => (i.severity ?? 'error') === 'error');
        for (const issue of issues) {
          const generic = issue.diagnostics.replace(/\[\d+\]/g, '[]');
          const defect = KNOWN.find((k) => k.type === type && k.match.test(issue.diagnostics));
          if (defect) {
            known.set(generic, { count: (known.get(generic)?.count ?? 0) + 1, why: defect.why });
          } else {
            problems.set(`${generic} (e.g. ${type}/${resource.id})`, (problems.get(`${generic} (e.g. ${type}/${resource.id})`) ?? 0) + 1);
          }
        }
      }
      url = page.body.link?.find((l: { relation: string }) => l.relation === 'next')?.url;
    }
    t.ok(count > 0, `${count} ${type} resources served`);
    t.same([...problems.entries()].map(([k, n]) => `${n}× ${k}`), [], `every ${type} passes the schema, the core invariants and its profile`);
    for (const [issue, { count: n, why }] of known) t.fail(`${n}× ${issue}`, { todo: why });
  });
}
