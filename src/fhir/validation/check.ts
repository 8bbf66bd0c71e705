/**
 * How the engine applies validation: every create, update and patch result is checked against the
 * R4 schema, the core invariants and the type's profile before anything is written; errors are one
 * 422 OperationOutcome, warnings let the write through.
 */
import type { AnyResourceDefinition } from '../types.js';
import { invalidResource, type Issue } from '../outcome.js';
import { isValid, validateResource } from './index.js';

export function checkResource(def: AnyResourceDefinition | undefined, resource: unknown, profile?: string): Issue[] {
  return validateResource(resource, { profile: profile ?? def?.profile, relax: def?.acceptedDeviations });
}

export function assertValid(def: AnyResourceDefinition, resource: unknown): void {
  const issues = checkResource(def, resource);
  if (!isValid(issues)) invalidResourceError(issues);
}

function invalidResourceError(issues: Issue[]): never {
  throw invalidResource(issues.filter((i) => (i.severity ?? 'error') === 'error'));
}
