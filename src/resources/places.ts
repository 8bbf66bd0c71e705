/**
 * The location tree (tblLocations) and the health facilities (tblHF) held in memory, so that a page
 * of insurees or families gets its address (village → ward → district → region) and its facility
 * without four self-joins of tblLocations and a join of tblHF in its query: those joins dominated
 * the planning and the cost of every Patient and Group query. Both tables are small (a country has
 * some ten thousand villages) and change rarely.
 *
 * Freshness, i.e. when a change becomes visible in the addresses and facility references served:
 * - changes written through this server (Location, Organization): at once; the writes invalidate the
 *   snapshot when they happen and again when their outermost transaction ends;
 * - changes made by anything else (openIMIS itself, a DBA): within `maxAgeMs`
 *   (LOCATION_CACHE_SECONDS, 60 s by default; 0 reloads for every request): the first request that
 *   finds the snapshot older reloads it (one load at a time, two queries);
 * - a location or facility the snapshot does not hold (created since the load, or inside the
 *   request's own transaction) is read from the database with the request's connection, for that
 *   request only.
 * Rows are kept whatever their validity, as the joins they replace were: a reference names a row.
 */
import type { Knex } from 'knex';
import { whenTransactionEnds } from '../db/transactions.js';

export interface Place {
  id: number;
  uuid: string;
  code: string | null;
  name: string | null;
  parentId: number | null;
}

export interface Facility {
  id: number;
  uuid: string;
  code: string | null;
  name: string | null;
}

interface Snapshot {
  locations: Map<number, Place>;
  facilities: Map<number, Facility>;
  loadedAt: number;
}

const LOCATION_COLUMNS = ['LocationId', 'LocationUUID', 'LocationCode', 'LocationName', 'ParentLocationId'];
const FACILITY_COLUMNS = ['HfID', 'HfUUID', 'HFCode', 'HFName'];

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const toPlace = (r: Record<string, unknown>): Place => ({
  id: Number(r.LocationId),
  uuid: String(r.LocationUUID).toLowerCase(),
  code: text(r.LocationCode),
  name: text(r.LocationName),
  parentId: r.ParentLocationId === null || r.ParentLocationId === undefined ? null : Number(r.ParentLocationId),
});
const toFacility = (r: Record<string, unknown>): Facility => ({
  id: Number(r.HfID),
  uuid: String(r.HfUUID).toLowerCase(),
  code: text(r.HFCode),
  name: text(r.HFName),
});

/** A view of the places for one request: the snapshot, plus what this request had to read itself. */
export class PlaceLookup {
  constructor(
    private readonly locations: Map<number, Place>,
    private readonly facilities: Map<number, Facility>,
  ) {}

  location(id: unknown): Place | undefined {
    return id === null || id === undefined ? undefined : this.locations.get(Number(id));
  }

  facility(id: unknown): Facility | undefined {
    return id === null || id === undefined ? undefined : this.facilities.get(Number(id));
  }
}

export class Places {
  private snapshot?: Snapshot;
  private loading?: Promise<Snapshot>;
  /** Bumped by every invalidation: a load that started before one is not kept. */
  private generation = 0;

  /** Without a database of its own nothing is kept: every lookup reads through the request's. */
  constructor(
    private readonly db: Knex | undefined,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The places with the given locations (and all their ancestors) and facilities, read through `db`
   * (the request's connection or transaction) when the snapshot lacks them.
   */
  async lookup(db: Knex, wanted: { locations?: unknown[]; facilities?: unknown[] }): Promise<PlaceLookup> {
    // Inside a transaction a stale snapshot is not reloaded through the pool: the transaction may
    // hold the only connection (PGlite). The request then reads what it needs through `db`.
    const inTransaction = (db as { isTransaction?: boolean }).isTransaction === true;
    const snapshot = inTransaction || !this.db ? this.fresh() : await this.current();
    const locations = snapshot?.locations ?? new Map<number, Place>();
    const facilities = snapshot?.facilities ?? new Map<number, Facility>();
    const missingLocations = ids(wanted.locations).filter((id) => !locations.has(id));
    const missingFacilities = ids(wanted.facilities).filter((id) => !facilities.has(id));
    if (missingLocations.length === 0 && missingFacilities.length === 0) return new PlaceLookup(locations, facilities);
    const extraLocations = new Map(locations);
    const extraFacilities = new Map(facilities);
    // Up the tree, one level per query: a village is three levels below its region.
    let frontier = missingLocations;
    for (let level = 0; level < 4 && frontier.length; level++) {
      const rows: Record<string, unknown>[] = await db('tblLocations').select(LOCATION_COLUMNS).whereIn('LocationId', frontier);
      for (const place of rows.map(toPlace)) extraLocations.set(place.id, place);
      frontier = ids(rows.map((r) => r.ParentLocationId)).filter((id) => !extraLocations.has(id));
    }
    if (missingFacilities.length) {
      const rows: Record<string, unknown>[] = await db('tblHF').select(FACILITY_COLUMNS).whereIn('HfID', missingFacilities);
      for (const facility of rows.map(toFacility)) extraFacilities.set(facility.id, facility);
    }
    return new PlaceLookup(extraLocations, extraFacilities);
  }

  /** Marks the snapshot stale now and once the outermost transaction of `tx` has ended. */
  changedIn(tx: Knex.Transaction): void {
    this.invalidate();
    whenTransactionEnds(tx, () => this.invalidate());
  }

  invalidate(): void {
    this.generation++;
    this.snapshot = undefined;
    this.loading = undefined;
  }

  private fresh(): Snapshot | undefined {
    const snapshot = this.snapshot;
    return snapshot && this.now() - snapshot.loadedAt < this.maxAgeMs ? snapshot : undefined;
  }

  private current(): Promise<Snapshot> {
    const snapshot = this.fresh();
    if (snapshot) return Promise.resolve(snapshot);
    if (!this.loading) {
      const loading = this.load().finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  private async load(): Promise<Snapshot> {
    const db = this.db!;
    const generation = this.generation;
    const loadedAt = this.now();
    const [locations, facilities] = await Promise.all([
      db('tblLocations').select(LOCATION_COLUMNS) as Promise<Record<string, unknown>[]>,
      db('tblHF').select(FACILITY_COLUMNS) as Promise<Record<string, unknown>[]>,
    ]);
    const snapshot: Snapshot = {
      locations: new Map(locations.map((r) => [Number(r.LocationId), toPlace(r)])),
      facilities: new Map(facilities.map((r) => [Number(r.HfID), toFacility(r)])),
      loadedAt,
    };
    if (generation === this.generation) this.snapshot = snapshot;
    return snapshot;
  }
}

function ids(values: unknown[] | undefined): number[] {
  const out = new Set<number>();
  for (const v of values ?? []) {
    if (v === null || v === undefined || v === '') continue;
    const n = Number(v);
    if (Number.isInteger(n)) out.add(n);
  }
  return [...out];
}
