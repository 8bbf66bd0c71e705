/**
 * Location ⇄ tblLocations (openIMIS regions, districts, wards, villages). Rights: 121901 find,
 * 121902 add, 121903 edit, 121904 delete (plus 121906 for regions and districts, 121905 to move).
 * Health facilities are Organization resources (type prov), not Location sites. Row security as
 * openIMIS: a user without 121906 sees its locations, everything below them and their ancestors.
 */
import type { Location } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import type { ResourceDeps } from '../deps.js';
import { structureDefinition } from '../ig.js';
import { locationTable, selectLocation } from './table.js';
import { locationSearchParams } from './search-params.js';
import { rowToLocation } from './to-fhir.js';
import { createLocation, deleteLocation, locationScope, updateLocation } from './write.js';

const READ = [121901];

export function locationResource(deps: Pick<ResourceDeps, 'places'>): ResourceDefinition<Location> {
  const { places } = deps;
  return {
    type: 'Location',
    profile: structureDefinition('openimis-location'),
    table: locationTable,
    codeColumn: 'LocationCode',
    select: selectLocation,
    toFhir: (row) => rowToLocation(row),
    searchParams: locationSearchParams,
    scope: locationScope,
    rights: {
      read: READ,
      vread: READ,
      'search-type': READ,
      'history-instance': READ,
      'history-type': READ,
      create: [121902],
      update: [121903],
      delete: [121904],
    },
    // The places in memory (addresses of insurees and families) follow every change.
    create: (location, ctx) => {
      places.changedIn(ctx.tx);
      return createLocation(location, ctx);
    },
    update: (location, current, ctx) => {
      places.changedIn(ctx.tx);
      return updateLocation(location, current, ctx);
    },
    delete: (current, ctx) => {
      places.changedIn(ctx.tx);
      return deleteLocation(current, ctx);
    },
  };
}
