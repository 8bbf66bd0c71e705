/**
 * What every generator step shares: the options, the load target, the id counters, the per-domain
 * random streams and the reference data produced by earlier steps.
 */
import type { LoadTarget, TableSink, Value } from './copy.js';
import { Prng } from './prng.js';
import { stamp } from './dates.js';

export interface GeneratorOptions {
  /** Number of persons (tblInsuree entities, not counting history rows). */
  insurees: number;
  /** Seed of every random stream. */
  seed: number;
  /** Reference "today" as a day number; all dates are generated relative to it. */
  today: number;
  /** Claims per insuree per year of paid coverage. */
  claimsPerInsureeYear: number;
}

export const DEFAULT_CLAIMS_PER_INSUREE_YEAR = 0.5;

/** Shares of the history pattern (research notes §5). */
export const SHARES = {
  insureeHistory: 0.05,
  insureeDeleted: 0.005,
  familyHistory: 0.03,
  familyDeleted: 0.003,
  locationHistory: 0.04,
  officerHistory: 0.1,
  policyHistory: 0.25,
  claimHistory: 0.15,
  claimDeleted: 0.004,
  feedback: 0.03,
  photo: 0.6,
};

/** Next free primary key per table (explicit ids, so rows can reference each other while streaming). */
export class Ids {
  private readonly next = new Map<string, number>();
  constructor(start: Record<string, number> = {}) {
    for (const [table, max] of Object.entries(start)) this.next.set(table, max + 1);
  }
  take(table: string): number {
    const id = this.next.get(table) ?? 1;
    this.next.set(table, id + 1);
    return id;
  }
  peek(table: string): number {
    return this.next.get(table) ?? 1;
  }
}

export interface GeneratorContext {
  readonly opts: GeneratorOptions;
  readonly target: LoadTarget;
  readonly ids: Ids;
  /** The user id written into AuditUserID by default (the administrator). */
  adminUserId: number;
  /** Users used as AuditUserID for enrolment / claim / review work (ids reserved up front). */
  clerkUserIds: number[];
  medicalOfficerUserIds: number[];
  /** Independent random stream for a domain. */
  rng(label: string): Prng;
  /** Day the scheme started operating (registers, locations, products are older). */
  readonly schemeStart: number;
  /** Timestamp text for the scheme setup. */
  readonly setupStamp: string;
  /** Progress reporting for long steps. */
  progress?: (done: number, total: number) => void;
  /** Notes printed at the end. */
  notes: string[];
}

export function createContext(opts: GeneratorOptions, target: LoadTarget, maxIds: Record<string, number>): GeneratorContext {
  const schemeStart = opts.today - 6 * 365;
  return {
    opts,
    target,
    ids: new Ids(maxIds),
    adminUserId: 1,
    clerkUserIds: [],
    medicalOfficerUserIds: [],
    rng: (label: string) => new Prng(opts.seed, label),
    schemeStart,
    setupStamp: stamp(schemeStart, 9 * 3600),
    notes: [],
  };
}

/** Opens a table, streams rows through `fill`, closes it. */
export async function loadTable(
  ctx: GeneratorContext,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly Value[]>,
): Promise<void> {
  await ctx.target.load(table, columns, rows);
}

export type { TableSink, Value };
