/**
 * Demo security data: the twelve openIMIS system roles with their rights, the demo users (passwords
 * stored with the openIMIS rule), their roles and their districts; two technical users
 * (core_TechnicalUser with Django PBKDF2 hashes, bound through core_User as Django binds them).
 */
import { hashPassword } from '../../auth/password.js';
import { makeDjangoPassword } from '../../auth/django-password.js';
import { locationId } from './locations.js';
import { demoHex, demoUuid, range, withHistory, type DemoClock, type Row, type TableRows } from './util.js';

const FAMILY = range(101001, 101004);
const INSUREE = range(101101, 101105);
const POLICY = range(101201, 101205);
const CONTRIBUTION = range(101301, 101304);
const PAYMENT = range(101401, 101404);
const CLAIM = [111001, 111002, ...range(111004, 111012)];
const BATCH_RUN = range(111101, 111103);
const PRODUCT = range(121001, 121005);
const HEALTH_FACILITY = range(121101, 121104);
const PRICE_LISTS = [...range(121201, 121205), ...range(121301, 121305)];
const MEDICAL_SERVICE = range(121401, 121404);
const ENROLMENT_OFFICER = range(121501, 121504);
const CLAIM_ADMINISTRATOR = range(121601, 121604);
const USERS = range(121701, 121704);
const PAYER = range(121801, 121804);
const LOCATIONS = range(121901, 121906);
const ROLES = range(122001, 122006);
const MEDICAL_ITEM = range(122101, 122104);
const REGISTERS = range(131001, 131010);
const EXTRACTS = range(131101, 131106);
const REPORTS = range(131201, 131223);
const UTILITIES = range(131301, 131304);
const FUNDING = [131401];

/** [RoleID, name, IsSystem bit, French name, rights]. Rights of roles 1, 4, 5, 8, 9, 10 follow the openIMIS base data. */
export const ROLES_DATA: [number, string, number, string, number[]][] = [
  [1, 'Enrolment Officer', 1, "Agent d'inscription", [...FAMILY, ...INSUREE, ...POLICY, ...CONTRIBUTION, 111001, 111009]],
  [2, 'Manager', 2, 'Gestionnaire', [101001, 101101, 101105, 101201, 101301, 111001, 121001, 121101, 121501, 121601, 121801, 121901, ...REPORTS]],
  [3, 'Accountant', 4, 'Comptable', [...CONTRIBUTION, ...PAYMENT, 111001, 111011, ...BATCH_RUN, ...REPORTS, ...FUNDING]],
  [4, 'Clerk', 8, 'Commis', [...FAMILY, ...INSUREE, ...POLICY, ...CONTRIBUTION]],
  [5, 'Medical Officer', 16, 'Médecin-conseil', [111001, 111008, 111009, 111010, 111011, 131223]],
  [6, 'Scheme Administrator', 32, 'Administrateur du régime', [...PRODUCT, ...HEALTH_FACILITY, ...PRICE_LISTS, ...MEDICAL_SERVICE,
    ...ENROLMENT_OFFICER, ...CLAIM_ADMINISTRATOR, ...PAYER, ...MEDICAL_ITEM, ...REGISTERS, 121901]],
  [7, 'IMIS Administrator', 64, 'Administrateur IMIS', [...FAMILY, ...INSUREE, ...POLICY, ...CONTRIBUTION, ...PAYMENT, ...CLAIM,
    ...BATCH_RUN, ...PRODUCT, ...HEALTH_FACILITY, ...PRICE_LISTS, ...MEDICAL_SERVICE, ...ENROLMENT_OFFICER, ...CLAIM_ADMINISTRATOR,
    ...USERS, ...PAYER, ...LOCATIONS, ...ROLES, ...MEDICAL_ITEM, ...REGISTERS, ...EXTRACTS, ...REPORTS, ...UTILITIES, ...FUNDING]],
  [8, 'Receptionist', 128, 'Réceptionniste', [101001, 101101, 101105, 101201]],
  [9, 'Claim Administrator', 256, 'Administrateur des demandes', [111001, 111002, 111004, 111005, 111006, 111007]],
  [10, 'Claim Contributor', 512, 'Contributeur aux demandes', [111001, 111002, 111005]],
  [11, 'HF Administrator', 524288, "Administrateur d'établissement", [111001, 121101, 121103, ...CLAIM_ADMINISTRATOR]],
  [12, 'Offline Administrator', 1048576, 'Administrateur hors ligne', [...EXTRACTS, 131301, 131302]],
];

