/**
 * Demo families and insurees (tblFamilies, tblInsuree, tblPhotos), including history rows made the
 * legacy way and one soft-deleted member. CHFIDs are 8 digits + (number mod 7), as uspCreateCHFID makes them.
 */
import { demoUuid, softDeleted, withHistory, type DemoClock, type Row, type TableRows } from './util.js';

interface FamilyData {
  id: number;
  head: number;
  village: string;
  type: string;
  poverty: boolean;
  confirmation: [string, string] | null;
  address: string;
  /** Days before today when the family was enrolled. */
  enrolled: number;
  /** UserID that entered it (3 = the enrolment officer E00001, 1 = Admin). */
  auditUser: number;
  /** First service point of the members. */
  hf: number | null;
}

export const FAMILIES: FamilyData[] = [
  { id: 1, head: 1, village: 'R1D1M1V1', type: 'H', poverty: false, confirmation: null, address: 'Plot 12, Mwanzo road', enrolled: 121, auditUser: 3, hf: 1 },
  { id: 2, head: 6, village: 'R1D1M1V2', type: 'H', poverty: true, confirmation: ['A', 'LC-2201'], address: 'House 4, Kisima market', enrolled: 201, auditUser: 3, hf: 2 },
  { id: 3, head: 10, village: 'R1D2M1V1', type: 'H', poverty: false, confirmation: null, address: 'Shamba village, near the school', enrolled: 6, auditUser: 1, hf: 3 },
  { id: 4, head: 13, village: 'R1D2M1V2', type: 'H', poverty: true, confirmation: ['B', 'MUN-0412'], address: 'Mtoni riverside 7', enrolled: 251, auditUser: 1, hf: 3 },
  { id: 5, head: 16, village: 'R1D1M2V1', type: 'T', poverty: false, confirmation: null, address: "Teachers' houses 2, Mlimani", enrolled: 421, auditUser: 3, hf: 2 },
  { id: 6, head: 19, village: 'R1D3M1V1', type: 'H', poverty: false, confirmation: null, address: 'Kilele hill road 3', enrolled: 61, auditUser: 1, hf: 4 },
  { id: 7, head: 21, village: 'R2D1M1V1', type: 'H', poverty: false, confirmation: null, address: 'Bahari beach plot 88', enrolled: 151, auditUser: 1, hf: 5 },
  { id: 8, head: 26, village: 'R2D1M1V2', type: 'H', poverty: true, confirmation: ['C', 'ST-55190'], address: 'Mchanga 14', enrolled: 301, auditUser: 1, hf: 5 },
  { id: 9, head: 29, village: 'R2D2M1V1', type: 'H', poverty: false, confirmation: null, address: 'Mnazi coconut farm', enrolled: 31, auditUser: 1, hf: 6 },
  { id: 10, head: 32, village: 'R1D1M2V1', type: 'H', poverty: true, confirmation: ['A', 'LC-1877'], address: 'Mlimani upper road 21', enrolled: 601, auditUser: 3, hf: 2 },
];

// [InsureeID, FamilyID, CHFID, last name, other names, DOB, gender, marital, relationship (null = head),
//  profession, education, identification type, identification number, phone, email]
type InsureeData = [number, number, string, string, string, string, 'M' | 'F' | 'O', string | null, number | null,
  number | null, number | null, string | null, string | null, string | null, string | null];

