/**
 * PractitionerRole → the role columns of tblClaimAdmin / tblOfficer, every problem reported at once.
 * Pure: references are returned unresolved for write.ts to look up. Only role elements are read; the
 * person (name, telecom, birth date) is written through Practitioner.
 */
import type { PractitionerRole, Reference } from 'fhir/r4.js';
import { Problems } from '../problems.js';
import { findExtension } from '../ig.js';
import { qualification, type Qualification } from '../practitioner/to-fhir.js';
import { SUBSTITUTION_EXTENSION } from './to-fhir.js';

export interface RoleInput {
  practitioner?: Reference;
}

export interface ClaimAdminRoleInput extends RoleInput {
  organization?: Reference;
}

export interface OfficerRoleInput extends RoleInput {
  locations: Reference[];
  substitute?: Reference;
  /** WorksTo, from period.end; null when absent. */
  worksTo: string | null;
}

export function roleToClaimAdmin(role: PractitionerRole): ClaimAdminRoleInput {
  const p = new Problems();
  checkCode(role, 'CA', p);
  if (role.location?.length) p.add('PractitionerRole.location', 'a claim administrator works at his health facility (organization), not at locations');
  if (findExtension(role.extension, SUBSTITUTION_EXTENSION)) p.add('PractitionerRole.extension', 'claim administrators have no substitute');
  p.throwIfAny();
  return { practitioner: role.practitioner, organization: role.organization };
}

export function roleToOfficer(role: PractitionerRole): OfficerRoleInput {
  const p = new Problems();
  checkCode(role, 'EO', p);
  if (role.organization) p.add('PractitionerRole.organization', 'an enrolment officer works in a district and its villages (location), not at a facility');
  const locations = role.location ?? [];
  if (!locations.length) p.add('PractitionerRole.location', 'the district of the officer is required (and his villages)', 'required');
  const end = role.period?.end;
  let worksTo: string | null = null;
  if (end !== undefined) {
    const ms = typeof end === 'string' && /^\d{4}-\d{2}-\d{2}/.test(end) ? Date.parse(end) : NaN;
    if (Number.isNaN(ms)) p.add('PractitionerRole.period.end', `"${String(end)}" is not a valid date or dateTime`);
    else worksTo = new Date(ms).toISOString();
  }
  p.throwIfAny();
  return { practitioner: role.practitioner, locations, substitute: findExtension(role.extension, SUBSTITUTION_EXTENSION)?.valueReference, worksTo };
}

function checkCode(role: PractitionerRole, expected: Qualification, p: Problems) {
  for (const concept of role.code ?? []) {
    const coding = concept.coding?.find((c) => !c.system || c.system === qualification.system);
    if (coding?.code && coding.code !== expected) {
      p.add('PractitionerRole.code', `is ${coding.code}; this role is ${qualification.toCoding(expected)?.display} (${expected})`, 'code-invalid');
    }
  }
}