interface UserData {
  id: number;
  login: string;
  password: string;
  lastName: string;
  otherNames: string;
  roles: number[];
  /** Legacy RoleID bitmask (deprecated column). */
  roleBits: number;
  districts: string[];
  hf: number | null;
  associated: boolean;
  /** 'legacy' = 64 upper-case hex salt as in old data; 'modular' = 256 lower-case hex as set_password makes. */
  salt: 'legacy' | 'modular';
}

export const USERS_DATA: UserData[] = [
  { id: 1, login: 'Admin', password: 'admin123', lastName: 'Admin', otherNames: 'Admin', roles: [7], roleBits: 64,
    districts: ['R1D1', 'R1D2', 'R1D3', 'R2D1', 'R2D2'], hf: null, associated: false, salt: 'legacy' },
  { id: 2, login: 'AHOS0011', password: 'claims123', lastName: 'Kariuki', otherNames: 'James', roles: [9], roleBits: 256,
    districts: ['R1D1'], hf: 1, associated: true, salt: 'legacy' },
  { id: 3, login: 'E00001', password: 'officer123', lastName: 'Kamau', otherNames: 'Peter', roles: [1], roleBits: 1,
    districts: ['R1D1'], hf: null, associated: true, salt: 'modular' },
  { id: 4, login: 'Clerk', password: 'clerk123', lastName: 'Mushi', otherNames: 'Rose', roles: [4], roleBits: 8,
    districts: ['R1D2'], hf: null, associated: false, salt: 'modular' },
  { id: 5, login: 'NoRoles', password: 'noroles123', lastName: 'Visitor', otherNames: 'Guest', roles: [], roleBits: 0,
    districts: [], hf: null, associated: false, salt: 'modular' },
];

/** The Admin password was changed 30 days after set-up: history copy id 6 keeps the old credentials. */
const ADMIN_PASSWORD_CHANGE = { id: 1, historyId: 6, oldPassword: 'changeme', afterDays: 30 };

const saltFor = (login: string, style: 'legacy' | 'modular') =>
  style === 'legacy' ? demoHex(`salt/${login}`, 64).toUpperCase() : demoHex(`salt/${login}`, 256);

