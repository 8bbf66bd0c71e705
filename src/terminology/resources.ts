/**
 * CodeSystem and ValueSet as engine resources (read, vread, search), read-only, any authenticated
 * user (the diagnoses: 111001, see catalogue.ts).
 *
 * They are no legacy rows: a CodeSystem is a whole code table, or a list of profiles/. The engine
 * serves what a ResourceDefinition selects from a table aliased `t`, so the catalogue is given to it as
 * a derived table of one row per code system (or value set) — id, url, name, title, status, content,
 * and the validity columns (ValidityFrom = when this process loaded the catalogue) — built from
 * constants in SQL, which every engine query reads: select() selects from it, and the `scope` hook puts
 * it in place of the (non-existent) table name in the queries that start from the name (COUNT). The
 * concepts of a database code system are loaded per page by loadDetails, which also gives it a version:
 * a new versionId whenever its content changed (so ETags and If-None-Match stay right while
 * administrators edit code tables).
 *
 * This is the interim form until the engine serves such resources itself (see the README of this
 * folder). Conformance resources follow base R4: no openIMIS profile is declared.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { CodeSystem, ValueSet } from 'fhir/r4.js';
import type { RequestContext, ResourceDefinition, Row, SearchParamDecl, VersionedTable } from '../fhir/types.js';
import { catalogue, mayUse, type Catalogue } from './catalogue.js';
import { codeSystemResource, conceptsOf, valueSetResource } from './code-system.js';

/** When this process loaded the catalogue: the version of everything that does not come from the database. */
const LOADED = new Date();

const table = (name: string): VersionedTable => ({
  name,
  pk: 'pk',
  uuid: 'id',
  validityFrom: 'ValidityFrom',
  validityTo: 'ValidityTo',
  legacyId: 'LegacyID',
  auditUser: 'AuditUserID',
});

interface CatalogueRow {
  id: string;
  url: string;
  name: string | null;
  title: string | null;
  status: string;
  content: string | null;
}

const TEXT_COLUMNS = ['id', 'url', 'name', 'title', 'status', 'content'] as const;

/** The rows as a derived table aliased `t`, portable SQL (a UNION ALL of constant selects, every value bound and cast). */
function derivedTable(db: Knex, rows: CatalogueRow[]): Knex.Raw {
  const bindings: Knex.RawBinding[] = [];
  const selects = rows.map((row, i) => {
    const columns: string[] = [];
    const value = (type: string, v: Knex.RawBinding, name: string) => {
      columns.push(`cast(? as ${type}) as ??`);
      bindings.push(v, name);
    };
    const empty = (type: string, name: string) => {
      columns.push(`cast(null as ${type}) as ??`);
      bindings.push(name);
    };
    value('integer', i + 1, 'pk');
    for (const c of TEXT_COLUMNS) value('varchar(255)', row[c], c);
    // A day, the only date-time type both engines spell alike; loadDetails sets the exact version instant.
    value('date', LOADED.toISOString().slice(0, 10), 'ValidityFrom');
    empty('date', 'ValidityTo');
    empty('integer', 'LegacyID');
    empty('integer', 'AuditUserID');
    return `select ${columns.join(', ')}`;
  });
  return db.raw(`(${selects.join(' union all ')}) as ??`, [...bindings, 't']);
}

const searchParams = (extra: SearchParamDecl[]): SearchParamDecl[] => [
  { code: 'url', type: 'uri', description: 'The canonical url', column: 't.url' },
  { code: 'name', type: 'string', description: 'Computer-friendly name', columns: ['t.name'], sortColumn: 't.name' },
  { code: 'title', type: 'string', description: 'Human-friendly name', columns: ['t.title'], sortColumn: 't.title' },
  { code: 'status', type: 'token', description: 'draft, active, retired, unknown', tokens: [{ column: 't.status', system: 'http://hl7.org/fhir/publication-status' }] },
  ...extra,
];

