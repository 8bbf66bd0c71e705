/** CodeSystem/$lookup over the openIMIS terminology (src/terminology): display and the French designation of a code. */
import { codeSystemLookupOperation } from '../fhir/operations/lookup.js';
import { openimisTerminology } from '../terminology/service.js';

export const lookupOperation = codeSystemLookupOperation(openimisTerminology);
