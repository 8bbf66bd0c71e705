/**
 * The operation registration list: the engine's generic ones ($validate) and the openIMIS services
 * (one file each). Adding an operation is a new file and one line here.
 */
import type { Operation } from '../fhir/operations.js';
import { validateOperation } from '../fhir/operations/validate.js';
import { expandOperation } from './expand.js';
import { lookupOperation } from './lookup.js';
import { validateCodeOperation } from './validate-code.js';

export function createOperations(): Operation[] {
  return [validateOperation, expandOperation, lookupOperation, validateCodeOperation];
}
