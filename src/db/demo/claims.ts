/**
 * Demo claims in every status (1 rejected, 2 entered, 4 checked, 8 processed, 16 valuated) with
 * their item and service lines, one feedback, one batch run and the deductible/remuneration rows.
 * Amounts follow from the facility price lists; approved/valuated amounts appear only where the
 * status implies them.
 */
import { HEALTH_FACILITIES } from './locations.js';
import { icdId, item, priceAt, service } from './medical.js';
import { INSUREES } from './insurees.js';
import { policyOf } from './policies.js';
import { product } from './products.js';
import { claimAdminOfHf, CLAIM_ADMIN_WITH_LOGIN } from './staff.js';
import { demoUuid, money, withHistory, type DemoClock, type Row, type TableRows } from './util.js';

export const CLAIM_STATUS = { rejected: 1, entered: 2, checked: 4, processed: 8, valuated: 16 } as const;

interface Line {
  code: string;
  qty: number;
  /** Rejection reason when the line was rejected at submission. */
  rejected?: number;
}

interface ClaimData {
  id: number;
  code: string;
  hf: number;
  insuree: number;
  icd: string;
  icd1?: string;
  /** Day offsets from today. */
  from: number;
  to?: number;
  claimed: number;
  submitted?: number;
  processed?: number;
  visit: 'E' | 'R' | 'O';
  status: (typeof CLAIM_STATUS)[keyof typeof CLAIM_STATUS];
  category?: 'S' | 'D' | 'A' | 'H' | 'C' | 'V';
  review: number;
  feedback: number;
  items: Line[];
  services: Line[];
  rejectionReason?: number;
  deductible?: number;
  runId?: number;
  feedbackId?: number;
  explanation?: string;
  adjustment?: string;
  guarantee?: string;
}

export const CLAIMS: ClaimData[] = [
  { id: 1, code: 'AM000001', hf: 1, insuree: 1, icd: 'B54', from: -3, claimed: -2, visit: 'O', status: 2, review: 1, feedback: 1,
    items: [{ code: 'ARTL20', qty: 1 }, { code: 'PARA50', qty: 10 }], services: [{ code: 'OPD01', qty: 1 }, { code: 'LAB01', qty: 1 }] },
  { id: 2, code: 'AM000002', hf: 1, insuree: 4, icd: 'J18', icd1: 'R50', from: -12, claimed: -11, submitted: -11, visit: 'O', status: 4,
    category: 'C', review: 4, feedback: 4,
    items: [{ code: 'AMOX25', qty: 15 }, { code: 'PARA50', qty: 6 }], services: [{ code: 'OPD01', qty: 1 }, { code: 'XRAY01', qty: 1 }] },
  { id: 3, code: 'AM000003', hf: 1, insuree: 7, icd: 'M54', from: -25, claimed: -24, submitted: -24, visit: 'O', status: 1,
    review: 2, feedback: 2, rejectionReason: 3, explanation: 'Dental care is not offered at this hospital',
    items: [{ code: 'IBUP40', qty: 20, rejected: 3 }], services: [{ code: 'DENT01', qty: 1, rejected: 2 }] },
  { id: 4, code: 'AC000001', hf: 2, insuree: 6, icd: 'I10', from: -8, claimed: -8, submitted: -7, visit: 'R', status: 4,
    category: 'C', review: 2, feedback: 2, adjustment: 'Metformin is not on the health centre price list',
    items: [{ code: 'ATEN50', qty: 30 }, { code: 'METF50', qty: 60, rejected: 2 }], services: [{ code: 'OPD01', qty: 1 }, { code: 'LAB02', qty: 1 }] },
  { id: 5, code: 'AM000004', hf: 1, insuree: 9, icd: 'O80', from: -40, to: -38, claimed: -37, submitted: -37, processed: -30, visit: 'E',
    status: 16, category: 'D', review: 8, feedback: 8, feedbackId: 1, deductible: 500,
    items: [{ code: 'OXYT10', qty: 1 }, { code: 'NACL09', qty: 2 }, { code: 'GLOV01', qty: 4 }, { code: 'PARA50', qty: 10 }],
    services: [{ code: 'DEL01', qty: 1 }, { code: 'HOSP01', qty: 2 }, { code: 'LAB02', qty: 1 }] },
  { id: 6, code: 'DU000001', hf: 5, insuree: 25, icd: 'A09', from: -20, claimed: -19, submitted: -19, processed: -10, visit: 'O',
    status: 8, category: 'C', review: 16, feedback: 2,
    items: [{ code: 'ORS001', qty: 4 }, { code: 'ZINC20', qty: 10 }, { code: 'METR25', qty: 15 }],
    services: [{ code: 'OPD01', qty: 1 }, { code: 'LAB03', qty: 1 }] },
  { id: 7, code: 'DU000002', hf: 5, insuree: 26, icd: 'J18', icd1: 'R50', from: -45, to: -41, claimed: -40, submitted: -40, processed: -35,
    visit: 'E', status: 16, category: 'H', review: 2, feedback: 2, runId: 1, guarantee: 'GN-2207',
    items: [{ code: 'CIPR50', qty: 10 }, { code: 'NACL09', qty: 4 }, { code: 'SYRI05', qty: 6 }],
    services: [{ code: 'HOSP01', qty: 4 }, { code: 'OPD02', qty: 1 }, { code: 'XRAY01', qty: 1 }] },
  { id: 8, code: 'BA000001', hf: 3, insuree: 13, icd: 'K29', from: -1, claimed: -1, visit: 'O', status: 2, review: 1, feedback: 1,
    items: [{ code: 'PARA50', qty: 10 }, { code: 'METR25', qty: 10 }], services: [{ code: 'OPD01', qty: 1 }] },
];

