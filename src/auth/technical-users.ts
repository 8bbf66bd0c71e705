/**
 * openIMIS technical users (security-and-services.md §1.1, §2.1, §2.4): machine accounts of the
 * modular core, rows of core_TechnicalUser reached through their core_User wrapper (Django's
 * ModelBackend looks the user up in core_User, so a technical user without one cannot log in).
 * - Password: Django's hasher format (PBKDF2-SHA256 by default), see django-password.ts.
 * - Active while validity_from <= now <= validity_to (either may be empty), as core User.is_active.
 * - Rights: a superuser passes every check. Otherwise openIMIS falls back to Django permissions
 *   ("app_label.codename" strings), which never equal a RightID: such a user passes only the
 *   interactions that need no right. We keep exactly that; no Django permission tables are read.
 * - Row security: openIMIS skips the location filter for technical users (and logs a warning); so
 *   do we.
 * - Audit: openIMIS writes AuditUserID -1 for them (TechnicalUser.id_for_audit).
 * The tables only exist where the modular core created them; without them nothing here is queried.
 */
import type { Knex } from 'knex';

export interface TechnicalUserRow {
  id: string;
  username: string;
  password: string;
  isSuperuser: boolean;
}

/** openIMIS's AuditUserID for technical users. */
export const TECHNICAL_AUDIT_USER_ID = -1;

export class TechnicalUsers {
  private present?: Promise<boolean>;

  constructor(
    private readonly db: Knex,
    private readonly onMissing: () => void = () => {},
  ) {}

  /** Whether core_TechnicalUser and core_User exist (looked up once). */
  available(): Promise<boolean> {
    this.present ??= Promise.all([this.db.schema.hasTable('core_TechnicalUser'), this.db.schema.hasTable('core_User')]).then(
      ([technical, wrapper]) => {
        if (!technical || !wrapper) this.onMissing();
        return technical && wrapper;
      },
      () => false,
    );
    return this.present;
  }

  /** The active technical user of that name, or null (also when the tables do not exist). */
  async find(username: string, now = new Date()): Promise<TechnicalUserRow | null> {
    if (!(await this.available())) return null;
    const row = await this.db('core_User as u')
      .join('core_TechnicalUser as t', 't.id', 'u.t_user_id')
      .where('u.username', username)
      // core User._u takes the interactive user, officer or claim admin first.
      .whereNull('u.i_user_id')
      .whereNull('u.officer_id')
      .whereNull('u.claim_admin_id')
      .first('t.id', 't.username', 't.password', 't.is_superuser', 't.validity_from', 't.validity_to');
    if (!row) return null;
    if (row.validity_from && new Date(row.validity_from) > now) return null;
    if (row.validity_to && new Date(row.validity_to) < now) return null;
    return { id: String(row.id).toLowerCase(), username: row.username, password: row.password ?? '', isSuperuser: Boolean(row.is_superuser) };
  }
}
