/** The resource registration list: adding a type is a new folder and one line here. */
import type { AnyResourceDefinition } from '../fhir/types.js';
import type { ResourceDeps } from './deps.js';
import { patientResource } from './patient/index.js';
import { auditEventResource } from './audit-event/index.js';
import { locationResource } from './location/index.js';
import { organizationResource } from './organization/index.js';
import { insurancePlanResource } from './insurance-plan/index.js';
import { groupResource } from './group/index.js';
import { coverageResource } from './coverage/index.js';
import { contractResource } from './contract/index.js';
import { medicationResource } from './medication/index.js';
import { activityDefinitionResource } from './activity-definition/index.js';
import { claimResource } from './claim/index.js';
import { ATTACHMENT_TABLE } from './claim/attachments.js';
import { claimResponseResource } from './claim-response/index.js';
import { practitionerResource } from './practitioner/index.js';
import { practitionerRoleResource } from './practitioner-role/index.js';
import { communicationResource } from './communication/index.js';
import { communicationRequestResource } from './communication-request/index.js';
import { codeSystemDefinition, valueSetDefinition } from '../terminology/resources.js';

export function createResources(deps: ResourceDeps): AnyResourceDefinition[] {
  return [
    patientResource(deps),
    groupResource(deps),
    locationResource(),
    organizationResource(deps),
    practitionerResource(),
    practitionerRoleResource(),
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
