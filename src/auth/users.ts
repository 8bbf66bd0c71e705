/**
 * openIMIS users: interactive users (tblUsers) and their rights, reached through
 * tblUserRole → tblRole → tblRoleRight (a role with IsSystem = 64, IMIS Administrator, passes every
 * check); and, where the modular core's tables exist, technical users (technical-users.ts).
 * Users are cached briefly so that authentication costs no query per request; writes that change
 * what a row scope covers drop the affected entries at once (scope-changes.ts).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Caller } from '../fhir/types.js';
import { loadScope, UNRESTRICTED, type RowScope } from './scope.js';
import { checkPassword } from './password.js';
import { checkDjangoPassword } from './django-password.js';
import { TECHNICAL_AUDIT_USER_ID, TechnicalUsers } from './technical-users.js';
import type { ScopeChange } from './scope-changes.js';

export const IMIS_ADMINISTRATOR = 64;
const CACHE_MS = 30_000;
/** Verified technical-user passwords are remembered this long, so HTTP Basic does not run PBKDF2 per request. */
const VERIFIED_MS = 5 * 60_000;

export interface LegacyUser extends Caller {
  /** interactive = tblUsers; technical = core_TechnicalUser. */
  kind: 'interactive' | 'technical';
  privateKey: string;
  /** tblUsers.StoredPassword, or the Django hash of a technical user. */
  storedPassword: string;
  healthFacilityId: number | null;
  /** Changes whenever the password changes; tokens we issue carry it. */
  passwordFingerprint: string;
  /** Row-level security: what data the user may see and change. */
  scope: RowScope;
  /** Where writes report what they changed in the scopes (see scope-changes.ts). */
  scopeChanges?: ScopeChangePublisher;
}

export interface ScopeChangePublisher {
  publish(change: ScopeChange): Promise<void>;
}

interface Logger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

const silent: Logger = { warn: () => {}, info: () => {} };

export class UserDirectory {
  private readonly cache = new Map<string, { user: LegacyUser | null; expires: number }>();
  private readonly verified = new Map<string, number>();
  private readonly technical: TechnicalUsers;
  /** Bumped by every invalidation: a load that overlapped one is not cached (it may have read old rows). */
  private epoch = 0;
  private scopeChanges?: ScopeChangePublisher;

  constructor(
    private readonly db: Knex,
    private readonly opts: { rowSecurity: boolean; log?: Logger } = { rowSecurity: true },
  ) {
    const log = opts.log ?? silent;
    this.technical = new TechnicalUsers(db, () =>
      log.info({}, 'core_TechnicalUser / core_User not found: technical users are not available (an older openIMIS database)'),
    );
  }

  /** Users loaded from now on report their writes' scope changes there. */
  attach(scopeChanges: ScopeChangePublisher) {
    this.scopeChanges = scopeChanges;
  }

  /** The user as cached (null: known not to exist), or undefined when the cache holds no live entry. */
  cached(username: string): LegacyUser | null | undefined {
    const cached = this.cache.get(username);
    return cached && cached.expires > Date.now() ? cached.user : undefined;
  }

  async find(username: string): Promise<LegacyUser | null> {
    const cached = this.cached(username);
    if (cached !== undefined) return cached;
    const epoch = this.epoch;
    const found = (await this.loadInteractive(username)) ?? (await this.loadTechnical(username));
    const user = found && this.scopeChanges ? { ...found, scopeChanges: this.scopeChanges } : found;
    if (epoch === this.epoch) {
      this.cache.set(username, { user, expires: Date.now() + CACHE_MS });
      if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    }
    return user;
  }

  /** Whether a live cache entry exists for that name (tests of the invalidation). */
  isCached(username: string): boolean {
    return this.cached(username) !== undefined;
  }

  /** Drops a user, whatever the case of the name it was looked up by (SQL Server compares without case). */
  forget(username: string) {
    this.epoch++;
    this.cache.delete(username);
    const lower = username.toLowerCase();
    for (const name of this.cache.keys()) if (name.toLowerCase() === lower) this.cache.delete(name);
  }

