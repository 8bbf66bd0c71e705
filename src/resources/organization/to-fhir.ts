/**
 * tblHF row (with its joins and claim administrators) → Organization of type prov, in the wire
 * format of the openIMIS FHIR module (identifiers UUID and Code, extensions organization-hf-level,
 * organization-hf-legal-form, organization-hf-care-type, address with address-location-reference)
 * with its defects fixed: canonical single-slash URLs, the address extension references the
 * facility's district Location (the module pointed it at the facility itself), type `prov` with its
 * code system.
 */
import type { Address, ContactPoint, Extension, Organization, OrganizationContact } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import type { CodeTables } from '../code-tables.js';
import { loadMapping } from '../mappings.js';
import { codeSystem, codeable, identifier, reference, structureDefinition } from '../ig.js';
import type { ClaimAdminContact } from './details.js';

const level = loadMapping('organization-hf-level');
const careType = loadMapping('organization-hf-care-type');

export const ORGANIZATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/organization-type';
export const CONTACT_ENTITY_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/contactentity-type';
export const LEGAL_FORM_SYSTEM = codeSystem('organization-legal-form');
export const SUBLEVEL_SYSTEM = codeSystem('organization-hf-sublevel');

export function hfToOrganization(row: Row, codes: CodeTables): Organization {
  const uuid = String(row.HfUUID).toLowerCase();
  const organization: Organization = {
    resourceType: 'Organization',
    id: uuid,
    extension: extensions(row, codes),
    identifier: [identifier('UUID', uuid), ...(row.HFCode ? [identifier('Code', String(row.HFCode))] : [])],
    type: [{ coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: 'prov', display: 'Healthcare Provider' }] }],
    name: String(row.HFName ?? ''),
  };
  const telecom = telecomOf(row);
  if (telecom.length) organization.telecom = telecom;
  organization.address = [addressOf(row)];
  const contacts = ((row.claim_admins as ClaimAdminContact[] | undefined) ?? []).map(contactOf);
  if (contacts.length) organization.contact = contacts;
  return organization;
}

function extensions(row: Row, codes: CodeTables): Extension[] {
  const list: Extension[] = [];
  const legalForm = text(row.LegalForm);
  if (legalForm) {
    list.push({
      url: structureDefinition('organization-hf-legal-form'),
      valueCodeableConcept: codeable(LEGAL_FORM_SYSTEM, legalForm, codes.label('legalForm', legalForm)),
    });
  }
  const levelCoding = level.toCoding(row.HFLevel);
  if (levelCoding) list.push({ url: structureDefinition('organization-hf-level'), valueCodeableConcept: { coding: [levelCoding] } });
  const careCoding = careType.toCoding(row.HFCareType);
  if (careCoding) list.push({ url: structureDefinition('organization-hf-care-type'), valueCodeableConcept: { coding: [careCoding] } });
  const sublevel = text(row.HFSublevel);
  if (sublevel) {
    list.push({
      url: structureDefinition('organization-hf-sublevel'),
      valueCodeableConcept: codeable(SUBLEVEL_SYSTEM, sublevel, codes.label('hfSublevel', sublevel)),
    });
  }
  // The price lists have no FHIR resource of their own: logical references (UUID identifier + name).
  if (row.items_pl_uuid) {
    list.push({
      url: structureDefinition('organization-hf-items-price-list'),
      valueReference: { identifier: identifier('UUID', String(row.items_pl_uuid).toLowerCase()), ...(row.items_pl_name ? { display: String(row.items_pl_name) } : {}) },
    });
  }
  if (row.services_pl_uuid) {
    list.push({
      url: structureDefinition('organization-hf-services-price-list'),
      valueReference: { identifier: identifier('UUID', String(row.services_pl_uuid).toLowerCase()), ...(row.services_pl_name ? { display: String(row.services_pl_name) } : {}) },
    });
  }
  return list;
}

function telecomOf(row: Row): ContactPoint[] {
  const points: [ContactPoint['system'], unknown][] = [['phone', row.Phone], ['fax', row.Fax], ['email', row.eMail]];
  return points.filter(([, value]) => text(value)).map(([system, value]) => ({ system, value: text(value)!, use: 'work' as const }));
}

function addressOf(row: Row): Address {
  const address: Address = { use: 'work', type: 'physical' };
  if (row.district_uuid) {
    address.extension = [
      {
        url: structureDefinition('address-location-reference'),
        valueReference: reference('Location', String(row.district_uuid).toLowerCase(), text(row.district_code)),
      },
    ];
  }
  const line = text(row.HFAddress);
  if (line) address.line = [line];
  const district = text(row.district_name);
  if (district) address.district = district;
  const state = text(row.region_name);
  if (state) address.state = state;
  return address;
}

function contactOf(admin: ClaimAdminContact): OrganizationContact {
  const telecom: ContactPoint[] = [];
  if (admin.phone) telecom.push({ system: 'phone', value: admin.phone, use: 'work' });
  if (admin.email) telecom.push({ system: 'email', value: admin.email, use: 'work' });
  return {
    purpose: { coding: [{ system: CONTACT_ENTITY_TYPE_SYSTEM, code: 'PAYOR', display: 'Payor' }] },
    name: {
      use: 'usual',
      ...(admin.lastName ? { family: admin.lastName } : {}),
      ...(admin.otherNames ? { given: [admin.otherNames] } : {}),
      text: [admin.otherNames, admin.lastName].filter(Boolean).join(' '),
    },
    ...(telecom.length ? { telecom } : {}),
  };
}

const text = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
};
