/**
 * The villages of a page of enrolment officers (tblOfficerVillages), in ONE query for the whole page.
 * History versions of an officer show his current villages: the assignments are closed and opened
 * as rows of their own, not copied with the officer.
 */
import type { RequestContext, Row } from '../../fhir/types.js';

export interface OfficerVillage {
  locationId: number;
  uuid: string;
  code: string | null;
  name: string | null;
}

export const VILLAGES = '_villages';

export async function loadOfficerVillages(rows: Row[], ctx: Pick<RequestContext, 'db'>): Promise<void> {
  const ids = [...new Set(rows.map((r) => Number(r.OfficerID)).filter(Number.isFinite))];
  const byOfficer = new Map<number, OfficerVillage[]>();
  for (let i = 0; i < ids.length; i += 1000) {
    const found: Row[] = await ctx
      .db('tblOfficerVillages as ov')
      .join('tblLocations as l', 'l.LocationId', 'ov.LocationId')
      .whereIn('ov.OfficerId', ids.slice(i, i + 1000))
      .whereNull('ov.ValidityTo')
      .orderBy('ov.OfficerId')
      .orderBy('l.LocationCode')
      .select('ov.OfficerId', 'l.LocationId', 'l.LocationUUID', 'l.LocationCode', 'l.LocationName');
    for (const v of found) {
      const list = byOfficer.get(Number(v.OfficerId)) ?? [];
      list.push({ locationId: Number(v.LocationId), uuid: String(v.LocationUUID).toLowerCase(), code: v.LocationCode ?? null, name: v.LocationName ?? null });
      byOfficer.set(Number(v.OfficerId), list);
    }
  }
  for (const row of rows) row[VILLAGES] = byOfficer.get(Number(row.OfficerID)) ?? [];
}
