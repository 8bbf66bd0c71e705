/**
 * The child rows of a page of policies, in two queries for the whole page (never one per policy):
 * the current contributions (tblPremium, with their payer) and the current coverage of each member
 * (tblInsureePolicy, with the insuree). Columns are aliased: SQL Server spells some of them
 * differently (InsureeId, PolicyId).
 */
import type { Row, RequestContext } from '../../fhir/types.js';

export interface PremiumDetail {
  uuid: string;
  amount: number;
  receipt: string;
  payDate: string;
  payType: string;
  isPhotoFee: boolean;
  payerUuid?: string;
  payerName?: string;
  payerType?: string;
  payerTypeLabel?: string;
}

export interface MemberDetail {
  uuid: string;
  chfid: string;
  effectiveDate?: string;
}

export interface PolicyDetails {
  premiums: PremiumDetail[];
  members: MemberDetail[];
}

/** Where the details sit on a row after loadDetails. */
export const DETAILS = 'policy_details';

export async function loadPolicyDetails(rows: Row[], ctx: RequestContext): Promise<void> {
  const ids = [...new Set(rows.map((r) => Number(r.PolicyID)))];
  const [premiums, members] = await Promise.all([
    ctx
      .db('tblPremium as pr')
      .leftJoin('tblPayer as py', 'py.PayerID', 'pr.PayerID')
      .leftJoin('tblPayerType as pt', 'pt.Code', 'py.PayerType')
      .whereIn('pr.PolicyID', ids)
      .whereNull('pr.ValidityTo')
      .orderBy('pr.PayDate')
      .orderBy('pr.PremiumId')
      .select(
        'pr.PolicyID as policy_id',
        'pr.PremiumUUID as uuid',
        'pr.Amount as amount',
        'pr.Receipt as receipt',
        'pr.PayDate as pay_date',
        'pr.PayType as pay_type',
        'pr.isPhotoFee as is_photo_fee',
        'py.PayerUUID as payer_uuid',
        'py.PayerName as payer_name',
        'py.PayerType as payer_type',
        'pt.PayerType as payer_type_label',
      ),
    ctx
      .db('tblInsureePolicy as ip')
      .join('tblInsuree as i', 'i.InsureeID', 'ip.InsureeID')
      .whereIn('ip.PolicyId', ids)
      .whereNull('ip.ValidityTo')
      .orderBy('ip.InsureeID')
      .select('ip.PolicyId as policy_id', 'i.InsureeUUID as uuid', 'i.CHFID as chfid', 'ip.EffectiveDate as effective_date'),
  ]);
  const byPolicy = new Map<number, PolicyDetails>(ids.map((id) => [id, { premiums: [], members: [] }]));
  for (const p of premiums as Row[]) {
    byPolicy.get(Number(p.policy_id))?.premiums.push({
      uuid: String(p.uuid).toLowerCase(),
      amount: Number(p.amount),
      receipt: String(p.receipt ?? ''),
      payDate: dayText(p.pay_date),
      payType: String(p.pay_type ?? '').trim(),
      isPhotoFee: Boolean(p.is_photo_fee),
      ...(p.payer_uuid
        ? {
            payerUuid: String(p.payer_uuid).toLowerCase(),
            payerName: p.payer_name ?? undefined,
            payerType: p.payer_type ? String(p.payer_type).trim() : undefined,
            payerTypeLabel: p.payer_type_label ?? undefined,
          }
        : {}),
    });
  }
  for (const m of members as Row[]) {
    byPolicy.get(Number(m.policy_id))?.members.push({
      uuid: String(m.uuid).toLowerCase(),
      chfid: String(m.chfid ?? ''),
      ...(m.effective_date ? { effectiveDate: dayText(m.effective_date) } : {}),
    });
  }
  for (const row of rows) row[DETAILS] = byPolicy.get(Number(row.PolicyID));
}

const dayText = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value ?? '').slice(0, 10));
