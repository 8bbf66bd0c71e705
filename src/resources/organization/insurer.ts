/**
 * The insurer Organization (type `ins`) the openIMIS module builds from configuration, with the id
 * clients use as insurer/recipient: Organization/openIMIS-Implementation. It has no table row, so it
 * does not fit the table-backed ResourceDefinition contract (read by UUID or code column, search over
 * `t`, versions from ValidityFrom); it is built here as a pure function, ready for the engine to serve
 * as a read-only, configuration-backed instance once the contract allows one. Not registered yet.
 */
import type { Address, ContactPoint, Organization } from 'fhir/r4.js';
import { identifier, structureDefinition } from '../ig.js';
import { CONTACT_ENTITY_TYPE_SYSTEM, ORGANIZATION_TYPE_SYSTEM } from './to-fhir.js';

export interface InsurerConfig {
  id: string;
  code: string;
  name: string;
  email?: string;
  phone?: string;
  fax?: string;
  contactName?: string;
  address?: { line?: string; city?: string; municipality?: string; district?: string; state?: string };
}

/** The module's identity defaults; its fictitious contact and address defaults are not copied. */
export const DEFAULT_INSURER: InsurerConfig = { id: 'openIMIS-Implementation', code: 'openIMIS', name: 'openIMIS Implementation' };

export function insurerOrganization(config: Partial<InsurerConfig> = {}): Organization {
  const c: InsurerConfig = { ...DEFAULT_INSURER, ...config };
  const organization: Organization = {
    resourceType: 'Organization',
    id: c.id,
    identifier: [identifier('Code', c.code)],
    active: true,
    type: [{ coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: 'ins', display: 'Insurance Company' }] }],
    name: c.name,
  };
  const telecom: ContactPoint[] = [];
  if (c.email) telecom.push({ system: 'email', value: c.email, use: 'work' });
  if (c.phone) telecom.push({ system: 'phone', value: c.phone, use: 'work' });
  if (c.fax) telecom.push({ system: 'fax', value: c.fax, use: 'work' });
  if (telecom.length) organization.telecom = telecom;
  const a = c.address;
  if (a && Object.values(a).some(Boolean)) {
    const address: Address = { use: 'work', type: 'physical' };
    if (a.municipality) address.extension = [{ url: structureDefinition('address-municipality'), valueString: a.municipality }];
    if (a.line) address.line = [a.line];
    if (a.city) address.city = a.city;
    if (a.district) address.district = a.district;
    if (a.state) address.state = a.state;
    organization.address = [address];
  }
  if (c.contactName) {
    organization.contact = [
      { purpose: { coding: [{ system: CONTACT_ENTITY_TYPE_SYSTEM, code: 'ADMIN', display: 'Administrative' }] }, name: { text: c.contactName } },
    ];
  }
  return organization;
}
