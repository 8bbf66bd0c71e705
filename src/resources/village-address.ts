/**
 * The village an address points at, with the ward, district and region above it, and the health
 * facility a row names: set on each row of a page from the in-memory places (places.ts) as the
 * columns the Patient and Group mappers read (village_uuid, village_code, village_name, ward_name,
 * district_name, region_name; hf_uuid, hf_code). One place, so the chain is written once.
 */
import type { Row } from '../fhir/types.js';
import type { PlaceLookup, Places } from './places.js';

/** The address columns of one row, from the village `villageId` (none when it is unknown). */
export function setVillageChain(row: Row, villageId: unknown, places: PlaceLookup): void {
  const village = places.location(villageId);
  const ward = village && places.location(village.parentId);
  const district = ward && places.location(ward.parentId);
  const region = district && places.location(district.parentId);
  row.village_uuid = village?.uuid ?? null;
  row.village_code = village?.code ?? null;
  row.village_name = village?.name ?? null;
  row.ward_name = ward?.name ?? null;
  row.district_name = district?.name ?? null;
  row.region_name = region?.name ?? null;
}

/** The facility columns of one row, from the facility key `facilityId`. */
export function setFacility(row: Row, facilityId: unknown, places: PlaceLookup): void {
  const facility = places.facility(facilityId);
  row.hf_uuid = facility?.uuid ?? null;
  row.hf_code = facility?.code ?? null;
}

/**
 * loadDetails for a page of rows: their villages (and facilities, when `facilityOf` is given) in
 * one lookup for the whole page.
 */
export function villageDetails(places: Places, villageOf: (row: Row) => unknown, facilityOf?: (row: Row) => unknown) {
  return async (rows: Row[], ctx: { db: import('knex').Knex }): Promise<void> => {
    const lookup = await places.lookup(ctx.db, {
      locations: rows.map(villageOf),
      facilities: facilityOf ? rows.map(facilityOf) : undefined,
    });
    for (const row of rows) {
      setVillageChain(row, villageOf(row), lookup);
      if (facilityOf) setFacility(row, facilityOf(row), lookup);
    }
  };
}
