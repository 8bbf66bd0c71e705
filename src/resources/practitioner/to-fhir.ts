/**
 * tblClaimAdmin / tblOfficer rows → Practitioner, in the wire format of the openIMIS FHIR module
 * (identifiers UUID and Code, qualification CA or EO from practitioner-qualification-type, the claim
 * administrator's facility in the extension `reference`) with canonical absolute URLs and references
 * by UUID like every other reference this server writes (the module wrote that one by code).
 */
import type { ContactPoint, Extension, HumanName, Practitioner } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { identifier, reference, structureDefinition } from '../ig.js';

export const qualification = loadMapping('practitioner-qualification');
export type Qualification = 'CA' | 'EO';

/** Extension of the module's claim-administrator Practitioner that names the health facility. */
export const FACILITY_EXTENSION = 'reference';

export function claimAdminToPractitioner(row: Row): Practitioner {
  const uuid = String(row.ClaimAdminUUID).toLowerCase();
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    id: uuid,
    ...(row.hf_uuid ? { extension: [facilityExtension(row)] } : {}),
    identifier: identifiers(uuid, row.ClaimAdminCode),
    active: true,
    ...person(row),
    qualification: [{ code: { coding: [qualification.toCoding('CA')!] } }],
  };
  return practitioner;
}

export function officerToPractitioner(row: Row): Practitioner {
  const uuid = String(row.OfficerUUID).toLowerCase();
  return {
    resourceType: 'Practitioner',
    id: uuid,
    identifier: identifiers(uuid, row.Code),
    active: officerActive(row),
    ...person(row),
    ...(row.permanentaddress ? { address: [{ use: 'home', type: 'physical', text: String(row.permanentaddress) }] } : {}),
    qualification: [{ code: { coding: [qualification.toCoding('EO')!] } }],
  };
}

/** An officer works until WorksTo (when set). */
export function officerActive(row: Row, now = new Date()): boolean {
  if (!row.WorksTo) return true;
  const until = row.WorksTo instanceof Date ? row.WorksTo : new Date(String(row.WorksTo));
  return Number.isNaN(until.getTime()) || until.getTime() >= now.getTime();
}

export function identifiers(uuid: string, code: unknown) {
  return [identifier('UUID', uuid), ...(code ? [identifier('Code', String(code).trim())] : [])];
}

function facilityExtension(row: Row): Extension {
  return {
    url: structureDefinition(FACILITY_EXTENSION),
    valueReference: reference('Organization', String(row.hf_uuid).toLowerCase(), row.hf_code ? String(row.hf_code) : undefined),
  };
}

/** Name, telecom and birth date: the same columns in both tables. */
export function person(row: Row): Pick<Practitioner, 'name' | 'telecom' | 'birthDate'> {
  const name: HumanName = { use: 'usual' };
  if (row.LastName) name.family = String(row.LastName);
  if (row.OtherNames) name.given = [String(row.OtherNames)];
  return {
    ...(name.family || name.given ? { name: [name] } : {}),
    ...telecomOf(row),
    ...(row.DOB ? { birthDate: String(row.DOB) } : {}),
  };
}

export function telecomOf(row: Row): { telecom?: ContactPoint[] } {
  const telecom: ContactPoint[] = [];
  if (row.Phone) telecom.push({ system: 'phone', value: String(row.Phone), use: 'work' });
  if (row.EmailId) telecom.push({ system: 'email', value: String(row.EmailId), use: 'work' });
  return telecom.length ? { telecom } : {};
}
