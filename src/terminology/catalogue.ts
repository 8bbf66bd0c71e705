/**
 * The code systems and value sets this server serves, with canonical URLs under the openIMIS IG
 * (https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/<id>, …/ValueSet/<id>):
 *
 * - every CodeSystem and ValueSet of profiles/ (the IG's, as the validator enforces them);
 * - the IG code systems that stand for an openIMIS database table (`content: not-present` in
 *   profiles/, they differ per implementation) are served from that table, complete, with the French
 *   label (AltLanguage) as a designation: diagnoses (tblICDCodes), education, profession,
 *   identification types, relationships, family (group) types, confirmation types, health-facility
 *   legal forms and sublevels, payer types.
 *
 * Ids are the IG's (= the openIMIS module's body ids: diagnosis-ICD10-level1, patient-education-level…);
 * the module's path names `diagnosis` and `organization-hf-legal-form` are accepted as aliases.
 *
 * Rights (openIMIS module, §1.4 / §5.2): the diagnoses need claim search (111001), as the module's
 * CodeSystem/diagnosis does; every other code system any authenticated user (the module made master
 * data authentication-only). A value set needs the rights of the code systems whose codes it gives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CodeSystem, ValueSet } from 'fhir/r4.js';
import type { RequestContext } from '../fhir/types.js';
import { forbidden } from '../fhir/outcome.js';
import { igArtifactId } from '../fhir/validation/canonical.js';
import { projectFile } from '../paths.js';
import { CODE_TABLES } from '../resources/code-tables.js';
import { codeTableSource, icdSource, staticSource, type ConceptSource } from './sources.js';

export const IG_BASE = 'https://openimis.github.io/openimis_fhir_r4_ig';
export const DIAGNOSES = 'diagnosis-ICD10-level1';
/** Claim search: the right the module asks for CodeSystem/diagnosis. */
export const DIAGNOSES_READ = [111001];

export interface CodeSystemEntry {
  id: string;
  url: string;
  /** The IG CodeSystem (for database tables: without concepts). */
  definition: CodeSystem;
  source: ConceptSource;
  /** Served from an openIMIS table (complete), rather than the fixed IG list. */
  fromDatabase: boolean;
  /** openIMIS rights of which a caller needs one; [] = any authenticated user. */
  rights: number[];
}

export interface ValueSetEntry {
  id: string;
  url: string;
  definition: ValueSet;
}

/** The IG code systems the openIMIS database holds, by IG id. */
const DATABASE: Record<string, { source: () => ConceptSource; rights?: number[] }> = {
  [DIAGNOSES]: { source: icdSource, rights: DIAGNOSES_READ },
  'patient-education-level': { source: () => codeTableSource(CODE_TABLES.education) },
  'patient-profession': { source: () => codeTableSource(CODE_TABLES.profession) },
  'patient-identification-type': { source: () => codeTableSource(CODE_TABLES.identificationType) },
  'patient-contact-relationship': { source: () => codeTableSource(CODE_TABLES.relation) },
  'group-type': { source: () => codeTableSource(CODE_TABLES.familyType) },
  'group-confirmation-type': { source: () => codeTableSource(CODE_TABLES.confirmationType) },
  'organization-legal-form': { source: () => codeTableSource(CODE_TABLES.legalForm) },
  'organization-hf-sublevel': { source: () => codeTableSource(CODE_TABLES.hfSublevel) },
  'payer-type': { source: () => codeTableSource({ table: 'tblPayerType', code: 'Code', label: 'PayerType' }) },
};

/** The openIMIS module's CodeSystem paths that differ from the IG ids. */
const ALIASES: Record<string, string> = {
  diagnosis: DIAGNOSES,
  'organization-hf-legal-form': 'organization-legal-form',
};

function loadFolder<T>(prefix: string): T[] {
  const dir = projectFile('profiles');
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as T);
}

export class Catalogue {
  readonly codeSystems: readonly CodeSystemEntry[];
  readonly valueSets: readonly ValueSetEntry[];
  private readonly systemsById = new Map<string, CodeSystemEntry>();
  private readonly valueSetsById = new Map<string, ValueSetEntry>();

  constructor(codeSystems: CodeSystem[], valueSets: ValueSet[]) {
    this.codeSystems = codeSystems.map((cs): CodeSystemEntry => {
      const db = DATABASE[cs.id!];
      const { concept, count, ...definition } = cs;
      return db
        ? { id: cs.id!, url: cs.url!, definition: { ...definition, content: 'complete' }, source: db.source(), fromDatabase: true, rights: db.rights ?? [] }
        : { id: cs.id!, url: cs.url!, definition: cs, source: staticSource(concept, `the IG code system ${cs.id}`), fromDatabase: false, rights: [] };
    });
    this.valueSets = valueSets.map((vs) => ({ id: vs.id!, url: vs.url!, definition: vs }));
    for (const entry of this.codeSystems) this.systemsById.set(entry.id, entry);
    for (const entry of this.valueSets) this.valueSetsById.set(entry.id, entry);
  }

  /** The IG code systems and value sets of profiles/. */
  static load(): Catalogue {
    return new Catalogue(loadFolder<CodeSystem>('CodeSystem-'), loadFolder<ValueSet>('ValueSet-'));
  }

  codeSystem(ref: { url?: string; id?: string }): CodeSystemEntry | undefined {
    const id = ref.id ?? idOf(ref.url, 'CodeSystem');
    return id === undefined ? undefined : this.systemsById.get(ALIASES[id] ?? id);
  }

  valueSet(ref: { url?: string; id?: string }): ValueSetEntry | undefined {
    const id = ref.id ?? idOf(ref.url, 'ValueSet');
    return id === undefined ? undefined : this.valueSetsById.get(ALIASES[id] ?? id);
  }
}

/** The IG id of a canonical url in any of the forms clients send (doubled slash, relative, .html, |version). */
function idOf(url: string | undefined, kind: 'CodeSystem' | 'ValueSet'): string | undefined {
  if (!url) return undefined;
  const artifact = igArtifactId(url);
  return artifact && artifact.kind === kind ? artifact.id : undefined;
}

export function mayUse(entry: CodeSystemEntry, ctx: Pick<RequestContext, 'caller'>): boolean {
  return entry.rights.length === 0 || ctx.caller.isAdmin || entry.rights.some((r) => ctx.caller.rights.has(r));
}

export function assertMayUse(entry: CodeSystemEntry, ctx: Pick<RequestContext, 'caller'>): void {
  if (!mayUse(entry, ctx)) throw forbidden(`The code system ${entry.id} requires one of the openIMIS rights ${entry.rights.join(', ')}`);
}

let shared: Catalogue | undefined;

/** The catalogue of profiles/, loaded once. */
export function catalogue(): Catalogue {
  shared ??= Catalogue.load();
  return shared;
}
