/**
 * Organization ⇄ tblHF (openIMIS health facilities, type prov). Rights: 121101 find, 121102 add,
 * 121103 edit, 121104 delete. The insurer (type ins, Organization/openIMIS-Implementation) is
 * configuration, not a table row: see insurer.ts. Row security as openIMIS: facilities of the
 * caller's districts.
 *
 * Policy holders (type bus, tblPolicyHolder of the modular openIMIS's policyholder module) are a
 * second source of the type where the database has that table: policy-holder/index.ts. Organization
 * is then served over both tables (src/fhir/sources): reads find the table holding the id, searches
 * page over both, a body of type bus is a policy holder (read-only), any other one a facility.
 * Without the table, Organization is the health facilities alone, as before.
 */
import type { Organization } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import type { ResourceDeps } from '../deps.js';
import { structureDefinition } from '../ig.js';
import { HEALTH_FACILITY, hfTable, selectHealthFacility } from './table.js';
import { isBusiness } from './policy-holder/index.js';
import { organizationSearchParams } from './search-params.js';
import { hfToOrganization } from './to-fhir.js';
import { loadClaimAdmins } from './details.js';
import { insurerOrganization } from './insurer.js';
import { createHealthFacility, deleteHealthFacility, healthFacilityScope, updateHealthFacility } from './write.js';

const READ = [121101];
const INSURER: Organization = { ...insurerOrganization(), meta: { profile: [structureDefinition('openimis-insurance-organization')] } };

export function organizationResource(deps: ResourceDeps): ResourceDefinition<Organization> {
  return {
    type: 'Organization',
    // Named so that references into Organization say which table their keys are of (policy holders).
    source: HEALTH_FACILITY,
    takes: { rule: 'any type but bus', test: (organization) => !isBusiness(organization) },
    profile: structureDefinition('openimis-health-facility-organization'),
    table: hfTable,
    codeColumn: 'HFCode',
    select: selectHealthFacility,
    loadDetails: loadClaimAdmins,
    toFhir: (row) => hfToOrganization(row, deps.codes),
    searchParams: organizationSearchParams,
    scope: healthFacilityScope,
    // The insurer (type ins) that claims and eligibility responses name: Organization/openIMIS-Implementation.
    fixedInstances: () => [INSURER],
    rights: {
      read: READ,
      vread: READ,
      'search-type': READ,
      'history-instance': READ,
      'history-type': READ,
      create: [121102],
      update: [121103],
      delete: [121104],
    },
    // The facilities in memory (insurees' general practitioner) follow every change.
    create: (organization, ctx) => {
      deps.places.changedIn(ctx.tx);
      return createHealthFacility(organization, ctx, deps.codes);
    },
    update: (organization, current, ctx) => {
      deps.places.changedIn(ctx.tx);
      return updateHealthFacility(organization, current, ctx, deps.codes);
    },
    delete: (current, ctx) => {
      deps.places.changedIn(ctx.tx);
      return deleteHealthFacility(current, ctx);
    },
  };
}
