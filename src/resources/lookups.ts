/**
 * Resolving references from incoming resources to current legacy rows, by UUID or by business code,
 * the ways openIMIS clients send them ("Type/uuid", "Type/code", or type + identifier).
 */
import type { Knex } from 'knex';
import type { Reference } from 'fhir/r4.js';
import { isUuid } from '../fhir/store.js';
import { referenceId } from './ig.js';

export interface LookupTable {
  table: string;
  pk: string;
  uuid: string;
  code?: string;
  /** Extra condition, e.g. LocationType = 'V'. */
  where?: Record<string, unknown>;
}

export async function findCurrent(db: Knex, spec: LookupTable, id: string): Promise<Record<string, any> | undefined> {
  const query = db(spec.table).whereNull('ValidityTo').first();
  if (spec.where) query.where(spec.where);
  if (isUuid(id)) query.where(spec.uuid, id.toLowerCase());
  else if (spec.code) query.where(spec.code, id);
  else return undefined;
  return query;
}

export async function resolveReference(db: Knex, ref: Reference | undefined, type: string, spec: LookupTable) {
  const id = referenceId(ref, type);
  return id ? findCurrent(db, spec, id) : undefined;
}

export const FAMILIES: LookupTable = { table: 'tblFamilies', pk: 'FamilyID', uuid: 'FamilyUUID' };
export const VILLAGES: LookupTable = { table: 'tblLocations', pk: 'LocationId', uuid: 'LocationUUID', code: 'LocationCode', where: { LocationType: 'V' } };
export const FACILITIES: LookupTable = { table: 'tblHF', pk: 'HfID', uuid: 'HfUUID', code: 'HFCode' };
export const INSUREES: LookupTable = { table: 'tblInsuree', pk: 'InsureeID', uuid: 'InsureeUUID', code: 'CHFID' };

/** A current family by its UUID or, as openIMIS clients name it, by the CHFID of its head. */
export async function findFamily(db: Knex, id: string): Promise<Record<string, any> | undefined> {
  if (isUuid(id)) return findCurrent(db, FAMILIES, id);
  return db('tblFamilies as f')
    .join('tblInsuree as h', 'h.InsureeID', 'f.InsureeID')
    .where('h.CHFID', id)
    .whereNull('h.ValidityTo')
    .whereNull('f.ValidityTo')
    .first('f.*');
}
