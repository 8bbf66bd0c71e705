/**
 * Reading codes out of incoming CodeableConcepts the ways openIMIS clients write them: with the
 * canonical system, with the module's doubled-slash or relative variants, or with no system at all.
 * Shared by Location and Organization.
 */
import type { CodeableConcept, Coding } from 'fhir/r4.js';

/** Whether a system URL names the openIMIS code system `name`, whatever its spelling. */
export function isCodeSystem(system: string | undefined, name: string): boolean {
  return typeof system === 'string' && new RegExp(`(?:^|/)CodeSystem[/-]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.html)?$`).test(system);
}

/** The coding of the named code system, else the first coding without a system, else the first. */
export function codingOf(concept: CodeableConcept | undefined, name: string): Coding | undefined {
  const codings = concept?.coding ?? [];
  return codings.find((c) => isCodeSystem(c.system, name)) ?? codings.find((c) => !c.system) ?? codings[0];
}
