/**
 * Practitioner → tblClaimAdmin / tblOfficer values, with every problem reported at once. Pure: the
 * facility reference is returned unresolved for write.ts to look up.
 */
import type { Practitioner, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { Problems } from '../problems.js';
import { CODE_IDENTIFIER_TYPES, findExtension, identifierType } from '../ig.js';
import { FACILITY_EXTENSION, qualification, type Qualification } from './to-fhir.js';

/** The qualification a Practitioner declares (CA or EO), if any: the module dispatched writes on it. */
export function declaredQualification(resource: { qualification?: Practitioner['qualification'] }): string | undefined {
  for (const q of resource.qualification ?? []) {
    const coding = q.code?.coding?.find((c) => !c.system || c.system === qualification.system) ?? q.code?.coding?.[0];
    if (coding?.code) return coding.code;
  }
  return undefined;
}

export interface PractitionerInput {
  values: Row;
  facility?: Reference;
}

export function practitionerToClaimAdmin(practitioner: Practitioner): PractitionerInput {
  const p = new Problems();
  checkQualification(practitioner, 'CA', p);
  const values: Row = {
    ClaimAdminCode: code(practitioner, p),
    ...personValues(practitioner, p),
    EmailId: p.text('Practitioner.telecom[email]', practitioner.telecom?.find((t) => t.system === 'email')?.value, { max: 200 }),
  };
  const facility = findExtension(practitioner.extension, FACILITY_EXTENSION)?.valueReference;
  p.throwIfAny();
  return { values, facility };
}

export function practitionerToOfficer(practitioner: Practitioner): PractitionerInput {
  const p = new Problems();
  checkQualification(practitioner, 'EO', p);
  const addresses = practitioner.address ?? [];
  if (addresses.length > 1) p.add('Practitioner.address', 'at most one address (the permanent address)');
  const values: Row = {
    Code: code(practitioner, p),
    ...personValues(practitioner, p),
    EmailId: p.text('Practitioner.telecom[email]', practitioner.telecom?.find((t) => t.system === 'email')?.value, { max: 200 }),
    permanentaddress: p.text('Practitioner.address.text', addresses[0]?.text, { max: 100 }),
  };
  p.throwIfAny();
  return { values };
}

function checkQualification(practitioner: Practitioner, expected: Qualification, p: Problems) {
  const declared = declaredQualification(practitioner);
  if (declared !== undefined && declared !== expected) {
    p.add('Practitioner.qualification', `is ${declared}; this Practitioner is a ${qualification.toCoding(expected)?.display} (${expected})`, 'code-invalid');
  }
}

function code(practitioner: Practitioner, p: Problems): string | null {
  const value = practitioner.identifier?.find((id) => CODE_IDENTIFIER_TYPES.has(identifierType(id) ?? ''))?.value;
  return p.text('Practitioner.identifier[Code]', value, { max: 8, required: true });
}

function personValues(practitioner: Practitioner, p: Problems): Row {
  const name = practitioner.name?.find((n) => n.use === 'usual') ?? practitioner.name?.[0];
  const phones = practitioner.telecom?.filter((t) => t.system === 'phone') ?? [];
  if (phones.length > 1) p.add('Practitioner.telecom', 'at most one phone number');
  const values: Row = {
    LastName: p.text('Practitioner.name.family', name?.family, { max: 100, required: true }),
    OtherNames: p.text('Practitioner.name.given', name?.given?.join(' '), { max: 100, required: true }),
    DOB: p.date('Practitioner.birthDate', practitioner.birthDate),
    Phone: p.text('Practitioner.telecom[phone]', phones[0]?.value, { max: 50 }),
  };
  if (values.DOB && String(values.DOB) > new Date().toISOString().slice(0, 10)) p.add('Practitioner.birthDate', 'is in the future');
  return values;
}
