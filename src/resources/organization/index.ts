/**
 * Organization ⇄ tblHF (openIMIS health facilities, type prov). Rights: 121101 find, 121102 add,
 * 121103 edit, 121104 delete. The insurer (type ins, Organization/openIMIS-Implementation) is
 * configuration, not a table row: see insurer.ts. Row security as openIMIS: facilities of the
 * caller's districts.
 *
 * Policy holders (type bus, the openIMIS module's `policyholder_PolicyHolder`) are not served. Our
 * references give no schema for that table: the legacy database has no policy-holder table (the
 * policyholder Django module creates its own, in neither database repository studied), and the
 * module reference describes only the FHIR side (trade name, address and contact as JSON, legal form
 * and activity codes from the policyholder module's configuration lists). Writing it as an optional
 * table would mean guessing its columns and types. Serving it would also need one FHIR type over two
 * tables (tblHF and the policy holders), the engine extension the enrolment officers wait for.
 */
import type { Organization } from 'fhir/r4.js';
import type { ResourceDefinition } from '../../fhir/types.js';
import type { ResourceDeps } from '../deps.js';
import { structureDefinition } from '../ig.js';
import { hfTable, selectHealthFacility } from './table.js';
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
