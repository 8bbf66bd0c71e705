/**
 * Demo enrolment officers (with their villages and one substitute) and claim administrators
 * (one per health facility).
 */
import { HEALTH_FACILITIES } from './locations.js';
import { demoUuid, type DemoClock, type Row, type TableRows } from './util.js';

interface OfficerData {
  id: number;
  code: string;
  lastName: string;
  otherNames: string;
  dob: string;
  district: string;
  villages: string[];
  substitute: number | null;
  hasLogin: boolean;
}

export const OFFICERS: OfficerData[] = [
  { id: 1, code: 'E00001', lastName: 'Kamau', otherNames: 'Peter', dob: '1985-03-14', district: 'R1D1', villages: ['R1D1M1V1', 'R1D1M1V2', 'R1D1M2V1'], substitute: 2, hasLogin: true },
  { id: 2, code: 'E00002', lastName: 'Wanjiru', otherNames: 'Grace', dob: '1990-07-02', district: 'R1D2', villages: ['R1D2M1V1', 'R1D2M1V2'], substitute: null, hasLogin: false },
  { id: 3, code: 'E00003', lastName: 'Otieno', otherNames: 'David', dob: '1982-11-23', district: 'R1D3', villages: ['R1D3M1V1'], substitute: null, hasLogin: false },
  { id: 4, code: 'E00004', lastName: 'Said', otherNames: 'Amina', dob: '1988-01-09', district: 'R2D1', villages: ['R2D1M1V1', 'R2D1M1V2', 'R2D2M1V1'], substitute: null, hasLogin: false },
];

// [HfID → claim administrator code, last name, other names] (ClaimAdminId = HfID)
const CLAIM_ADMINS: Record<number, [string, string, string]> = {
  1: ['AHOS0011', 'Kariuki', 'James'],
  2: ['AHC0011', 'Ndege', 'Faith'],
  3: ['BDS0011', 'Mollel', 'Joseph'],
  4: ['CHC0011', 'Nyirenda', 'Ruth'],
  5: ['DHOS0011', 'Hamisi', 'Abdallah'],
  6: ['EDS0011', 'Mrema', 'Lilian'],
  7: ['BHOS0011', 'Shirima', 'Thomas'],
};

/** Only the claim administrator of Amani District Hospital has a login. */
export const CLAIM_ADMIN_WITH_LOGIN = 1;

export const claimAdminOfHf = (hfId: number): number => hfId;

export function buildStaff(clock: DemoClock, locationId: (code: string) => number): TableRows {
  const audit = { ValidityFrom: clock.setup, ValidityTo: null, LegacyID: null };

  const tblOfficer: Row[] = OFFICERS.map((o) => ({
    OfficerID: o.id,
    OfficerUUID: demoUuid('tblOfficer', o.id),
    Code: o.code,
    LastName: o.lastName,
    OtherNames: o.otherNames,
    DOB: o.dob,
    LocationId: locationId(o.district),
    OfficerIDSubst: o.substitute,
    Phone: `+255 754 100 00${o.id}`,
    EmailId: `${o.code.toLowerCase()}@scheme.example.org`,
    permanentaddress: `Officers' quarters ${o.id}, ${o.district}`,
    HasLogin: o.hasLogin,
    PhoneCommunication: true,
    WorksTo: null,
    VEOCode: null,
    ...audit,
    AuditUserID: 1,
  }));

  const tblOfficerVillages: Row[] = OFFICERS.flatMap((o) => o.villages.map((v) => ({ OfficerId: o.id, LocationId: locationId(v) }))).map(
    (row, i) => ({ OfficerVillageId: i + 1, ...row, ...audit, AuditUserID: 1 }),
  );

  const tblClaimAdmin: Row[] = HEALTH_FACILITIES.map(([hfId, hfCode]) => {
    const [code, lastName, otherNames] = CLAIM_ADMINS[hfId] ?? [];
    if (!code) throw new Error(`No demo claim administrator for ${hfCode}`);
    return {
      ClaimAdminId: claimAdminOfHf(hfId),
      ClaimAdminUUID: demoUuid('tblClaimAdmin', hfId),
      ClaimAdminCode: code,
      LastName: lastName,
      OtherNames: otherNames,
      DOB: `198${hfId}-0${hfId}-1${hfId}`,
      EmailId: `${code.toLowerCase()}@health.example.org`,
      Phone: `+255 765 200 00${hfId}`,
      HFId: hfId,
      HasLogin: hfId === CLAIM_ADMIN_WITH_LOGIN,
      ...audit,
      AuditUserId: 1,
    };
  });

  return { tblOfficer, tblOfficerVillages, tblClaimAdmin };
}
