/**
 * Entering, changing and deleting claims the way openIMIS enters them (uspUpdateClaimFromPhone, the
 * claim module's create/update): status 2 (entered), lines with the price asked computed as the
 * client's price when non-zero, else the facility's price-list override, else the register price,
 * and the claimed amount as the sum of the lines. Submission and adjudication are separate
 * operations. Only entered claims may change or be deleted; every write keeps openIMIS history.
 */
import type { Claim } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, VersionedTable, WriteContext } from '../../fhir/types.js';
import { conflict } from '../../fhir/outcome.js';
import { deleteVersioned, insertVersioned, updateVersioned } from '../../db/legacy-history.js';
import { attachmentsOf, closeAttachments, saveAttachments } from './attachments.js';
import type { LookupTable } from '../lookups.js';
import { Problems } from '../problems.js';
import { claimItemTable, claimServiceTable, claimTable } from './table.js';
import { claimToInput, type ClaimInput, type LineInput } from './from-fhir.js';
import { referenceCandidates, resolveOne, splitIds } from './resolve.js';
import { assertFacilityAllowed } from './scope.js';

export const ENTERED = 2;

const INSUREES: LookupTable = { table: 'tblInsuree', pk: 'InsureeID', uuid: 'InsureeUUID', code: 'CHFID' };
const FACILITIES: LookupTable = { table: 'tblHF', pk: 'HfID', uuid: 'HfUUID', code: 'HFCode' };
const CLAIM_ADMINS: LookupTable = { table: 'tblClaimAdmin', pk: 'ClaimAdminId', uuid: 'ClaimAdminUUID', code: 'ClaimAdminCode' };

interface Register {
  table: string;
  pk: string;
  uuid: string;
  code: string;
  price: string;
  type: 'Medication' | 'ActivityDefinition';
  lineTable: VersionedTable;
  status: string;
  priceList: { header: string; detail: string; key: string; hfColumn: string };
}

const REGISTERS: Record<'item' | 'service', Register> = {
  item: {
    table: 'tblItems', pk: 'ItemID', uuid: 'ItemUUID', code: 'ItemCode', price: 'ItemPrice', type: 'Medication',
    lineTable: claimItemTable, status: 'ClaimItemStatus',
    priceList: { header: 'tblPLItems', detail: 'tblPLItemsDetail', key: 'PLItemID', hfColumn: 'PLItemID' },
  },
  service: {
    table: 'tblServices', pk: 'ServiceID', uuid: 'ServiceUUID', code: 'ServCode', price: 'ServPrice', type: 'ActivityDefinition',
    lineTable: claimServiceTable, status: 'ClaimServiceStatus',
    priceList: { header: 'tblPLServices', detail: 'tblPLServicesDetail', key: 'PLServiceID', hfColumn: 'PLServiceID' },
  },
};

/** A line ready to write: the register row it names and its quantity and price asked. */
interface ResolvedLine {
  kind: 'item' | 'service';
  refId: number;
  quantity: number;
  price: number;
}

export interface ClaimWriteOptions {
  /** The database has the claim attachment table (claim_ClaimAttachment). */
  attachments: boolean;
}

interface Resolved {
  header: Row;
  lines: ResolvedLine[];
  facility: Row;
}

export async function createClaim(claim: Claim, ctx: WriteContext, opts: ClaimWriteOptions): Promise<number> {
  const resolved = await resolveClaim(claim, ctx);
  const attachments = attachmentsOf(claim, opts.attachments);
  await ensureUniqueCode(ctx.tx, resolved.header.ClaimCode, resolved.facility);
  const { id } = await insertVersioned(
    ctx.tx,
    claimTable,
    {
      ...resolved.header,
      ClaimStatus: ENTERED,
      Feedback: false,
      FeedbackStatus: 1,
      ReviewStatus: 1,
      ApprovalStatus: 1,
      RejectionReason: 0,
      FeedbackID: null,
    },
    audit(ctx),
  );
  await insertLines(ctx.tx, id, resolved.lines, { userId: ctx.caller.userId, at: ctx.at });
  if (opts.attachments) await saveAttachments(ctx.tx, id, attachments, ctx.at);
  return id;
}

