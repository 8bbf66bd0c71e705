/**
 * Enrolment officers (tblOfficer, ~1 per 2000 insurees, each serving a block of villages of one
 * district through tblOfficerVillages) and claim administrators (tblClaimAdmin, one or two per
 * health facility). A few of each get a login (see users.ts).
 */
import type { GeneratorContext } from './context.js';
import { SHARES } from './context.js';
import { isoDay, stamp } from './dates.js';
import type { Facilities } from './facilities.js';
import type { Geography } from './locations.js';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES, emailOf, phoneNumber, streetAddress } from './names.js';

export interface Person {
  id: number;
  code: string;
  lastName: string;
  otherNames: string;
  phone: string;
  email: string | null;
  districtId: number;
  hfId: number | null;
}

export interface Staff {
  /** Officer id serving each village (by village index). */
  officerOfVillage: Int32Array;
  /** Officer code by officer id. */
  officerCode: Map<number, string>;
  /** Officers and claim administrators that have a user login. */
  officerLogins: Person[];
  claimAdminLogins: Person[];
  /** Claim administrator ids per facility index. */
  claimAdminsOfFacility: number[][];
}

const OFFICER_COLUMNS = [
  'OfficerID', 'OfficerUUID', 'Code', 'LastName', 'OtherNames', 'DOB', 'Phone', 'EmailId', 'LocationId', 'OfficerIDSubst',
  'WorksTo', 'VEOCode', 'VEOLastName', 'VEOOtherNames', 'VEODOB', 'VEOPhone', 'HasLogin', 'PhoneCommunication',
  'permanentaddress', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;
const OFFICER_VILLAGE_COLUMNS = ['OfficerVillageId', 'OfficerId', 'LocationId', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID'] as const;
const CLAIM_ADMIN_COLUMNS = [
  'ClaimAdminId', 'ClaimAdminUUID', 'ClaimAdminCode', 'LastName', 'OtherNames', 'DOB', 'EmailId', 'Phone', 'HFId', 'HasLogin',
  'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserId',
] as const;

const MAX_LOGINS = 10;

type Row = (string | number | boolean | null)[];

export async function generateStaff(ctx: GeneratorContext, geo: Geography, hfs: Facilities): Promise<Staff> {
  const rng = ctx.rng('staff');
  const setup = ctx.setupStamp;
  const today = ctx.opts.today;
  const adultDob = () => isoDay(today - rng.int(24 * 365, 58 * 365));
  const name = () => {
    const male = rng.bool(0.55);
    return { last: rng.pick(SURNAMES), other: rng.pick(male ? MALE_NAMES : FEMALE_NAMES) };
  };

  const officerRows: Row[] = [];
  const villageRows: Row[] = [];
  const officerOfVillage = new Int32Array(geo.villages.length);
  const officerLogins: Person[] = [];
  const officerCode = new Map<number, string>();
  const totalWeight = geo.districts.reduce((a, d) => a + d.weight, 0);
  let seq = 0;
  let previousDistrictOfficer: number | null = null;

  for (const district of geo.districts) {
    const insured = (ctx.opts.insurees * district.weight) / totalWeight;
    const count = Math.min(district.villages.length, Math.max(1, Math.round(insured / 2000)));
    const ids: number[] = [];
    for (let k = 0; k < count; k++) ids.push(ctx.ids.take('tblOfficer'));
    ids.forEach((id, k) => {
      seq++;
      const code = `E${String(seq).padStart(seq > 99_999 ? 7 : 5, '0')}`;
      officerCode.set(id, code);
      const n = name();
      const phone = phoneNumber(rng);
      const email = rng.bool(0.5) ? emailOf(rng, n.other, n.last) : null;
      const hasLogin = officerLogins.length < MAX_LOGINS && k === 0;
      if (hasLogin) officerLogins.push({ id, code, lastName: n.last, otherNames: n.other, phone, email, districtId: district.id, hfId: null });
      // A colleague of the district stands in; a district with one officer borrows the previous
      // district's last one, so small schemes have substitutes too (always the second
      // officer, so that every generated dataset serves the extension).
      const colleague = ids.length > 1 ? ids[(k + 1) % ids.length] : previousDistrictOfficer;
      const subst = colleague !== null && (rng.bool(0.2) || seq === 2) ? colleague : null;
      const veo = rng.bool(0.3) ? name() : null;
      const start = ctx.schemeStart + rng.int(0, 120);
      let validFrom = stamp(start, 9 * 3600);
      const row = (rowId: number, ph: string, from: string, to: string | null, legacy: number | null): Row => [
        rowId, rng.uuid(), code, n.last, n.other, adultDob(), ph, email, district.id, subst,
        null, veo ? `V${String(seq).padStart(5, '0')}` : null, veo?.last ?? null, veo?.other ?? null, veo ? adultDob() : null,
        veo ? phoneNumber(rng).slice(0, 25) : null, hasLogin, rng.bool(0.5), streetAddress(rng), from, to, legacy, ctx.adminUserId,
      ];
      if (rng.bool(SHARES.officerHistory) || seq === 1) {
        const changed = start + rng.int(30, Math.max(31, today - start - 1));
        const changedStamp = stamp(changed, 10 * 3600);
        officerRows.push(row(ctx.ids.take('tblOfficer'), phoneNumber(rng), validFrom, changedStamp, id));
        validFrom = changedStamp;
      }
      officerRows.push(row(id, phone, validFrom, null, null));
    });
    previousDistrictOfficer = ids[ids.length - 1];
    // Contiguous blocks of the district's villages per officer.
    district.villages.forEach((v, i) => {
      const officer = ids[Math.floor((i * ids.length) / district.villages.length)];
      officerOfVillage[v] = officer;
      villageRows.push([ctx.ids.take('tblOfficerVillages'), officer, geo.villages[v].id, setup, null, null, ctx.adminUserId]);
    });
  }
  const adminRows: Row[] = [];
  const claimAdminLogins: Person[] = [];
  const claimAdminsOfFacility: number[][] = [];
  for (const hf of hfs.list) {
    const count = hf.level === 'H' ? 2 : rng.bool(0.2) ? 2 : 1;
    const ids: number[] = [];
    for (let k = 1; k <= count; k++) {
      const id = ctx.ids.take('tblClaimAdmin');
      ids.push(id);
      const code = hf.code.length <= 7 ? `${hf.code}${k}` : `CA${String(id).padStart(6, '0')}`;
      const n = name();
      const phone = phoneNumber(rng);
      const email = rng.bool(0.6) ? emailOf(rng, n.other, n.last) : null;
      const hasLogin = claimAdminLogins.length < MAX_LOGINS && k === 1 && (hf.level === 'H' || claimAdminLogins.length < MAX_LOGINS / 2);
      if (hasLogin) claimAdminLogins.push({ id, code, lastName: n.last, otherNames: n.other, phone, email, districtId: geo.districts[hf.district].id, hfId: hf.id });
      const dob = adultDob();
      let validFrom = setup;
      // As with officers, the first one always has a history row, so that small datasets show one.
      if (rng.bool(SHARES.officerHistory) || adminRows.length === 0) {
        const changed = stamp(ctx.schemeStart + rng.int(30, Math.max(31, today - ctx.schemeStart - 1)), 10 * 3600);
        adminRows.push([ctx.ids.take('tblClaimAdmin'), rng.uuid(), code, n.last, n.other, dob, null, phoneNumber(rng), hf.id, hasLogin, setup, changed, id, ctx.adminUserId]);
        validFrom = changed;
      }
      adminRows.push([id, rng.uuid(), code, n.last, n.other, dob, email, phone, hf.id, hasLogin, validFrom, null, null, ctx.adminUserId]);
    }
    claimAdminsOfFacility.push(ids);
    hf.claimAdmins = ids;
  }

  await ctx.target.load('tblOfficer', OFFICER_COLUMNS, officerRows);
  await ctx.target.load('tblOfficerVillages', OFFICER_VILLAGE_COLUMNS, villageRows);
  await ctx.target.load('tblClaimAdmin', CLAIM_ADMIN_COLUMNS, adminRows);
  return { officerOfVillage, officerCode, officerLogins, claimAdminLogins, claimAdminsOfFacility };
}
