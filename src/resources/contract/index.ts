/**
 * Contract ⇄ tblPolicy with its contributions (tblPremium) and covered members (tblInsureePolicy).
 * Rights: 101201 (policy search) to read; 101202 (policy add) to create a new, idle policy.
 */
import type { Contract } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import { structureDefinition } from '../ig.js';
import { policyScope, policyTable, selectPolicy } from '../coverage/policy.js';
import { contractSearchParams } from './search-params.js';
import { policyToContract } from './to-fhir.js';
import { loadPolicyDetails } from './details.js';
import { createPolicy } from './write.js';

const READ = [101201];

export function contractResource(): ResourceDefinition<Contract> {
  return {
    type: 'Contract',
    profile: structureDefinition('openimis-contract'),
    table: policyTable,
    select: selectPolicy,
    scope: policyScope,
    loadDetails: loadPolicyDetails,
    toFhir: (row, ctx) => policyToContract(row, ctx.currency),
    searchParams: contractSearchParams,
    rights: {
      read: READ,
      vread: READ,
      'search-type': READ,
      'history-instance': READ,
      'history-type': READ,
      create: [101202],
    },
    create: createPolicy,
  };
}
