/**
 * Policies of a family (tblPolicy: a first policy at enrolment, then yearly renewals for about half
 * of the families), the coverage period of every member (tblInsureePolicy) and the contributions
 * (tblPremium, one or two instalments, some through a payer). Status follows the dates: 1 idle
 * (not paid), 2 active, 4 suspended, 8 expired, 16 ready (paid, starting later).
 */
import type { GeneratorContext, TableSink } from './context.js';
import { SHARES } from './context.js';
import { addMonths, isoDay, stamp, yearsBetween } from './dates.js';
import type { Family } from './families.js';
import type { Product, Products } from './products.js';
import type { Prng } from './prng.js';

export const POLICY_COLUMNS = [
  'PolicyID', 'PolicyUUID', 'FamilyID', 'ProdID', 'OfficerID', 'PolicyStage', 'PolicyStatus', 'PolicyValue',
  'EnrollDate', 'StartDate', 'EffectiveDate', 'ExpiryDate', 'isOffline', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

export const INSUREE_POLICY_COLUMNS = [
  'InsureePolicyID', 'InsureeID', 'PolicyId', 'EnrollmentDate', 'StartDate', 'EffectiveDate', 'ExpiryDate', 'isOffline',
  'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

export const PREMIUM_COLUMNS = [
  'PremiumId', 'PremiumUUID', 'PolicyID', 'PayerID', 'Amount', 'Receipt', 'PayDate', 'PayType', 'isPhotoFee', 'isOffline',
  'CreatedDate', 'ReportingId', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

export const POLICY_STATUS = { idle: 1, active: 2, suspended: 4, expired: 8, ready: 16 } as const;

export interface Policy {
  id: number;
  product: Product;
  enroll: number;
  start: number;
  expiry: number;
  /** Day the policy became effective (fully paid), null while idle. */
  effective: number | null;
  status: number;
}

export interface PolicySinks {
  policies: TableSink;
  insureePolicies: TableSink;
  premiums: TableSink;
}

const RENEWAL_SHARE = 0.5;

/** Start of the next cycle (1 January or 1 July) on or after `day`. */
function nextCycleStart(day: number): number {
  const d = new Date(day * 86_400_000);
  const y = d.getUTCFullYear();
  for (const [yy, m] of [[y, 0], [y, 6], [y + 1, 0]] as const) {
    const start = Math.floor(Date.UTC(yy, m, 1) / 86_400_000);
    if (start >= day) return start;
  }
  return day;
}

export class PolicyGenerator {
  private readonly rng: Prng;

  constructor(
    private readonly ctx: GeneratorContext,
    private readonly products: Products,
    private readonly sinks: PolicySinks,
  ) {
    this.rng = ctx.rng('policies');
  }

  next(family: Family): Policy[] {
    const { rng, ctx } = this;
    const today = ctx.opts.today;
    const region = this.products.byRegion[family.region];
    let product = this.products.list[rng.weighted(region.products, region.weights)];
    const policies: Policy[] = [];
    let enroll = Math.min(today, family.created + (rng.bool(0.6) ? 0 : rng.int(1, 14)));
    let stage = 'N';
    let previousExpiry: number | null = null;

    for (let guard = 0; guard < 20; guard++) {
      if (family.deleted !== null && enroll >= family.deleted) break;
      const start: number = product.kind === 'cycle' ? nextCycleStart(enroll)
        : previousExpiry !== null && enroll <= previousExpiry + 30 ? previousExpiry + 1 : enroll;
      const expiry: number = addMonths(start, 12) - 1;
      const members = family.members.filter((m) => m.joined <= enroll && (m.deleted === null || m.deleted > enroll));
      const value = this.value(product, members.map((m) => yearsBetween(m.dob, enroll)));
      const paidDay = rng.bool(0.95) ? enroll + (rng.bool(0.6) ? 0 : rng.int(1, 45)) : null;
      const paid = paidDay !== null && paidDay <= today && (family.deleted === null || paidDay < family.deleted);
      const effective = paid ? Math.max(paidDay!, start) : null;
      let status: number = POLICY_STATUS.idle;
      if (paid) {
        if (start > today) status = POLICY_STATUS.ready;
        else if (expiry < today) status = POLICY_STATUS.expired;
        else status = rng.bool(0.015) ? POLICY_STATUS.suspended : POLICY_STATUS.active;
      }
      const policy: Policy = { id: ctx.ids.take('tblPolicy'), product, enroll, start, expiry, effective, status };
      policies.push(policy);
      this.write(family, policy, stage, value, paid ? paidDay! : null);

      // Renewal, near the end of a paid policy
      if (!paid || expiry - 30 > today || !rng.bool(RENEWAL_SHARE)) break;
      const late = rng.bool(0.2) ? rng.int(1, 60) : 0;
      const nextEnroll = expiry - rng.int(0, 30) + late;
      if (nextEnroll > today) break;
      previousExpiry = expiry;
      enroll = nextEnroll;
      stage = 'R';
      if (rng.bool(0.05)) product = this.products.list[rng.weighted(region.products, region.weights)];
    }
    return policies;
  }

  private value(product: Product, ages: number[]): number {
    if (product.kind === 'cycle') return ages.reduce((sum, age) => sum + (age >= 18 ? product.premiumAdult : product.premiumChild), 0) || product.premiumAdult;
    const extra = Math.max(0, ages.length - product.memberCount);
    return product.lumpSum + extra * product.premiumAdult;
  }

  private write(family: Family, p: Policy, stage: string, value: number, paidDay: number | null): void {
    const { rng, ctx } = this;
    const audit = rng.pick(ctx.clerkUserIds);
    const closed = family.deleted !== null ? stamp(family.deleted, 17 * 3600) : null;
    const enrollStamp = stamp(p.enroll, rng.int(8 * 3600, 16 * 3600));
    const uuid = rng.uuid();
    const row = (id: number, rowUuid: string, status: number, effective: number | null, from: string, to: string | null, legacy: number | null) => [
      id, rowUuid, family.id, p.product.id, family.officerId, stage, status, value,
      isoDay(p.enroll), isoDay(p.start), effective === null ? null : isoDay(effective), isoDay(p.expiry), false, from, to, legacy, audit,
    ];
    let validFrom = enrollStamp;
    if (paidDay !== null && paidDay > p.enroll && rng.bool(SHARES.policyHistory)) {
      // the idle version before the contribution activated it
      const activated = stamp(paidDay, rng.int(8 * 3600, 16 * 3600));
      this.sinks.policies.row(row(ctx.ids.take('tblPolicy'), rng.uuid(), POLICY_STATUS.idle, null, enrollStamp, activated, p.id));
      validFrom = activated;
    }
    this.sinks.policies.row(row(p.id, uuid, p.status, p.effective, validFrom, closed, null));

    // contributions
    if (paidDay !== null && p.effective !== null) {
      if (rng.bool(0.15) && paidDay > p.enroll) {
        const first = Math.round((value * (0.4 + rng.float() * 0.3)) / 100) * 100;
        this.premium(family, p, first, rng.int(p.enroll, paidDay - 1), closed);
        this.premium(family, p, value - first, paidDay, closed);
      } else {
        this.premium(family, p, value, paidDay, closed);
      }
    } else if (rng.bool(0.3) && p.enroll <= ctx.opts.today) {
      this.premium(family, p, Math.max(100, Math.round((value * 0.4) / 100) * 100), p.enroll, closed);
    }

    // coverage of each member
    for (const m of family.members) {
      if (m.joined > p.expiry) continue;
      if (m.deleted !== null && m.deleted <= p.enroll) continue;
      const enrolled = Math.max(p.enroll, m.joined);
      const effective = p.effective === null ? null : Math.max(p.effective, m.joined);
      const to = m.deleted !== null && m.deleted <= p.expiry ? stamp(m.deleted, 17 * 3600) : closed;
      this.sinks.insureePolicies.row([
        ctx.ids.take('tblInsureePolicy'), m.id, p.id, isoDay(enrolled), isoDay(p.start), effective === null ? null : isoDay(effective),
        isoDay(p.expiry), false, stamp(enrolled, 12 * 3600), to, null, audit,
      ]);
    }
  }

  private premium(family: Family, p: Policy, amount: number, day: number, closed: string | null): void {
    const { rng, ctx } = this;
    const id = ctx.ids.take('tblPremium');
    const payers = this.payersOf(family);
    const payer = payers.length && rng.bool(0.08) ? rng.pick(payers) : null;
    const payType = payer !== null ? rng.weighted(['B', 'C'], [70, 30]) : rng.weighted(['C', 'M', 'B', 'F'], [76, 12, 10, 2]);
    this.sinks.premiums.row([
      id, rng.uuid(), p.id, payer, amount, `RC${String(id).padStart(8, '0')}`, isoDay(day), payType, false, false,
      isoDay(day), null, stamp(day, rng.int(8 * 3600, 16 * 3600)), closed, null, rng.pick(ctx.clerkUserIds),
    ]);
  }

  private payersOf(family: Family): number[] {
    return this.products.payersByRegion[family.region] ?? [];
  }
}
