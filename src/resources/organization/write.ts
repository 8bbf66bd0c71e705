/**
 * Creating, updating and deleting health facilities the legacy way (history copy, then in-place
 * change or closing), in the request transaction. openIMIS rules kept: HF codes unique among current
 * rows, a facility sits in a district. Columns the resource does not carry (AccCode, OffLine) are
 * kept on update; OffLine is false on create.
 */
import type { Organization, Reference } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { RequestContext, Row, WriteContext } from '../../fhir/types.js';
import { conflict, unprocessable } from '../../fhir/outcome.js';
import { isUuid } from '../../fhir/store.js';
import { deleteVersioned, insertVersioned, updateVersioned } from '../../db/legacy-history.js';
import type { CodeTables } from '../code-tables.js';
import { resolveReference } from '../lookups.js';
import { LOCATIONS } from '../location/write.js';
import { assertLocationAllowed, scopeChanged, scopeOf } from '../row-security.js';
import { hfTable } from './table.js';
import { organizationToHf, type OrganizationInput } from './from-fhir.js';

const PRICE_LISTS = {
  items: { table: 'tblPLItems', pk: 'PLItemID', uuid: 'PLItemUUID', extension: 'organization-hf-items-price-list' },
  services: { table: 'tblPLServices', pk: 'PLServiceID', uuid: 'PLServiceUUID', extension: 'organization-hf-services-price-list' },
} as const;

/** openIMIS health facility row security: the facilities of the caller's districts. */
export function healthFacilityScope(qb: Knex.QueryBuilder, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (!scope.unrestricted) qb.whereIn('t.LocationId', scope.districtIds);
}

export async function createHealthFacility(organization: Organization, ctx: WriteContext, codes: CodeTables): Promise<number> {
  const input = organizationToHf(organization, codes);
  await ensureUniqueCode(ctx, String(input.values.HFCode));
  const { id } = await insertVersioned(ctx.tx, hfTable, { ...input.values, ...(await references(ctx, input)), OffLine: false }, {
    userId: ctx.caller.userId,
    at: ctx.at,
  });
  return id;
}

export async function updateHealthFacility(organization: Organization, current: Row, ctx: WriteContext, codes: CodeTables): Promise<void> {
  const input = organizationToHf(organization, codes);
  if (input.values.HFCode !== current.HFCode) await ensureUniqueCode(ctx, String(input.values.HFCode));
  await updateVersioned(ctx.tx, hfTable, current, { ...input.values, ...(await references(ctx, input)) }, { userId: ctx.caller.userId, at: ctx.at });
  // Its claim administrators (and users bound to it) see the facility's district.
  scopeChanged(ctx, { facilities: [Number(current.HfID)] });
}

/** openIMIS closes the facility only; its claims, claim administrators and catchments stay as history. */
export async function deleteHealthFacility(current: Row, ctx: WriteContext): Promise<void> {
  await deleteVersioned(ctx.tx, hfTable, current, { userId: ctx.caller.userId, at: ctx.at });
  scopeChanged(ctx, { facilities: [Number(current.HfID)] });
}

async function references(ctx: WriteContext, input: OrganizationInput): Promise<Row> {
  const district = await resolveDistrict(ctx, input);
  assertLocationAllowed(ctx, district, 'The district of this health facility', 'districtIds');
  return {
    LocationId: district,
    PLItemID: await resolvePriceList(ctx, input.itemsPriceList, PRICE_LISTS.items),
    PLServiceID: await resolvePriceList(ctx, input.servicesPriceList, PRICE_LISTS.services),
  };
}

async function ensureUniqueCode(ctx: WriteContext, code: string) {
  const clash = await ctx.tx('tblHF').where('HFCode', code).whereNull('ValidityTo').first('HfID');
  if (clash) throw conflict(`A health facility with code ${code} already exists`);
}

async function resolveDistrict(ctx: WriteContext, input: OrganizationInput): Promise<number> {
  const { reference, name, state } = input.district;
  if (reference) {
    const location = await resolveReference(ctx.tx, reference, 'Location', LOCATIONS);
    if (!location) throw unprocessable('Organization.address: address-location-reference names no current location', ['Organization.address']);
    if (String(location.LocationType).trim() !== 'D') {
      throw unprocessable(`Organization.address: a health facility sits in a district, not in a location of type ${location.LocationType}`, ['Organization.address']);
    }
    return Number(location.LocationId);
  }
  // The openIMIS module's way: the district by its name and its region's name.
  const query = ctx.tx('tblLocations as d').where('d.LocationType', 'D').where('d.LocationName', name!).whereNull('d.ValidityTo');
  if (state) {
    query.join('tblLocations as r', 'r.LocationId', 'd.ParentLocationId').where('r.LocationName', state).whereNull('r.ValidityTo');
  }
  const found: Row[] = await query.select('d.LocationId').limit(2);
  if (found.length !== 1) {
    const where = `district "${name}"${state ? ` in region "${state}"` : ''}`;
    throw unprocessable(
      found.length === 0 ? `Organization.address: no current ${where}` : `Organization.address: several districts match ${where}; use address-location-reference`,
      ['Organization.address'],
    );
  }
  return Number(found[0].LocationId);
}

async function resolvePriceList(
  ctx: WriteContext,
  ref: Reference | undefined,
  spec: (typeof PRICE_LISTS)[keyof typeof PRICE_LISTS],
): Promise<number | null> {
  if (!ref) return null;
  const element = `Organization.extension[${spec.extension}]`;
  const id = ref.identifier?.value ?? ref.reference?.split('/').pop();
  // Price list UUIDs are typed uuid on PostgreSQL: only a UUID may reach the query.
  const row = id && isUuid(id) ? await ctx.tx(spec.table).where(spec.uuid, id.toLowerCase()).whereNull('ValidityTo').first(spec.pk) : undefined;
  if (!row) throw unprocessable(`${element}: names no current price list (expected its UUID)`, [element]);
  return Number(row[spec.pk]);
}