export async function updateClaim(claim: Claim, current: Row, ctx: WriteContext, opts: ClaimWriteOptions): Promise<void> {
  assertEntered(current, 'changed');
  const resolved = await resolveClaim(claim, ctx);
  const attachments = attachmentsOf(claim, opts.attachments);
  if (resolved.header.ClaimCode !== String(current.ClaimCode).trim() || Number(resolved.facility.HfID) !== Number(current.HFID)) {
    await ensureUniqueCode(ctx.tx, resolved.header.ClaimCode, resolved.facility, Number(current.ClaimID));
  }
  const at = await updateVersioned(ctx.tx, claimTable, current, resolved.header, audit(ctx));
  const lineAudit = { userId: ctx.caller.userId, at };
  const claimId = Number(current.ClaimID);
  for (const kind of ['item', 'service'] as const) {
    const register = REGISTERS[kind];
    const existing: Row[] = await ctx.tx(register.lineTable.name).where('ClaimID', claimId).whereNull('ValidityTo').orderBy(register.lineTable.pk);
    const wanted = resolved.lines.filter((l) => l.kind === kind);
    const unmatched = [...existing];
    const added: ResolvedLine[] = [];
    for (const line of wanted) {
      // A line of the same item or service is kept (and changed if need be), so its id survives.
      const same = (row: Row) => Number(row[register.pk]) === line.refId;
      const exact = unmatched.findIndex((row) => same(row) && Number(row.QtyProvided) === line.quantity && Number(row.PriceAsked) === line.price);
      const index = exact >= 0 ? exact : unmatched.findIndex(same);
      if (index < 0) {
        added.push(line);
        continue;
      }
      const [row] = unmatched.splice(index, 1);
      if (Number(row.QtyProvided) !== line.quantity || Number(row.PriceAsked) !== line.price) {
        await updateVersioned(ctx.tx, register.lineTable, row, { QtyProvided: line.quantity, PriceAsked: line.price }, lineAudit);
      }
    }
    for (const row of unmatched) await deleteVersioned(ctx.tx, register.lineTable, row, lineAudit);
    await insertLines(ctx.tx, claimId, added, lineAudit);
  }
  if (opts.attachments) await saveAttachments(ctx.tx, claimId, attachments, at);
}

export async function deleteClaim(current: Row, ctx: WriteContext, opts: ClaimWriteOptions): Promise<void> {
  assertEntered(current, 'deleted');
  const at = await deleteVersioned(ctx.tx, claimTable, current, audit(ctx));
  if (opts.attachments) await closeAttachments(ctx.tx, Number(current.ClaimID), at);
  for (const kind of ['item', 'service'] as const) {
    const table = REGISTERS[kind].lineTable;
    const lines: Row[] = await ctx.tx(table.name).where('ClaimID', Number(current.ClaimID)).whereNull('ValidityTo');
    for (const line of lines) await deleteVersioned(ctx.tx, table, line, { userId: ctx.caller.userId, at });
  }
}

function assertEntered(current: Row, what: string) {
  if (Number(current.ClaimStatus) !== ENTERED) {
    throw conflict(`Claim ${String(current.ClaimCode).trim()} has status ${current.ClaimStatus}: only entered claims (status ${ENTERED}) can be ${what}`);
  }
}

/** Parses the claim and resolves every reference, reporting every problem at once. */
async function resolveClaim(claim: Claim, ctx: WriteContext): Promise<Resolved> {
  const input = claimToInput(claim, ctx.currency, dayAfter(ctx.at));
  const { tx } = ctx;
  const p = new Problems();
  const insuree = await resolveOne(tx, input.patient, 'Patient', INSUREES, input.contained, 'Claim.patient', p);
  const facility = await resolveOne(tx, input.provider, 'Organization', FACILITIES, input.contained, 'Claim.provider', p);
  const admin = await resolveOne(tx, input.enterer, 'Practitioner', CLAIM_ADMINS, input.contained, 'Claim.enterer', p);
  if (admin && facility && admin.HFId != null && Number(admin.HFId) !== Number(facility.HfID)) {
    p.add('Claim.enterer', `claim administrator ${String(admin.ClaimAdminCode).trim()} does not work at health facility ${String(facility.HFCode).trim()}`);
  }
  const icd = await resolveDiagnoses(tx, input, p);
  const lines = await resolveLines(tx, input, facility, p);
  p.throwIfAny();
  assertFacilityAllowed(ctx, facility!);

  const claimed = lines.reduce((sum, l) => sum + Math.round(l.price * l.quantity * 100), 0) / 100;
  return {
    facility: facility!,
    lines,
    header: {
      ...input.values,
      InsureeID: insuree!.InsureeID,
      HFID: facility!.HfID,
      ClaimAdminId: admin!.ClaimAdminId,
      ICDID: icd[0] ?? null,
      ICDID1: icd[1] ?? null,
      ICDID2: icd[2] ?? null,
      ICDID3: icd[3] ?? null,
      ICDID4: icd[4] ?? null,
      Claimed: claimed,
      // smalldatetime on SQL Server, where a bare yyyy-mm-dd depends on the session's DATEFORMAT;
      // the ISO 8601 date-time form reads the same in every language (and as a date on PostgreSQL).
      DateFrom: isoDay(input.values.DateFrom),
      DateTo: isoDay(input.values.DateTo),
    },
  };
}

async function resolveDiagnoses(tx: Knex, input: ClaimInput, p: Problems): Promise<number[]> {
  const codes = [...new Set(input.diagnoses.map((d) => d.code))];
  if (codes.length === 0) return [];
  const rows: Row[] = await tx('tblICDCodes').whereIn('ICDCode', codes).whereNull('ValidityTo').select('ICDID', 'ICDCode');
  const byCode = new Map(rows.map((r) => [String(r.ICDCode).trim(), Number(r.ICDID)]));
  const ids: number[] = [];
  for (const d of input.diagnoses) {
    const id = byCode.get(d.code);
    if (id === undefined) p.add(d.expression, `"${d.code}" is not a current ICD code`, 'code-invalid');
    else ids.push(id);
  }
  return ids;
}

