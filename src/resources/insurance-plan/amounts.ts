/**
 * Where each limit and cost column of tblProduct lives in an InsurancePlan, as data read by both
 * directions of the mapping. One column, one place, one (benefit, code) pair: nothing depends on
 * the order of elements.
 *
 * - Ceilings (Max*) and the per-category limits (MaxNo*, MaxAmount*) are what the scheme pays at
 *   most: coverage[0].benefit[type].limit[code].
 * - Deductibles (Ded*) are what the insuree pays first: plan[0].specificCost[category]
 *   .benefit[0].cost[type deductible, qualifier].
 */
import { codeSystem } from '../ig.js';

/** The benefits of coverage[0]: the whole cover (module-compatible) and the openIMIS care kinds. */
export const PLAN_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/insurance-plan-type';
export const BENEFIT_SYSTEM = codeSystem('insurance-plan-benefit');
export const LIMIT_SYSTEM = codeSystem('insurance-plan-limit');
/** The IG's own limit codes (period, memberCount), kept on the first benefit. */
export const IG_LIMIT_SYSTEM = codeSystem('insurance-plan-coverage-benefit-limit');
export const COST_TYPE_SYSTEM = codeSystem('insurance-plan-cost-type');

export type BenefitCode =
  | 'medical'
  | 'out-patient'
  | 'in-patient'
  | 'consultation'
  | 'surgery'
  | 'delivery'
  | 'hospitalization'
  | 'visit'
  | 'antenatal';

export const BENEFITS: Record<BenefitCode, string> = {
  medical: 'Medical',
  'out-patient': 'Out-patient care',
  'in-patient': 'In-patient care',
  consultation: 'Consultations',
  surgery: 'Surgeries',
  delivery: 'Deliveries',
  hospitalization: 'Hospitalizations',
  visit: 'Visits',
  antenatal: 'Antenatal care',
};

export type LimitCode = 'insuree' | 'treatment' | 'policy' | 'extra-member' | 'policy-ceiling' | 'count' | 'amount';

export const LIMITS: Record<LimitCode, string> = {
  insuree: 'Per insuree',
  treatment: 'Per treatment',
  policy: 'Per policy',
  'extra-member': 'Per member above the policy threshold',
  'policy-ceiling': 'Maximum ceiling of the policy',
  count: 'Maximum number',
  amount: 'Maximum amount',
};

export interface AmountColumn {
  column: string;
  /** coverage[0].benefit type, or plan[0].specificCost category for deductibles. */
  benefit: BenefitCode;
  code: LimitCode;
  kind: 'money' | 'count';
}

const byCare = (prefix: string, suffix: string, code: LimitCode): AmountColumn[] => [
  { column: `${prefix}${suffix}`, benefit: 'medical', code, kind: 'money' },
  { column: `${prefix}OP${suffix}`, benefit: 'out-patient', code, kind: 'money' },
  { column: `${prefix}IP${suffix}`, benefit: 'in-patient', code, kind: 'money' },
];

