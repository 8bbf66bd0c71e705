/**
 * tblInsuree row (with its joins) → Patient, in the wire format of the openIMIS FHIR module
 * (identifiers UUID and Code = CHFID, the patient-* extensions) with its defects fixed: canonical
 * URLs, a real marital-status system, MIME photo types, the relationship without a wrong name.
 */
import type { Address, Attachment, Extension, Patient } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import type { CodeTables } from '../code-tables.js';
import { loadMapping } from '../mappings.js';
import { codeSystem, codeable, identifier, reference, structureDefinition } from '../ig.js';
import { BoundedMap } from '../../fhir/bounded-map.js';

const gender = loadMapping('gender');
const marital = loadMapping('marital-status');

const PHOTO_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', bmp: 'image/bmp' };

export interface PatientMapperDeps {
  codes: CodeTables;
  /** Base URL under which insuree photos are published (SITE_URL). */
  photoBaseUrl: string;
}

export function insureeToPatient(row: Row, deps: PatientMapperDeps): Patient {
  const uuid = String(row.InsureeUUID).toLowerCase();
  const patient: Patient = {
    resourceType: 'Patient',
    id: uuid,
    extension: extensions(row, deps),
    identifier: [identifier('UUID', uuid), ...(row.CHFID ? [identifier('Code', row.CHFID)] : [])],
    name: [{ use: 'usual', family: text(row.LastName), given: row.OtherNames ? [String(row.OtherNames)] : undefined }],
  };
  const telecom = [
    row.Phone ? { system: 'phone' as const, value: String(row.Phone), use: 'home' as const } : undefined,
    row.Email ? { system: 'email' as const, value: String(row.Email), use: 'home' as const } : undefined,
  ].filter((t) => t !== undefined);
  if (telecom.length) patient.telecom = telecom;
  patient.gender = (gender.toCode(row.Gender) as Patient['gender']) ?? 'unknown';
  if (row.DOB) patient.birthDate = String(row.DOB);
  const address = addressOf(row);
  if (address) patient.address = [address];
  const maritalStatus = marital.toCoding(row.Marital);
  if (maritalStatus) patient.maritalStatus = { coding: [maritalStatus] };
  const photo = photoOf(row, deps.photoBaseUrl);
  if (photo) patient.photo = [photo];
  // The openIMIS relationship is the insuree's relation to the head of the family: the head is the
  // contact (the module named the insuree itself there).
  const relation = deps.codes.label('relation', row.Relationship);
  if (relation && row.head_last_name && row.head_id !== row.InsureeID) {
    patient.contact = [
      {
        relationship: [codeable(codeSystem('patient-contact-relationship'), row.Relationship, relation)],
        name: { use: 'usual', family: String(row.head_last_name), ...(row.head_other_names ? { given: [String(row.head_other_names)] } : {}) },
      },
    ];
  }
  if (row.hf_uuid) patient.generalPractitioner = [reference('Organization', String(row.hf_uuid).toLowerCase(), text(row.hf_code))];
  return patient;
}

function extensions(row: Row, deps: PatientMapperDeps): Extension[] {
  const list: Extension[] = [
    { url: structureDefinition('patient-is-head'), valueBoolean: Boolean(row.IsHead) },
    { url: structureDefinition('patient-card-issued'), valueBoolean: Boolean(row.CardIssued) },
  ];
  if (row.family_uuid) {
    list.push({ url: structureDefinition('patient-group-reference'), valueReference: reference('Group', String(row.family_uuid).toLowerCase()) });
  }
  if (row.Vulnerability !== null && row.Vulnerability !== undefined) {
    list.push({ url: structureDefinition('patient-vulnerability-status'), valueBoolean: Boolean(row.Vulnerability) });
  }
  const education = deps.codes.label('education', row.Education);
  if (education) {
    list.push({ url: structureDefinition('patient-education-level'), valueCodeableConcept: codeable(codeSystem('patient-education-level'), row.Education, education) });
  }
  const profession = deps.codes.label('profession', row.Profession);
  if (profession) {
    list.push({ url: structureDefinition('patient-profession'), valueCodeableConcept: codeable(codeSystem('patient-profession'), row.Profession, profession) });
  }
  if (row.TypeOfId || row.passport) {
    const parts: Extension[] = [];
    if (row.passport) parts.push({ url: 'number', valueString: String(row.passport) });
    if (row.TypeOfId) {
      const label = deps.codes.label('identificationType', row.TypeOfId);
      parts.push({ url: 'type', valueCodeableConcept: codeable(codeSystem('patient-identification-type'), String(row.TypeOfId).trim(), label) });
    }
    list.push({ url: structureDefinition('patient-identification'), extension: parts });
  }
  return list;
}

function addressOf(row: Row): Address | undefined {
  if (!row.village_uuid) return undefined;
  const current = Number(row.CurrentVillage) > 0;
  const addressText = current ? row.CurrentAddress : row.family_address;
  return {
    extension: [
      ...(row.ward_name ? [{ url: structureDefinition('address-municipality'), valueString: String(row.ward_name) }] : []),
      {
        url: structureDefinition('address-location-reference'),
        valueReference: reference('Location', String(row.village_uuid).toLowerCase(), text(row.village_code)),
      },
    ],
    use: current ? 'temp' : 'home',
    type: 'physical',
    ...(addressText ? { text: String(addressText) } : {}),
    ...(row.village_name ? { city: String(row.village_name) } : {}),
    ...(row.district_name ? { district: String(row.district_name) } : {}),
    ...(row.region_name ? { state: String(row.region_name) } : {}),
  };
}

// A scheme keeps its photos in a handful of folders: each is normalised once, not on every read.
const photoFolders = new BoundedMap<string, string>(1000);
/** openIMIS folders are Windows paths (Images\Updated\): as URL segments, without edge slashes. */
function photoFolder(folder: string): string {
  let segment = photoFolders.get(folder);
  if (segment === undefined) photoFolders.set(folder, (segment = folder.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '')));
  return segment;
}

function photoOf(row: Row, baseUrl: string): Attachment | undefined {
  if (!row.photo_file) return undefined;
  const file = String(row.photo_file);
  const folder = photoFolder(String(row.photo_folder ?? ''));
  const extension = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return {
    contentType: PHOTO_TYPES[extension] ?? 'application/octet-stream',
    url: `${baseUrl}/photo/${folder ? `${folder}/` : ''}${encodeURIComponent(file)}`,
    title: file,
    ...(row.photo_date ? { creation: String(row.photo_date) } : {}),
  };
}

const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));
