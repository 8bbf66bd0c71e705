/**
 * What a claim row needs besides its own columns, loaded for a whole page of rows in four queries
 * (item lines, service lines, diagnoses, policies) whatever the page size: never one query per
 * claim. Called by the engine through ResourceDefinition.loadDetails before rows are mapped.
 *
 * Lines keep openIMIS history like their claim: a changed line is copied (LegacyID = line id,
 * ValidityTo = change time) and updated in place. A current claim row shows the current lines; a
 * history version of a claim, closed at T, shows the lines as they were just before T.
 */
import type { Knex } from 'knex';
import type { RequestContext, Row } from '../../fhir/types.js';

export interface ClaimLine {
  kind: 'item' | 'service';
  /** The line's own id (its entity id for history copies); lines are listed in this order. */
  lineId: number;
  refId: number;
  refUuid: string;
  refCode: string;
  refName: string;
  status: number;
  qtyProvided: number;
  qtyApproved: number | null;
  priceAsked: number;
  priceApproved: number | null;
  priceAdjusted: number | null;
  priceValuated: number | null;
  rejectionReason: number;
  explanation: string | null;
  justification: string | null;
  priceOrigin: string | null;
}

export interface ClaimDetails {
  items: ClaimLine[];
  services: ClaimLine[];
  diagnoses: { code: string; name: string }[];
  /** UUID of the policy covering the visit (else the insuree's latest), when there is one. */
  coverageUuid?: string;
}

const KEY = '_claimDetails';
const CHUNK = 1000;
const ICD_COLUMNS = ['ICDID', 'ICDID1', 'ICDID2', 'ICDID3', 'ICDID4'];

export function detailsOf(row: Row): ClaimDetails {
  const details = row[KEY] as ClaimDetails | undefined;
  if (!details) throw new Error('Claim details were not loaded: the engine must call loadDetails before toFhir');
  return details;
}

/** The claim a row is a version of: history copies name it in LegacyID. */
const entityOf = (row: Row) => Number(row.LegacyID ?? row.ClaimID);

export async function loadClaimDetails(rows: Row[], ctx: RequestContext): Promise<void> {
  if (rows.length === 0) return;
  const db = ctx.db;
  const claimIds = unique(rows.map(entityOf));
  const allCurrent = rows.every((r) => r.ValidityTo == null);
  const icdIds = unique(rows.flatMap((r) => ICD_COLUMNS.map((c) => r[c])));
  const insureeIds = unique(rows.map((r) => r.InsureeID));

  const [items, services, icds, policies] = await Promise.all([
    chunked(claimIds, (ids) => linesQuery(db, 'item', ids, allCurrent)),
    chunked(claimIds, (ids) => linesQuery(db, 'service', ids, allCurrent)),
    chunked(icdIds, (ids) => db('tblICDCodes').whereIn('ICDID', ids).select('ICDID', 'ICDCode', 'ICDName')),
    chunked(insureeIds, (ids) =>
      db('tblInsureePolicy as ip')
        .join('tblPolicy as p', 'p.PolicyID', 'ip.PolicyId')
        .whereIn('ip.InsureeID', ids)
        .whereNull('ip.ValidityTo')
        .whereNull('p.ValidityTo')
        .select('ip.InsureeID as insuree_id', 'p.PolicyUUID as policy_uuid', 'ip.EffectiveDate as effective', 'ip.ExpiryDate as expiry', 'ip.EnrollmentDate as enrolled'),
    ),
  ]);

  const byClaim = (lines: Row[]) => {
    const map = new Map<number, Row[]>();
    for (const line of lines) {
      const list = map.get(Number(line.claim_id)) ?? [];
      list.push(line);
      map.set(Number(line.claim_id), list);
    }
    return map;
  };
  const itemsOf = byClaim(items);
  const servicesOf = byClaim(services);
  const icdById = new Map(icds.map((d) => [Number(d.ICDID), { code: String(d.ICDCode).trim(), name: String(d.ICDName) }]));
  const policiesOf = new Map<number, Row[]>();
  for (const p of policies) policiesOf.set(Number(p.insuree_id), [...(policiesOf.get(Number(p.insuree_id)) ?? []), p]);

  for (const row of rows) {
    const claimId = entityOf(row);
    const details: ClaimDetails = {
      items: linesAt(itemsOf.get(claimId) ?? [], row, 'item'),
      services: linesAt(servicesOf.get(claimId) ?? [], row, 'service'),
      diagnoses: ICD_COLUMNS.map((c) => row[c]).filter((id) => id != null).map((id) => icdById.get(Number(id))).filter((d) => d !== undefined),
      coverageUuid: coverageOf(policiesOf.get(Number(row.InsureeID)) ?? [], dayText(row.DateFrom)),
    };
    row[KEY] = details;
  }
}

