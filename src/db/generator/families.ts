/**
 * Families and insurees (tblFamilies, tblInsuree, tblPhotos): households of 1–10 persons (mean ~4)
 * with one head, a realistic age pyramid, names, civil status, education, profession, identity
 * documents, contact details, unique CHFIDs (8 random digits + mod-7 check digit), and the legacy
 * history pattern: ~5 % of insurees and ~3 % of families carry history rows, ~0.5 % are soft-deleted.
 */
import type { GeneratorContext, TableSink } from './context.js';
import { SHARES } from './context.js';
import { DAYS_PER_YEAR, isoDay, stamp } from './dates.js';
import type { Facilities } from './facilities.js';
import type { Geography } from './locations.js';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES, emailOf, phoneNumber, streetAddress } from './names.js';
import type { Staff } from './officers.js';
import type { Prng } from './prng.js';

export const FAMILY_COLUMNS = [
  'FamilyID', 'FamilyUUID', 'InsureeID', 'LocationId', 'Poverty', 'FamilyType', 'FamilyAddress', 'Ethnicity',
  'ConfirmationNo', 'ConfirmationType', 'isOffline', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

export const INSUREE_COLUMNS = [
  'InsureeID', 'InsureeUUID', 'FamilyID', 'CHFID', 'LastName', 'OtherNames', 'DOB', 'Gender', 'Marital', 'IsHead',
  'passport', 'Phone', 'Email', 'CardIssued', 'CurrentAddress', 'CurrentVillage', 'GeoLocation', 'PhotoID', 'PhotoDate',
  'Relationship', 'Profession', 'Education', 'TypeOfId', 'HFID', 'Vulnerability', 'isOffline',
  'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

export const PHOTO_COLUMNS = [
  'PhotoID', 'PhotoUUID', 'InsureeID', 'CHFID', 'PhotoFolder', 'PhotoFileName', 'OfficerID', 'PhotoDate',
  'ValidityFrom', 'ValidityTo', 'AuditUserID',
] as const;

/** Relationship codes (tblRelations). */
const REL = { sibling: 1, parent: 2, uncle: 3, child: 4, grandchild: 5, employee: 6, other: 7, spouse: 8 } as const;

export interface Member {
  id: number;
  gender: 'M' | 'F' | 'O';
  dob: number;
  /** Day the person was added to the family. */
  joined: number;
  /** Day of the soft delete, if any. */
  deleted: number | null;
  fsp: number | null;
}

export interface Family {
  id: number;
  village: number;
  district: number;
  region: number;
  officerId: number;
  created: number;
  deleted: number | null;
  members: Member[];
}

export interface FamilySinks {
  families: TableSink;
  insurees: TableSink;
  photos: TableSink;
}

type Row = (string | number | boolean | null)[];

const SIZE_WEIGHTS = [10, 14, 18, 20, 15, 10, 6, 4, 2, 1];
const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const HEAD_AGE_BANDS = [18, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 80];
const HEAD_AGE_WEIGHTS = [12, 16, 16, 14, 11, 9, 7, 5, 4, 3, 3];
const ADULT_EDUCATION = [1, 2, 3, 4, 5, 6, 7];
const ADULT_EDUCATION_WEIGHTS = [2, 50, 30, 9, 3, 0.5, 5];

/** Unique CHFIDs: 8 random digits + (number mod 7), zero-padded to 9 characters. */
export class ChfidPool {
  private readonly used = new Uint8Array(100_000_000 / 8);
  next(rng: Prng): string {
    for (;;) {
      const n = rng.next() % 100_000_000;
      const byte = n >>> 3;
      const bit = 1 << (n & 7);
      if (this.used[byte] & bit) continue;
      this.used[byte] |= bit;
      return String(n * 10 + (n % 7)).padStart(9, '0');
    }
  }
}

/** Check digit rule of uspCreateCHFID. */
export function isValidChfid(chfid: string): boolean {
  if (!/^\d{9}$/.test(chfid)) return false;
  const n = Number(chfid.slice(0, 8));
  return n % 7 === Number(chfid[8]);
}

interface Version {
  lastName: string;
  marital: string | null;
  phone: string | null;
  education: number | null;
}

interface Person {
  gender: 'M' | 'F' | 'O';
  age: number;
  relation: number | null;
  lastName: string;
}

export class FamilyGenerator {
  private readonly rng: Prng;
  private readonly chfids = new ChfidPool();
  private readonly today: number;
  private readonly windowStart: number;

  constructor(
    private readonly ctx: GeneratorContext,
    private readonly geo: Geography,
    private readonly hfs: Facilities,
    private readonly staff: Staff,
    private readonly sinks: FamilySinks,
  ) {
    this.rng = ctx.rng('families');
    this.today = ctx.opts.today;
    // Families enrolled over the last four years, more of them recently (a growing scheme).
    this.windowStart = Math.max(ctx.schemeStart + 30, this.today - 4 * 365);
  }

  /** Generates one family of at most `maxSize` persons and writes its rows. */
  next(maxSize: number): Family {
    const { rng, ctx, today } = this;
    const village = this.geo.villagePicker.pick(rng);
    const district = this.geo.villages[village].district;
    const region = this.geo.districts[district].region;
    const villageId = this.geo.villages[village].id;
    const officerId = this.staff.officerOfVillage[village];
    const created = Math.min(today - 1, this.windowStart + Math.floor((today - this.windowStart) * Math.sqrt(rng.float())));
    const deleted = rng.bool(SHARES.familyDeleted) && created < today - 2 ? rng.int(created + 1, today - 1) : null;
    const familyId = ctx.ids.take('tblFamilies');
    const audit = rng.pick(ctx.clerkUserIds);

    const people = this.household(Math.min(maxSize, rng.weighted(SIZES, SIZE_WEIGHTS)));
    const districtHfs = this.hfs.byDistrict[district];
    const familyFsp = rng.bool(0.6) ? this.hfs.list[districtHfs[rng.int(0, districtHfs.length - 1)]].id : null;
    const address = streetAddress(rng);
    const members: Member[] = [];

    for (let i = 0; i < people.length; i++) {
      const p = people[i];
      const dob = today - Math.floor(p.age * DAYS_PER_YEAR) - rng.int(0, 364);
      const joined = dob > created ? Math.min(today, dob + rng.int(7, 60)) : created;
      if (deleted !== null && joined > deleted) continue; // born after the family was deleted
      const isHead = i === 0;
      let memberDeleted = deleted;
      if (memberDeleted === null && !isHead && rng.bool(SHARES.insureeDeleted) && joined < today - 2) memberDeleted = rng.int(joined + 1, today - 1);
      if (memberDeleted !== null && memberDeleted < joined) memberDeleted = joined;
      const fsp = familyFsp !== null && rng.bool(0.85) ? familyFsp : null;
      const member: Member = { id: ctx.ids.take('tblInsuree'), gender: p.gender, dob, joined, deleted: memberDeleted, fsp };
      members.push(member);
      this.writeInsuree(member, p, familyId, isHead, villageId, district, address, officerId, audit);
    }

    this.writeFamily(familyId, members[0].id, villageId, address, created, deleted, audit);
    return { id: familyId, village, district, region, officerId, created, deleted, members };
  }

  /** Composition of a household: head first, then spouse, children and other relatives. */
  private household(size: number): Person[] {
    const rng = this.rng;
    const headAgeBand = rng.weighted(HEAD_AGE_BANDS.slice(0, -1).map((_, i) => i), HEAD_AGE_WEIGHTS);
    const headAge = rng.int(HEAD_AGE_BANDS[headAgeBand], HEAD_AGE_BANDS[headAgeBand + 1] - 1);
    const headGender = rng.weighted(['M', 'F', 'O'] as const, [68, 31.8, 0.2]);
    const lastName = rng.pick(SURNAMES);
    const people: Person[] = [{ gender: headGender, age: headAge, relation: null, lastName }];
    if (size >= 2 && rng.bool(0.8)) {
      const age = Math.max(18, Math.round(headAge + (headGender === 'M' ? -4 : 4) + rng.normal() * 4));
      people.push({ gender: headGender === 'M' ? 'F' : 'M', age, relation: REL.spouse, lastName: rng.bool(0.7) ? lastName : rng.pick(SURNAMES) });
    }
    while (people.length < size) {
      const r = rng.float();
      if (r < 0.86 || headAge < 22) {
        const maxChildAge = Math.max(0, Math.min(headAge - 17, 24));
        // younger children slightly more numerous
        const age = Math.floor((maxChildAge + 1) * Math.pow(rng.float(), 0.95));
        people.push({ gender: rng.bool(0.5) ? 'M' : 'F', age, relation: REL.child, lastName });
      } else if (r < 0.9 && headAge < 60) {
        people.push({ gender: rng.bool(0.6) ? 'F' : 'M', age: Math.min(98, headAge + rng.int(18, 32)), relation: REL.parent, lastName });
      } else if (r < 0.93 && headAge >= 40) {
        people.push({ gender: rng.bool(0.5) ? 'M' : 'F', age: rng.int(0, 8), relation: REL.grandchild, lastName });
      } else if (r < 0.96) {
        people.push({ gender: rng.bool(0.5) ? 'M' : 'F', age: Math.max(0, headAge + rng.int(-12, 12)), relation: REL.sibling, lastName });
      } else if (r < 0.98) {
        people.push({ gender: rng.bool(0.5) ? 'M' : 'F', age: rng.int(5, 40), relation: rng.bool(0.5) ? REL.uncle : REL.other, lastName: rng.pick(SURNAMES) });
      } else {
        people.push({ gender: rng.bool(0.6) ? 'F' : 'M', age: rng.int(16, 45), relation: REL.employee, lastName: rng.pick(SURNAMES) });
      }
    }
    return people;
  }

  private writeInsuree(m: Member, p: Person, familyId: number, isHead: boolean, villageId: number, district: number,
    address: string, officerId: number, audit: number): void {
    const { rng, ctx, today } = this;
    const age = p.age;
    const adult = age >= 18;
    const chfid = this.chfids.next(rng);
    const names = p.gender === 'F' ? FEMALE_NAMES : p.gender === 'M' ? MALE_NAMES : rng.bool(0.5) ? FEMALE_NAMES : MALE_NAMES;
    const otherNames = rng.bool(0.15) ? `${rng.pick(names)} ${rng.pick(names)}` : rng.pick(names);
    const hasSpouse = p.relation === REL.spouse || (isHead && rng.bool(0.75) && age >= 20);
    const marital = !adult ? (rng.bool(0.7) ? 'S' : null)
      : rng.bool(0.08) ? null
      : hasSpouse ? 'M'
      : age > 60 ? rng.weighted(['W', 'M', 'D', 'S'], [50, 20, 10, 20])
      : rng.weighted(['S', 'M', 'D', 'W'], [55, 25, 12, 8]);
    const education = age < 4 ? null : age < 7 ? 1 : age < 14 ? 2 : age < 19 ? (rng.bool(0.8) ? 3 : 2)
      : rng.bool(0.15) ? null : rng.weighted(ADULT_EDUCATION, ADULT_EDUCATION_WEIGHTS);
    const profession = !adult || rng.bool(0.1) ? null
      : p.gender === 'F' && rng.bool(0.35) ? 1 : rng.weighted([2, 3, 4], [20, 55, 25]);
    let typeOfId: string | null = null;
    let passport: string | null = null;
    if (adult && rng.bool(0.45)) {
      typeOfId = rng.weighted(['N', 'V', 'D', 'P'], [70, 20, 7, 3]);
      passport = typeOfId === 'N' ? `${isoDay(m.dob).replace(/-/g, '')}-${rng.digits(5)}-${rng.digits(5)}-${rng.digits(2)}`
        : typeOfId === 'V' ? `T-${rng.digits(4)}-${rng.digits(4)}-${rng.digits(3)}`
        : typeOfId === 'D' ? rng.digits(10)
        : `TAE${rng.digits(6)}`;
    }
    const phone = adult && rng.bool(isHead ? 0.7 : 0.25) ? phoneNumber(rng) : null;
    const email = adult && rng.bool(0.05) ? emailOf(rng, otherNames.split(' ')[0], p.lastName) : null;
    const moved = rng.float();
    const currentVillage = moved < 0.85 ? null : moved < 0.95 ? villageId
      : this.geo.villages[this.geo.districts[district].villages[rng.int(0, this.geo.districts[district].villages.length - 1)]].id;
    const currentAddress = currentVillage !== null ? (currentVillage === villageId ? address : streetAddress(rng)) : null;
    const cardIssued = today - m.joined > 30 && rng.bool(0.7);
    let photoId: number | null = null;
    let photoDate: string | null = null;
    if (rng.bool(SHARES.photo)) {
      photoId = ctx.ids.take('tblPhotos');
      const day = Math.min(today, m.joined + rng.int(0, 30));
      photoDate = isoDay(day);
      const officerCode = this.staff.officerCode.get(officerId) ?? 'E00000';
      this.sinks.photos.row([photoId, rng.uuid(), m.id, chfid, 'Images\\Updated\\',
        `${chfid}_${officerCode}_${photoDate.replace(/-/g, '')}_0.0_0.0.jpg`, officerId, photoDate, stamp(day, 36_000), null, audit]);
    }
    const vulnerability = rng.bool(age >= 70 ? 0.2 : 0.03);
    const uuid = rng.uuid();

    const row = (id: number, rowUuid: string, values: Version,
      from: string, to: string | null, legacy: number | null): Row => [
      id, rowUuid, familyId, chfid, values.lastName, otherNames, isoDay(m.dob), p.gender, values.marital, isHead,
      passport, values.phone, email, cardIssued, currentAddress, currentVillage, null, photoId, photoDate,
      p.relation, profession, values.education, typeOfId, m.fsp, vulnerability, false,
      from, to, legacy, audit,
    ];

    const current: Version = { lastName: p.lastName, marital, phone, education };
    let validFrom = stamp(m.joined, rng.int(7 * 3600, 17 * 3600));
    const limit = (m.deleted ?? today) - 1;
    if (rng.bool(SHARES.insureeHistory) && m.joined < limit) {
      // Earlier versions, oldest first, each closed when the next one started.
      // Changes happen on days after the person joined, so every version lasts a while.
      const days = [rng.int(m.joined + 1, limit)];
      if (rng.bool(0.2)) {
        const second = rng.int(m.joined + 1, limit);
        if (second !== days[0]) days.push(second);
      }
      days.sort((a, b) => a - b);
      const versions: Version[] = [current];
      for (let k = 0; k < days.length; k++) versions.unshift(this.olderVersion(versions[0], p));
      let from = validFrom;
      days.forEach((day, k) => {
        const to = stamp(day, rng.int(7 * 3600, 17 * 3600));
        this.sinks.insurees.row(row(ctx.ids.take('tblInsuree'), rng.uuid(), versions[k], from, to, m.id));
        from = to;
      });
      validFrom = from;
    }
    if (m.deleted !== null) {
      // delete = history copy of the last version + close the original at the same instant
      const at = stamp(m.deleted, rng.int(7 * 3600, 17 * 3600));
      const end = at > validFrom ? at : validFrom;
      this.sinks.insurees.row(row(ctx.ids.take('tblInsuree'), rng.uuid(), current, validFrom, end, m.id));
      this.sinks.insurees.row(row(m.id, uuid, current, end, end, null));
    } else {
      this.sinks.insurees.row(row(m.id, uuid, current, validFrom, null, null));
    }
  }

  /** The version before `v`: one thing that changed since (maiden name, marriage, phone, schooling). */
  private olderVersion(v: Version, p: Person): Version {
    const rng = this.rng;
    const kind = rng.float();
    if (kind < 0.25 && p.gender === 'F' && p.relation === REL.spouse) return { ...v, lastName: rng.pick(SURNAMES), marital: 'S' };
    if (kind < 0.45 && v.marital === 'M') return { ...v, marital: 'S' };
    if (kind < 0.6 && v.education !== null && v.education > 1 && p.age < 25) return { ...v, education: v.education - 1 };
    return { ...v, phone: v.phone === null || rng.bool(0.5) ? (p.age >= 18 ? phoneNumber(rng) : null) : null };
  }

  private writeFamily(id: number, headId: number, villageId: number, address: string, created: number, deleted: number | null, audit: number): void {
    const { rng, ctx, today } = this;
    const poverty = rng.bool(0.2);
    const type = rng.weighted(['H', 'C', 'G', 'O', 'P', 'S', 'T'], [86, 2, 2, 3, 1, 3, 3]);
    const confirmationType = poverty ? rng.weighted(['A', 'B', 'C', 'D'], [50, 25, 15, 10]) : null;
    const confirmationNo = poverty ? `CN${rng.digits(8)}` : null;
    const uuid = rng.uuid();
    const row = (rowId: number, rowUuid: string, pov: boolean, addr: string, from: string, to: string | null, legacy: number | null): Row => [
      rowId, rowUuid, headId, villageId, pov, type, addr, null, pov ? confirmationNo ?? `CN${rng.digits(8)}` : null,
      pov ? confirmationType ?? 'A' : null, false, from, to, legacy, audit,
    ];
    let validFrom = stamp(created, rng.int(7 * 3600, 17 * 3600));
    if (rng.bool(SHARES.familyHistory) && created < today - 3) {
      const changed = rng.int(created + 1, Math.min(today - 1, deleted ?? today - 1));
      if (changed > created) {
        const to = stamp(changed, rng.int(7 * 3600, 17 * 3600));
        this.sinks.families.row(row(ctx.ids.take('tblFamilies'), rng.uuid(), !poverty, streetAddress(rng), validFrom, to, id));
        validFrom = to;
      }
    }
    if (deleted !== null) {
      const at = stamp(deleted, 17 * 3600 + rng.int(0, 3000));
      const end = at > validFrom ? at : validFrom;
      this.sinks.families.row(row(ctx.ids.take('tblFamilies'), rng.uuid(), poverty, address, validFrom, end, id));
      this.sinks.families.row(row(id, uuid, poverty, address, end, end, null));
    } else {
      this.sinks.families.row(row(id, uuid, poverty, address, validFrom, null, null));
    }
  }
}
