/**
 * Demo policies in every status (1 idle, 2 active, 4 suspended, 8 expired, 16 ready), the per-member
 * coverage rows (tblInsureePolicy) and the contributions paid (tblPremium, pay types C/B/M).
 * Dates are relative to "today": active policies cover today, expired ones ended in the past.
 */
import { familyMembers, insureeDob, SOFT_DELETED_INSUREE } from './insurees.js';
import { product } from './products.js';
import { demoUuid, expiryDate, withHistory, type DemoClock, type Row, type TableRows } from './util.js';

export const POLICY_STATUS = { idle: 1, active: 2, suspended: 4, expired: 8, ready: 16 } as const;

interface PolicyData {
  id: number;
  family: number;
  product: string;
  stage: 'N' | 'R';
  status: (typeof POLICY_STATUS)[keyof typeof POLICY_STATUS];
  /** Day offsets from today. */
  enroll: number;
  start: number;
  effective: number | null;
  officer: number;
}

export const POLICIES: PolicyData[] = [
  { id: 1, family: 1, product: 'BASIC01', stage: 'N', status: 2, enroll: -120, start: -120, effective: -118, officer: 1 },
  { id: 2, family: 2, product: 'PLUS01', stage: 'N', status: 2, enroll: -200, start: -200, effective: -200, officer: 1 },
  { id: 3, family: 3, product: 'BASIC01', stage: 'N', status: 1, enroll: -5, start: -5, effective: null, officer: 2 },
  { id: 4, family: 4, product: 'BASIC01', stage: 'N', status: 4, enroll: -250, start: -250, effective: -249, officer: 2 },
  { id: 5, family: 5, product: 'BASIC01', stage: 'N', status: 8, enroll: -420, start: -420, effective: -420, officer: 1 },
  { id: 6, family: 5, product: 'BASIC01', stage: 'R', status: 16, enroll: -2, start: 10, effective: null, officer: 1 },
  { id: 7, family: 6, product: 'NATL01', stage: 'N', status: 2, enroll: -60, start: -60, effective: -58, officer: 3 },
  { id: 8, family: 7, product: 'COAST01', stage: 'N', status: 2, enroll: -150, start: -150, effective: -150, officer: 4 },
  { id: 9, family: 8, product: 'COAST01', stage: 'N', status: 2, enroll: -300, start: -300, effective: -270, officer: 4 },
  { id: 10, family: 9, product: 'COAST01', stage: 'N', status: 2, enroll: -30, start: -30, effective: -30, officer: 4 },
  { id: 11, family: 10, product: 'BASIC01', stage: 'N', status: 8, enroll: -600, start: -600, effective: -600, officer: 1 },
];

/** Policy 1 was idle until its contribution came in: history copy id 12. */
const POLICY_ACTIVATION = { id: 1, historyId: 12 };

// [PremiumId, PolicyID, amount, pay type C cash / B bank / M mobile, receipt, pay day, PayerID]
const PREMIUMS: [number, number, number, 'C' | 'B' | 'M', string, number, number | null][] = [
  [1, 1, 10000, 'C', 'RCP-0001', -118, null],
  [2, 2, 16000, 'B', 'BNK-0002', -200, null],
  [3, 3, 4000, 'C', 'RCP-0003', -5, null],
  [4, 4, 10000, 'M', 'MM-0004', -249, null],
  [5, 5, 10000, 'C', 'RCP-0005', -420, null],
  [6, 6, 10000, 'B', 'BNK-0006', -2, 1],
  [7, 7, 3700, 'M', 'MM-0007', -58, null],
  [8, 8, 12000, 'C', 'RCP-0008', -150, null],
  [9, 9, 6000, 'C', 'RCP-0009', -300, 2],
  [10, 9, 6000, 'C', 'RCP-0010', -270, 2],
  [11, 10, 12000, 'M', 'MM-0011', -30, null],
  [12, 11, 10000, 'C', 'RCP-0012', -600, null],
];

const ageOn = (dob: string, date: string) => {
  const years = Number(date.slice(0, 4)) - Number(dob.slice(0, 4));
  return date.slice(5) < dob.slice(5) ? years - 1 : years;
};

