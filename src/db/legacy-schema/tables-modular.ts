/**
 * Tables of the modular (Django) openIMIS that the server uses, as `database scripts/01_modular_base.sql`
 * and the modules' migrations create them: the two user tables of the core, the claim module's
 * attachments and the policyholder module's policy holders. The official PostgreSQL order (00_dump.sql) does NOT create
 * them, so older databases lack them: the server looks for them at start and works without them
 * (technical users then simply do not exist). See src/auth/technical-users.ts.
 * - core_TechnicalUser: Django AbstractBaseUser (password in Django's hasher format).
 * - core_User: the wrapper every Django login goes through; exactly one of i_user (tblUsers),
 *   t_user (core_TechnicalUser), officer, claim_admin is set. officer_id and claim_admin_id have no
 *   foreign key in 01_modular_base.sql.
 * - claim_ClaimAttachment: one row per claim document, keyed by a UUID, history by validity (LegacyID
 *   names the attachment a copy was made of), the document as base64 text; the server serves the
 *   attachments where the table exists (src/db/optional-tables.ts, src/resources/claim/attachments.ts).
 * - tblPolicyHolder: the policyholder module's PolicyHolder (openimis-be-policyholder_py, a Django
 *   HistoryBusinessModel of openimis-be-core_py): keyed by its UUID, updated in place (`version` counts
 *   the versions, DateUpdated is the last change, isDeleted marks a delete; older versions go to the
 *   module's simple-history table policyholder_historicalpolicyholder, not described here), DateValidFrom /
 *   DateValidTo / ReplacementUUID the business validity. Address, ContactName and bankAccount are JSON
 *   objects; LegalForm and ActivityCode index the module's configured lists (1-5 each by default).
 *   Served as Organization type bus where it exists (src/resources/organization/policy-holder/).
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

  table('claim_ClaimAttachment', { pk: 'id' }, [
    'id uuid NN',
    'ValidityFrom timestamptz NN',
    'ValidityTo timestamptz',
    'LegacyID uuid',
    'type text',
    'title text',
    'date date',
    'filename text',
    'mime text',
    'url text',
    'document text',
    'claim_id integer NN -> tblClaim.ClaimID',
  ]),

  table('tblPolicyHolder', { pk: 'UUID' }, [
    'UUID uuid NN',
    'isDeleted boolean NN',
    'Json_ext jsonb',
    'DateCreated timestamptz',
    'DateUpdated timestamptz',
    'UserCreatedUUID uuid NN -> core_User.id',
    'UserUpdatedUUID uuid NN -> core_User.id',
    'version integer NN',
    'DateValidFrom timestamptz NN',
    'DateValidTo timestamptz',
    'ReplacementUUID uuid',
    'PolicyHolderCode varchar(32) NN',
    'TradeName varchar(255) NN',
    'LocationsId integer -> tblLocations.LocationId',
    'Address jsonb',
    'Phone varchar(16)',
    'Fax varchar(16)',
    'Email varchar(255)',
    'ContactName jsonb',
    'LegalForm integer',
    'ActivityCode integer',
    'AccountancyAccount varchar(64)',
    'bankAccount jsonb',
    'PaymentReference varchar(128)',
  ]),
];
