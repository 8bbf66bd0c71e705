/**
 * Coverage ⇄ tblPolicy (an openIMIS policy as insurance coverage). Read-only: policies are created
 * as Contracts. Rights: 101201 (policy search).
 */
import type { Coverage } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { policyScope, policyTable, selectPolicy } from './policy.js';
import { coverageSearchParams } from './search-params.js';
import { policyToCoverage } from './to-fhir.js';

const READ = [101201];

export function coverageResource(): ResourceDefinition<Coverage> {
  return {
    type: 'Coverage',
    profile: structureDefinition('openimis-coverage'),
    table: policyTable,
    select: selectPolicy,
    scope: policyScope,
    toFhir: (row) => policyToCoverage(row),
    searchParams: coverageSearchParams,
    rights: {
      read: READ,
      vread: READ,
      'search-type': READ,
      'history-instance': READ,
      'history-type': READ,
    },
  };
}
