/**
 * Lock-out after repeated failed logins (django-axes semantics: LOGIN_LOCKOUT_FAILURE_LIMIT failures
 * per client IP and user name lock that pair for LOGIN_LOCKOUT_COOLOFF_TIME minutes). Counts live in
 * Redis when REDIS_URL is set, so that several instances agree, else in memory.
 */
import { Redis } from 'ioredis';
import { FhirError } from '../fhir/outcome.js';

export interface LockoutOptions {
  enabled: boolean;
  failureLimit: number;
  cooloffMinutes: number;
  redisUrl: string;
}

export class LoginGuard {
  private readonly memory = new Map<string, { failures: number; until: number }>();
  private readonly redis?: Redis;

  constructor(private readonly opts: LockoutOptions) {
    if (opts.enabled && opts.redisUrl) this.redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
  }

  private key(ip: string, username: string) {
    return `openimis-fhir-lockout:${ip}|${username.toLowerCase()}`;
  }

  private get windowMs() {
    return this.opts.cooloffMinutes * 60_000;
  }

  /** Throws 429 while the pair is locked out. */
  async check(ip: string, username: string): Promise<void> {
    if (!this.opts.enabled) return;
    const failures = this.redis ? Number((await this.redis.get(this.key(ip, username))) ?? 0) : this.current(this.key(ip, username));
    if (failures >= this.opts.failureLimit) {
      throw new FhirError(
        429,
        { code: 'throttled', diagnostics: `Too many failed logins; try again in ${this.opts.cooloffMinutes} minutes` },
        { 'retry-after': String(this.opts.cooloffMinutes * 60) },
      );
    }
  }

  async failed(ip: string, username: string): Promise<void> {
    if (!this.opts.enabled) return;
    const key = this.key(ip, username);
    if (this.redis) {
      await this.redis.multi().incr(key).pexpire(key, this.windowMs).exec();
      return;
    }
    const entry = { failures: this.current(key) + 1, until: Date.now() + this.windowMs };
    this.memory.set(key, entry);
    if (this.memory.size > 100_000) this.memory.delete(this.memory.keys().next().value!);
  }

  async succeeded(ip: string, username: string): Promise<void> {
    if (!this.opts.enabled) return;
    if (this.redis) await this.redis.del(this.key(ip, username));
    else this.memory.delete(this.key(ip, username));
  }

  async close() {
    await this.redis?.quit();
  }

  private current(key: string): number {
    const entry = this.memory.get(key);
    if (!entry || entry.until < Date.now()) return 0;
    return entry.failures;
  }
}
