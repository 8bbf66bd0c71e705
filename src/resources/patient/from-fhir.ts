/**
 * Patient → tblInsuree values, with every problem reported at once. Pure: references are returned
 * unresolved for write.ts to look up.
 */
import type { Address, Patient, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import type { CodeTables, CodeTableName } from '../code-tables.js';
import { loadMapping } from '../mappings.js';
import { Problems } from '../problems.js';
import { CODE_IDENTIFIER_TYPES, findExtension, identifierType } from '../ig.js';

const gender = loadMapping('gender');
const marital = loadMapping('marital-status');

export interface PatientInput {
  values: Row;
  isHead: boolean;
  family?: Reference;
  village?: Reference;
  addressText: string | null;
  facility?: Reference;
}

export function patientToInsuree(patient: Patient, codes: CodeTables): PatientInput {
  const p = new Problems();
  const chfid = patient.identifier?.find((id) => CODE_IDENTIFIER_TYPES.has(identifierType(id) ?? ''))?.value;
  const name = patient.name?.find((n) => n.use === 'usual') ?? patient.name?.[0];
  const ext = patient.extension;

  const values: Row = {
    CHFID: p.text('Patient.identifier[Code]', chfid, { max: 12, required: true }),
    LastName: p.text('Patient.name.family', name?.family, { max: 100, required: true }),
    OtherNames: p.text('Patient.name.given', name?.given?.join(' '), { max: 100, required: true }),
    DOB: p.date('Patient.birthDate', patient.birthDate, { required: true }),
    Gender: genderOf(patient.gender, p),
    Marital: maritalOf(patient, p),
    Phone: p.text('Patient.telecom[phone]', patient.telecom?.find((t) => t.system === 'phone')?.value, { max: 50 }),
    Email: p.text('Patient.telecom[email]', patient.telecom?.find((t) => t.system === 'email')?.value, { max: 100 }),
    CardIssued: p.boolean('Patient.extension[patient-card-issued]', findExtension(ext, 'patient-card-issued')?.valueBoolean, false),
    Vulnerability: p.boolean('Patient.extension[patient-vulnerability-status]', findExtension(ext, 'patient-vulnerability-status')?.valueBoolean, false),
    Education: codeOf(codes, 'education', findExtension(ext, 'patient-education-level')?.valueCodeableConcept?.coding?.[0]?.code, 'Patient.extension[patient-education-level]', p),
    Profession: codeOf(codes, 'profession', findExtension(ext, 'patient-profession')?.valueCodeableConcept?.coding?.[0]?.code, 'Patient.extension[patient-profession]', p),
    Relationship: relationshipOf(patient, codes, p),
    ...identificationOf(patient, codes, p),
  };
  if (values.DOB && String(values.DOB) > new Date().toISOString().slice(0, 10)) p.add('Patient.birthDate', 'is in the future');
  const isHead = p.boolean('Patient.extension[patient-is-head]', findExtension(ext, 'patient-is-head')?.valueBoolean, false);
  const address = physicalAddress(patient.address, p);
  if ((patient.generalPractitioner?.length ?? 0) > 1) p.add('Patient.generalPractitioner', 'at most one health facility');
  p.throwIfAny();

  return {
    values,
    isHead,
    family: findExtension(ext, 'patient-group-reference')?.valueReference,
    village: findExtension(address?.extension, 'address-location-reference')?.valueReference,
    addressText: address?.text?.trim() || null,
    facility: patient.generalPractitioner?.[0],
  };
}

function genderOf(value: Patient['gender'], p: Problems) {
  if (value === undefined || value === 'unknown') return null;
  try {
    return gender.toLegacy(value);
  } catch {
    p.add('Patient.gender', `unknown code "${value}"; expected male, female, other or unknown`, 'code-invalid');
    return null;
  }
}

function maritalOf(patient: Patient, p: Problems) {
  const coding = patient.maritalStatus?.coding?.find((c) => !c.system || c.system === marital.system || /marital/i.test(c.system));
  if (!coding?.code) return null;
  try {
    return marital.toLegacy(coding.code);
  } catch {
    p.add('Patient.maritalStatus', `unknown code "${coding.code}"; expected ${marital.fhirCodes().join(', ')}`, 'code-invalid');
    return null;
  }
}

function codeOf(codes: CodeTables, table: CodeTableName, code: string | undefined, expression: string, p: Problems) {
  if (code === undefined || code === null || code === '') return null;
  if (!codes.has(table, code)) {
    p.add(expression, `unknown code "${code}"; expected one of ${codes.codes(table).map(([c]) => c).join(', ')}`, 'code-invalid');
    return null;
  }
  return /^\d+$/.test(code) ? Number(code) : code;
}

function relationshipOf(patient: Patient, codes: CodeTables, p: Problems) {
  const coding = patient.contact?.[0]?.relationship?.[0]?.coding?.[0];
  if (!coding) return null;
  // The openIMIS module looked relationships up by display; accept a display when no code is given.
  const code = coding.code ?? codes.codes('relation').find(([, label]) => label === coding.display)?.[0];
  return codeOf(codes, 'relation', code, 'Patient.contact.relationship', p);
}

function identificationOf(patient: Patient, codes: CodeTables, p: Problems): Row {
  const identification = findExtension(patient.extension, 'patient-identification');
  const number = identification?.extension?.find((e) => e.url === 'number')?.valueString;
  const type = identification?.extension?.find((e) => e.url === 'type')?.valueCodeableConcept?.coding?.[0]?.code;
  return {
    passport: p.text('Patient.extension[patient-identification].number', number, { max: 25 }),
    TypeOfId: codeOf(codes, 'identificationType', type, 'Patient.extension[patient-identification].type', p),
  };
}

function physicalAddress(addresses: Address[] | undefined, p: Problems): Address | undefined {
  const physical = (addresses ?? []).filter((a) => a.type !== 'postal');
  if (physical.length > 1) p.add('Patient.address', 'at most one physical address');
  const address = physical[0];
  if (address?.text && address.text.length > 200) p.add('Patient.address.text', 'must be at most 200 characters', 'too-long');
  return address;
}
