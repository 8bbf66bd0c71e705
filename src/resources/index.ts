/** The resource registration list: adding a type is a new folder and one line here. */
import type { AnyResourceDefinition } from '../fhir/types.js';
import type { ResourceDeps } from './deps.js';
import { patientResource } from './patient/index.js';

export function createResources(deps: ResourceDeps): AnyResourceDefinition[] {
  return [patientResource(deps)];
}
