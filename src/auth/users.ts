/**
 * openIMIS interactive users (tblUsers) and their rights, reached through
 * tblUserRole → tblRole → tblRoleRight. A role with IsSystem = 64 (IMIS Administrator) passes
 * every check. Users are cached briefly so that authentication costs no query per request.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Caller } from '../fhir/types.js';
import { loadScope, UNRESTRICTED, type RowScope } from './scope.js';

export const IMIS_ADMINISTRATOR = 64;
const CACHE_MS = 30_000;

export interface LegacyUser extends Caller {
  privateKey: string;
  storedPassword: string;
  healthFacilityId: number | null;
  /** Changes whenever the password changes; tokens we issue carry it. */
  passwordFingerprint: string;
  /** Row-level security: what data the user may see and change. */
  scope: RowScope;
}

export class UserDirectory {
  private readonly cache = new Map<string, { user: LegacyUser | null; expires: number }>();

  constructor(
    private readonly db: Knex,
    private readonly opts: { rowSecurity: boolean } = { rowSecurity: true },
  ) {}

  async find(username: string): Promise<LegacyUser | null> {
    const cached = this.cache.get(username);
    if (cached && cached.expires > Date.now()) return cached.user;
    const user = await this.load(username);
    this.cache.set(username, { user, expires: Date.now() + CACHE_MS });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return user;
  }

  forget(username: string) {
    this.cache.delete(username);
  }

  private async load(username: string): Promise<LegacyUser | null> {
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
      userId: row.UserID,
      userUuid: String(row.UserUUID).toLowerCase(),
      username: row.LoginName,
      rights: new Set(grants.filter((g) => g.RightID != null).map((g) => Number(g.RightID))),
      isAdmin,
      privateKey: row.PrivateKey ?? '',
      storedPassword: row.StoredPassword ?? '',
      healthFacilityId: row.HFID ?? null,
      passwordFingerprint: createHash('sha256')
        .update(`${row.StoredPassword ?? ''}:${row.PrivateKey ?? ''}`)
        .digest('hex')
        .slice(0, 16),
    };
    const scope = isAdmin || !this.opts.rowSecurity ? UNRESTRICTED : await loadScope(this.db, user);
    return { ...user, scope };
  }
}
