/**
 * Row scopes are cached with the user (users.ts). A write through this server that changes what a
 * scope covers drops the affected cached users as soon as its transaction commits, here and, when
 * REDIS_URL is set, on every other instance through a Redis pub/sub channel:
 * - locations created, moved or deleted (and the district assignments closed with a district):
 *   every restricted user whose allowed locations hold the location or its old or new parent;
 * - a health facility moved or deleted: users bound to it (claim administrators, tblUsers.HFID);
 * - an enrolment officer's villages, a claim administrator's facility or login code: that login.
 * Changes made outside this server (openIMIS itself, SQL) reach a cached scope within the cache
 * lifetime, 30 seconds. Without Redis, the worker processes of one server (WSGI_WORKERS) tell each
 * other through their primary process.
 */
import { randomUUID } from 'node:crypto';
import cluster from 'node:cluster';
import { Redis } from 'ioredis';
import { RELAY } from '../cluster.js';
import type { UserDirectory } from './users.js';

export interface ScopeChange {
  locations?: number[];
  facilities?: number[];
  usernames?: string[];
}

export const SCOPE_CHANNEL = 'openimis-fhir:scope-changes';

interface Logger {
  error(obj: object, msg: string): void;
}

export class ScopeChanges {
  /** Tells this instance's own messages apart from the other instances'. */
  private readonly instance = randomUUID();
  private readonly publisher?: Redis;
  private readonly subscriber?: Redis;
  /** Messages received from other instances (tests wait on it). */
  received = 0;

  constructor(
    private readonly users: UserDirectory,
    private readonly opts: { redisUrl: string; log: Logger },
  ) {
    if (!opts.redisUrl) {
      // Worker processes of one server (WSGI_WORKERS) without Redis tell each other through the primary.
      if (cluster.isWorker) process.on('message', this.onRelayed);
      return;
    }
    this.publisher = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
    this.subscriber = new Redis(opts.redisUrl);
    this.subscriber.on('message', (_channel, message) => this.receive(message));
    this.publisher.on('error', (err) => opts.log.error({ err }, 'scope invalidation: Redis publisher error'));
    this.subscriber.on('error', (err) => opts.log.error({ err }, 'scope invalidation: Redis subscriber error'));
  }

  /**
   * Subscribes to the other instances' changes. Start-up waits for Redis 2 s at most: while it is
   * away, the other instances' changes reach this one within the cache lifetime (ioredis subscribes
   * again when it reconnects).
   */
  async start(): Promise<void> {
    if (!this.subscriber) return;
    const subscribed = this.subscriber.subscribe(SCOPE_CHANNEL).then(
      () => undefined,
      (err) => this.opts.log.error({ err }, 'scope invalidation: could not subscribe'),
    );
    await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }

  /** Applies a committed change here, then tells the other instances. */
  async publish(change: ScopeChange): Promise<void> {
    this.apply(change);
    const message = JSON.stringify({ from: this.instance, change });
    if (!this.publisher) {
      if (cluster.isWorker && process.send) process.send({ [RELAY]: { channel: SCOPE_CHANNEL, message } });
      return;
    }
    try {
      await this.publisher.publish(SCOPE_CHANNEL, message);
    } catch (err) {
      this.opts.log.error({ err }, 'scope invalidation: could not publish; other instances catch up within 30 s');
    }
  }

  apply(change: ScopeChange): void {
    for (const name of change.usernames ?? []) this.users.forget(name);
    const locations = new Set(change.locations ?? []);
    const facilities = new Set(change.facilities ?? []);
    if (locations.size === 0 && facilities.size === 0) return;
    this.users.forgetWhere(
      (user) =>
        !user.scope.unrestricted &&
        (user.scope.locationIds.some((id) => locations.has(id)) ||
          (user.scope.healthFacilityId != null && facilities.has(user.scope.healthFacilityId)) ||
          (user.healthFacilityId != null && facilities.has(user.healthFacilityId))),
    );
  }

  private readonly onRelayed = (message: unknown) => {
    const relayed = (message as Record<string, { channel?: string; message?: unknown }> | null)?.[RELAY];
    if (relayed?.channel === SCOPE_CHANNEL && typeof relayed.message === 'string') this.receive(relayed.message);
  };

  async close(): Promise<void> {
    process.off('message', this.onRelayed);
    await Promise.all([this.subscriber?.quit(), this.publisher?.quit()]);
  }

  private receive(message: string) {
    try {
      const { from, change } = JSON.parse(message) as { from: string; change: ScopeChange };
      if (from === this.instance) return;
      this.apply(sanitize(change));
      this.received++;
    } catch (err) {
      this.opts.log.error({ err }, 'scope invalidation: unreadable message');
    }
  }
}

/** Messages come from the network: keep numbers and strings only. */
function sanitize(change: ScopeChange): ScopeChange {
  const numbers = (list: unknown) => (Array.isArray(list) ? list.filter((v): v is number => Number.isInteger(v)) : []);
  const strings = (list: unknown) => (Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : []);
  return { locations: numbers(change?.locations), facilities: numbers(change?.facilities), usernames: strings(change?.usernames) };
}
