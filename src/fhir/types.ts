/**
 * The contract between the generic FHIR engine and the resources it serves. A resource declares, as
 * data, the table it lives in, how to select a row with everything its mapper needs, its search
 * parameters and the rights of each interaction; the engine does the rest.
 */
import type { Knex } from 'knex';
import type { Resource } from 'fhir/r4.js';
import type { Dialect } from '../db/dialect/index.js';

// Legacy rows are loosely typed: column values come straight from the driver.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;

/**
 * A table that keeps history as old-row copies: the current row keeps its key and UUID
 * (validityTo NULL); each update first copies the old values into a new row with
 * validityTo = change time and legacyId = the current key; a delete closes the current row.
 */
export interface VersionedTable {
  name: string;
  pk: string;
  uuid: string;
  validityFrom: string;
  validityTo: string;
  legacyId: string;
  auditUser: string;
  /**
   * A table of the modular openIMIS (Django HistoryModel) instead of the legacy copies: each row is
   * an entity updated in place, `counter` counting its versions (1 = created), and a delete sets the
   * boolean `deleted` flag. The table then holds only the latest version of each entity: validityFrom
   * names the instant of the last change (DateUpdated), validityTo and legacyId are not used. Such
   * tables are keyed by their UUID (`pk` equal to `uuid`).
   */
  inPlace?: { deleted: string; counter: string };
}

/** Whether the table's key is its UUID rather than an integer (the modular tables). */
export const uuidKeyed = (table: VersionedTable) => table.pk === table.uuid;

export type Interaction = 'read' | 'vread' | 'search-type' | 'create' | 'update' | 'patch' | 'delete' | 'history-instance' | 'history-type';

/** openIMIS RightIDs; a user needs any one of the listed rights. An empty list = any authenticated user. */
export type Rights = Partial<Record<Interaction, number[]>>;

export interface Caller {
  userId: number;
  userUuid: string;
  username: string;
  rights: ReadonlySet<number>;
  isAdmin: boolean;
}

export interface RequestContext {
  db: Knex;
  dialect: Dialect;
  caller: Caller;
  /**
   * The single-table definition of a registered type (for references, includes, chains): the type's
   * only one, or, for a type served from several tables, the source named (undefined without one).
   */
  resolve(type: string, source?: string): AnyResourceDefinition | undefined;
  /** A registered type as served: one definition, or several sources (sources.ts). */
  served(type: string): ServedType | undefined;
  /** Absolute base URL of the FHIR API the request came in on, e.g. http://host/api/api_fhir_r4 */
  baseUrl: string;
  currency: string;
  now: () => Date;
}

export interface WriteContext extends RequestContext {
  tx: Knex.Transaction;
  at: Date;
}

/** Token search target: a column and, when codes differ between FHIR and the legacy table, the map. */
export interface TokenColumn {
  column: string;
  /** Only match when the searched system is this one (or no system is given). */
  system?: string;
  /** FHIR code → legacy value(s). Without a map the code is compared as-is. */
  codes?: Record<string, string | number | boolean | (string | number | boolean)[]>;
  /** The column holds text that should match case-insensitively. */
  caseInsensitive?: boolean;
  /** The column holds UUIDs, stored lower case: lower the searched code, skip codes that are no UUID. */
  lowerCase?: boolean;
  /**
   * FHIR codes that are conditions rather than stored values, each a WHERE built at request time (e.g.
   * a status computed from dates against today). Only these codes match through this column then.
   * Under `:not` the condition is negated: write it so that it is never NULL (test NULL columns).
   */
  conditions?: Record<string, (w: Knex.QueryBuilder, ctx: RequestContext) => void>;
  /** A column holding the display text of the code (`:text` matches it). */
  display?: string;
  /** FHIR code → display, for mapped codes (`:text` matches the codes whose display matches). */
  displays?: Record<string, string>;
  /** This column lives in another table (see Via); the parameter's own `via` applies otherwise. */
  via?: Via;
}

/**
 * A hop to another table: the parameter's columns (named `v.<column>`), or for a reference the column
 * holding the target's key, live in `table`, whose `key` matches the main table's `from`. Searched as
 * `t.<from> IN (SELECT v.<key> FROM <table> v WHERE ...)` (NOT EXISTS for negations), included and
 * chained the same way: no join in the main query, no query per row.
 */
export interface Via {
  table: string;
  /** Column of the main table, `t.<column>`. */
  from: string;
  /** Column of `table` that `from` matches. */
  key: string;
  /** Only rows of `table` where this column is NULL count (its current rows, e.g. a validity column). */
  current?: string;
}

interface ParamBase {
  code: string;
  description: string;
  /** Canonical SearchParameter URL; defaults to the base R4 definition for the type. */
  definition?: string;
  /** A column usable in ORDER BY for _sort. */
  sortColumn?: string;
  /** The parameter's columns live in another table (see Via). */
  via?: Via;
}

