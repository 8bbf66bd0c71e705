/**
 * $validate (http://hl7.org/fhir/R4/resource-operation-validate.html) on every type: the FHIR R4
 * JSON schema, the core invariants and the type's profile. Answers an OperationOutcome, 200 either way.
 */
import type { OperationDefinition } from 'fhir/r4.js';
import type { Operation } from '../operations.js';
import { parameterValue } from '../operations.js';
import { badRequest, operationOutcome } from '../outcome.js';
import { checkResource } from '../validation/check.js';
import { isMultiSource, type AnyResourceDefinition, type ServedType } from '../types.js';
import { sourceForBody } from '../sources/interactions.js';
import { FhirError } from '../outcome.js';

/** The profile to check: the type's, or for a type over several tables the source the body belongs to. */
function definitionFor(def: ServedType | undefined, resource: unknown): AnyResourceDefinition | undefined {
  if (!def || !isMultiSource(def)) return def;
  try {
    return sourceForBody(def, resource);
  } catch (error) {
    // A body of no single kind is checked against R4 alone; the create would say why it is refused.
    if (error instanceof FhirError) return undefined;
    throw error;
  }
}

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'Resource-validate',
  url: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
  name: 'Validate',
  status: 'active',
  kind: 'operation',
  code: 'validate',
  resource: ['Resource'],
  system: false,
  type: true,
  instance: true,
  parameter: [
    { name: 'resource', use: 'in', min: 0, max: '1', type: 'Resource' },
    { name: 'mode', use: 'in', min: 0, max: '1', type: 'code' },
    { name: 'profile', use: 'in', min: 0, max: '1', type: 'uri' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'OperationOutcome' },
  ],
};

export const validateOperation: Operation = {
  name: 'validate',
  definition,
  // Validating changes nothing and reveals nothing stored: any authenticated user may.
  rights: [],
  types: '*',
  async handler(req) {
    const resource = req.resource ?? parameterValue(req.parameters, 'resource');
    if (!resource || typeof resource !== 'object') throw badRequest('$validate needs a resource: the body, or a "resource" parameter');
    const type = (resource as { resourceType?: string }).resourceType;
    if (req.def && type !== req.def.type) throw badRequest(`$validate on ${req.def.type} got a ${type ?? 'body without resourceType'}`);
    const profile = parameterValue(req.parameters, 'profile');
    const issues = checkResource(definitionFor(req.def, resource), resource, typeof profile === 'string' ? profile : undefined);
    return {
      status: 200,
      body: operationOutcome(
        issues.length ? issues : [{ severity: 'information', code: 'informational', diagnostics: 'The resource is valid' }],
      ),
    };
  },
};
