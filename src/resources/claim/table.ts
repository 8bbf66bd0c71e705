/**
 * tblClaim and the joins a Claim or ClaimResponse needs: the insuree, the health facility and the
 * claim administrator (for their UUIDs and codes). Lines, diagnoses and the coverage come per page
 * from details.ts.
 */
import type { Knex } from 'knex';
import type { VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

export const claimTable: VersionedTable = versionedTable('tblClaim', 'ClaimID', 'ClaimUUID');

/** Claim lines keep history the same way, but have no UUID of their own (the name is never written). */
const lineTable = (name: string, pk: string): VersionedTable => ({ ...claimTable, name, pk, uuid: `${pk}_no_uuid` });
export const claimItemTable = lineTable('tblClaimItems', 'ClaimItemID');
export const claimServiceTable = lineTable('tblClaimServices', 'ClaimServiceID');

export function selectClaim(db: Knex): Knex.QueryBuilder {
  return db('tblClaim as t')
    .leftJoin('tblInsuree as i', 'i.InsureeID', 't.InsureeID')
    .leftJoin('tblHF as hf', 'hf.HfID', 't.HFID')
    .leftJoin('tblClaimAdmin as ca', 'ca.ClaimAdminId', 't.ClaimAdminId')
    .select(
      't.*',
      'i.InsureeUUID as insuree_uuid',
      'i.CHFID as insuree_chfid',
      'hf.HfUUID as hf_uuid',
      'hf.HFCode as hf_code',
      'ca.ClaimAdminUUID as admin_uuid',
      'ca.ClaimAdminCode as admin_code',
    );
}