export const INSUREES: InsureeData[] = [
  [1, 1, '258372203', 'Mwangi', 'John', '1978-04-12', 'M', 'M', null, 2, 3, 'N', 'NID-19780412-0001', '+255 712 000 101', 'john.mwangi@example.org'],
  [2, 1, '711297451', 'Mwangi', 'Mary', '1982-09-03', 'F', 'M', 8, 1, 2, null, null, '+255 712 000 102', null],
  [3, 1, '664033731', 'Mwangi', 'Peter', '2008-01-20', 'M', 'S', 4, null, 2, null, null, '+255 712 000 103', null],
  [4, 1, '738500044', 'Mwangi', 'Grace', '2012-06-15', 'F', 'S', 4, null, 2, null, null, null, null],
  [5, 1, '447395421', 'Mwangi', 'Samuel', '2019-11-30', 'M', null, 4, null, 1, null, null, null, null],
  [6, 2, '883981055', 'Otieno', 'Joseph', '1965-02-28', 'M', 'M', null, 3, 2, 'D', 'DL-4471203', '+255 713 000 201', null],
  [7, 2, '419564585', 'Otieno', 'Agnes', '1970-07-19', 'F', 'M', 8, 1, 2, null, null, '+255 713 000 202', null],
  [8, 2, '669032092', 'Otieno', 'Brian', '1995-05-05', 'M', 'S', 4, 2, 4, 'N', 'NID-19950505-0311', '+255 713 000 203', 'brian.otieno@example.org'],
  [9, 2, '526565211', 'Otieno', 'Mercy', '2001-12-24', 'F', 'M', 4, 4, 3, null, null, '+255 713 000 204', null],
  [10, 3, '371283275', 'Said', 'Hassan', '1988-03-03', 'M', 'M', null, 3, 3, 'V', 'VC-88030301', '+255 714 000 301', null],
  [11, 3, '683219913', 'Said', 'Fatuma', '1990-10-10', 'F', 'M', 8, 1, 3, null, null, null, null],
  [12, 3, '815357163', 'Said', 'Amina', '2016-08-08', 'F', null, 4, null, 1, null, null, null, null],
  [13, 4, '607331734', 'Kimaro', 'Elias', '1975-01-01', 'M', 'W', null, 4, 2, 'N', 'NID-19750101-0042', '+255 715 000 401', null],
  [14, 4, '203009203', 'Kimaro', 'Neema', '2005-04-04', 'F', 'S', 4, 4, 3, null, null, null, null],
  [15, 4, '577279743', 'Kimaro', 'Rehema', '1950-06-06', 'F', 'W', 2, 4, 7, null, null, null, null],
  [16, 5, '657658164', 'Njoroge', 'Daniel', '1983-11-11', 'M', 'M', null, 2, 4, 'P', 'TZ1234567', '+255 716 000 501', 'daniel.njoroge@example.org'],
  [17, 5, '490785094', 'Njoroge', 'Lucy', '1986-02-14', 'F', 'M', 8, 2, 5, null, null, '+255 716 000 502', 'lucy.njoroge@example.org'],
  [18, 5, '864036025', 'Njoroge', 'Kevin', '2014-09-09', 'M', null, 4, null, 2, null, null, null, null],
  [19, 6, '785378532', 'Chande', 'Zawadi', '1992-12-01', 'F', 'D', null, 3, 3, 'V', 'VC-92120144', '+255 717 000 601', null],
  [20, 6, '551656243', 'Chande', 'Baraka', '2017-03-17', 'M', null, 4, null, 1, null, null, null, null],
  [21, 7, '167862391', 'Mohamed', 'Ali', '1970-08-08', 'M', 'M', null, 3, 2, 'N', 'NID-19700808-0777', '+255 718 000 701', null],
  [22, 7, '272046283', 'Mohamed', 'Zainab', '1975-05-21', 'F', 'M', 8, 1, 2, null, null, '+255 718 000 702', null],
  [23, 7, '965813391', 'Mohamed', 'Yusuf', '1999-01-30', 'M', 'S', 4, 2, 3, null, null, '+255 718 000 703', null],
  [24, 7, '888029741', 'Mohamed', 'Halima', '2003-07-07', 'F', 'S', 4, 4, 3, null, null, null, null],
  [25, 7, '435804725', 'Mohamed', 'Omar', '2010-10-10', 'M', null, 4, null, 2, null, null, null, null],
  [26, 8, '269755500', 'Juma', 'Rashid', '1960-04-25', 'M', 'M', null, 4, 2, 'N', 'NID-19600425-0019', '+255 719 000 801', null],
  [27, 8, '791259615', 'Juma', 'Mwanaisha', '1964-09-12', 'F', 'M', 8, 1, 2, null, null, null, null],
  [28, 8, '515449141', 'Juma', 'Salim', '1938-01-15', 'M', 'W', 2, 4, 7, null, null, null, null],
  [29, 9, '887878961', 'Kombo', 'Issa', '1985-06-30', 'M', 'M', null, 3, 3, 'N', 'NID-19850630-0203', '+255 720 000 901', 'issa.kombo@example.org'],
  [30, 9, '843928212', 'Kombo', 'Saida', '1987-11-05', 'F', 'M', 8, 2, 3, null, null, '+255 720 000 902', null],
  [31, 9, '201472014', 'Kombo', 'Ibrahim', '2011-02-02', 'M', null, 4, null, 2, null, null, null, null],
  [32, 10, '977302815', 'Wanjiku', 'Esther', '1979-10-20', 'F', 'W', null, 3, 2, 'N', 'NID-19791020-0150', '+255 721 000 001', null],
  [33, 10, '973767340', 'Wanjiku', 'Paul', '2004-05-15', 'M', 'S', 4, 4, 3, null, null, null, null],
  [34, 10, '596082852', 'Wanjiku', 'Alex', '2007-08-18', 'O', 'S', 4, null, 3, null, null, null, null],
  [35, 10, '448742781', 'Wanjiku', 'Moses', '2009-12-12', 'M', null, 4, null, 2, null, null, null, null],
];