/** Claim 2 was entered and submitted later the same day: history copy id 9 holds the entered version. */
const CLAIM_SUBMISSION_HISTORY = { id: 2, historyId: 9 };

/** Index applied by the batch run to relative-priced (PriceOrigin R) lines. */
const RELATIVE_INDEX = 0.9;
const BATCH_RUN = { id: 1, region: 2, runDay: -5, periodDay: -35 };

const CLAIM_ADMIN_USER_ID = 2;

export function buildClaims(clock: DemoClock): TableRows {
  const tblClaim: Row[] = [];
  const tblClaimItems: Row[] = [];
  const tblClaimServices: Row[] = [];
  const tblClaimDedRem: Row[] = [];

  for (const c of CLAIMS) {
    const hf = HEALTH_FACILITIES.find((h) => h[0] === c.hf)!;
    const familyId = INSUREES.find((i) => i[0] === c.insuree)![1];
    const policy = policyOf(familyId);
    const prod = product(policy.product);
    const processed = c.status === 8 || c.status === 16;
    const checked = c.status !== 2;
    const enteredBy = c.hf === CLAIM_ADMIN_WITH_LOGIN ? CLAIM_ADMIN_USER_ID : 1;
    const created = clock.time(c.claimed, 9);
    let claimed = 0;
    let approved = 0;
    let valuated = 0;
    let deductibleLeft = c.deductible ?? 0;

    const lineRows = (kind: 'item' | 'service', lines: Line[]): Row[] =>
      lines.map((line) => {
        const price = priceAt(kind, kind === 'item' ? hf[8] : hf[9], line.code);
        const amount = price * line.qty;
        claimed += amount;
        const passed = line.rejected === undefined;
        const origin = kind === 'service' && prod.servicePriceOrigin === 'R' ? 'R' : 'P';
        const row: Row = {
          QtyProvided: line.qty,
          PriceAsked: price,
          QtyApproved: null,
          PriceApproved: null,
          PriceAdjusted: null,
          PriceValuated: null,
          RejectionReason: passed ? 0 : line.rejected,
          Explanation: null,
          Justification: null,
          ValidityFrom: created,
          ValidityTo: null,
          LegacyID: null,
          AuditUserID: enteredBy,
        };
        if (checked && passed) approved += amount;
        if (processed && passed) {
          const valued = origin === 'P' || c.status === 16 ? money(origin === 'R' ? price * RELATIVE_INDEX : price) : null;
          const deducted = valued === null ? 0 : Math.min(deductibleLeft, valued * line.qty);
          deductibleLeft -= deducted;
          if (valued !== null) valuated += valued * line.qty - deducted;
          Object.assign(row, {
            QtyApproved: line.qty,
            PriceApproved: price,
            PriceValuated: valued,
            PriceOrigin: origin,
            Limitation: 'C',
            LimitationValue: 100,
            DeductableAmount: deducted,
            RemuneratedAmount: valued === null ? null : money(valued * line.qty - deducted),
            ExceedCeilingAmount: 0,
            ExceedCeilingAmountCategory: 0,
            PolicyID: policy.id,
            ProdID: prod.id,
          });
        }
        return row;
      });

    const itemRows = lineRows('item', c.items);
    c.items.forEach((line, i) => {
      tblClaimItems.push({ ClaimItemID: tblClaimItems.length + 1, ClaimID: c.id, ItemID: item(line.code).id,
        ClaimItemStatus: line.rejected === undefined ? 1 : 2, Availability: true, ...itemRows[i] });
    });
    const serviceRows = lineRows('service', c.services);
    c.services.forEach((line, i) => {
      tblClaimServices.push({ ClaimServiceID: tblClaimServices.length + 1, ClaimID: c.id, ServiceID: service(line.code).id,
        ClaimServiceStatus: line.rejected === undefined ? 1 : 2, ...serviceRows[i] });
    });

    const current: Row = {
      ClaimID: c.id,
      ClaimUUID: demoUuid('tblClaim', c.id),
      ClaimCode: c.code,
      HFID: c.hf,
      InsureeID: c.insuree,
      ClaimAdminId: claimAdminOfHf(c.hf),
      ICDID: icdId(c.icd),
      ICDID1: c.icd1 ? icdId(c.icd1) : null,
      DateFrom: clock.date(c.from),
      DateTo: clock.date(c.to ?? c.from),
      DateClaimed: clock.date(c.claimed),
      VisitType: c.visit,
      ClaimStatus: c.status,
      ClaimCategory: c.category ?? null,
      Claimed: money(claimed),
      Approved: checked ? money(approved) : null,
      Valuated: c.status === 16 ? money(valuated) : null,
      Remunerated: c.status === 16 ? money(valuated) : null,
      Reinsured: null,
      RejectionReason: c.rejectionReason ?? 0,
      ReviewStatus: c.review,
      FeedbackStatus: c.feedback,
      ApprovalStatus: 1,
      Feedback: c.feedbackId !== undefined,
      FeedbackID: c.feedbackId ?? null,
      Explanation: c.explanation ?? null,
      Adjustment: c.adjustment ?? null,
      Adjuster: c.adjustment ? 1 : null,
      GuaranteeId: c.guarantee ?? null,
      SubmitStamp: c.submitted === undefined ? null : clock.time(c.submitted, 15),
      AuditUserIDSubmit: c.submitted === undefined ? null : enteredBy,
      ProcessStamp: c.processed === undefined ? null : clock.time(c.processed, 10),
      DateProcessed: c.processed === undefined ? null : clock.date(c.processed),
      AuditUserIDProcess: c.processed === undefined ? null : 1,
      ValidityFromReview: c.review === 8 ? clock.time(c.submitted! + 2, 11) : null,
      AuditUserIDReview: c.review === 8 ? 1 : null,
      RunID: c.runId ?? null,
      ValidityFrom: created,
      ValidityTo: null,
      LegacyID: null,
      AuditUserID: enteredBy,
    };

    if (c.id === CLAIM_SUBMISSION_HISTORY.id) {
      current.ValidityFrom = current.SubmitStamp;
      tblClaim.push(...withHistory(current, { table: 'tblClaim', pk: 'ClaimID', uuid: 'ClaimUUID' }, [{
        id: CLAIM_SUBMISSION_HISTORY.historyId, from: created, to: String(current.SubmitStamp),
        old: { ClaimStatus: 2, Approved: null, ClaimCategory: null, ReviewStatus: 1, FeedbackStatus: 1, SubmitStamp: null, AuditUserIDSubmit: null },
      }]));
    } else tblClaim.push(current);

    if (c.status === 16) {
      const inPatient = (c.to ?? c.from) > c.from;
      tblClaimDedRem.push({
        ExpenditureID: tblClaimDedRem.length + 1, ClaimID: c.id, InsureeID: c.insuree, PolicyID: policy.id,
        DedG: c.deductible ?? 0, DedIP: inPatient ? (c.deductible ?? 0) : 0, DedOP: inPatient ? 0 : (c.deductible ?? 0),
        RemG: money(valuated), RemIP: inPatient ? money(valuated) : 0, RemOP: inPatient ? 0 : money(valuated),
        RemDelivery: c.category === 'D' ? money(valuated) : 0, RemHospitalization: c.category === 'H' ? money(valuated) : 0,
        RemConsult: c.category === 'C' ? money(valuated) : 0, RemSurgery: 0, RemAntenatal: 0,
        ValidityFrom: clock.time(c.processed!, 10), ValidityTo: null, LegacyID: null, AuditUserID: 1,
      });
    }
  }

  const feedbackClaim = CLAIMS.find((c) => c.feedbackId === 1)!;
  const tblFeedback: Row[] = [{
    FeedbackID: 1, FeedbackUUID: demoUuid('tblFeedback', 1), ClaimID: feedbackClaim.id,
    CareRendered: true, PaymentAsked: false, DrugPrescribed: true, DrugReceived: true, Asessment: 4,
    CHFOfficerCode: 1, FeedbackDate: clock.time(feedbackClaim.submitted! + 3, 14),
    ValidityFrom: clock.time(feedbackClaim.submitted! + 3, 14), ValidityTo: null, LegacyID: null, AuditUserID: 1,
  }];
  const tblFeedbackPrompt: Row[] = [{
    FeedbackPromptID: 1, ClaimID: feedbackClaim.id, OfficerID: 1, PhoneNumber: '+255 754 100 001',
    FeedbackPromptDate: clock.date(feedbackClaim.submitted! + 1), SMSStatus: 1,
    ValidityFrom: clock.time(feedbackClaim.submitted! + 1, 8), ValidityTo: null, LegacyID: null, AuditUserID: 1,
  }];

  const period = clock.date(BATCH_RUN.periodDay);
  const tblBatchRun: Row[] = [{
    RunID: BATCH_RUN.id, LocationId: BATCH_RUN.region, RunDate: clock.time(BATCH_RUN.runDay, 18),
    RunYear: Number(period.slice(0, 4)), RunMonth: Number(period.slice(5, 7)),
    ValidityFrom: clock.time(BATCH_RUN.runDay, 18), ValidityTo: null, LegacyID: null, AuditUserID: 1,
  }];

  return { tblClaim, tblClaimItems, tblClaimServices, tblClaimDedRem, tblFeedback, tblFeedbackPrompt, tblBatchRun };
}
