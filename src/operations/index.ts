/**
 * The operation registration list: the engine's generic ones ($validate) and the openIMIS services
 * (one file each). Adding an operation is a new file and one line here.
 */
import type { Operation } from '../fhir/operations.js';
import { validateOperation } from '../fhir/operations/validate.js';

export function createOperations(): Operation[] {
  return [validateOperation];
}
