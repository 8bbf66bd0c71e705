/**
 * Medication ⇄ tblItems (openIMIS medical items: medicines and consumables). Rights: 122101 read and
 * search, 122102 add, 122103 edit, 122104 delete.
 */
import type { Medication } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { itemTable, selectItem } from './table.js';
import { medicationSearchParams } from './search-params.js';
import { itemToMedication } from './to-fhir.js';
import { createItem, deleteItem, updateItem } from './write.js';

const READ = [122101];

export function medicationResource(): ResourceDefinition<Medication> {
  return {
    type: 'Medication',
    profile: structureDefinition('openimis-medication'),
    table: itemTable,
    codeColumn: 'ItemCode',
    select: selectItem,
    toFhir: (row, ctx) => itemToMedication(row, ctx),
    searchParams: medicationSearchParams,
    rights: {
      read: READ,
      vread: READ,
      'search-type': READ,
      'history-instance': READ,
      'history-type': READ,
      create: [122102],
      update: [122103],
      delete: [122104],
    },
    create: createItem,
    update: updateItem,
    delete: deleteItem,
  };
}
