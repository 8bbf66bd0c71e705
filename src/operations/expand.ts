/** ValueSet/$expand over the openIMIS terminology (src/terminology): IG value sets, code tables, diagnoses paged in SQL. */
import { valueSetExpandOperation } from '../fhir/operations/expand.js';
import { openimisTerminology } from '../terminology/service.js';

export const expandOperation = valueSetExpandOperation(openimisTerminology);
