/**
 * openIMIS row security (security-and-services.md §2.4): which locations and which health facility a
 * user's data access is limited to.
 * - a claim administrator (login = a current tblClaimAdmin code with HasLogin) sees its facility's claims
 *   and the facility's district;
 * - an enrolment officer (login = a current tblOfficer code with HasLogin) sees its villages;
 * - any other user sees the districts of tblUsersDistricts, with everything below them.
 * IMIS administrators, and every user when ROW_SECURITY is off, are not limited.
 */
import type { Knex } from 'knex';

export interface RowScope {
  /** No restriction at all. */
  unrestricted: boolean;
  /** Villages the user may see (insurees, families: where they live). */
  villageIds: number[];
  /** Districts the user may see (health facilities, claims by facility district). */
  districtIds: number[];
  /** Every allowed location id at any level (the districts/villages and their wards and regions above). */
  locationIds: number[];
  /** A user bound to one health facility sees only that facility's claims. */
  healthFacilityId: number | null;
}

export const UNRESTRICTED: RowScope = { unrestricted: true, villageIds: [], districtIds: [], locationIds: [], healthFacilityId: null };

interface LocationRow {
  LocationId: number;
  ParentLocationId: number | null;
  LocationType: string;
}

export async function loadScope(db: Knex, user: { userId: number; username: string; healthFacilityId: number | null }): Promise<RowScope> {
  const [claimAdmin, officer] = await Promise.all([
    db('tblClaimAdmin as ca')
      .join('tblHF as hf', 'hf.HfID', 'ca.HFId')
      .where('ca.ClaimAdminCode', user.username)
      .where('ca.HasLogin', true)
      .whereNull('ca.ValidityTo')
      .first('ca.HFId as hfId', 'hf.LocationId as districtId'),
    db('tblOfficer').where('Code', user.username).where('HasLogin', true).whereNull('ValidityTo').first('OfficerID'),
  ]);
  const locations: LocationRow[] = await db('tblLocations').whereNull('ValidityTo').select('LocationId', 'ParentLocationId', 'LocationType');
  const tree = new LocationTree(locations);

  let healthFacilityId = user.healthFacilityId;
  let roots: number[];
  if (claimAdmin) {
    healthFacilityId = claimAdmin.hfId;
    roots = [claimAdmin.districtId];
  } else if (officer) {
    const villages = await db('tblOfficerVillages').where('OfficerId', officer.OfficerID).whereNull('ValidityTo').pluck('LocationId');
    roots = villages.map(Number);
  } else {
    const districts = await db('tblUsersDistricts').where('UserID', user.userId).whereNull('ValidityTo').pluck('LocationId');
    roots = districts.map(Number);
  }
  const below = tree.withDescendants(roots);
  const above = tree.ancestors(roots);
  return {
    unrestricted: false,
    villageIds: below.filter((id) => tree.type(id) === 'V'),
    districtIds: [...below, ...above].filter((id) => tree.type(id) === 'D'),
    locationIds: [...new Set([...below, ...above])],
    healthFacilityId,
  };
}

class LocationTree {
  private readonly children = new Map<number, number[]>();
  private readonly byId = new Map<number, LocationRow>();

  constructor(rows: LocationRow[]) {
    for (const row of rows) {
      this.byId.set(row.LocationId, row);
      if (row.ParentLocationId != null) {
        const list = this.children.get(row.ParentLocationId) ?? [];
        list.push(row.LocationId);
        this.children.set(row.ParentLocationId, list);
      }
    }
  }

  type(id: number) {
    return this.byId.get(id)?.LocationType;
  }

  withDescendants(roots: number[]): number[] {
    const seen = new Set<number>();
    const stack = [...roots];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(this.children.get(id) ?? []));
    }
    return [...seen];
  }

  ancestors(roots: number[]): number[] {
    const out = new Set<number>();
    for (const root of roots) {
      let parent = this.byId.get(root)?.ParentLocationId;
      while (parent != null && !out.has(parent)) {
        out.add(parent);
        parent = this.byId.get(parent)?.ParentLocationId;
      }
    }
    return [...out];
  }
}
