/**
 * The proof walk shared by the validation tests: every registered type's search, all pages, over
 * HTTP, each served resource checked against the R4 JSON schema, the R4 core invariants and the
 * profile it claims in meta.profile[0]. Problems are grouped by message (array indexes removed) with
 * a count and an example id, so one mapper defect reads as one line however many rows show it.
 */
import type { Test } from 'tap';
import { validateResource } from '../../src/fhir/validation/index.js';
import type { Issue } from '../../src/fhir/outcome.js';
import type { TestServer } from './app.js';

/** Types that follow base R4 rather than an openIMIS profile: the server's audit trail and the terminology catalogue. */
export const UNPROFILED_TYPES = ['AuditEvent', 'CodeSystem', 'ValueSet'];

/**
 * A known defect of a mapper, reported and left to its owner: checked as a `todo` (it shows, does not
 * fail the run, and says so once fixed). Matched by type and invariant key or expression.
 */
export interface KnownDefect {
  type: string;
  match: RegExp;
  why: string;
}

export interface WalkResult {
  /** Resources served per type (search matches, not includes). */
  counts: Map<string, number>;
  /** The shapes served per type (elementPaths). */
  paths: Map<string, Set<string>>;
}

/**
 * The shape of a resource as element paths: `Patient.name.given`, extensions by the last segment of
 * their URL (`Patient.extension[patient-card-issued].valueBoolean`), and the codes of codings
 * (`…coding.code=H`), so two datasets can be compared for the variety of what they serve.
 */
export function elementPaths(value: unknown, prefix: string, out: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) elementPaths(item, prefix, out);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const path = `${prefix}.${key}`;
      if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(child)) {
        for (const ext of child as { url?: string }[]) elementPaths(ext, `${path}[${String(ext.url).split('/').pop()}]`, out);
        continue;
      }
      if (key === 'url' && prefix.endsWith(']')) continue;
      out.add(path);
      if (key === 'code' && prefix.endsWith('.coding') && typeof child === 'string') out.add(`${path}=${child}`);
      elementPaths(child, path, out);
    }
  }
  return out;
}

/** Pages through the search of each type and collects the shapes served, without validating (a reference dataset). */
export async function servedPaths(server: TestServer, types: string[]): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  for (const type of types) {
    const paths = new Set<string>();
    let url: string | undefined = `${type}?_count=500`;
    while (url) {
      const page = await server.fhir(url);
      if (page.status !== 200) throw new Error(`${url}: ${page.status} ${JSON.stringify(page.body)}`);
      for (const entry of page.body.entry ?? []) if (entry.search?.mode !== 'include') elementPaths(entry.resource, type, paths);
      url = page.body.link?.find((l: { relation: string }) => l.relation === 'next')?.url;
    }
    result.set(type, paths);
  }
  return result;
}

/** The types the server registers, in /metadata order. */
export async function registeredTypes(server: TestServer): Promise<{ type: string; profile?: string; supportedProfile?: string[] }[]> {
  const metadata = await server.fhir('metadata');
  return metadata.body.rest[0].resource;
}

/**
 * Walks each type of `types` as a subtest named `every <type> <label> is valid`. `minimum` is the
 * number of resources a type must at least serve (1 by default; 0 for types the dataset may lack).
 */
export async function walkServedResources(
  t: Test,
  server: TestServer,
  opts: { types: string[]; label: string; known?: KnownDefect[]; pageSize?: number; minimum?: (type: string) => number },
): Promise<WalkResult> {
  const result: WalkResult = { counts: new Map(), paths: new Map() };
  const known = opts.known ?? [];
  for (const type of opts.types) {
    await t.test(`every ${type} ${opts.label} is valid`, async (t) => {
      let url: string | undefined = `${type}?_count=${opts.pageSize ?? 100}`;
      let count = 0;
      const problems = new Map<string, number>();
      const defects = new Map<string, { count: number; why: string }>();
      const paths = new Set<string>();
      while (url) {
        const page = await server.fhir(url);
        t.equal(page.status, 200, `${url}: ${page.status}`);
        if (page.status !== 200) break;
        for (const entry of page.body.entry ?? []) {
          const resource = entry.resource;
          if (entry.search?.mode === 'include') continue;
          count++;
          elementPaths(resource, type, paths);
          const profile = resource.meta?.profile?.[0];
          if (!UNPROFILED_TYPES.includes(type) && !profile) problems.set(`${type}/${resource.id}: no meta.profile`, 1);
          const issues = validateResource(resource, { profile }).filter((i: Issue) => (i.severity ?? 'error') === 'error');
          for (const issue of issues) {
            const generic = issue.diagnostics.replace(/\[\d+\]/g, '[]');
            const defect = known.find((k) => k.type === type && k.match.test(issue.diagnostics));
            if (defect) {
              defects.set(generic, { count: (defects.get(generic)?.count ?? 0) + 1, why: defect.why });
            } else {
              const key = `${generic} (e.g. ${type}/${resource.id})`;
              problems.set(key, (problems.get(key) ?? 0) + 1);
            }
          }
        }
        url = page.body.link?.find((l: { relation: string }) => l.relation === 'next')?.url;
      }
      result.counts.set(type, count);
      result.paths.set(type, paths);
      const minimum = opts.minimum?.(type) ?? 1;
      t.ok(count >= minimum, `${count} ${type} resources served (at least ${minimum})`);
      t.same([...problems.entries()].map(([k, n]) => `${n}× ${k}`), [], `every ${type} passes the schema, the core invariants and its profile`);
      for (const [issue, { count: n, why }] of defects) t.fail(`${n}× ${issue}`, { todo: why });
    });
  }
  return result;
}
