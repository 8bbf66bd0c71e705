/**
 * Creating a policy from a Contract, the openIMIS way and in the request's transaction: a new idle
 * policy (status 1) of the family for the product, one tblInsureePolicy row per covered member and
 * one tblPremium row per contribution. Activation (status 2 and the effective dates once the
 * contributions cover the policy value) is the contribution workflow's business and is not done
 * here; see README.md.
 */
import type { Contract, Reference } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, VersionedTable, WriteContext } from '../../fhir/types.js';
import { conflict, unprocessable } from '../../fhir/outcome.js';
import { isUuid } from '../../fhir/store.js';
import { insertVersioned } from '../../db/legacy-history.js';
import { findFamily, resolveReference, type LookupTable } from '../lookups.js';
import { referenceId } from '../ig.js';
import { dayOf, policyTable } from '../coverage/policy.js';
import { assertLocationAllowed } from '../row-security.js';
import { contractToPolicy, type ContractInput } from './from-fhir.js';

const PRODUCTS: LookupTable = { table: 'tblProduct', pk: 'ProdID', uuid: 'ProdUUID', code: 'ProductCode' };
const OFFICERS: LookupTable = { table: 'tblOfficer', pk: 'OfficerID', uuid: 'OfficerUUID', code: 'Code' };
const PAYERS: LookupTable = { table: 'tblPayer', pk: 'PayerID', uuid: 'PayerUUID' };
const INSUREES: LookupTable = { table: 'tblInsuree', pk: 'InsureeID', uuid: 'InsureeUUID', code: 'CHFID' };
const premiumTable: VersionedTable = { ...policyTable, name: 'tblPremium', pk: 'PremiumId', uuid: 'PremiumUUID' };

/** Statuses of a policy that still holds (or will hold) the family's cover: idle, active, ready. */
const HOLDING = [1, 2, 16];

export async function createPolicy(contract: Contract, ctx: WriteContext): Promise<number> {
  const input = contractToPolicy(contract, { currency: ctx.currency, today: ctx.at.toISOString().slice(0, 10) });
  const { tx } = ctx;
  const family = await resolveFamily(tx, input.subject);
  assertLocationAllowed(ctx, family.LocationId, 'The family of this policy');
  const officer = await resolveReference(tx, input.officer, 'Practitioner', OFFICERS);
  if (!officer) throw unprocessable('author names no current enrolment officer', ['Contract.author']);
  const product = await resolveReference(tx, input.product, 'InsurancePlan', PRODUCTS);
  if (!product) throw unprocessable('valuedItem.entityReference names no current product', ['Contract.term.asset.valuedItem.entityReference']);
  checkProductDates(product, input.enrollDate);
  await checkProductArea(tx, product, family);
  const expiryDate = input.expiryDate ?? expiryOf(input.startDate, Number(product.InsurancePeriod));
  const members = await coveredMembers(tx, family, input.members);
  if (members.length > Number(product.MemberCount)) {
    throw unprocessable(`The product covers at most ${product.MemberCount} members; the policy names ${members.length}`, ['Contract.term.asset.typeReference']);
  }
  if (input.uuid && (await tx('tblPolicy').where('PolicyUUID', input.uuid).first('PolicyID'))) {
    throw conflict(`A policy with UUID ${input.uuid} already exists`);
  }
  const payers = await resolvePayers(tx, input);
  await checkNoOverlap(tx, family, product, input.startDate, expiryDate);

  const audit = { userId: ctx.caller.userId, at: ctx.at };
  const { id } = await insertVersioned(
    tx,
    policyTable,
    {
      ...(input.uuid ? { PolicyUUID: input.uuid } : {}),
      FamilyID: family.FamilyID,
      ProdID: product.ProdID,
      OfficerID: officer.OfficerID,
      EnrollDate: input.enrollDate,
      StartDate: input.startDate,
      EffectiveDate: null,
      ExpiryDate: expiryDate,
      PolicyValue: input.value,
      PolicyStage: input.stage,
      PolicyStatus: 1,
      isOffline: false,
    },
    audit,
  );
  if (members.length) {
    // tblInsureePolicy has no UUID: a plain insert, with the validity and audit columns of a current row.
    await tx('tblInsureePolicy').insert(
      members.map((m) => ({
        InsureeID: m.InsureeID,
        PolicyId: id,
        EnrollmentDate: input.enrollDate,
        StartDate: input.startDate,
        EffectiveDate: null,
        ExpiryDate: expiryDate,
        isOffline: false,
        ValidityFrom: ctx.at,
        ValidityTo: null,
        LegacyID: null,
        AuditUserID: ctx.caller.userId,
      })),
    );
  }
  for (const [index, premium] of input.premiums.entries()) {
    await insertVersioned(
      tx,
      premiumTable,
      {
        PolicyID: id,
        PayerID: payers[index] ?? null,
        Amount: premium.amount,
        Receipt: premium.receipt,
        PayDate: premium.payDate,
        PayType: premium.payType,
        isPhotoFee: premium.isPhotoFee,
        isOffline: false,
        ReportingId: null,
        // An instant, not a 'YYYY-MM-DD' text: SQL Server's datetime reads text by the session's DATEFORMAT.
        CreatedDate: ctx.at,
      },
      audit,
    );
  }
  return id;
}