/** Any authenticated user; the diagnoses are left out for callers without their right (catalogue.ts). */
const READ = { read: [], vread: [], 'search-type': [] };

function hiddenFrom(cat: Catalogue, ctx: RequestContext): string[] {
  return cat.codeSystems.filter((e) => !mayUse(e, ctx)).map((e) => e.id);
}

/** The module's path names (CodeSystem/diagnosis) read the entry of the IG id they stand for. */
function aliasOf(id: string, canonicalId: string | undefined): { column: string; value: string } | undefined {
  return canonicalId && canonicalId !== id ? { column: 't.id', value: canonicalId } : undefined;
}

/** Content versions of the database code systems: a new version each time the content changes. */
const versions = new Map<string, { hash: string; since: Date }>();

function versionFor(id: string, content: unknown, now: Date): Date {
  const hash = createHash('sha256').update(JSON.stringify(content)).digest('base64url');
  const known = versions.get(id);
  if (known?.hash === hash) return known.since;
  // The first sight of a content is as old as the catalogue; a later change is as old as when it was seen.
  const since = known ? now : LOADED;
  versions.set(id, { hash, since });
  return since;
}

export function codeSystemDefinition(cat: Catalogue = catalogue()): ResourceDefinition<CodeSystem> {
  const rows = (): CatalogueRow[] =>
    cat.codeSystems.map((e) => ({
      id: e.id,
      url: e.url,
      name: e.definition.name ?? null,
      title: e.definition.title ?? null,
      status: e.definition.status,
      content: e.definition.content,
    }));
  const from = (db: Knex) => derivedTable(db, rows());
  return {
    type: 'CodeSystem',
    table: table('fhir_terminology_code_system'),
    codeColumn: 'id',
    readAlias: (id) => aliasOf(id, cat.codeSystem({ id })?.id),
    select: (db) => db.from(from(db)).select('t.*'),
    scope: (qb, ctx) => {
      qb.from(from(ctx.db));
      const hidden = hiddenFrom(cat, ctx);
      if (hidden.length) qb.whereNotIn('t.id', hidden);
    },
    loadDetails: async (loaded: Row[], ctx) => {
      for (const row of loaded) {
        const entry = cat.codeSystem({ id: String(row.id) });
        if (!entry) continue;
        const concepts = entry.fromDatabase ? await conceptsOf(entry, ctx) : undefined;
        row._resource = codeSystemResource(entry, concepts);
        row.ValidityFrom = concepts ? versionFor(entry.id, concepts, ctx.now()) : LOADED;
      }
    },
    toFhir: (row) => row._resource as CodeSystem,
    searchParams: searchParams([
      { code: 'system', type: 'uri', description: 'The canonical url (as CodeSystem.url)', column: 't.url' },
      { code: 'content-mode', type: 'token', description: 'complete, not-present, …', tokens: [{ column: 't.content', system: 'http://hl7.org/fhir/codesystem-content-mode' }] },
    ]),
    rights: READ,
  };
}

export function valueSetDefinition(cat: Catalogue = catalogue()): ResourceDefinition<ValueSet> {
  const rows = (): CatalogueRow[] =>
    cat.valueSets.map((e) => ({
      id: e.id,
      url: e.url,
      name: e.definition.name ?? null,
      title: e.definition.title ?? null,
      status: e.definition.status,
      content: null,
    }));
  const from = (db: Knex) => derivedTable(db, rows());
  return {
    type: 'ValueSet',
    table: table('fhir_terminology_value_set'),
    codeColumn: 'id',
    readAlias: (id) => aliasOf(id, cat.valueSet({ id })?.id),
    select: (db) => db.from(from(db)).select('t.*'),
    scope: (qb, ctx) => {
      qb.from(from(ctx.db));
    },
    loadDetails: async (loaded: Row[]) => {
      for (const row of loaded) row.ValidityFrom = LOADED;
    },
    toFhir: (row) => valueSetResource(cat.valueSet({ id: String(row.id) })!),
    searchParams: searchParams([]),
    rights: READ,
  };
}