/** Elderly members flagged as vulnerable. */
const VULNERABLE = new Set([15, 28]);
/** Current village differs from the family village: [InsureeID, village code, address]. */
const ELSEWHERE: [number, string, string][] = [[8, 'R1D2M1V1', 'Student hostel, Baraka college']];
/** Photos: [PhotoID, InsureeID, officer who took it]. */
const PHOTOS: [number, number, string][] = [
  [1, 1, 'E00001'],
  [2, 6, 'E00001'],
  [3, 21, 'E00004'],
  [4, 29, 'E00004'],
];
const OFFICER_IDS: Record<string, number> = { E00001: 1, E00004: 4 };

/** Updates of insuree 3 (two history rows) and insuree 7 (one); family 2 moved house (one). */
export const INSUREE_HISTORY = {
  3: [
    { id: 36, toDay: -90, old: { OtherNames: 'Petro' } },
    { id: 37, toDay: -30, old: { Education: 1 } },
  ],
  7: [{ id: 38, toDay: -45, old: { Phone: '+255 713 000 000' } }],
} as const;
export const SOFT_DELETED_INSUREE = { id: 35, historyId: 39, deletedDay: -30 };
const FAMILY_MOVE = { id: 2, historyId: 11, toDay: -60, oldAddress: 'Plot 9, Kisima old town' };

export const family = (id: number): FamilyData => {
  const found = FAMILIES.find((f) => f.id === id);
  if (!found) throw new Error(`Unknown demo family ${id}`);
  return found;
};

/** InsureeIDs of a family's members (including the soft-deleted one). */
export const familyMembers = (familyId: number): number[] => INSUREES.filter((i) => i[1] === familyId).map((i) => i[0]);

export const insureeDob = (id: number): string => INSUREES.find((i) => i[0] === id)![5];