/** A family by its UUID or, as openIMIS does, by the CHFID of its head; or its head as a Patient. */
async function resolveFamily(tx: Knex, subject: Reference | undefined): Promise<Row> {
  const type = subject?.type ?? /(?:^|\/)(Group|Patient)\/[^/]+$/.exec(subject?.reference ?? '')?.[1];
  if (type === 'Patient') {
    const head = await resolveReference(tx, subject, 'Patient', INSUREES);
    if (!head) throw unprocessable('subject names no current insuree', ['Contract.subject']);
    const family = await tx('tblFamilies').where('FamilyID', head.FamilyID).whereNull('ValidityTo').first();
    if (!family || family.InsureeID !== head.InsureeID) {
      throw unprocessable('A Patient subject must be the head of a family; name the family (Group) otherwise', ['Contract.subject']);
    }
    return family;
  }
  const id = referenceId(subject, 'Group');
  const family = id ? await findFamily(tx, id) : undefined;
  if (!family) throw unprocessable('subject names no current family (Group)', ['Contract.subject']);
  return family;
}

/** The product must be on sale on the enrolment day. */
function checkProductDates(product: Row, enrollDate: string) {
  const from = dayOf(product.DateFrom);
  const to = dayOf(product.DateTo);
  if ((from && enrollDate < from) || (to && enrollDate > to)) {
    throw unprocessable(`Product ${product.ProductCode} is on sale from ${from} to ${to}, not on ${enrollDate}`, ['Contract.issued']);
  }
}

/** A regional or district product is sold only to families living there. */
async function checkProductArea(tx: Knex, product: Row, family: Row) {
  if (!product.LocationId) return;
  const chain: Row | undefined = await tx('tblLocations as v')
    .leftJoin('tblLocations as w', 'w.LocationId', 'v.ParentLocationId')
    .leftJoin('tblLocations as d', 'd.LocationId', 'w.ParentLocationId')
    .where('v.LocationId', family.LocationId)
    .first('v.LocationId as village', 'w.LocationId as ward', 'd.LocationId as district', 'd.ParentLocationId as region');
  const area = [chain?.village, chain?.ward, chain?.district, chain?.region].map(Number);
  if (!area.includes(Number(product.LocationId))) {
    throw unprocessable(`Product ${product.ProductCode} is not sold where the family lives`, ['Contract.term.asset.valuedItem.entityReference']);
  }
}

/** The members named (each a current member of the family), or every current member. */
async function coveredMembers(tx: Knex, family: Row, named: Reference[] | undefined): Promise<Row[]> {
  const current: Row[] = await tx('tblInsuree').where('FamilyID', family.FamilyID).whereNull('ValidityTo').select('InsureeID', 'InsureeUUID', 'CHFID');
  if (!named) return current;
  const chosen = new Map<number, Row>();
  for (const [index, ref] of named.entries()) {
    const id = referenceId(ref, 'Patient');
    const member = current.find((m) => (id && isUuid(id) ? String(m.InsureeUUID).toLowerCase() === id.toLowerCase() : m.CHFID === id));
    if (!member) throw unprocessable(`typeReference[${index}] is not a current member of the family`, ['Contract.term.asset.typeReference']);
    chosen.set(Number(member.InsureeID), member);
  }
  return [...chosen.values()];
}

/** One holding policy of a product per family and period: a second one is a duplicate. */
async function checkNoOverlap(tx: Knex, family: Row, product: Row, start: string, expiry: string) {
  const clash = await tx('tblPolicy')
    .where({ FamilyID: family.FamilyID, ProdID: product.ProdID })
    .whereNull('ValidityTo')
    .whereIn('PolicyStatus', HOLDING)
    .where('StartDate', '<=', expiry)
    .where('ExpiryDate', '>=', start)
    .first('PolicyUUID');
  if (clash) throw conflict(`The family already holds policy ${String(clash.PolicyUUID).toLowerCase()} of product ${product.ProductCode} for that period`);
}

async function resolvePayers(tx: Knex, input: ContractInput): Promise<(number | null)[]> {
  const ids: (number | null)[] = [];
  for (const [index, premium] of input.premiums.entries()) {
    if (!premium.payer) {
      ids.push(null);
      continue;
    }
    const payer = await resolveReference(tx, premium.payer, 'Organization', PAYERS);
    if (!payer) throw unprocessable(`contract-premium[${index}].party names no current payer`, ['Contract.term.asset.extension']);
    ids.push(Number(payer.PayerID));
  }
  return ids;
}

/** The last day of a policy starting on `start` that lasts `months` months (as DATEADD: the day clamped to the month). */
export function expiryOf(start: string, months: number): string {
  const [y, m, d] = start.split('-').map(Number);
  const sameDay = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(sameDay.getUTCFullYear(), sameDay.getUTCMonth() + 1, 0)).getUTCDate();
  sameDay.setUTCDate(Math.min(d, lastDay) - 1);
  return sameDay.toISOString().slice(0, 10);
}