/** Ceilings and limits: coverage[0].benefit[benefit].limit[code]. */
export const LIMIT_COLUMNS: AmountColumn[] = [
  ...byCare('Max', 'Insuree', 'insuree'),
  ...byCare('Max', 'Treatment', 'treatment'),
  ...byCare('Max', 'Policy', 'policy'),
  // The extra-member and policy ceilings put the care kind last: MaxPolicyExtraMemberOP.
  { column: 'MaxPolicyExtraMember', benefit: 'medical', code: 'extra-member', kind: 'money' },
  { column: 'MaxPolicyExtraMemberOP', benefit: 'out-patient', code: 'extra-member', kind: 'money' },
  { column: 'MaxPolicyExtraMemberIP', benefit: 'in-patient', code: 'extra-member', kind: 'money' },
  { column: 'MaxCeilingPolicy', benefit: 'medical', code: 'policy-ceiling', kind: 'money' },
  { column: 'MaxCeilingPolicyOP', benefit: 'out-patient', code: 'policy-ceiling', kind: 'money' },
  { column: 'MaxCeilingPolicyIP', benefit: 'in-patient', code: 'policy-ceiling', kind: 'money' },
  { column: 'MaxNoConsultation', benefit: 'consultation', code: 'count', kind: 'count' },
  { column: 'MaxAmountConsultation', benefit: 'consultation', code: 'amount', kind: 'money' },
  { column: 'MaxNoSurgery', benefit: 'surgery', code: 'count', kind: 'count' },
  { column: 'MaxAmountSurgery', benefit: 'surgery', code: 'amount', kind: 'money' },
  { column: 'MaxNoDelivery', benefit: 'delivery', code: 'count', kind: 'count' },
  { column: 'MaxAmountDelivery', benefit: 'delivery', code: 'amount', kind: 'money' },
  // sic: the legacy column is spelled MaxNoHospitalizaion.
  { column: 'MaxNoHospitalizaion', benefit: 'hospitalization', code: 'count', kind: 'count' },
  { column: 'MaxAmountHospitalization', benefit: 'hospitalization', code: 'amount', kind: 'money' },
  { column: 'MaxNoVisits', benefit: 'visit', code: 'count', kind: 'count' },
  { column: 'MaxNoAntenatal', benefit: 'antenatal', code: 'count', kind: 'count' },
  { column: 'MaxAmountAntenatal', benefit: 'antenatal', code: 'amount', kind: 'money' },
];

/** Deductibles: plan[0].specificCost[category = benefit].benefit[0].cost[deductible, qualifier = code]. */
export const DEDUCTIBLE_COLUMNS: AmountColumn[] = [
  ...byCare('Ded', 'Insuree', 'insuree'),
  ...byCare('Ded', 'Treatment', 'treatment'),
  ...byCare('Ded', 'Policy', 'policy'),
];

/** plan[0].generalCost, with the IG's general-cost-type codes. */
export const GENERAL_COST_SYSTEM = codeSystem('insurance-plan-general-cost-type');
export const GENERAL_COSTS: { column: string; code: string; display: string }[] = [
  { column: 'LumpSum', code: 'lumpsum', display: 'Lumpsum' },
  { column: 'PremiumAdult', code: 'premiumAdult', display: 'Premium Adult' },
  { column: 'PremiumChild', code: 'premiumChild', display: 'Premium Child' },
  { column: 'RegistrationLumpSum', code: 'registrationLumpsum', display: 'Registration Lumpsum' },
  { column: 'RegistrationFee', code: 'registrationFee', display: 'Registration Fee' },
  { column: 'GeneralAssemblyLumpSum', code: 'generalAssemblyLumpSum', display: 'General Assembly Lump Sum' },
  { column: 'GeneralAssemblyFee', code: 'generalAssemblyFee', display: 'General Assembly Fee' },
];

/** The insurance-plan-period extension, one per kind (the IG's insurance-plan-period-kind codes). */
export const PERIOD_KINDS: { column: string; kind: string }[] = [
  { column: 'AdministrationPeriod', kind: 'administration' },
  { column: 'GracePeriod', kind: 'grace-enrolment' },
  { column: 'WaitingPeriod', kind: 'grace-payment' },
  { column: 'GracePeriodRenewal', kind: 'grace-renewal' },
];

/** The insurance-plan-discount extension, one per kind. */
export const DISCOUNT_KINDS: { kind: string; percentage: string; period: string }[] = [
  { kind: 'renewal', percentage: 'RenewalDiscountPerc', period: 'RenewalDiscountPeriod' },
  { kind: 'enrolment', percentage: 'EnrolmentDiscountPerc', period: 'EnrolmentDiscountPeriod' },
];

export const START_CYCLES = ['StartCycle1', 'StartCycle2', 'StartCycle3', 'StartCycle4'];

export const CEILING_INTERPRETATION_SYSTEM = codeSystem('insurance-plan-ceiling-interpretation');
export const CEILING_INTERPRETATIONS: Record<string, string> = { I: 'Claim type', H: 'Health facility type' };
