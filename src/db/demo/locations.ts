/**
 * Demo locations (2 regions → 5 districts → 6 wards → 9 villages, hierarchical codes) and health
 * facilities (hospitals, health centres, dispensaries with their price lists and catchment villages).
 */
import { demoUuid, withHistory, type DemoClock, type Row, type TableRows } from './util.js';

type LocationType = 'R' | 'D' | 'W' | 'V';
// [LocationId, code, name, type, parent, [male, female, other, families] for villages]
type LocationData = [number, string, string, LocationType, number | null, [number, number, number, number]?];

export const LOCATIONS: LocationData[] = [
  [1, 'R1', 'Kilima', 'R', null],
  [2, 'R2', 'Pwani', 'R', null],
  [3, 'R1D1', 'Amani', 'D', 1],
  [4, 'R1D2', 'Baraka', 'D', 1],
  [5, 'R1D3', 'Chemka', 'D', 1],
  [6, 'R2D1', 'Dunga', 'D', 2],
  [7, 'R2D2', 'Enzi', 'D', 2],
  [8, 'R1D1M1', 'Amani Mjini', 'W', 3],
  [9, 'R1D1M2', 'Amani Vijijini', 'W', 3],
  [10, 'R1D2M1', 'Baraka Kati', 'W', 4],
  [11, 'R1D3M1', 'Chemka Juu', 'W', 5],
  [12, 'R2D1M1', 'Dunga Pwani', 'W', 6],
  [13, 'R2D2M1', 'Enzi Kusini', 'W', 7],
  [14, 'R1D1M1V1', 'Mwanzo', 'V', 8, [512, 548, 3, 241]],
  [15, 'R1D1M1V2', 'Kisima', 'V', 8, [388, 402, 1, 180]],
  [16, 'R1D1M2V1', 'Mlimani', 'V', 9, [270, 291, 0, 122]],
  [17, 'R1D2M1V1', 'Shamba', 'V', 10, [640, 655, 2, 300]],
  [18, 'R1D2M1V2', 'Mtoni', 'V', 10, [301, 322, 0, 140]],
  [19, 'R1D3M1V1', 'Kilele', 'V', 11, [215, 230, 1, 98]],
  [20, 'R2D1M1V1', 'Bahari', 'V', 12, [702, 731, 4, 330]],
  [21, 'R2D1M1V2', 'Mchanga', 'V', 12, [190, 205, 0, 87]],
  [22, 'R2D2M1V1', 'Mnazi', 'V', 13, [450, 463, 2, 201]],
];

/** Renamed locations: [current id, history id, old name, days after set-up when renamed]. */
const LOCATION_RENAMES: [number, number, string, number][] = [
  [4, 23, 'Barakani', 200],
  [17, 24, 'Shambani', 420],
];

export const locationId = (code: string): number => {
  const found = LOCATIONS.find((l) => l[1] === code);
  if (!found) throw new Error(`Unknown demo location ${code}`);
  return found[0];
};

// [HfID, code, name, level, care type, legal form, sublevel, district code, items PL, services PL]
type HfData = [number, string, string, 'H' | 'C' | 'D', 'I' | 'O' | 'B', string, string, string, number, number];

export const HEALTH_FACILITIES: HfData[] = [
  [1, 'AMHOS001', 'Amani District Hospital', 'H', 'B', 'G', 'R', 'R1D1', 1, 1],
  [2, 'AMHC001', 'Amani Health Centre', 'C', 'O', 'D', 'I', 'R1D1', 2, 2],
  [3, 'BADS001', 'Baraka Dispensary', 'D', 'O', 'C', 'N', 'R1D2', 2, 2],
  [4, 'CHHC001', 'Chemka Health Centre', 'C', 'B', 'P', 'I', 'R1D3', 2, 2],
  [5, 'DUHOS001', 'Dunga Regional Hospital', 'H', 'B', 'G', 'R', 'R2D1', 3, 3],
  [6, 'ENDS001', 'Enzi Dispensary', 'D', 'O', 'D', 'N', 'R2D2', 3, 3],
  [7, 'BAHOS001', 'Baraka Mission Hospital', 'H', 'I', 'C', 'R', 'R1D2', 1, 1],
];

