/**
 * tblClaimAdmin / tblOfficer rows → PractitionerRole, as the openIMIS FHIR module writes it: the same
 * id and identifiers as the Practitioner (the role lives on the practitioner's row), `practitioner`
 * pointing to it, `code` CA or EO; a claim administrator's facility as `organization`; an officer's
 * district and villages as `location` (the module showed the district only), his substitute in the
 * extension practitioner-role-substitution-reference, and WorksTo as period.end.
 */
import type { PractitionerRole, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { reference, structureDefinition } from '../ig.js';
import { identifiers, officerActive, qualification, telecomOf } from '../practitioner/to-fhir.js';
import { VILLAGES, type OfficerVillage } from './villages.js';

export const SUBSTITUTION_EXTENSION = 'practitioner-role-substitution-reference';

export function claimAdminToRole(row: Row): PractitionerRole {
  const uuid = String(row.ClaimAdminUUID).toLowerCase();
  return {
    resourceType: 'PractitionerRole',
    id: uuid,
    identifier: identifiers(uuid, row.ClaimAdminCode),
    active: true,
    practitioner: reference('Practitioner', uuid, code(row.ClaimAdminCode)),
    ...(row.hf_uuid ? { organization: reference('Organization', String(row.hf_uuid).toLowerCase(), code(row.hf_code)) } : {}),
    code: [{ coding: [qualification.toCoding('CA')!] }],
    ...telecomOf(row),
  };
}

export function officerToRole(row: Row): PractitionerRole {
  const uuid = String(row.OfficerUUID).toLowerCase();
  const villages = (row[VILLAGES] as OfficerVillage[] | undefined) ?? [];
  const location: Reference[] = [
    ...(row.location_uuid ? [reference('Location', String(row.location_uuid).toLowerCase(), code(row.location_code))] : []),
    ...villages.map((v) => reference('Location', v.uuid, v.code ?? undefined)),
  ];
  const role: PractitionerRole = {
    resourceType: 'PractitionerRole',
    id: uuid,
    ...(row.substitute_uuid
      ? { extension: [{ url: structureDefinition(SUBSTITUTION_EXTENSION), valueReference: reference('Practitioner', String(row.substitute_uuid).toLowerCase(), code(row.substitute_code)) }] }
      : {}),
    identifier: identifiers(uuid, row.Code),
    active: officerActive(row),
    ...(row.WorksTo ? { period: { end: new Date(row.WorksTo).toISOString() } } : {}),
    practitioner: reference('Practitioner', uuid, code(row.Code)),
    code: [{ coding: [qualification.toCoding('EO')!] }],
    ...(location.length ? { location } : {}),
    ...telecomOf(row),
  };
  return role;
}

const code = (value: unknown) => (value === null || value === undefined ? undefined : String(value).trim());
