/**
 * ProfileRegistry: our StructureDefinitions (profiles and extensions), CodeSystems and ValueSets,
 * loaded from profiles/*.json at start-up and compiled once. It answers what profile validation
 * asks: a profile by canonical URL, an extension by url (or one of the url variants the openIMIS
 * module and its clients send), the codes of a ValueSet of ours.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue } from '../outcome.js';
import { canonicalOf, coreTypeOf, igArtifactId, IG_BASE } from './canonical.js';
import { compileInvariant, invariantStats } from './fhirpath.js';
import { compileProfile, profileInvariants, validateAgainstProfile, type CompiledProfile, type ProfileContext, type StructureDefinitionJson } from './profile.js';

interface Concept {
  code: string;
  display?: string;
  concept?: Concept[];
}

export interface CodeSystemJson {
  resourceType: 'CodeSystem';
  id: string;
  url: string;
  concept?: Concept[];
}

export interface ValueSetJson {
  resourceType: 'ValueSet';
  id: string;
  url: string;
  compose?: { include?: { system?: string; concept?: { code: string }[]; valueSet?: string[] }[]; exclude?: { system?: string; concept?: { code: string }[] }[] };
}

type Artifact = StructureDefinitionJson | CodeSystemJson | ValueSetJson;

export class ProfileRegistry implements ProfileContext {
  private readonly profiles = new Map<string, CompiledProfile>();
  private readonly codeSystems = new Map<string, CodeSystemJson>();
  private readonly valueSets = new Map<string, ValueSetJson>();
  private readonly expansions = new Map<string, Set<string> | undefined>();
  /** Files the registry was loaded from, by canonical URL. */
  readonly sources = new Map<string, string>();

  /** Loads every *.json of a folder (profiles/): StructureDefinitions, CodeSystems, ValueSets. */
  static load(dir: string): ProfileRegistry {
    const registry = new ProfileRegistry();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const path = join(dir, file);
      let json: Artifact;
      try {
        json = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`);
      }
      registry.add(json, path);
    }
    registry.check();
    return registry;
  }

  add(artifact: Artifact, source = '(added)'): void {
    const url = artifact.url;
    if (this.sources.has(url)) throw new Error(`${source}: ${url} is already defined in ${this.sources.get(url)}`);
    switch (artifact.resourceType) {
      case 'StructureDefinition':
        this.profiles.set(url, compileProfile(artifact));
        break;
      case 'CodeSystem':
        this.codeSystems.set(url, artifact);
        break;
      case 'ValueSet':
        this.valueSets.set(url, artifact);
        break;
      default:
        throw new Error(`${source}: a ${(artifact as { resourceType?: string }).resourceType} is not a conformance resource the registry holds`);
    }
    this.sources.set(url, source);
    this.expansions.clear();
  }

  /** Consistency of what was loaded: bound ValueSets and extension profiles exist, invariants compile. */
  check(): string[] {
    const problems: string[] = [];
    for (const profile of this.profiles.values()) {
      for (const element of profile.sd.differential.element) {
        const vs = element.binding?.valueSet;
        if (vs && element.binding?.strength === 'required' && vs.startsWith(IG_BASE) && !this.valueSetCodes(vs)) {
          problems.push(`${profile.id} ${element.id ?? element.path}: ValueSet ${vs} is not defined`);
        }
        for (const type of element.type ?? []) {
          for (const p of type.profile ?? []) {
            if (p.startsWith(IG_BASE) && !this.profiles.has(p)) problems.push(`${profile.id} ${element.id ?? element.path}: extension ${p} is not defined`);
          }
          for (const p of type.targetProfile ?? []) {
            if (!this.typeOfProfile(p)) problems.push(`${profile.id} ${element.id ?? element.path}: targetProfile ${p} is not known`);
          }
        }
      }
      for (const inv of profileInvariants(profile)) compileInvariant(inv);
    }
    if (problems.length) throw new Error(`profiles are inconsistent:\n${problems.join('\n')}`);
    return problems;
  }

  profile(url: string): CompiledProfile | undefined {
    return this.profiles.get(url) ?? this.profiles.get(canonicalOf(url, 'StructureDefinition'));
  }

  /** Profiles of resources (not extensions). */
  resourceProfiles(): CompiledProfile[] {
    return [...this.profiles.values()].filter((p) => p.kind === 'resource');
  }

  extensionProfiles(): CompiledProfile[] {
    return [...this.profiles.values()].filter((p) => p.type === 'Extension');
  }

  codeSystemList(): CodeSystemJson[] {
    return [...this.codeSystems.values()];
  }

  valueSetList(): ValueSetJson[] {
    return [...this.valueSets.values()];
  }

  // -- ProfileContext

  extension(url: string): { profile: CompiledProfile; exact: boolean } | undefined {
    const exact = this.profiles.get(url);
    if (exact) return exact.type === 'Extension' ? { profile: exact, exact: true } : undefined;
    const id = igArtifactId(url);
    if (!id || (id.kind !== 'StructureDefinition' && id.kind !== 'CodeSystem')) return undefined;
    const profile = this.profiles.get(`${IG_BASE}/StructureDefinition/${id.id}`);
    return profile?.type === 'Extension' ? { profile, exact: false } : undefined;
  }

  canonicalSystem(system: string): string {
    const canonical = canonicalOf(system, 'CodeSystem');
    return this.codeSystems.has(canonical) ? canonical : system;
  }

  typeOfProfile(url: string): string | undefined {
    return coreTypeOf(url) ?? this.profile(url)?.type;
  }

  valueSetCodes(url: string): Set<string> | undefined {
    const canonical = canonicalOf(url, 'ValueSet');
    if (this.expansions.has(canonical)) return this.expansions.get(canonical);
    this.expansions.set(canonical, undefined); // cycle guard
    const vs = this.valueSets.get(canonical);
    let codes: Set<string> | undefined;
    if (vs) {
      codes = new Set();
      for (const include of vs.compose?.include ?? []) {
        const system = include.system;
        if (system && include.concept?.length) {
          for (const c of include.concept) codes.add(`${system}|${c.code}`);
        } else if (system) {
          const cs = this.codeSystems.get(system);
          if (!cs) {
            codes = undefined; // a whole external code system: not enumerable here
            break;
          }
          const walk = (concepts: Concept[] = []) => {
            for (const c of concepts) {
              codes!.add(`${system}|${c.code}`);
              walk(c.concept);
            }
          };
          walk(cs.concept);
        }
        for (const other of include.valueSet ?? []) {
          const nested = this.valueSetCodes(other);
          if (!nested) {
            codes = undefined;
            break;
          }
          nested.forEach((c) => codes!.add(c));
        }
        if (!codes) break;
      }
      if (codes) {
        for (const exclude of vs.compose?.exclude ?? []) {
          for (const c of exclude.concept ?? []) codes.delete(`${exclude.system}|${c.code}`);
        }
      }
    }
    this.expansions.set(canonical, codes);
    return codes;
  }

  /** Validates a resource against one of the registered profiles and the profiles of ours it derives from. */
  validate(resource: unknown, profileUrl: string): Issue[] {
    let profile = this.profile(profileUrl);
    if (!profile) {
      return [{ severity: 'error', code: 'not-supported', diagnostics: `The profile ${profileUrl} is not known to this server`, expression: ['meta.profile'] }];
    }
    const issues: Issue[] = [];
    const seen = new Set<string>();
    while (profile && !seen.has(profile.url)) {
      seen.add(profile.url);
      for (const issue of validateAgainstProfile(resource, profile, this)) {
        if (!issues.some((i) => i.diagnostics === issue.diagnostics)) issues.push(issue);
      }
      profile = profile.sd.baseDefinition ? this.profiles.get(profile.sd.baseDefinition) : undefined;
    }
    return issues;
  }

  stats() {
    return {
      profiles: this.resourceProfiles().length,
      extensions: this.extensionProfiles().length,
      codeSystems: this.codeSystems.size,
      valueSets: this.valueSets.size,
      invariants: { compiled: invariantStats.compiled, skipped: invariantStats.skipped.length },
    };
  }
}