  /** Drops every cached user the predicate selects (and unknown names, which a write may have created). */
  forgetWhere(predicate: (user: LegacyUser) => boolean) {
    this.epoch++;
    for (const [name, entry] of this.cache) if (!entry.user || predicate(entry.user)) this.cache.delete(name);
  }

  /** Checks a password by the user's own rule: the openIMIS SHA-256 rule, or Django's hasher. */
  async verifyPassword(user: LegacyUser, password: string): Promise<boolean> {
    if (user.kind === 'interactive') return checkPassword(password, user.privateKey, user.storedPassword);
    // The key covers the stored hash: a password change makes earlier entries useless.
    const key = createHash('sha256').update(`${user.storedPassword}\0${password}`).digest('hex');
    const until = this.verified.get(key);
    if (until && until > Date.now()) return true;
    const { ok, unsupported } = await checkDjangoPassword(password, user.storedPassword);
    if (unsupported) (this.opts.log ?? silent).warn({ user: user.username, algorithm: unsupported }, 'technical user password hasher not supported');
    if (ok) {
      this.verified.set(key, Date.now() + VERIFIED_MS);
      if (this.verified.size > 1_000) this.verified.delete(this.verified.keys().next().value!);
    }
    return ok;
  }

  private async loadInteractive(username: string): Promise<LegacyUser | null> {
    const row = await this.db('tblUsers')
      .select('UserID', 'UserUUID', 'LoginName', 'PrivateKey', 'StoredPassword', 'HFID', 'ValidityFrom')
      .where('LoginName', username)
      .whereNull('ValidityTo')
      .first();
    if (!row) return null;
    if (row.ValidityFrom && new Date(row.ValidityFrom).getTime() > Date.now()) return null;
    const grants: { RightID: number | null; IsSystem: number }[] = await this.db('tblUserRole as ur')
      .join('tblRole as r', 'r.RoleID', 'ur.RoleID')
      .leftJoin('tblRoleRight as rr', (j) => j.on('rr.RoleID', 'r.RoleID').andOnNull('rr.ValidityTo'))
      .where('ur.UserID', row.UserID)
      .whereNull('ur.ValidityTo')
      .whereNull('r.ValidityTo')
      .where((q) => q.whereNull('r.IsBlocked').orWhere('r.IsBlocked', false))
      .select('rr.RightID', 'r.IsSystem');
    const isAdmin = grants.some((g) => Number(g.IsSystem) === IMIS_ADMINISTRATOR);
    const user = {
      kind: 'interactive' as const,
      userId: row.UserID,
      userUuid: String(row.UserUUID).toLowerCase(),
      username: row.LoginName,
      rights: new Set(grants.filter((g) => g.RightID != null).map((g) => Number(g.RightID))),
      isAdmin,
      privateKey: row.PrivateKey ?? '',
      storedPassword: row.StoredPassword ?? '',
      healthFacilityId: row.HFID ?? null,
      passwordFingerprint: fingerprint(`${row.StoredPassword ?? ''}:${row.PrivateKey ?? ''}`),
    };
    const scope = isAdmin || !this.opts.rowSecurity ? UNRESTRICTED : await loadScope(this.db, user);
    return { ...user, scope };
  }

  private async loadTechnical(username: string): Promise<LegacyUser | null> {
    const row = await this.technical.find(username);
    if (!row) return null;
    if (this.opts.rowSecurity) {
      (this.opts.log ?? silent).warn({ user: row.username }, 'technical user: row security does not apply to technical users (as in openIMIS)');
    }
    return {
      kind: 'technical',
      userId: TECHNICAL_AUDIT_USER_ID,
      userUuid: row.id,
      username: row.username,
      rights: new Set(),
      isAdmin: row.isSuperuser,
      // openIMIS signs a technical user's tokens with the global key: there is no per-user key.
      privateKey: '',
      storedPassword: row.password,
      healthFacilityId: null,
      passwordFingerprint: fingerprint(row.password),
      scope: UNRESTRICTED,
    };
  }
}

const fingerprint = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 16);