/** One query per register for the lines' items or services, one for the facility's price-list overrides. */
async function resolveLines(tx: Knex, input: ClaimInput, facility: Row | undefined, p: Problems): Promise<ResolvedLine[]> {
  const out: ResolvedLine[] = [];
  for (const kind of ['item', 'service'] as const) {
    const register = REGISTERS[kind];
    const lines = input.lines.filter((l) => l.kind === kind);
    if (lines.length === 0) continue;
    const candidates = lines.map((line) => candidatesOf(line, register, input));
    const { uuids, codes } = splitIds(candidates.flat());
    const rows: Row[] = await tx(register.table)
      .whereNull('ValidityTo')
      .where((q) => {
        q.whereRaw('1 = 0');
        if (uuids.length) q.orWhereIn(register.uuid, uuids);
        if (codes.length) q.orWhereIn(register.code, codes);
      })
      .select(register.pk, register.uuid, register.code, register.price);
    const byId = new Map<string, Row>();
    for (const row of rows) {
      byId.set(String(row[register.uuid]).toLowerCase(), row);
      byId.set(String(row[register.code]).trim(), row);
    }
    const found = lines.map((line, i) => {
      const row = candidates[i].map((c) => byId.get(c.toLowerCase()) ?? byId.get(c)).find((r) => r !== undefined);
      if (!row && candidates[i].length) p.add(`${line.expression}.extension[claim-item-reference]`, `names no current ${register.type} (${candidates[i].join(', ')})`);
      if (!row && !candidates[i].length) p.add(`${line.expression}.extension[claim-item-reference]`, `must reference a ${register.type}`);
      return row;
    });
    const overrides = await priceOverrides(tx, register, facility, found.filter((r): r is Row => !!r).map((r) => Number(r[register.pk])));
    lines.forEach((line, i) => {
      const row = found[i];
      if (!row) return;
      const id = Number(row[register.pk]);
      // uspUpdateClaimFromPhone: COALESCE(NULLIF(client price, 0), PriceOverule, register price).
      const price = line.price !== 0 ? line.price : (overrides.get(id) ?? Number(row[register.price]));
      out.push({ kind, refId: id, quantity: line.quantity, price });
    });
  }
  return out;
}

function candidatesOf(line: LineInput, register: Register, input: ClaimInput): string[] {
  if (line.ref) return referenceCandidates(line.ref, register.type, input.contained);
  return line.code ? [line.code] : [];
}

/** PriceOverule of the facility's current price list, by item/service id (NULL overrides left out). */
async function priceOverrides(tx: Knex, register: Register, facility: Row | undefined, ids: number[]): Promise<Map<number, number>> {
  const listId = facility?.[register.priceList.hfColumn];
  if (listId == null || ids.length === 0) return new Map();
  const { header, detail, key } = register.priceList;
  const rows: Row[] = await tx(`${detail} as d`)
    .join(`${header} as pl`, `pl.${key}`, `d.${key}`)
    .where(`pl.${key}`, listId)
    .whereNull('pl.ValidityTo')
    .whereNull('d.ValidityTo')
    .whereIn(`d.${register.pk}`, ids)
    .whereNotNull('d.PriceOverule')
    .select(`d.${register.pk} as id`, 'd.PriceOverule as price');
  return new Map(rows.map((r) => [Number(r.id), Number(r.price)]));
}

async function insertLines(tx: Knex.Transaction, claimId: number, lines: ResolvedLine[], audit: { userId: number; at: Date }) {
  for (const kind of ['item', 'service'] as const) {
    const register = REGISTERS[kind];
    const rows = lines
      .filter((l) => l.kind === kind)
      .map((l) => ({
        ClaimID: claimId,
        [register.pk]: l.refId,
        [register.status]: 1,
        ...(kind === 'item' ? { Availability: true } : {}),
        QtyProvided: l.quantity,
        PriceAsked: l.price,
        RejectionReason: 0,
        ValidityFrom: audit.at,
        ValidityTo: null,
        LegacyID: null,
        AuditUserID: audit.userId,
      }));
    // Claim lines have no UUID, so legacy-history's insertVersioned (which writes one) does not fit them.
    if (rows.length) await tx(register.lineTable.name).insert(rows);
  }
}

async function ensureUniqueCode(tx: Knex, code: string, facility: Row, except?: number) {
  const query = tx('tblClaim').where('ClaimCode', code).where('HFID', facility.HfID).whereNull('ValidityTo').first('ClaimID');
  if (except !== undefined) query.whereNot('ClaimID', except);
  if (await query) throw conflict(`Health facility ${String(facility.HFCode).trim()} already has a claim with code ${code}`);
}

const isoDay = (day: unknown) => (day ? `${String(day)}T00:00:00` : null);

/** The last day a claim date may name: tomorrow (UTC), which tolerates time zones ahead of the server. */
function dayAfter(at: Date): string {
  return new Date(at.getTime() + 86_400_000).toISOString().slice(0, 10);
}

const audit = (ctx: WriteContext) => ({ userId: ctx.caller.userId, at: ctx.at });