function linesQuery(db: Knex, kind: 'item' | 'service', claimIds: number[], currentOnly: boolean): Promise<Row[]> {
  const [table, pk, status, ref, refTable, refPk, refUuid, refCode, refName] =
    kind === 'item'
      ? ['tblClaimItems', 'ClaimItemID', 'ClaimItemStatus', 'ItemID', 'tblItems', 'ItemID', 'ItemUUID', 'ItemCode', 'ItemName']
      : ['tblClaimServices', 'ClaimServiceID', 'ClaimServiceStatus', 'ServiceID', 'tblServices', 'ServiceID', 'ServiceUUID', 'ServCode', 'ServName'];
  const query = db(`${table} as l`)
    .join(`${refTable} as r`, `r.${refPk}`, `l.${ref}`)
    .whereIn('l.ClaimID', claimIds)
    .select(
      `l.${pk} as line_id`,
      'l.LegacyID as legacy_id',
      'l.ClaimID as claim_id',
      'l.ValidityFrom as valid_from',
      'l.ValidityTo as valid_to',
      `l.${status} as status`,
      'l.QtyProvided',
      'l.QtyApproved',
      'l.PriceAsked',
      'l.PriceApproved',
      'l.PriceAdjusted',
      'l.PriceValuated',
      'l.RejectionReason',
      'l.Explanation',
      'l.Justification',
      'l.PriceOrigin',
      `r.${refPk} as ref_id`,
      `r.${refUuid} as ref_uuid`,
      `r.${refCode} as ref_code`,
      `r.${refName} as ref_name`,
    );
  if (currentOnly) query.whereNull('l.ValidityTo');
  return query;
}

/** The lines of the claim version in `row`: current ones, or those valid just before the version closed. */
function linesAt(lines: Row[], row: Row, kind: 'item' | 'service'): ClaimLine[] {
  const closed = row.ValidityTo == null ? undefined : instant(row.ValidityTo);
  return lines
    .filter((l) =>
      closed === undefined ? l.valid_to == null : instant(l.valid_from) < closed && (l.valid_to == null || instant(l.valid_to) >= closed),
    )
    .map((l): ClaimLine => ({
      kind,
      lineId: Number(l.legacy_id ?? l.line_id),
      refId: Number(l.ref_id),
      refUuid: String(l.ref_uuid).toLowerCase(),
      refCode: String(l.ref_code).trim(),
      refName: String(l.ref_name ?? ''),
      status: Number(l.status ?? 1),
      qtyProvided: Number(l.QtyProvided ?? 0),
      qtyApproved: numberOrNull(l.QtyApproved),
      priceAsked: Number(l.PriceAsked ?? 0),
      priceApproved: numberOrNull(l.PriceApproved),
      priceAdjusted: numberOrNull(l.PriceAdjusted),
      priceValuated: numberOrNull(l.PriceValuated),
      rejectionReason: Number(l.RejectionReason ?? 0),
      explanation: l.Explanation ?? null,
      justification: l.Justification ?? null,
      priceOrigin: l.PriceOrigin ? String(l.PriceOrigin).trim() : null,
    }))
    .sort((a, b) => a.lineId - b.lineId);
}

/** The policy whose coverage holds the visit date, else the latest enrolled one (the module's rule). */
function coverageOf(policies: Row[], visit: string | undefined): string | undefined {
  if (policies.length === 0) return undefined;
  const covering = visit
    ? policies.filter((p) => p.effective && dayText(p.effective)! <= visit && (!p.expiry || dayText(p.expiry)! >= visit))
    : [];
  const pool = covering.length ? covering : policies;
  const latest = [...pool].sort((a, b) => (dayText(b.enrolled) ?? '').localeCompare(dayText(a.enrolled) ?? ''))[0];
  return String(latest.policy_uuid).toLowerCase();
}

async function chunked<T>(ids: number[], query: (ids: number[]) => Promise<T[]> | Knex.QueryBuilder): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...((await query(ids.slice(i, i + CHUNK))) as Row[]));
  return out;
}

const unique = (values: unknown[]) => [...new Set(values.filter((v) => v !== null && v !== undefined).map(Number))];
const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const instant = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(String(v)));

/** 'YYYY-MM-DD' from a date column, whatever the driver returns (text on PostgreSQL, Date on SQL Server). */
export function dayText(v: unknown): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}
