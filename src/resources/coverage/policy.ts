/**
 * tblPolicy, shared by Coverage and Contract (two views of one openIMIS policy), with the joins both
 * need: the family and its head, the product and the enrolment officer. All on keys of current rows:
 * openIMIS history copies get keys of their own, so the references of a policy stay on current rows.
 */
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { projectFile } from '../../paths.js';
import type { RequestContext, VersionedTable } from '../../fhir/types.js';
import { scopeOf } from '../row-security.js';
import { versionedTable } from '../../db/legacy-history.js';

export const policyTable: VersionedTable = versionedTable('tblPolicy', 'PolicyID', 'PolicyUUID');

export function selectPolicy(db: Knex): Knex.QueryBuilder {
  return db('tblPolicy as t')
    .leftJoin('tblFamilies as f', 'f.FamilyID', 't.FamilyID')
    .leftJoin('tblInsuree as h', 'h.InsureeID', 'f.InsureeID')
    .leftJoin('tblProduct as p', 'p.ProdID', 't.ProdID')
    .leftJoin('tblOfficer as o', 'o.OfficerID', 't.OfficerID')
    .select(
      't.*',
      'f.FamilyUUID as family_uuid',
      'h.InsureeUUID as head_uuid',
      'h.CHFID as head_chfid',
      'h.LastName as head_last_name',
      'h.OtherNames as head_other_names',
      'p.ProdUUID as product_uuid',
      'p.ProductCode as product_code',
      'p.ProductName as product_name',
      'o.OfficerUUID as officer_uuid',
      'o.Code as officer_code',
    );
}

/** Row security: the policies of the families living in the caller's villages. */
export function policyScope(qb: Knex.QueryBuilder, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (scope.unrestricted) return;
  qb.whereIn('t.FamilyID', ctx.db('tblFamilies').select('FamilyID').whereIn('LocationId', scope.villageIds));
}

/** "John Mwangi": the display of the head of family in references. */
export function headName(row: Record<string, unknown>): string | undefined {
  const name = [row.head_other_names, row.head_last_name].filter((part) => part !== null && part !== undefined && part !== '').join(' ');
  return name || undefined;
}

export { dayOf } from '../insurance-plan/to-fhir.js';

/** The insurer: the openIMIS module's configuration-backed Organization (type ins). */
export const INSURER = { id: 'openIMIS-Implementation', code: 'openIMIS', name: 'openIMIS Implementation' };

/**
 * FHIR code → every legacy value mapped to it, for token search over a many-to-one mapping
 * (loadMapping's searchMap keeps one legacy value per code).
 */
export function legacyCodesByFhir(name: string): Record<string, (string | number)[]> {
  const file = JSON.parse(readFileSync(projectFile('mappings', `${name}.json`), 'utf8')) as { codes: { legacy: string | number; fhir: string }[] };
  const map: Record<string, (string | number)[]> = {};
  for (const code of file.codes) (map[code.fhir] ??= []).push(code.legacy);
  return map;
}
