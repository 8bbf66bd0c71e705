/**
 * The two user tables of the modular (Django) openIMIS core, as `database scripts/01_modular_base.sql`
 * and the core migrations create them. The official PostgreSQL order (00_dump.sql) does NOT create
 * them, so older databases lack them: the server looks for them at start and works without them
 * (technical users then simply do not exist). See src/auth/technical-users.ts.
 * - core_TechnicalUser: Django AbstractBaseUser (password in Django's hasher format).
 * - core_User: the wrapper every Django login goes through; exactly one of i_user (tblUsers),
 *   t_user (core_TechnicalUser), officer, claim_admin is set. officer_id and claim_admin_id have no
 *   foreign key in 01_modular_base.sql.
 */
import { table, type LegacyTable } from './types.js';

export const MODULAR_USER_TABLES: LegacyTable[] = [
  table('core_TechnicalUser', { pk: 'id', unique: ['username'] }, [
    'password varchar(128) NN',
    'last_login timestamptz',
    'id uuid NN',
    'username varchar(150) NN',
    'email varchar(254)',
    'is_staff boolean NN',
    'is_superuser boolean NN',
    'validity_from timestamptz',
    'validity_to timestamptz',
  ]),

  table('core_User', { pk: 'id', unique: ['username'] }, [
    'id uuid NN',
    'username varchar(25) NN',
    'i_user_id integer -> tblUsers.UserID',
    't_user_id uuid -> core_TechnicalUser.id',
    'claim_admin_id integer',
    'officer_id integer',
  ]),
];
