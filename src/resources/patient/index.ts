/** Patient ⇄ tblInsuree (openIMIS insuree). Rights: 101101 search/read, 101102 add, 101103 edit, 101104 delete. */
import type { Patient } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import type { ResourceDeps } from '../deps.js';
import { structureDefinition } from '../ig.js';
import { insureeScope } from '../row-security.js';
import { insureeTable, insureeVillage, selectInsuree } from './table.js';
import { villageDetails } from '../village-address.js';
import { patientSearchParams } from './search-params.js';
import { insureeToPatient } from './to-fhir.js';
import { createInsuree, deleteInsuree, updateInsuree } from './write.js';

export function patientResource(deps: ResourceDeps): ResourceDefinition<Patient> {
  return {
    type: 'Patient',
    profile: structureDefinition('openimis-patient'),
    table: insureeTable,
    codeColumn: 'CHFID',
    select: selectInsuree,
    toFhir: (row) => insureeToPatient(row, deps),
    loadDetails: villageDetails(deps.places, insureeVillage, (row) => row.HFID),
    searchParams: patientSearchParams,
    scope: insureeScope,
    rights: {
      read: [101101],
      vread: [101101],
      'search-type': [101101],
      'history-instance': [101101],
      'history-type': [101101],
      create: [101102],
      update: [101103],
      delete: [101104],
    },
    create: (patient, ctx) => createInsuree(patient, ctx, deps.codes),
    update: (patient, current, ctx) => updateInsuree(patient, current, ctx, deps.codes),
    delete: deleteInsuree,
  };
}
