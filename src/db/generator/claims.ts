/**
 * Claims (tblClaim with tblClaimItems / tblClaimServices, tblFeedback for a small share): about
 * `claimsPerInsureeYear` claims per insuree and year of paid coverage, at the member's first
 * service point or another facility of the district (referrals and emergencies go to the district
 * hospital). Status depends on the claim's age: recent claims are still entered (2) or checked (4),
 * older ones were mostly valuated (16), some processed (8) or rejected (1). Amounts are coherent:
 * Claimed = Σ qty × price asked, Approved = Σ over passed lines, Valuated = Σ valuated lines.
 */
import type { GeneratorContext, TableSink } from './context.js';
import { SHARES } from './context.js';
import { DAYS_PER_YEAR, isoDay, stamp, yearsBetween } from './dates.js';
import type { Facilities, Facility } from './facilities.js';
import type { Family, Member } from './families.js';
import type { Policy } from './policies.js';
import type { Prng } from './prng.js';
import type { Registers } from './registers.js';

export const CLAIM_COLUMNS = [
  'ClaimID', 'ClaimUUID', 'ClaimCode', 'InsureeID', 'HFID', 'ClaimAdminId', 'ICDID', 'ICDID1', 'ICDID2', 'ICDID3', 'ICDID4',
  'DateFrom', 'DateTo', 'DateClaimed', 'DateProcessed', 'VisitType', 'ClaimCategory', 'ClaimStatus', 'ReviewStatus',
  'FeedbackStatus', 'ApprovalStatus', 'RejectionReason', 'Feedback', 'FeedbackID', 'Claimed', 'Approved', 'Valuated',
  'Remunerated', 'Reinsured', 'Explanation', 'Adjustment', 'GuaranteeId', 'Adjuster', 'RunID', 'SubmitStamp', 'ProcessStamp',
  'AuditUserIDSubmit', 'AuditUserIDReview', 'AuditUserIDProcess', 'ValidityFromReview', 'ValidityToReview',
  'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

const LINE_COLUMNS = [
  'QtyProvided', 'QtyApproved', 'PriceAsked', 'PriceAdjusted', 'PriceApproved', 'PriceValuated', 'Explanation',
  'Justification', 'RejectionReason', 'LimitationValue', 'Limitation', 'RemuneratedAmount', 'DeductableAmount',
  'ExceedCeilingAmount', 'ExceedCeilingAmountCategory', 'PriceOrigin', 'PolicyID', 'ProdID', 'ValidityFrom', 'ValidityTo',
  'LegacyID', 'AuditUserID',
] as const;
export const CLAIM_ITEM_COLUMNS = ['ClaimItemID', 'ClaimID', 'ItemID', 'ClaimItemStatus', 'Availability', ...LINE_COLUMNS] as const;
export const CLAIM_SERVICE_COLUMNS = ['ClaimServiceID', 'ClaimID', 'ServiceID', 'ClaimServiceStatus', ...LINE_COLUMNS] as const;
export const FEEDBACK_COLUMNS = [
  'FeedbackID', 'FeedbackUUID', 'ClaimID', 'CareRendered', 'PaymentAsked', 'DrugPrescribed', 'DrugReceived', 'Asessment',
  'CHFOfficerCode', 'FeedbackDate', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

export const CLAIM_STATUS = { rejected: 1, entered: 2, checked: 4, processed: 8, valuated: 16 } as const;

export interface ClaimSinks {
  claims: TableSink;
  items: TableSink;
  services: TableSink;
  feedback: TableSink;
}

interface Line {
  register: number;
  id: number;
  qty: number;
  price: number;
  careType: 'I' | 'O' | 'B';
  covered: boolean;
  category: string | null;
  status: number;
  reason: number;
  qtyApproved: number | null;
  priceAdjusted: number | null;
  priceApproved: number | null;
  valuated: number | null;
}

const ITEM_COUNTS = [1, 2, 3, 4];
const ITEM_COUNT_WEIGHTS = [30, 35, 22, 13];
const SERVICE_COUNTS = [0, 1, 2, 3];
const SERVICE_COUNT_WEIGHTS = [15, 50, 25, 10];
const CLAIM_REJECTIONS = [7, 9, 3, 1, 5, 17, 12, 2];
const CLAIM_REJECTION_WEIGHTS = [25, 15, 20, 8, 10, 10, 7, 5];
const LINE_REJECTIONS = [2, 4, 5, 16, 1];
const EXPLANATIONS = [
  'Patient referred from dispensary', 'Follow-up visit', 'Night emergency', 'Drugs out of stock, prescription given',
  'Patient admitted for observation', 'Laboratory confirmed', 'Second opinion requested',
];

/** Claims per year relative to the average, by age and sex. */
function utilisation(age: number, gender: string): number {
  if (age < 5) return 1.7;
  if (age < 15) return 0.7;
  if (age < 45) return gender === 'F' ? 1.2 : 0.6;
  if (age < 65) return 1.0;
  return 1.8;
}

function patientAllowed(patCat: number, gender: string, age: number): boolean {
  const sex = gender === 'F' ? 2 : 1;
  const group = age >= 18 ? 4 : 8;
  return (patCat & sex) !== 0 && (patCat & group) !== 0;
}

export class ClaimGenerator {
  private readonly rng: Prng;
  private readonly codeCounter: Int32Array;
  /** Claims per status of current rows (for the summary). */
  readonly statusCounts = new Map<number, number>();

  private readonly deliveryServices: number[];
  private readonly antenatalServices: number[];

  constructor(
    private readonly ctx: GeneratorContext,
    private readonly reg: Registers,
    private readonly hfs: Facilities,
    private readonly sinks: ClaimSinks,
  ) {
    this.rng = ctx.rng('claims');
    this.codeCounter = new Int32Array(hfs.list.length);
    this.deliveryServices = reg.services.filter((s) => s.category === 'D' && s.level === 'H').map((s) => s.index);
    this.antenatalServices = reg.services.filter((s) => s.category === 'A').map((s) => s.index);
  }

  /** A service of the episode that the facility's price list carries (the first ones are the usual ones). */
  private pickEpisodeService(hf: Facility, candidates: number[]): number | undefined {
    const listed = candidates.filter((s) => hf.prices.servicePrice[s] > 0);
    if (!listed.length) return undefined;
    return this.rng.bool(0.8) ? listed[0] : this.rng.pick(listed);
  }

  /** Generates the claims of one family. */
  next(family: Family, policies: Policy[]): void {
    const { rng, ctx } = this;
    const today = ctx.opts.today;
    const rate = ctx.opts.claimsPerInsureeYear;
    if (rate <= 0) return;
    for (const policy of policies) {
      if (policy.effective === null) continue;
      for (const m of family.members) {
        const from = Math.max(policy.effective, m.joined);
        const to = Math.min(policy.expiry, today, (m.deleted ?? Infinity) - 1, (family.deleted ?? Infinity) - 1);
        if (to < from) continue;
        const mean = rate * ((to - from + 1) / DAYS_PER_YEAR) * utilisation(yearsBetween(m.dob, from), m.gender);
        const count = rng.poisson(mean);
        for (let c = 0; c < count; c++) this.claim(family, m, policy, rng.int(from, to));
      }
    }
  }

  private pickFacility(family: Family, m: Member, visit: string): Facility {
    const { rng, hfs } = this;
    if (visit === 'R' || (visit === 'E' && rng.bool(0.5))) return hfs.list[hfs.hospitalOfDistrict[family.district]];
    if (m.fsp !== null && rng.bool(0.8)) {
      const own = hfs.byDistrict[family.district].find((i) => hfs.list[i].id === m.fsp);
      if (own !== undefined) return hfs.list[own];
    }
    const local = hfs.byDistrict[family.district];
    return hfs.list[local[rng.int(0, local.length - 1)]];
  }

  private claim(family: Family, m: Member, policy: Policy, day: number): void {
    const { rng, ctx, reg } = this;
    const today = ctx.opts.today;
    const age = yearsBetween(m.dob, day);
    // Maternity episodes for women of child-bearing age: deliveries at the hospital, antenatal visits anywhere.
    const maternal = m.gender === 'F' && age >= 16 && age <= 45 ? rng.float() : 1;
    const episode = maternal < 0.1 ? 'delivery' : maternal < 0.25 ? 'antenatal' : 'other';
    const visit = episode === 'delivery' ? rng.weighted(['O', 'E', 'R'], [50, 25, 25]) : episode === 'antenatal' ? 'O' : rng.weighted(['O', 'E', 'R'], [75, 12, 13]);
    const hf = episode === 'delivery' ? this.hfs.list[this.hfs.hospitalOfDistrict[family.district]] : this.pickFacility(family, m, visit);
    const inpatientShare = visit === 'R' ? 0.4 : visit === 'E' ? 0.3 : 0.08;
    const stay = episode === 'delivery' ? Math.min(1 + rng.int(0, 2), today - day)
      : hf.careType !== 'O' && rng.bool(inpatientShare) ? Math.min(1 + rng.poisson(2.5), today - day) : 0;
    const dateTo = day + stay;
    const claimedDay = Math.min(today, dateTo + (rng.bool(0.5) ? 0 : rng.int(1, 10)));
    const claimAge = today - claimedDay;

    // lines
    const items: Line[] = [];
    const nItems = rng.weighted(ITEM_COUNTS, ITEM_COUNT_WEIGHTS);
    for (let tries = 0; items.length < nItems && tries < nItems * 4; tries++) {
      const i = hf.prices.itemPicker.pick(rng);
      const item = reg.items[i];
      if (items.some((l) => l.register === i) || !patientAllowed(item.patCat, m.gender, age)) continue;
      const qty = rng.int(item.qty[0], item.qty[1]);
      items.push(this.line(i, item.id, qty, hf.prices.itemPrice[i], item.careType, policy.product.coversItem[i] === 1, null));
    }
    const services: Line[] = [];
    const forced = episode === 'other' ? undefined : this.pickEpisodeService(hf, episode === 'delivery' ? this.deliveryServices : this.antenatalServices);
    if (forced !== undefined) {
      const service = reg.services[forced];
      services.push(this.line(forced, service.id, 1, hf.prices.servicePrice[forced], service.careType, policy.product.coversService[forced] === 1, service.category));
    }
    const nServices = stay > 0 || forced !== undefined
      ? Math.max(1, rng.weighted(SERVICE_COUNTS, SERVICE_COUNT_WEIGHTS))
      : rng.weighted(SERVICE_COUNTS, SERVICE_COUNT_WEIGHTS);
    for (let tries = 0; services.length < nServices && tries < nServices * 4; tries++) {
      const s = hf.prices.servicePicker.pick(rng);
      const service = reg.services[s];
      if (services.some((l) => l.register === s) || !patientAllowed(service.patCat, m.gender, age)) continue;
      if (stay === 0 && service.careType === 'I') continue;
      const qty = service.level === 'D' ? Math.max(1, stay) : 1;
      services.push(this.line(s, service.id, qty, hf.prices.servicePrice[s], service.careType, policy.product.coversService[s] === 1, service.category));
    }
    if (items.length === 0 && services.length === 0) return;

    // status by age of the claim
    let status: number = claimAge <= 7 ? rng.weighted([2, 4, 1], [70, 20, 10])
      : claimAge <= 30 ? rng.weighted([2, 4, 1, 16, 8], [25, 40, 8, 20, 7])
      : rng.weighted([16, 8, 4, 1, 2], [66, 8, 10, 8, 8]);
    const lines = [...items, ...services];
    let claimReason = 0;
    if (status === CLAIM_STATUS.rejected) {
      claimReason = rng.weighted(CLAIM_REJECTIONS, CLAIM_REJECTION_WEIGHTS);
      for (const l of lines) {
        l.status = 2;
        l.reason = claimReason;
      }
    } else if (status !== CLAIM_STATUS.entered) {
      for (const l of lines) {
        if (!l.covered) {
          l.status = 2;
          l.reason = 3;
        } else if (rng.bool(0.05)) {
          l.status = 2;
          l.reason = rng.pick(LINE_REJECTIONS);
        } else {
          l.qtyApproved = rng.bool(0.97) || l.qty <= 1 ? l.qty : Math.max(1, Math.floor(l.qty / 2));
          if (rng.bool(0.03)) l.priceAdjusted = Math.round(l.price * 0.8);
          l.priceApproved = l.priceAdjusted ?? l.price;
        }
      }
      if (lines.every((l) => l.status === 2)) {
        status = CLAIM_STATUS.rejected;
        claimReason = lines[0].reason;
      }
    }
    const processed = status === CLAIM_STATUS.processed || status === CLAIM_STATUS.valuated;
    const relIndex = 0.8 + rng.float() * 0.15;
    let claimed = 0;
    let approved = 0;
    let valuated = 0;
    for (const l of lines) {
      claimed += l.qty * l.price;
      if (l.status === 1 && l.priceApproved !== null && l.qtyApproved !== null) {
        const amount = l.qtyApproved * l.priceApproved;
        approved += amount;
        if (status === CLAIM_STATUS.valuated) {
          const origin = l.careType === 'I' ? policy.product.inpatientOrigin : 'P';
          l.valuated = origin === 'R' ? Math.round(amount * relIndex) : amount;
          valuated += l.valuated;
        }
      }
    }

    const categories = new Set(services.map((l) => l.category));
    const category = status === CLAIM_STATUS.entered ? null
      : categories.has('S') ? 'S' : categories.has('D') ? 'D' : categories.has('A') ? 'A'
      : stay > 0 || categories.has('H') ? 'H' : categories.has('C') ? 'C' : 'V';

    const id = ctx.ids.take('tblClaim');
    this.codeCounter[hf.index]++;
    const code = `C${hf.level}${String(this.codeCounter[hf.index]).padStart(6, '0')}`;
    const clerk = rng.pick(ctx.clerkUserIds);
    const medical = rng.pick(ctx.medicalOfficerUserIds);
    const createdStamp = stamp(claimedDay, rng.int(8 * 3600, 16 * 3600));
    const submitted = status !== CLAIM_STATUS.entered ? Math.min(today, claimedDay + rng.int(0, 3)) : null;
    const submitStamp = submitted === null ? null : stamp(submitted, rng.int(8 * 3600, 17 * 3600));
    const processedDay = processed ? Math.min(today, (submitted ?? claimedDay) + rng.int(1, 30)) : null;
    const processStamp = processedDay === null ? null : stamp(processedDay, rng.int(8 * 3600, 17 * 3600));
    const reviewStatus = status === CLAIM_STATUS.entered ? 1 : rng.weighted([1, 2, 4, 8, 16], [20, 60, 6, 10, 4]);
    const reviewed = reviewStatus === 8;
    const withFeedback = processed && rng.bool(SHARES.feedback * 1.5);
    const feedbackStatus = status === CLAIM_STATUS.entered ? 1 : withFeedback ? 8 : rng.weighted([1, 2, 4, 16], [30, 55, 10, 5]);
    const feedbackId = withFeedback ? ctx.ids.take('tblFeedback') : null;
    const icd = reg.icdPicker.pick(rng);
    const icd1 = rng.bool(0.2) ? reg.icdPicker.pick(rng) : null;
    const icd2 = icd1 !== null && rng.bool(0.25) ? reg.icdPicker.pick(rng) : null;
    const claimAdmin = hf.claimAdmins.length ? rng.pick(hf.claimAdmins) : null;
    const reviewFrom = reviewed && submitStamp ? submitStamp : null;
    const deleted = status === CLAIM_STATUS.entered && claimedDay < today && rng.bool(SHARES.claimDeleted * 4) ? stamp(rng.int(claimedDay + 1, today), 16 * 3600) : null;

    const header = (rowId: number, uuid: string, st: number, current: boolean, from: string, to: string | null, legacy: number | null) => [
      rowId, uuid, code, m.id, hf.id, claimAdmin, icd, icd1, icd2, null, null,
      isoDay(day), isoDay(dateTo), isoDay(claimedDay), current && processedDay !== null ? isoDay(processedDay) : null, visit,
      current ? category : null, st, current ? reviewStatus : 1, current ? feedbackStatus : 1, 1, current ? claimReason : 0,
      current && withFeedback, current ? feedbackId : null, claimed, current && st !== CLAIM_STATUS.entered && st !== CLAIM_STATUS.rejected ? approved : null,
      current && st === CLAIM_STATUS.valuated ? valuated : null, current && st === CLAIM_STATUS.valuated ? valuated : null, null,
      rng.bool(0.05) ? rng.pick(EXPLANATIONS) : null, current && reviewed && rng.bool(0.3) ? 'Quantities adjusted after review' : null,
      visit === 'R' && rng.bool(0.4) ? `GN${rng.digits(8)}` : null, current && reviewed ? medical : null, null,
      current ? submitStamp : null, current ? processStamp : null, current && submitStamp ? clerk : null,
      current && reviewed ? medical : null, current && processStamp ? medical : null, current ? reviewFrom : null, null,
      from, to, legacy, clerk,
    ];

    let validFrom = createdStamp;
    if (submitStamp !== null && submitStamp > createdStamp && rng.bool(SHARES.claimHistory)) {
      // the entered version, before submission
      this.sinks.claims.row(header(ctx.ids.take('tblClaim'), rng.uuid(), CLAIM_STATUS.entered, false, createdStamp, submitStamp, id));
      validFrom = submitStamp;
    }
    if (deleted !== null) {
      this.sinks.claims.row(header(ctx.ids.take('tblClaim'), rng.uuid(), status, true, validFrom, deleted, id));
      this.sinks.claims.row(header(id, rng.uuid(), status, true, deleted, deleted, null));
    } else {
      this.sinks.claims.row(header(id, rng.uuid(), status, true, validFrom, null, null));
      this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + 1);
    }

    const lineRow = (l: Line, isService: boolean) => {
      const passed = processed && l.status === 1;
      const origin = passed ? (l.careType === 'I' ? policy.product.inpatientOrigin : 'P') : null;
      const head = isService
        ? [ctx.ids.take('tblClaimServices'), id, l.id, l.status]
        : [ctx.ids.take('tblClaimItems'), id, l.id, l.status, true];
      return [
        ...head, l.qty, l.qtyApproved, l.price, l.priceAdjusted, l.priceApproved, l.valuated, null,
        l.status === 2 && rng.bool(0.2) ? 'Not justified by diagnosis' : null, l.status === 2 ? l.reason : 0,
        passed ? 100 : null, passed ? 'C' : null, l.valuated, passed ? 0 : null, passed ? 0 : null, passed ? 0 : null,
        origin, passed ? policy.id : null, passed ? policy.product.id : null, createdStamp, deleted, null, clerk,
      ];
    };
    for (const l of items) this.sinks.items.row(lineRow(l, false));
    for (const l of services) this.sinks.services.row(lineRow(l, true));

    if (feedbackId !== null && processedDay !== null) {
      const fbDay = Math.min(today, processedDay + rng.int(1, 20));
      this.sinks.feedback.row([
        feedbackId, rng.uuid(), id, rng.bool(0.95), rng.bool(0.1), rng.bool(0.85), rng.bool(0.8), rng.weighted([0, 1, 2, 3, 4, 5], [1, 2, 5, 15, 40, 37]),
        family.officerId, stamp(fbDay, 12 * 3600), stamp(fbDay, 12 * 3600), null, null, clerk,
      ]);
    }
  }

  private line(register: number, id: number, qty: number, price: number, careType: 'I' | 'O' | 'B', covered: boolean, category: string | null): Line {
    return { register, id, qty, price, careType, covered, category, status: 1, reason: 0, qtyApproved: null, priceAdjusted: null, priceApproved: null, valuated: null };
  }
}