export function buildSecurity(clock: DemoClock): TableRows {
  const audit = { ValidityTo: null, LegacyID: null };
  const changedAt = new Date(Date.parse(clock.setup) + ADMIN_PASSWORD_CHANGE.afterDays * 86_400_000).toISOString();

  const tblRole: Row[] = ROLES_DATA.map(([id, name, bit, french]) => ({
    RoleID: id, RoleUUID: demoUuid('tblRole', id), RoleName: name, AltLanguage: french, IsSystem: bit, IsBlocked: false,
    ValidityFrom: clock.setup, ...audit, AuditUserID: 1,
  }));

  const tblRoleRight: Row[] = ROLES_DATA.flatMap(([roleId, , , , rights]) => rights.map((right) => ({ RoleID: roleId, RightID: right }))).map(
    (row, i) => ({ RoleRightID: i + 1, ...row, ValidityFrom: clock.setup, ...audit, AuditUserId: 1 }),
  );

  const tblUsers: Row[] = USERS_DATA.flatMap((u) => {
    const privateKey = saltFor(u.login, u.salt);
    const current: Row = {
      UserID: u.id,
      UserUUID: demoUuid('tblUsers', u.id),
      LoginName: u.login,
      LastName: u.lastName,
      OtherNames: u.otherNames,
      Phone: null,
      EmailId: `${u.login.toLowerCase()}@scheme.example.org`,
      LanguageID: 'en',
      HFID: u.hf,
      IsAssociated: u.associated,
      RoleID: u.roleBits,
      PrivateKey: privateKey,
      StoredPassword: hashPassword(u.password, privateKey),
      PasswordValidity: null,
      DummyPwd: null,
      password: null,
      ValidityFrom: clock.setup,
      ...audit,
      AuditUserID: u.id === 1 ? 0 : 1,
    };
    if (u.id !== ADMIN_PASSWORD_CHANGE.id) return [current];
    const oldKey = saltFor(`${u.login}/old`, u.salt);
    current.ValidityFrom = changedAt;
    return withHistory(current, { table: 'tblUsers', pk: 'UserID', uuid: 'UserUUID' }, [{
      id: ADMIN_PASSWORD_CHANGE.historyId, from: clock.setup, to: changedAt,
      old: { PrivateKey: oldKey, StoredPassword: hashPassword(ADMIN_PASSWORD_CHANGE.oldPassword, oldKey) },
    }]);
  });

  const tblUserRole: Row[] = USERS_DATA.flatMap((u) => u.roles.map((roleId) => ({ UserID: u.id, RoleID: roleId }))).map((row, i) => ({
    UserRoleID: i + 1, ...row, Assign: 3, ValidityFrom: clock.setup, ...audit, AudituserID: 1,
  }));

  const tblUsersDistricts: Row[] = USERS_DATA.flatMap((u) => u.districts.map((d) => ({ UserID: u.id, LocationId: locationId(d) }))).map(
    (row, i) => ({ UserDistrictID: i + 1, ...row, ValidityFrom: clock.setup, ...audit, AuditUserID: 1 }),
  );

  const tblLogins: Row[] = [
    { LoginId: 1, UserId: 1, LogTime: clock.time(-1, 8), LogAction: 1 },
    { LoginId: 2, UserId: 1, LogTime: clock.time(-1, 17), LogAction: 2 },
  ];

  return { tblRole, tblRoleRight, tblUsers, tblUserRole, tblUsersDistricts, tblLogins, ...buildTechnicalUsers(clock) };
}

/** Technical users: [username, password, is_superuser]. createsuperuser makes staff superusers. */
export const TECHNICAL_USERS_DATA: [string, string, boolean][] = [
  ['TechAdmin', 'techadmin123', true],
  ['TechReader', 'techreader123', false],
];

/** PBKDF2 at Django's 600,000 iterations is slow on purpose: hash once per process. */
const djangoHashes = new Map<string, string>();
const djangoHash = (login: string, password: string) => {
  const key = `${login}:${password}`;
  if (!djangoHashes.has(key)) djangoHashes.set(key, makeDjangoPassword(password, demoHex(`django-salt/${login}`, 22)));
  return djangoHashes.get(key)!;
};

function buildTechnicalUsers(clock: DemoClock): TableRows {
  const core_TechnicalUser: Row[] = TECHNICAL_USERS_DATA.map(([login, password, superuser]) => ({
    id: demoUuid('core_TechnicalUser', login),
    username: login,
    password: djangoHash(login, password),
    email: `${login.toLowerCase()}@scheme.example.org`,
    is_staff: superuser,
    is_superuser: superuser,
    last_login: null,
    validity_from: clock.setup,
    validity_to: null,
  }));
  // Django binds every technical user to a core_User of the same name; interactive users get theirs
  // at their first login (auto-provisioning), as Admin has.
  const core_User: Row[] = [
    ...core_TechnicalUser.map((t) => ({ id: demoUuid('core_User', String(t.username)), username: t.username, t_user_id: t.id, i_user_id: null, officer_id: null, claim_admin_id: null })),
    { id: demoUuid('core_User', 'Admin'), username: 'Admin', i_user_id: 1, t_user_id: null, officer_id: null, claim_admin_id: null },
  ];
  return { core_TechnicalUser, core_User };
}
