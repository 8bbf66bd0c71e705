/**
 * Connections kept from one direct SELECT to the next (named-statements.ts), outside knex's pool.
 *
 * Borrowing from knex's pool (tarn) costs every query two pending operations, their promises and
 * two timers: 5 kB of garbage and some 5 µs of a 190 µs read (measured). A direct SELECT instead
 * takes a connection a previous one kept, and borrows from the pool only when none is idle. The
 * pool still counts kept connections as in use, so they are given back to it:
 * - whenever someone asks the pool for a connection (knex's own queries, transactions, the audit
 *   trail), one idle kept connection per request, and a finished SELECT gives its connection back
 *   instead of keeping it while anyone waits;
 * - after at most about a second away from the pool, idle or not, so that the pool's own checks
 *   (connection lifetime, refreshed configuration) and its idle reaping still apply;
 * - when the pool is destroyed, which waits for the connections in use.
 * A connection that its driver reported broken goes back to the pool, which then discards it.
 */
import type pg from 'pg';
import type { PooledClient } from './named-statements.js';

/** How long a connection stays out of the pool, at most (then at the next SELECT or sweep). */
const AWAY_MS = 1000;

/** The parts of knex's pool (tarn) used here. */
export interface Pool<Connection> {
  release(connection: Connection): boolean;
  numPendingAcquires(): number;
  on(event: 'acquireRequest' | 'poolDestroyRequest', listener: () => void): void;
}

type Connection = pg.Client & { __knex__disposed?: unknown };

interface Kept {
  connection: Connection;
  /** When the connection left the pool. */
  since: number;
}

export class KeptConnections {
  /** Idle kept connections, the most recently used last (taken first, so the others can age out). */
  private readonly idle: Kept[] = [];
  /** When each connection in use by a SELECT left the pool. */
  private readonly away = new Map<Connection, number>();
  private readonly sweep: NodeJS.Timeout;
  private destroyed = false;

  constructor(
    private readonly client: PooledClient<Connection>,
    readonly pool: Pool<Connection>,
  ) {
    pool.on('acquireRequest', () => this.giveBack(1));
    pool.on('poolDestroyRequest', () => {
      this.destroyed = true;
      clearInterval(this.sweep);
      this.giveBack(this.idle.length);
    });
    this.sweep = setInterval(() => this.giveBackOlderThan(Date.now() - AWAY_MS), AWAY_MS);
    this.sweep.unref();
  }

  /** A connection for one SELECT: a kept one, else one borrowed from the pool. */
  async take(): Promise<Connection> {
    let kept = this.idle.pop();
    while (kept?.connection.__knex__disposed) {
      this.pool.release(kept.connection);
      kept = this.idle.pop();
    }
    if (kept) {
      this.away.set(kept.connection, kept.since);
      return kept.connection;
    }
    const connection = await this.client.acquireConnection();
    this.away.set(connection, Date.now());
    return connection;
  }

  /** Takes back a connection from `take` once its SELECT is over. */
  keep(connection: Connection): void {
    const since = this.away.get(connection) ?? 0;
    this.away.delete(connection);
    const stays = !this.destroyed && !connection.__knex__disposed && this.pool.numPendingAcquires() === 0 && Date.now() - since < AWAY_MS;
    if (stays) this.idle.push({ connection, since });
    else this.pool.release(connection);
  }

  private giveBack(count: number): void {
    for (let i = 0; i < count && this.idle.length; i++) this.pool.release(this.idle.shift()!.connection);
  }

  private giveBackOlderThan(time: number): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (this.idle[i].since < time) this.pool.release(this.idle.splice(i, 1)[0].connection);
    }
  }
}
