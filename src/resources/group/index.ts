/**
 * Group ⇄ tblFamilies (openIMIS family). Rights: 101001 search/read, 101002 add, 101003 edit,
 * 101004 delete (the module's empty-permission hole on reads is not copied).
 *
 * Row security: a restricted user sees (and writes) the families of his villages (scope.ts).
 *
 * Members are the current insurees of the family, loaded for a whole page in one query
 * (loadDetails, see members.ts), so the mapper stays per row and the page costs two queries.
 *
 * Search by the head's CHFID (identifier) and by member go through the insurees (search-params.ts).
 * Read by business code: Group/<head CHFID>, as the module reads a family (readAlias on the joined head).
 */
import type { Group } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import type { ResourceDeps } from '../deps.js';
import { structureDefinition } from '../ig.js';
import { familyTable, selectFamily } from './table.js';
import { groupSearchParams } from './search-params.js';
import { familyToGroup } from './to-fhir.js';
import { loadFamilyMembers } from './members.js';
import { villageDetails } from '../village-address.js';
import { familyScope } from './scope.js';
import { createFamily, deleteFamily, updateFamily } from './write.js';

export function groupResource(deps: ResourceDeps): ResourceDefinition<Group> {
  const addresses = villageDetails(deps.places, (row) => row.LocationId);
  return {
    type: 'Group',
    profile: structureDefinition('openimis-group'),
    table: familyTable,
    select: selectFamily,
    readAlias: (chfid) => ({ column: 'h.CHFID', value: chfid }),
    toFhir: (row) => familyToGroup(row, deps.codes),
    loadDetails: async (rows, ctx) => {
      await Promise.all([loadFamilyMembers(rows, ctx), addresses(rows, ctx)]);
    },
    searchParams: groupSearchParams,
    scope: familyScope,
    rights: {
      read: [101001],
      vread: [101001],
      'search-type': [101001],
      'history-instance': [101001],
      'history-type': [101001],
      create: [101002],
      update: [101003],
      delete: [101004],
    },
    create: (group, ctx) => createFamily(group, ctx, deps.codes),
    update: (group, current, ctx) => updateFamily(group, current, ctx, deps.codes),
    delete: deleteFamily,
  };
}
