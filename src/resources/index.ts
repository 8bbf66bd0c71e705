/** The resource registration list: adding a type is a new folder and one line here. */
import type { AnyResourceDefinition } from '../fhir/types.js';
import type { ResourceDeps } from './deps.js';
import { Places } from './places.js';
import { patientResource } from './patient/index.js';
import { auditEventResource } from './audit-event/index.js';
import { locationResource } from './location/index.js';
import { organizationResource } from './organization/index.js';
import { policyHolderSource } from './organization/policy-holder/index.js';
import { POLICY_HOLDER_TABLE } from './organization/policy-holder/table.js';
import { insurancePlanResource } from './insurance-plan/index.js';
import { groupResource } from './group/index.js';
import { coverageResource } from './coverage/index.js';
import { contractResource } from './contract/index.js';
import { medicationResource } from './medication/index.js';
import { activityDefinitionResource } from './activity-definition/index.js';
import { claimResource } from './claim/index.js';
import { ATTACHMENT_TABLE } from './claim/attachments.js';
import { claimResponseResource } from './claim-response/index.js';
import { officerPractitionerSource, practitionerResource } from './practitioner/index.js';
import { officerPractitionerRoleSource, practitionerRoleResource } from './practitioner-role/index.js';
import { communicationResource } from './communication/index.js';
import { communicationRequestResource } from './communication-request/index.js';
import { codeSystemDefinition, valueSetDefinition } from '../terminology/resources.js';

/** Without `places` (resources built apart from an app), locations are read for each request. */
export function createResources(options: Omit<ResourceDeps, 'places'> & { places?: Places }): AnyResourceDefinition[] {
  const deps: ResourceDeps = { ...options, places: options.places ?? new Places(undefined, 0) };
  return [
    patientResource(deps),
    groupResource(deps),
    locationResource(deps),
    organizationResource(deps),
    // Policy holders, a second source of Organization, where the modular table exists.
    ...(deps.optionalTables?.has(POLICY_HOLDER_TABLE) ? [policyHolderSource()] : []),
    // Two sources each: claim administrators (tblClaimAdmin) and enrolment officers (tblOfficer).
    practitionerResource(),
    officerPractitionerSource(),
    practitionerRoleResource(),
    officerPractitionerRoleSource(),
    claimResource({ attachments: deps.optionalTables?.has(ATTACHMENT_TABLE) ?? false }),
    claimResponseResource(),
    medicationResource(),
    activityDefinitionResource(),
    coverageResource(),
    contractResource(),
    insurancePlanResource(),
    communicationResource(),
    communicationRequestResource(),
    codeSystemDefinition(),
    valueSetDefinition(),
    auditEventResource,
  ];
}