export const hfId = (code: string): number => {
  const found = HEALTH_FACILITIES.find((h) => h[1] === code);
  if (!found) throw new Error(`Unknown demo health facility ${code}`);
  return found[0];
};

/** HF 1 changed its phone number: history copy id 8. */
const HF_PHONE_CHANGE = { id: 1, historyId: 8, oldPhone: '+255 22 210 0000', afterDays: 300 };

// [HfID, village code, catchment %]
const CATCHMENTS: [number, string, number][] = [
  [1, 'R1D1M1V1', 60],
  [1, 'R1D1M1V2', 40],
  [2, 'R1D1M2V1', 100],
  [3, 'R1D2M1V1', 70],
  [5, 'R2D1M1V1', 80],
];

export function buildLocations(clock: DemoClock): TableRows {
  const plusDays = (days: number) => new Date(Date.parse(clock.setup) + days * 86_400_000).toISOString();

  const tblLocations: Row[] = LOCATIONS.flatMap(([id, code, name, type, parent, population]) => {
    const current: Row = {
      LocationId: id,
      LocationUUID: demoUuid('tblLocations', id),
      LocationCode: code,
      LocationName: name,
      LocationType: type,
      ParentLocationId: parent,
      MalePopulation: population?.[0] ?? null,
      FemalePopulation: population?.[1] ?? null,
      OtherPopulation: population?.[2] ?? null,
      Families: population?.[3] ?? null,
      ValidityFrom: clock.setup,
      ValidityTo: null,
      LegacyID: null,
      AuditUserId: 1,
    };
    const rename = LOCATION_RENAMES.find((r) => r[0] === id);
    if (!rename) return [current];
    const [, historyId, oldName, days] = rename;
    current.ValidityFrom = plusDays(days);
    return withHistory(current, { table: 'tblLocations', pk: 'LocationId', uuid: 'LocationUUID' }, [
      { id: historyId, from: clock.setup, to: plusDays(days), old: { LocationName: oldName } },
    ]);
  });

  const tblHF: Row[] = HEALTH_FACILITIES.flatMap(([id, code, name, level, careType, legalForm, sublevel, district, pli, pls]) => {
    const current: Row = {
      HfID: id,
      HfUUID: demoUuid('tblHF', id),
      HFCode: code,
      HFName: name,
      AccCode: `ACC-${code}`,
      HFLevel: level,
      HFSublevel: sublevel,
      HFCareType: careType,
      LegalForm: legalForm,
      LocationId: locationId(district),
      HFAddress: `P.O. Box ${100 + id}, ${name.split(' ')[0]}`,
      Phone: `+255 22 21${id} 0000`,
      Fax: null,
      eMail: `${code.toLowerCase()}@health.example.org`,
      OffLine: false,
      PLItemID: pli,
      PLServiceID: pls,
      ValidityFrom: clock.setup,
      ValidityTo: null,
      LegacyID: null,
      AuditUserID: 1,
    };
    if (id !== HF_PHONE_CHANGE.id) return [current];
    current.ValidityFrom = plusDays(HF_PHONE_CHANGE.afterDays);
    return withHistory(current, { table: 'tblHF', pk: 'HfID', uuid: 'HfUUID' }, [
      { id: HF_PHONE_CHANGE.historyId, from: clock.setup, to: plusDays(HF_PHONE_CHANGE.afterDays), old: { Phone: HF_PHONE_CHANGE.oldPhone } },
    ]);
  });

  const tblHFCatchment: Row[] = CATCHMENTS.map(([hf, village, catchment], i) => ({
    HFCatchmentId: i + 1,
    HFID: hf,
    LocationId: locationId(village),
    Catchment: catchment,
    ValidityFrom: clock.setup,
    ValidityTo: null,
    LegacyId: null,
    AuditUserId: 1,
  }));

  return { tblLocations, tblHF, tblHFCatchment };
}