/** Policy value: the lump sum, or the adult/child contributions of the members on the enrolment date. */
function policyValue(p: PolicyData, enrollDate: string): number {
  const prod = product(p.product);
  const lumpSum = Number(prod.values.LumpSum ?? 0);
  if (lumpSum > 0) return lumpSum;
  return familyMembers(p.family)
    .filter((id) => id !== SOFT_DELETED_INSUREE.id)
    .reduce((sum, id) => sum + Number(ageOn(insureeDob(id), enrollDate) >= 18 ? prod.values.PremiumAdult : prod.values.PremiumChild), 0);
}

/** The current (active or suspended) policy of a family, used by the demo claims. */
export function policyOf(familyId: number): PolicyData {
  const found = POLICIES.find((p) => p.family === familyId && (p.status === 2 || p.status === 4));
  if (!found) throw new Error(`Demo family ${familyId} has no active policy`);
  return found;
}

export function buildPolicies(clock: DemoClock): TableRows {
  const dates = (p: PolicyData) => {
    const start = clock.date(p.start);
    return {
      EnrollDate: clock.date(p.enroll),
      StartDate: start,
      EffectiveDate: p.effective === null ? null : clock.date(p.effective),
      ExpiryDate: expiryDate(start, Number(product(p.product).values.InsurancePeriod ?? 12)),
    };
  };
  const since = (p: PolicyData) => clock.time(p.effective ?? p.enroll, 10);

  const tblPolicy: Row[] = POLICIES.flatMap((p) => {
    const current: Row = {
      PolicyID: p.id,
      PolicyUUID: demoUuid('tblPolicy', p.id),
      FamilyID: p.family,
      ProdID: product(p.product).id,
      OfficerID: p.officer,
      PolicyStage: p.stage,
      PolicyStatus: p.status,
      PolicyValue: policyValue(p, clock.date(p.enroll)),
      ...dates(p),
      isOffline: false,
      ValidityFrom: since(p),
      ValidityTo: null,
      LegacyID: null,
      AuditUserID: 1,
    };
    if (p.id !== POLICY_ACTIVATION.id) return [current];
    return withHistory(current, { table: 'tblPolicy', pk: 'PolicyID', uuid: 'PolicyUUID' }, [
      { id: POLICY_ACTIVATION.historyId, from: clock.time(p.enroll, 10), to: since(p), old: { PolicyStatus: 1, EffectiveDate: null } },
    ]);
  });

  const tblInsureePolicy: Row[] = [];
  for (const p of POLICIES) {
    for (const insureeId of familyMembers(p.family)) {
      // The soft-deleted member's coverage row was closed when he was removed.
      const closed = insureeId === SOFT_DELETED_INSUREE.id ? clock.time(SOFT_DELETED_INSUREE.deletedDay) : null;
      const { EnrollDate, StartDate, EffectiveDate, ExpiryDate } = dates(p);
      tblInsureePolicy.push({
        InsureePolicyID: tblInsureePolicy.length + 1,
        InsureeID: insureeId,
        PolicyId: p.id,
        EnrollmentDate: EnrollDate,
        StartDate,
        EffectiveDate,
        ExpiryDate,
        isOffline: false,
        ValidityFrom: since(p),
        ValidityTo: closed,
        LegacyID: null,
        AuditUserID: 1,
      });
    }
  }

  const tblPremium: Row[] = PREMIUMS.map(([id, policyId, amount, payType, receipt, payDay, payerId]) => ({
    PremiumId: id,
    PremiumUUID: demoUuid('tblPremium', id),
    PolicyID: policyId,
    PayerID: payerId,
    Amount: amount,
    Receipt: receipt,
    PayDate: clock.date(payDay),
    PayType: payType,
    isPhotoFee: false,
    isOffline: false,
    ReportingId: null,
    CreatedDate: clock.date(payDay),
    ValidityFrom: clock.time(payDay, 11),
    ValidityTo: null,
    LegacyID: null,
    AuditUserID: 1,
  }));

  return { tblPolicy, tblInsureePolicy, tblPremium };
}