export type SearchParamDecl = ParamBase &
  (
    | { type: 'string'; columns: string[] }
    | { type: 'token'; tokens: TokenColumn[] }
    | {
        type: 'date';
        column: string;
        precision: 'day' | 'instant';
        /**
         * A Period: `column` is its start, `endColumn` its end (inclusive at the column's precision);
         * NULL at either end is open. Prefixes follow the FHIR rules for ranges (search.html#prefix).
         */
        endColumn?: string;
        /**
         * Day precision over timestamp columns that hold days (legacy datetime / smalldatetime): the
         * day bounds are bound as UTC midnights, not 'YYYY-MM-DD' text, which SQL Server would read by
         * the session's DATEFORMAT.
         */
        daysAsTimestamps?: boolean;
      }
    | { type: 'number'; column: string }
    | {
        /** `[prefix]number[|system|code]`; a unit given must be the column's (no conversion). */
        type: 'quantity';
        column: string;
        /** The unit of every value in the column (e.g. urn:iso:std:iso:4217 and a currency). */
        unit?: { system: string; code: string } | ((ctx: RequestContext) => { system: string; code: string });
      }
    | {
        /** Canonical URLs and URIs: exact match (`:below` / `:above` by path segments). */
        type: 'uri';
        column: string;
      }
    | {
        type: 'reference';
        /** Column of the main table holding the target's key. */
        column: string;
        /** Resource type referenced; its definition is looked up in the registry. */
        target: string;
        /** The source of the target whose key the column holds, when the target type has several. */
        targetSource?: string;
        /**
         * The target has the same type and this reference is its parent (e.g. Location.partOf): `:below`
         * matches descendants and `:above` ancestors, up to this many levels.
         */
        hierarchyDepth?: number;
        constant?: undefined;
      }
    | {
        /** Every row references the same instance: one of the target's fixedInstances (by id). */
        type: 'reference';
        target: string;
        constant: string;
        column?: undefined;
        hierarchyDepth?: undefined;
        /** The source whose fixedInstances hold it, when the target type has several. */
        targetSource?: string;
      }
  );

export type SearchParamType = SearchParamDecl['type'];

export interface ResourceDefinition<R extends Resource = Resource> {
  type: R['resourceType'];
  /** Canonical URL of the profile this server conforms to for the type. */
  profile?: string;
  /**
   * Validation errors this resource accepts from its clients, as warnings: invariant keys or element
   * paths (e.g. legacy openIMIS input that the mappers understand but plain R4 refuses).
   */
  acceptedDeviations?: string[];
  table: VersionedTable;
  /**
   * When one FHIR type is served from several tables, each table is a complete definition of the
   * type (a "source") with a name unique within the type: references into it name it (targetSource).
   */
  source?: string;
  /**
   * For a type with several sources: whether a new resource (create, conditional update that
   * creates) belongs to this source, and that rule in words for the 422 when no source or several
   * take a body. A body whose meta.profile names a source's profile goes to that source first.
   */
  takes?: { rule: string; test(resource: R): boolean };
  /** Business code column for reads such as Patient/<CHFID>. */
  codeColumn?: string;
  /**
   * Other names a read answers to, tried when neither the UUID nor the code finds a row: the column
   * of the select (joins included, e.g. `h.CHFID` for Group/<head CHFID>) and the value to match
   * among current rows, or undefined when `id` is no alias.
   */
  readAlias?(id: string): { column: string; value: string } | undefined;
  /** A select of the main table aliased `t` with the joins and columns the mapper needs. */
  select(db: Knex): Knex.QueryBuilder;
  toFhir(row: Row, ctx: RequestContext): R;
  /**
   * Loads what a page of rows needs besides its own columns (claim lines, premiums, members) in a
   * few queries for the whole page, never one per row, by adding properties to the rows. Called
   * before toFhir wherever rows are mapped: read, vread, history, search, includes, writes.
   */
  loadDetails?(rows: Row[], ctx: RequestContext): Promise<void>;
  searchParams: SearchParamDecl[];
  rights: Rights;
  /**
   * Row-level security: narrows any query on the main table (aliased `t`) to the rows the caller
   * may see. Applied to every select the engine makes: search, read, history, includes, counts.
   */
  scope?(qb: Knex.QueryBuilder, ctx: RequestContext): void;
  /**
   * Read-only instances that live in configuration rather than in a table (the insurer
   * Organization). They answer reads by id; searches cover table rows only.
   */
  fixedInstances?(ctx: RequestContext): R[];
  /** Writes; absent where openIMIS does not allow the change. All run inside the request's transaction. */
  create?(resource: R, ctx: WriteContext): Promise<number>;
  update?(resource: R, current: Row, ctx: WriteContext): Promise<void>;
  delete?(current: Row, ctx: WriteContext): Promise<void>;
}

export type AnyResourceDefinition = ResourceDefinition<any>;

/**
 * A FHIR type served from several tables ("sources"), each a complete single-table definition with
 * a `source` name. Ids are UUIDs, unique across the tables; rights are the union of the sources' (each
 * interaction then checks the rights of the source it touches). See src/fhir/sources/README.md.
 */
export interface MultiSourceType {
  type: string;
  sources: AnyResourceDefinition[];
  rights: Rights;
}

/** A registered type as routes and interactions see it. */
export type ServedType = AnyResourceDefinition | MultiSourceType;

export function isMultiSource(def: ServedType): def is MultiSourceType {
  return 'sources' in def;
}
