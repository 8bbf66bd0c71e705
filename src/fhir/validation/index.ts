/**
 * Validation of incoming resources, for create / update / patch and $validate:
 *
 *   validateResource(resource, { profile }) → Issue[]
 *
 * 1. the pristine FHIR R4 JSON schema (schema.ts) — structure, datatypes, code enums, no empty
 *    elements, one member per choice element;
 * 2. when the structure is sound: the R4 core invariants (invariants.ts: pat-1, per-1, org-3, …);
 * 3. when the structure is sound: the profile — `opts.profile`, else the profiles of
 *    `meta.profile` this server knows — against our StructureDefinitions in profiles/
 *    (profile.ts, ProfileRegistry).
 *
 * Issues of severity `error` mean the resource must be rejected (422 with an OperationOutcome);
 * `warning` issues (a non-canonical extension url the server accepts, an unknown meta.profile)
 * do not. The engine knows nothing of openIMIS: the profiles are data.
 */
import type { Issue } from '../outcome.js';
import { projectFile } from '../../paths.js';
import { ProfileRegistry } from './registry.js';
import { validateSchema, warmUpSchema } from './schema.js';
import { checkCoreInvariants, coreInvariants } from './invariants.js';
import { compileInvariant, invariantStats } from './fhirpath.js';

export { ProfileRegistry } from './registry.js';
export { validateSchema } from './schema.js';
export { invariantStats } from './fhirpath.js';

export interface ValidateOptions {
  /** Canonical URL of the profile to validate against (the resource definition's `profile`). */
  profile?: string;
  /** Defaults to the registry of profiles/*.json (loaded on first use). */
  registry?: ProfileRegistry;
  /** Skip the profiles named in meta.profile (only opts.profile is checked). */
  ignoreMetaProfiles?: boolean;
  /**
   * Errors this server chooses to accept, reported as warnings instead: invariant keys (`ref-1`,
   * `dom-3`, `pat-1`) or element paths without indexes (`Claim.priority`). For legacy openIMIS
   * clients whose input the mappers accept but plain R4 does not (see README of profiles/).
   */
  relax?: string[];
}

let defaultRegistry: ProfileRegistry | undefined;

/** The registry of profiles/*.json, loaded once. */
export function profileRegistry(): ProfileRegistry {
  defaultRegistry ??= ProfileRegistry.load(projectFile('profiles'));
  return defaultRegistry;
}

export function validateResource(resource: unknown, opts: ValidateOptions = {}): Issue[] {
  const relax = opts.relax?.length ? relaxer(opts.relax) : (issues: Issue[]) => issues;
  const issues = relax(validateSchema(resource));
  if (!isValid(issues)) return issues;
  issues.push(...relax(checkCoreInvariants(resource)));
  const registry = opts.registry ?? profileRegistry();
  const profiles = new Set<string>();
  if (opts.profile) profiles.add(opts.profile);
  if (!opts.ignoreMetaProfiles) {
    const claimed = (resource as { meta?: { profile?: unknown } }).meta?.profile;
    if (Array.isArray(claimed)) {
      claimed.forEach((url, i) => {
        if (typeof url !== 'string') return;
        if (registry.profile(url)) profiles.add(registry.profile(url)!.url);
        else {
          issues.push({
            severity: 'warning',
            code: 'not-supported',
            diagnostics: `meta.profile[${i}]: the profile ${url} is not known to this server and was not checked`,
            expression: [`${(resource as { resourceType: string }).resourceType}.meta.profile[${i}]`],
          });
        }
      });
    }
  }
  const checked = new Set<string>();
  for (const url of profiles) {
    const canonical = registry.profile(url)?.url ?? url;
    if (checked.has(canonical)) continue;
    checked.add(canonical);
    issues.push(...relax(registry.validate(resource, canonical)));
  }
  return issues;
}

function relaxer(entries: string[]) {
  const keys = new Set(entries);
  return (issues: Issue[]) =>
    issues.map((issue) => {
      if ((issue.severity ?? 'error') !== 'error') return issue;
      const key = /\(([a-z]+-[\w-]+)\)$/.exec(issue.diagnostics)?.[1];
      const path = issue.expression?.[0]?.replace(/\[\d+\]/g, '');
      if ((key && keys.has(key)) || (path && keys.has(path))) {
        return { ...issue, severity: 'warning' as const, diagnostics: `${issue.diagnostics} (accepted by this server)` };
      }
      return issue;
    });
}

/** true when no issue is an error. */
export const isValid = (issues: Issue[]) => !issues.some((i) => (i.severity ?? 'error') === 'error');

/**
 * Compiles everything up front (at start-up) so the first write does not pay for it: the JSON
 * schema of the given resource types (about 1.5 s for the first, less for the next), the
 * profiles, and the FHIRPath invariants. Returns what was compiled and skipped.
 */
export function warmUpValidation(resourceTypes: string[], registry = profileRegistry()) {
  warmUpSchema(resourceTypes);
  for (const inv of coreInvariants()) compileInvariant(inv);
  return { ...registry.stats(), invariants: { compiled: invariantStats.compiled, skipped: invariantStats.skipped } };
}
