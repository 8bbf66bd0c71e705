/**
 * Where the concepts of a code system come from:
 * - `staticSource`: the concepts of an IG CodeSystem file (profiles/), fixed lists of a few codes;
 * - `codeTableSource`: an openIMIS code table (tblEducations, tblProfessions, …: code, label, the
 *   French label in AltLanguage, SortOrder; not versioned, a few rows), read whole on each call, so
 *   a change by an administrator shows at once;
 * - `icdSource`: tblICDCodes, the diagnoses (hundreds to tens of thousands of rows, versioned): counted,
 *   filtered and paged in SQL, never read whole except for the full CodeSystem.
 * Every source answers the same four questions; `filter` matches a code that starts with the text or
 * a display (or French label) that contains it, ignoring case.
 */
import type { Knex } from 'knex';
import type { RequestContext } from '../fhir/types.js';
import type { Concept } from '../fhir/operations/terminology.js';
import { escapeLike } from '../db/dialect/index.js';

export interface Page {
  filter?: string;
  offset: number;
  /** Infinity for all. */
  count: number;
}

export interface ConceptSource {
  /** Codes matching the filter. */
  count(ctx: RequestContext, filter?: string): Promise<number>;
  /** A page of the codes matching the filter, in the code system's order. */
  page(ctx: RequestContext, page: Page): Promise<Concept[]>;
  /** The concepts of these codes (unknown codes left out). */
  find(ctx: RequestContext, codes: string[]): Promise<Concept[]>;
  /** Where the codes come from, for descriptions. */
  origin: string;
}

/** Concept matching for the small in-memory sources. */
function matches(concept: Concept, filter: string | undefined): boolean {
  if (!filter) return true;
  const text = filter.toLowerCase();
  return (
    concept.code.toLowerCase().startsWith(text) ||
    [concept.display, ...(concept.designation ?? []).map((d) => d.value)].some((d) => d?.toLowerCase().includes(text))
  );
}

function inMemory(all: (ctx: RequestContext) => Promise<Concept[]>, origin: string): ConceptSource {
  return {
    origin,
    async count(ctx, filter) {
      return (await all(ctx)).filter((c) => matches(c, filter)).length;
    },
    async page(ctx, { filter, offset, count }) {
      const found = (await all(ctx)).filter((c) => matches(c, filter));
      return found.slice(offset, count === Infinity ? undefined : offset + count);
    },
    async find(ctx, codes) {
      const wanted = new Set(codes);
      return (await all(ctx)).filter((c) => wanted.has(c.code));
    },
  };
}

interface JsonConcept {
  code: string;
  display?: string;
  designation?: Concept['designation'];
  concept?: JsonConcept[];
}

/** The concepts of an IG CodeSystem (nested concepts flattened, in document order). */
export function staticSource(concepts: JsonConcept[] = [], origin: string): ConceptSource {
  const flat: Concept[] = [];
  const walk = (list: JsonConcept[]) => {
    for (const c of list) {
      flat.push({ code: c.code, ...(c.display ? { display: c.display } : {}), ...(c.designation?.length ? { designation: c.designation } : {}) });
      walk(c.concept ?? []);
    }
  };
  walk(concepts);
  return inMemory(async () => flat, origin);
}

export interface CodeTableSpec {
  table: string;
  code: string;
  label: string;
}

const FRENCH = 'fr';

/** An openIMIS code table, in SortOrder then code order; AltLanguage becomes a French designation. */
export function codeTableSource(spec: CodeTableSpec): ConceptSource {
  const all = async (ctx: RequestContext): Promise<Concept[]> => {
    const rows: Record<string, unknown>[] = await ctx
      .db(spec.table)
      .select(`${spec.code} as code`, `${spec.label} as label`, 'AltLanguage as french', 'SortOrder as sort_order');
    return rows
      .map((r) => ({ code: String(r.code).trim(), label: text(r.label), french: text(r.french), sort: r.sort_order == null ? Infinity : Number(r.sort_order) }))
      .filter((r) => r.code !== '')
      .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code, 'en', { numeric: true }))
      .map((r) => ({
        code: r.code,
        ...(r.label ? { display: r.label } : {}),
        ...(r.french ? { designation: [{ language: FRENCH, value: r.french }] } : {}),
      }));
  };
  return { ...inMemory(all, `the openIMIS table ${spec.table}`) };
}

/** tblICDCodes: current rows, one per code (the lowest ICDID when a code repeats), ordered by code. */
export function icdSource(): ConceptSource {
  const current = (db: Knex) =>
    db('tblICDCodes as t')
      .whereNull('t.ValidityTo')
      .whereNotExists(
        db('tblICDCodes as d').select('d.ICDID').where('d.ICDCode', db.ref('t.ICDCode')).whereNull('d.ValidityTo').where('d.ICDID', '<', db.ref('t.ICDID')),
      );
  const filtered = (ctx: RequestContext, filter: string | undefined) => {
    const query = current(ctx.db);
    if (filter) {
      query.where((w) =>
        w
          .where(ctx.dialect.likeInsensitive(ctx.db, 't.ICDCode', `${escapeLike(filter)}%`))
          .orWhere(ctx.dialect.likeInsensitive(ctx.db, 't.ICDName', `%${escapeLike(filter)}%`)),
      );
    }
    return query;
  };
  const toConcept = (r: Record<string, unknown>): Concept => ({ code: String(r.ICDCode).trim(), ...(text(r.ICDName) ? { display: text(r.ICDName) } : {}) });
  return {
    origin: 'the openIMIS table tblICDCodes',
    async count(ctx, filter) {
      const row = await filtered(ctx, filter).count({ n: '*' }).first();
      return Number((row as { n?: unknown } | undefined)?.n ?? 0);
    },
    async page(ctx, { filter, offset, count }) {
      if (count <= 0) return [];
      const query = filtered(ctx, filter).select('t.ICDCode', 't.ICDName').orderBy('t.ICDCode').orderBy('t.ICDID');
      if (offset > 0) query.offset(offset);
      if (count !== Infinity) query.limit(count);
      return (await query).map(toConcept);
    },
    async find(ctx, codes) {
      if (codes.length === 0) return [];
      const rows: Record<string, unknown>[] = await current(ctx.db).whereIn('t.ICDCode', [...new Set(codes)]).select('t.ICDCode', 't.ICDName');
      return rows.map(toConcept);
    },
  };
}

const text = (value: unknown) => (value === null || value === undefined || String(value).trim() === '' ? undefined : String(value).trim());
