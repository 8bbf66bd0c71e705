/**
 * Users (tblUsers, a few dozen) with their roles (tblUserRole) and districts (tblUsersDistricts).
 * Roles come from the existing tblRole rows; an empty tblRole gets the twelve system roles and
 * their rights from the demo module. Passwords follow the openIMIS rule (auth/password.ts):
 *   Admin / admin123; staff users <login>pass (e.g. clerk01 / clerk01pass);
 *   claim administrators: the login name; enrolment officers: the login name typed twice.
 */
import type { Knex } from 'knex';
import { hashPassword } from '../../auth/password.js';
import { ROLES_DATA } from '../demo/security.js';
import type { GeneratorContext } from './context.js';
import type { Facilities } from './facilities.js';
import type { Geography } from './locations.js';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES, phoneNumber } from './names.js';
import type { Staff, Person } from './officers.js';

const USER_COLUMNS = [
  'UserID', 'UserUUID', 'LoginName', 'LastName', 'OtherNames', 'Phone', 'EmailId', 'LanguageID', 'HFID', 'IsAssociated',
  'RoleID', 'PrivateKey', 'StoredPassword', 'PasswordValidity', 'DummyPwd', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;
const USER_ROLE_COLUMNS = ['UserRoleID', 'UserID', 'RoleID', 'Assign', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AudituserID'] as const;
const USER_DISTRICT_COLUMNS = ['UserDistrictID', 'UserID', 'LocationId', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID'] as const;

/** System role bits (tblRole.IsSystem). */
export const ROLE = {
  enrolmentOfficer: 1, manager: 2, accountant: 4, clerk: 8, medicalOfficer: 16, schemeAdmin: 32, imisAdmin: 64,
  receptionist: 128, claimAdmin: 256, claimContributor: 512, hfAdmin: 524288, offlineAdmin: 1048576,
} as const;

type Scope = 'all' | 'region' | 'hf' | 'district';

interface PlannedUser {
  id: number;
  login: string;
  password: string;
  roles: number[];
  scope: Scope;
  person?: Person;
}

export interface UserPlan {
  /** True when the Admin user has to be created (no current Admin row exists). */
  createAdmin: boolean;
  staff: PlannedUser[];
}

const STAFF: [prefix: string, role: number, count: number, scope: Scope][] = [
  ['manager', ROLE.manager, 2, 'all'],
  ['accountant', ROLE.accountant, 2, 'all'],
  ['clerk', ROLE.clerk, 6, 'region'],
  ['medofficer', ROLE.medicalOfficer, 3, 'region'],
  ['schemeadmin', ROLE.schemeAdmin, 1, 'all'],
  ['imisadmin', ROLE.imisAdmin, 1, 'all'],
  ['reception', ROLE.receptionist, 3, 'hf'],
  ['contributor', ROLE.claimContributor, 1, 'hf'],
  ['hfadmin', ROLE.hfAdmin, 1, 'hf'],
  ['offline', ROLE.offlineAdmin, 1, 'district'],
];

/** The ten roles the openIMIS Admin holds (legacy bitmask 1023). */
const ADMIN_ROLES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/** Reserves the ids of Admin and the staff users, so other tables can name them as AuditUserID. */
export async function planUsers(ctx: GeneratorContext, knex: Knex): Promise<UserPlan> {
  const existing = await knex('tblUsers').where({ LoginName: 'Admin' }).whereNull('ValidityTo').first('UserID');
  const createAdmin = !existing;
  ctx.adminUserId = existing ? Number(existing.UserID) : ctx.ids.take('tblUsers');
  const staff: PlannedUser[] = [];
  for (const [prefix, role, count, scope] of STAFF) {
    for (let k = 1; k <= count; k++) {
      const login = `${prefix}${String(k).padStart(2, '0')}`;
      staff.push({ id: ctx.ids.take('tblUsers'), login, password: `${login}pass`, roles: [role], scope });
    }
  }
  ctx.clerkUserIds = staff.filter((u) => u.roles[0] === ROLE.clerk).map((u) => u.id);
  ctx.medicalOfficerUserIds = staff.filter((u) => u.roles[0] === ROLE.medicalOfficer).map((u) => u.id);
  return { createAdmin, staff };
}

/** RoleID per system bit; creates the system roles (with rights) when tblRole is empty. */
export async function ensureRoles(ctx: GeneratorContext, knex: Knex): Promise<Map<number, number>> {
  const rng = ctx.rng('roles');
  const [{ n }] = await knex('tblRole').count<{ n: number | string }[]>({ n: '*' });
  if (Number(n) === 0) {
    const setup = ctx.setupStamp;
    await knex('tblRole').insert(ROLES_DATA.map(([id, name, bit, french]) => ({
      RoleID: id, RoleUUID: rng.uuid(), RoleName: name, AltLanguage: french, IsSystem: bit, IsBlocked: false,
      ValidityFrom: setup, ValidityTo: null, LegacyID: null, AuditUserID: ctx.adminUserId,
    })));
    const rights = ROLES_DATA.flatMap(([roleId, , , , list]) => list.map((right) => ({ RoleID: roleId, RightID: right })));
    for (let i = 0; i < rights.length; i += 500) {
      await knex('tblRoleRight').insert(rights.slice(i, i + 500).map((r) => ({ ...r, ValidityFrom: setup, AuditUserId: ctx.adminUserId })));
    }
    ctx.notes.push(`tblRole was empty: created the ${ROLES_DATA.length} system roles with ${rights.length} rights`);
  }
  const rows = await knex('tblRole').whereNull('ValidityTo').andWhere('IsSystem', '>', 0).select('RoleID', 'IsSystem');
  const byBit = new Map<number, number>();
  for (const r of rows) if (!byBit.has(Number(r.IsSystem))) byBit.set(Number(r.IsSystem), Number(r.RoleID));
  return byBit;
}

export async function generateUsers(
  ctx: GeneratorContext, plan: UserPlan, roles: Map<number, number>, geo: Geography, hfs: Facilities, staff: Staff,
): Promise<{ users: number; logins: string[] }> {
  const rng = ctx.rng('users');
  const setup = ctx.setupStamp;
  const users: (string | number | boolean | null)[][] = [];
  const userRoles: (string | number | boolean | null)[][] = [];
  const districts: (string | number | boolean | null)[][] = [];
  const allDistricts = geo.districts.map((d) => d.id);
  const hospitals = hfs.hospitalOfDistrict.map((i) => hfs.list[i]);
  const logins: string[] = [];

  const add = (u: PlannedUser, names: { last: string; other: string }, hfId: number | null, districtIds: number[], associated: boolean) => {
    const privateKey = rng.hex(256);
    const bits = u.roles.filter((r) => roles.has(r));
    users.push([
      u.id, rng.uuid(), u.login, names.last, names.other, u.person?.phone ?? phoneNumber(rng),
      u.person?.email ?? `${u.login.toLowerCase()}@scheme.example.org`, rng.bool(0.85) ? 'en' : 'fr', hfId, associated,
      bits.reduce((a, b) => a | b, 0) & 0x7fffffff, privateKey, hashPassword(u.password, privateKey), null, null,
      setup, null, null, ctx.adminUserId,
    ]);
    for (const bit of bits) userRoles.push([ctx.ids.take('tblUserRole'), u.id, roles.get(bit)!, 3, setup, null, null, ctx.adminUserId]);
    for (const d of districtIds) districts.push([ctx.ids.take('tblUsersDistricts'), u.id, d, setup, null, null, ctx.adminUserId]);
    logins.push(u.login);
  };
  const randomName = () => ({ last: rng.pick(SURNAMES), other: rng.pick(rng.bool(0.5) ? MALE_NAMES : FEMALE_NAMES) });

  if (plan.createAdmin) {
    add({ id: ctx.adminUserId, login: 'Admin', password: 'admin123', roles: ADMIN_ROLES, scope: 'all' }, { last: 'Admin', other: 'Admin' }, null, allDistricts, false);
  }
  plan.staff.forEach((u, k) => {
    const region = geo.regions[k % geo.regions.length];
    const hf = hospitals[k % hospitals.length];
    const scoped = u.scope === 'all' ? allDistricts
      : u.scope === 'region' ? region.districts.map((d) => geo.districts[d].id)
      : u.scope === 'hf' ? [geo.districts[hf.district].id]
      : [geo.districts[k % geo.districts.length].id];
    add(u, randomName(), u.scope === 'hf' ? hf.id : null, scoped, false);
  });
  for (const p of staff.officerLogins) {
    add({ id: ctx.ids.take('tblUsers'), login: p.code, password: p.code + p.code, roles: [ROLE.enrolmentOfficer], scope: 'district', person: p },
      { last: p.lastName, other: p.otherNames }, null, [p.districtId], true);
  }
  for (const p of staff.claimAdminLogins) {
    add({ id: ctx.ids.take('tblUsers'), login: p.code, password: p.code, roles: [ROLE.claimAdmin], scope: 'hf', person: p },
      { last: p.lastName, other: p.otherNames }, p.hfId, [p.districtId], true);
  }

  await ctx.target.load('tblUsers', USER_COLUMNS, users);
  await ctx.target.load('tblUserRole', USER_ROLE_COLUMNS, userRoles);
  await ctx.target.load('tblUsersDistricts', USER_DISTRICT_COLUMNS, districts);
  ctx.notes.push('Logins: Admin/admin123; staff <login>/<login>pass (e.g. clerk01/clerk01pass); '
    + `claim administrators login = password (e.g. ${staff.claimAdminLogins[0]?.code ?? '-'}); `
    + `enrolment officers password = login twice (e.g. ${staff.officerLogins[0]?.code ?? '-'}${staff.officerLogins[0]?.code ?? ''})`);
  return { users: users.length, logins };
}
