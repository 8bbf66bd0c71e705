/**
 * Organization (type prov) → tblHF values, with every problem reported at once. Pure: the district
 * and price lists are returned unresolved for write.ts to look up. Fixes of the openIMIS module:
 * phone, fax and e-mail each come from their own telecom system (the module read all three from the
 * fax entries); the legacy extension name organization-legal-form is accepted beside
 * organization-hf-legal-form.
 */
import type { Address, ContactPoint, Extension, Organization, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import type { CodeTables, CodeTableName } from '../code-tables.js';
import { loadMapping, type CodeMapping } from '../mappings.js';
import { Problems } from '../problems.js';
import { CODE_IDENTIFIER_TYPES, findExtension, identifierType } from '../ig.js';
import { codingOf } from '../location/codings.js';

const level = loadMapping('organization-hf-level');
const careType = loadMapping('organization-hf-care-type');

export interface OrganizationInput {
  values: Row;
  /** The district: an address-location-reference, else its name and its region's name. */
  district: { reference?: Reference; name?: string; state?: string };
  itemsPriceList?: Reference;
  servicesPriceList?: Reference;
}

export function organizationToHf(organization: Organization, codes: CodeTables): OrganizationInput {
  const p = new Problems();
  const ext = organization.extension;
  const code = organization.identifier?.find((id) => CODE_IDENTIFIER_TYPES.has(identifierType(id) ?? ''))?.value;
  checkType(organization, p);
  if (organization.active === false) p.add('Organization.active', 'an inactive health facility is not written; DELETE it instead', 'business-rule');
  const address = addressOf(organization.address, p);

  const values: Row = {
    HFCode: p.text('Organization.identifier[Code]', code, { max: 8, required: true }),
    HFName: p.text('Organization.name', organization.name, { max: 100, required: true }),
    HFLevel: mapped(level, 'organization-hf-level', findExtension(ext, 'organization-hf-level'), p, true),
    HFCareType: mapped(careType, 'organization-hf-care-type', findExtension(ext, 'organization-hf-care-type'), p, true),
    LegalForm: fromCodeTable(
      codes,
      'legalForm',
      'organization-hf-legal-form',
      'organization-legal-form',
      findExtension(ext, 'organization-hf-legal-form') ?? findExtension(ext, 'organization-legal-form'),
      p,
      true,
    ),
    HFSublevel: fromCodeTable(codes, 'hfSublevel', 'organization-hf-sublevel', 'organization-hf-sublevel', findExtension(ext, 'organization-hf-sublevel'), p, false),
    HFAddress: p.text('Organization.address.line', address?.line?.filter((l) => typeof l === 'string' && l.trim()).join(', '), { max: 100 }),
    Phone: telecom(organization.telecom, 'phone', 50, p),
    Fax: telecom(organization.telecom, 'fax', 50, p),
    eMail: telecom(organization.telecom, 'email', 50, p),
  };
  const district = {
    reference: findExtension(address?.extension, 'address-location-reference')?.valueReference,
    name: address?.district?.trim() || undefined,
    state: address?.state?.trim() || undefined,
  };
  if (!district.reference && !district.name) {
    p.add('Organization.address', 'the district is required: an address-location-reference extension to a district Location, or address.district (with address.state)', 'required');
  }
  p.throwIfAny();
  return {
    values,
    district,
    itemsPriceList: priceList(ext, 'organization-hf-items-price-list'),
    servicesPriceList: priceList(ext, 'organization-hf-services-price-list'),
  };
}

function checkType(organization: Organization, p: Problems) {
  const codings = (organization.type ?? []).flatMap((t) => t?.coding ?? []);
  if (codings.length === 0) return;
  if (!codings.some((c) => c?.code === 'prov')) {
    const found = codings.map((c) => c?.code).filter(Boolean).join(', ');
    p.add('Organization.type', `only health facilities (type prov) are written here, not "${found}"`, 'not-supported');
  }
}

function addressOf(addresses: Address[] | undefined, p: Problems): Address | undefined {
  const physical = (addresses ?? []).filter((a) => a && a.type !== 'postal');
  if (physical.length > 1) p.add('Organization.address', 'at most one physical address');
  return physical[0];
}

function mapped(mapping: CodeMapping, name: string, extension: Extension | undefined, p: Problems, required: boolean) {
  const element = `Organization.extension[${name}]`;
  const code = codingOf(extension?.valueCodeableConcept, name)?.code;
  if (!code) {
    if (required) p.add(element, `is required; expected one of ${mapping.fhirCodes().join(', ')}`, 'required');
    return null;
  }
  try {
    return mapping.toLegacy(code, element);
  } catch {
    p.add(element, `unknown code "${code}"; expected one of ${mapping.fhirCodes().join(', ')}`, 'code-invalid');
    return null;
  }
}

function fromCodeTable(
  codes: CodeTables,
  table: CodeTableName,
  name: string,
  system: string,
  extension: Extension | undefined,
  p: Problems,
  required: boolean,
) {
  const element = `Organization.extension[${name}]`;
  const known = () => codes.codes(table).map(([c]) => c).join(', ');
  const code = codingOf(extension?.valueCodeableConcept, system)?.code;
  if (!code) {
    if (required) p.add(element, `is required; expected one of ${known()}`, 'required');
    return null;
  }
  if (!codes.has(table, code)) {
    p.add(element, `unknown code "${code}"; expected one of ${known()}`, 'code-invalid');
    return null;
  }
  return code.trim();
}

function telecom(points: ContactPoint[] | undefined, system: 'phone' | 'fax' | 'email', max: number, p: Problems) {
  const element = `Organization.telecom[${system}]`;
  const values = (points ?? []).filter((t) => t?.system === system);
  if (values.length > 1) p.add(element, `at most one ${system}`);
  return p.text(element, values[0]?.value, { max });
}

function priceList(extensions: Extension[] | undefined, name: string): Reference | undefined {
  return findExtension(extensions, name)?.valueReference;
}
