/**
 * Legacy tables of users and security (research notes §6.5) and of feedback (§6.6), PostgreSQL spelling.
 */
import { table, type LegacyTable } from './types.js';

export const SECURITY_FEEDBACK_TABLES: LegacyTable[] = [
  table('tblUsers', { pk: 'UserID', unique: ['UserUUID'] }, [
    'AuditUserID integer NN',
    'DummyPwd varchar(25)',
    'EmailId varchar(200)',
    'HFID integer',
    'IsAssociated boolean',
    'LanguageID varchar(5) NN -> tblLanguages.LanguageCode',
    'LastName varchar(100) NN',
    'LegacyID integer',
    'LoginName varchar(25) NN',
    'OtherNames varchar(100) NN',
    'PasswordValidity timestamptz',
    'Phone varchar(50)',
    'PrivateKey varchar(256)',
    'StoredPassword varchar(256)',
    'RoleID integer',
    'UserID integer NN serial',
    'UserUUID varchar(36) NN',
    'ValidityFrom timestamptz NN',
    'ValidityTo timestamptz',
    'password bytea',
  ]),

  table('tblRole', { pk: 'RoleID' }, [
    'ValidityFrom timestamptz NN',
    'ValidityTo timestamptz',
    'LegacyID integer',
    'RoleID integer NN serial',
    'RoleUUID varchar(36) NN',
    'RoleName varchar(50) NN',
    'AltLanguage varchar(50)',
    'IsSystem integer NN',
    'IsBlocked boolean NN',
    'AuditUserID integer',
  ]),

  table('tblRoleRight', { pk: 'RoleRightID' }, [
    'ValidityFrom timestamptz NN',
    'ValidityTo timestamptz',
    'LegacyID integer',
    'RoleRightID integer NN serial',
    'RightID integer NN',
    'AuditUserId integer',
    'RoleID integer NN -> tblRole.RoleID',
  ]),

  table('tblUserRole', { pk: 'UserRoleID' }, [
    'ValidityFrom timestamptz NN',
    'ValidityTo timestamptz',
    'LegacyID integer',
    'UserRoleID integer NN serial',
    'AudituserID integer',
    'RoleID integer NN -> tblRole.RoleID',
    'UserID integer NN -> tblUsers.UserID',
    'Assign integer',
  ]),

  table('tblUsersDistricts', { pk: 'UserDistrictID' }, [
    'UserDistrictID integer NN serial',
    'LegacyID integer',
    'ValidityFrom timestamptz NN',
    'ValidityTo timestamptz',
    'AuditUserID integer NN',
    'LocationId integer NN -> tblLocations.LocationId',
    'UserID integer NN -> tblUsers.UserID',
  ]),

  // No sequence in PostgreSQL: inserts must supply LoginId.
  table('tblLogins', { pk: 'LoginId' }, [
    'LoginId integer NN',
    'UserId integer -> tblUsers.UserID',
    'LogTime timestamptz',
    'LogAction integer',
  ]),

  table('tblFeedback', { pk: 'FeedbackID', unique: ['ClaimID', 'FeedbackUUID'] }, [
    'ValidityFrom timestamptz NN',
    'ValidityTo timestamptz',
    'LegacyID integer',
    'FeedbackID integer NN serial',
    'FeedbackUUID varchar(36) NN',
    'CareRendered boolean',
    'PaymentAsked boolean',
    'DrugPrescribed boolean',
    'DrugReceived boolean',
    'Asessment smallint',
    'CHFOfficerCode integer',
    'FeedbackDate timestamptz',
    'AuditUserID integer NN',
    'ClaimID integer -> tblClaim.ClaimID',
  ]),

  // No sequence in PostgreSQL: inserts must supply FeedbackPromptID.
  table('tblFeedbackPrompt', { pk: 'FeedbackPromptID' }, [
    'ClaimID integer',
    'FeedbackPromptDate date NN',
    'FeedbackPromptID integer NN',
    'LegacyID integer',
    'OfficerID integer',
    'PhoneNumber varchar(25)',
    'SMSStatus smallint default 0',
    'ValidityFrom timestamptz',
    'ValidityTo timestamptz',
    'AuditUserID integer',
  ]),
];
