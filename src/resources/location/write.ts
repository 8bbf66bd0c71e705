/**
 * Creating, updating and deleting locations the legacy way (history copy, then in-place change or
 * closing), in the request transaction. openIMIS rules kept: codes unique among current rows, a
 * location hangs under a location of the level above, regions and districts need the "create
 * region" right 121906, moving a location to another parent needs 121905, and a location that
 * anything current still points to is not deleted (openIMIS deleted the whole subtree; here the
 * client gets a 409 naming what is in the way).
 */
import type { Location } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Caller, RequestContext, Row, WriteContext } from '../../fhir/types.js';
import { conflict, forbidden, unprocessable } from '../../fhir/outcome.js';
import { deleteVersioned, insertVersioned, updateVersioned } from '../../db/legacy-history.js';
import { resolveReference, type LookupTable } from '../lookups.js';
import { assertLocationAllowed, scopeChanged, scopeOf } from '../row-security.js';
import { locationTable, PARENT_TYPE } from './table.js';
import { locationToRow, type LocationInput } from './from-fhir.js';

export const LOCATIONS: LookupTable = { table: 'tblLocations', pk: 'LocationId', uuid: 'LocationUUID', code: 'LocationCode' };

export const RIGHT_CREATE_REGION = 121906;
export const RIGHT_MOVE = 121905;

/** Current rows that keep a location alive: [table, column, what they are]. */
const DEPENDENTS: [string, string, string][] = [
  ['tblLocations', 'ParentLocationId', 'sub-locations'],
  ['tblHF', 'LocationId', 'health facilities'],
  ['tblFamilies', 'LocationId', 'families'],
  ['tblInsuree', 'CurrentVillage', 'insurees living there'],
  ['tblHFCatchment', 'LocationId', 'health facility catchment areas'],
  ['tblOfficerVillages', 'LocationId', 'enrolment officer villages'],
  ['tblOfficer', 'LocationId', 'enrolment officers'],
  ['tblProduct', 'LocationId', 'products'],
  ['tblPLItems', 'LocationId', 'item price lists'],
  ['tblPLServices', 'LocationId', 'service price lists'],
  ['tblPayer', 'LocationId', 'payers'],
];

const has = (caller: Caller, right: number) => caller.isAdmin || caller.rights.has(right);

/**
 * openIMIS location row security: users who may create regions (121906) see every location; others
 * their allowed locations (their districts or villages, what is below and what is above). History
 * copies are kept with their entity (LegacyID).
 */
export function locationScope(qb: Knex.QueryBuilder, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (scope.unrestricted || has(ctx.caller, RIGHT_CREATE_REGION)) return;
  qb.where((w) => w.whereIn('t.LocationId', scope.locationIds).orWhereIn('t.LegacyID', scope.locationIds));
}

export async function createLocation(location: Location, ctx: WriteContext): Promise<number> {
  const input = locationToRow(location);
  const type = String(input.values.LocationType);
  checkLevelRight(ctx.caller, type);
  await ensureUniqueCode(ctx, String(input.values.LocationCode));
  const parent = await resolveParent(ctx, input, type);
  checkParentInScope(ctx, parent);
  const { id } = await insertVersioned(
    ctx.tx,
    locationTable,
    { ...input.values, ParentLocationId: parent?.LocationId ?? null },
    { userId: ctx.caller.userId, at: ctx.at },
  );
  scopeChanged(ctx, { locations: [id, ...(parent ? [Number(parent.LocationId)] : [])] });
  return id;
}

export async function updateLocation(location: Location, current: Row, ctx: WriteContext): Promise<void> {
  const input = locationToRow(location);
  const type = String(input.values.LocationType);
  if (type !== String(current.LocationType).trim()) {
    throw unprocessable(
      `Location.physicalType: a ${current.LocationType} location cannot become ${type}; create a new location and move what it holds`,
      ['Location.physicalType'],
    );
  }
  checkLevelRight(ctx.caller, type);
  if (input.values.LocationCode !== current.LocationCode) await ensureUniqueCode(ctx, String(input.values.LocationCode));
  const parent = await resolveParent(ctx, input, type);
  const parentId = parent?.LocationId ?? null;
  if ((current.ParentLocationId ?? null) !== parentId) {
    if (!has(ctx.caller, RIGHT_MOVE)) throw forbidden(`Moving a location to another parent requires the openIMIS right ${RIGHT_MOVE}`);
    checkParentInScope(ctx, parent);
  }
  await updateVersioned(ctx.tx, locationTable, current, { ...input.values, ParentLocationId: parentId }, { userId: ctx.caller.userId, at: ctx.at });
  scopeChanged(ctx, { locations: [current.LocationId, current.ParentLocationId, parentId].filter((v) => v != null).map(Number) });
}

export async function deleteLocation(current: Row, ctx: WriteContext): Promise<void> {
  const id = Number(current.LocationId);
  const blockers: string[] = [];
  for (const [table, column, what] of DEPENDENTS) {
    const found = await ctx.tx(table).where(column, id).whereNull('ValidityTo').first(column);
    if (found) blockers.push(what);
  }
  if (blockers.length) {
    throw conflict(`Location ${current.LocationCode} still has current ${blockers.join(', ')}; move or delete them first`);
  }
  const at = await deleteVersioned(ctx.tx, locationTable, current, { userId: ctx.caller.userId, at: ctx.at });
  scopeChanged(ctx, { locations: [id, current.ParentLocationId].filter((v) => v != null).map(Number) });
  // openIMIS closes the users' district assignments with the district.
  if (String(current.LocationType).trim() === 'D') {
    await ctx.tx('tblUsersDistricts').where('LocationId', id).whereNull('ValidityTo').update({ ValidityTo: at });
  }
}

/** A new or moved location must hang under a location the caller may see (regions need 121906 anyway). */
function checkParentInScope(ctx: WriteContext, parent: Row | undefined) {
  if (parent && !has(ctx.caller, RIGHT_CREATE_REGION)) assertLocationAllowed(ctx, parent.LocationId, 'The parent location', 'locationIds');
}

function checkLevelRight(caller: Caller, type: string) {
  if ((type === 'R' || type === 'D') && !has(caller, RIGHT_CREATE_REGION)) {
    throw forbidden(`Writing regions and districts requires the openIMIS right ${RIGHT_CREATE_REGION}`);
  }
}

async function ensureUniqueCode(ctx: WriteContext, code: string) {
  const clash = await ctx.tx('tblLocations').where('LocationCode', code).whereNull('ValidityTo').first('LocationId');
  if (clash) throw conflict(`A location with code ${code} already exists`);
}

async function resolveParent(ctx: WriteContext, input: LocationInput, type: string): Promise<Row | undefined> {
  const parentType = PARENT_TYPE[type];
  if (parentType === null) {
    if (input.parent) throw unprocessable('Location.partOf: a region is not part of another location', ['Location.partOf']);
    return undefined;
  }
  if (!input.parent) {
    throw unprocessable(`Location.partOf: a location of type ${type} must be part of a location of type ${parentType}`, ['Location.partOf']);
  }
  const parent = await resolveReference(ctx.tx, input.parent, 'Location', LOCATIONS);
  if (!parent) throw unprocessable('Location.partOf names no current location', ['Location.partOf']);
  if (String(parent.LocationType).trim() !== parentType) {
    throw unprocessable(
      `Location.partOf: a location of type ${type} must be part of a location of type ${parentType}, not ${parent.LocationType}`,
      ['Location.partOf'],
    );
  }
  return parent;
}