export function buildInsurees(clock: DemoClock, locationId: (code: string) => number): TableRows {
  const enrolledAt = (f: FamilyData) => clock.time(-f.enrolled, 8);

  const tblFamilies: Row[] = FAMILIES.flatMap((f) => {
    const current: Row = {
      FamilyID: f.id,
      FamilyUUID: demoUuid('tblFamilies', f.id),
      InsureeID: f.head,
      LocationId: locationId(f.village),
      Poverty: f.poverty,
      FamilyType: f.type,
      FamilyAddress: f.address,
      Ethnicity: null,
      ConfirmationType: f.confirmation?.[0] ?? null,
      ConfirmationNo: f.confirmation?.[1] ?? null,
      isOffline: false,
      ValidityFrom: enrolledAt(f),
      ValidityTo: null,
      LegacyID: null,
      AuditUserID: f.auditUser,
    };
    if (f.id !== FAMILY_MOVE.id) return [current];
    current.ValidityFrom = clock.time(FAMILY_MOVE.toDay);
    return withHistory(current, { table: 'tblFamilies', pk: 'FamilyID', uuid: 'FamilyUUID' }, [
      { id: FAMILY_MOVE.historyId, from: enrolledAt(f), to: clock.time(FAMILY_MOVE.toDay), old: { FamilyAddress: FAMILY_MOVE.oldAddress } },
    ]);
  });

  const photoOf = (insureeId: number) => PHOTOS.find((p) => p[1] === insureeId);

  const tblInsuree: Row[] = INSUREES.flatMap((data) => {
    const [id, familyId, chfid, lastName, otherNames, dob, gender, marital, relationship, profession, education, idType, idNumber, phone, email] = data;
    const f = family(familyId);
    const photo = photoOf(id);
    const elsewhere = ELSEWHERE.find((e) => e[0] === id);
    const current: Row = {
      InsureeID: id,
      InsureeUUID: demoUuid('tblInsuree', id),
      FamilyID: familyId,
      CHFID: chfid,
      LastName: lastName,
      OtherNames: otherNames,
      DOB: dob,
      Gender: gender,
      Marital: marital,
      IsHead: f.head === id,
      Relationship: relationship,
      Profession: profession,
      Education: education,
      TypeOfId: idType,
      passport: idNumber,
      Phone: phone,
      Email: email,
      CardIssued: f.head === id,
      CurrentVillage: elsewhere ? locationId(elsewhere[1]) : null,
      CurrentAddress: elsewhere ? elsewhere[2] : null,
      GeoLocation: null,
      HFID: f.hf,
      PhotoID: photo ? photo[0] : null,
      PhotoDate: photo ? clock.date(-f.enrolled) : null,
      Vulnerability: VULNERABLE.has(id),
      isOffline: false,
      ValidityFrom: enrolledAt(f),
      ValidityTo: null,
      LegacyID: null,
      AuditUserID: f.auditUser,
    };
    const keys = { table: 'tblInsuree', pk: 'InsureeID', uuid: 'InsureeUUID' };
    if (id === SOFT_DELETED_INSUREE.id) {
      return softDeleted(current, keys, SOFT_DELETED_INSUREE.historyId, clock.time(SOFT_DELETED_INSUREE.deletedDay));
    }
    const updates = INSUREE_HISTORY[id as keyof typeof INSUREE_HISTORY];
    if (!updates) return [current];
    let from = enrolledAt(f);
    const versions = updates.map((u) => {
      const version = { id: u.id, from, to: clock.time(u.toDay), old: { ...u.old } as Row };
      from = version.to;
      return version;
    });
    current.ValidityFrom = from;
    return withHistory(current, keys, versions);
  });

  const tblPhotos: Row[] = PHOTOS.map(([photoId, insureeId, officerCode]) => {
    const data = INSUREES.find((i) => i[0] === insureeId)!;
    const f = family(data[1]);
    const date = clock.date(-f.enrolled);
    return {
      PhotoID: photoId,
      PhotoUUID: demoUuid('tblPhotos', photoId),
      InsureeID: insureeId,
      CHFID: data[2],
      PhotoFolder: 'Images\\Updated\\',
      PhotoFileName: `${data[2]}_${officerCode}_${date.replace(/-/g, '')}_0.0_0.0.jpg`,
      OfficerID: OFFICER_IDS[officerCode],
      PhotoDate: date,
      ValidityFrom: enrolledAt(f),
      ValidityTo: null,
      AuditUserID: f.auditUser,
    };
  });

  return { tblFamilies, tblInsuree, tblPhotos };
}
