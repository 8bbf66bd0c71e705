/** CodeSystem/$validate-code and ValueSet/$validate-code over the openIMIS terminology (src/terminology). */
import { validateCodeOperation as validateCode } from '../fhir/operations/validate-code.js';
import { openimisTerminology } from '../terminology/service.js';
import { IG_BASE } from '../terminology/catalogue.js';

export const validateCodeOperation = validateCode(openimisTerminology, { definitionUrl: `${IG_BASE}/OperationDefinition/validate-code` });
