/**
 * ActivityDefinition ⇄ tblServices (openIMIS medical services). Rights: 121401 read and search,
 * 121402 add, 121403 edit, 121404 delete.
 */
import type { ActivityDefinition } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { selectService, serviceTable } from './table.js';
import { activityDefinitionSearchParams } from './search-params.js';
import { serviceToActivityDefinition } from './to-fhir.js';
import { createService, deleteService, updateService } from './write.js';

const READ = [121401];

export function activityDefinitionResource(): ResourceDefinition<ActivityDefinition> {
  return {
    type: 'ActivityDefinition',
    profile: structureDefinition('openimis-activity-definition'),
    table: serviceTable,
    codeColumn: 'ServCode',
    select: selectService,
    toFhir: (row, ctx) => serviceToActivityDefinition(row, ctx),
    searchParams: activityDefinitionSearchParams,
    rights: {
      read: READ,
      vread: READ,
      'search-type': READ,
      'history-instance': READ,
      'history-type': READ,
      create: [121402],
      update: [121403],
      delete: [121404],
    },
    create: createService,
    update: updateService,
    delete: deleteService,
  };
}
