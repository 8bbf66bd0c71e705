/**
 * tblPolicyHolder row → Organization of type bus, as the openIMIS FHIR module's
 * policyHolderOrganisationConverter writes it: identifiers UUID and Code, name = trade name, telecom,
 * one physical address (line from the Address JSON's `address`, state / district / city and the
 * address-municipality extension from the location walk, address-location-reference to the
 * location), contact name from the ContactName JSON (`name`, `surname`), extensions
 * organization-ph-legal-form and organization-ph-activity. Canonical single-slash URLs.
 */
import type { Address, ContactPoint, Extension, Organization, OrganizationContact } from 'fhir/r4.js';
import type { Row } from '../../../fhir/types.js';
import { loadMapping } from '../../mappings.js';
import { identifier, reference, structureDefinition } from '../../ig.js';
import { ORGANIZATION_TYPE_SYSTEM } from '../to-fhir.js';
import { LOCATION_LEVELS } from './table.js';

const legalForm = loadMapping('organization-ph-legal-form');
const activity = loadMapping('organization-ph-activity');

export function policyHolderToOrganization(row: Row): Organization {
  const uuid = String(row.UUID).toLowerCase();
  const organization: Organization = {
    resourceType: 'Organization',
    id: uuid,
  };
  const extension = extensions(row);
  if (extension.length) organization.extension = extension;
  organization.identifier = [identifier('UUID', uuid), identifier('Code', String(row.PolicyHolderCode))];
  organization.type = [{ coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: 'bus', display: 'Non-Healthcare Business or Corporation' }] }];
  organization.name = String(row.TradeName ?? '');
  const telecom = telecomOf(row);
  if (telecom.length) organization.telecom = telecom;
  organization.address = [addressOf(row)];
  const contact = contactOf(row);
  if (contact) organization.contact = [contact];
  return organization;
}

function extensions(row: Row): Extension[] {
  const list: Extension[] = [];
  const form = legalForm.toCoding(row.LegalForm);
  if (form) list.push({ url: structureDefinition('organization-ph-legal-form'), valueCodeableConcept: { coding: [form] } });
  const kind = activity.toCoding(row.ActivityCode);
  if (kind) list.push({ url: structureDefinition('organization-ph-activity'), valueCodeableConcept: { coding: [kind] } });
  return list;
}

function telecomOf(row: Row): ContactPoint[] {
  const points: [ContactPoint['system'], unknown][] = [['phone', row.Phone], ['fax', row.Fax], ['email', row.Email]];
  return points.filter(([, value]) => text(value)).map(([system, value]) => ({ system, value: text(value)!, use: 'work' as const }));
}

function addressOf(row: Row): Address {
  const address: Address = { use: 'work', type: 'physical' };
  const extension: Extension[] = [];
  const line = text(json(row.Address)?.address);
  if (line) address.line = [line];
  // The location and its ancestors, each placed by its type as the module places them.
  for (const level of LOCATION_LEVELS) {
    const name = text(row[`l${level}_name`]);
    if (!name) continue;
    const type = text(row[`l${level}_type`]);
    if (type === 'R') address.state = name;
    else if (type === 'D') address.district = name;
    else if (type === 'W') extension.push({ url: structureDefinition('address-municipality'), valueString: name });
    else if (type === 'V') address.city = name;
  }
  if (row.location_uuid) {
    extension.push({
      url: structureDefinition('address-location-reference'),
      valueReference: reference('Location', String(row.location_uuid).toLowerCase(), text(row.location_code)),
    });
  }
  if (extension.length) address.extension = extension;
  return address;
}

function contactOf(row: Row): OrganizationContact | undefined {
  const name = json(row.ContactName);
  const given = text(name?.name);
  const family = text(name?.surname);
  if (!given && !family) return undefined;
  return {
    name: {
      use: 'usual',
      ...(family ? { family } : {}),
      ...(given ? { given: [given] } : {}),
      text: [given, family].filter(Boolean).join(' '),
    },
  };
}

/** JSON columns: objects from PostgreSQL (jsonb), text from SQL Server; anything else is no object. */
function json(value: unknown): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

const text = (value: unknown): string | undefined => {
  if (value === null || value === undefined || typeof value === 'object') return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
};
