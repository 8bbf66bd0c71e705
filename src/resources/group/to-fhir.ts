/**
 * tblFamilies row (with its head, village chain and members) → Group, in the wire format of the
 * openIMIS FHIR module (identifiers UUID and Code = head CHFID, the group-* extensions, name = head
 * last name) with its defects fixed: canonical absolute URLs, Group.type the R4 code `person`,
 * members without history rows, the confirmation always shown when set.
 */
import type { Address, Extension, Group, GroupMember } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import type { CodeTables } from '../code-tables.js';
import { codeSystem, codeable, identifier, reference, structureDefinition } from '../ig.js';
import { MEMBERS, type FamilyMember } from './members.js';

export const GROUP_TYPE_SYSTEM = codeSystem('group-type');
export const CONFIRMATION_TYPE_SYSTEM = codeSystem('group-confirmation-type');

export function familyToGroup(row: Row, codes: CodeTables): Group {
  const uuid = String(row.FamilyUUID).toLowerCase();
  const members = row[MEMBERS] as FamilyMember[] | undefined;
  const group: Group = {
    resourceType: 'Group',
    id: uuid,
    extension: extensions(row, codes),
    identifier: [identifier('UUID', uuid), ...(row.head_chfid ? [identifier('Code', row.head_chfid)] : [])],
    type: 'person',
    actual: true,
  };
  if (members) group.active = members.some((m) => m.covered);
  if (row.head_last_name) group.name = String(row.head_last_name);
  if (members) {
    group.quantity = members.length;
    if (members.length) group.member = members.map(memberOf);
  }
  return group;
}

function memberOf(m: FamilyMember): GroupMember {
  return { entity: reference('Patient', m.uuid, m.chfid ?? undefined) };
}

function extensions(row: Row, codes: CodeTables): Extension[] {
  const list: Extension[] = [];
  const address = addressOf(row);
  if (address) list.push({ url: structureDefinition('group-address'), valueAddress: address });
  if (row.Poverty !== null && row.Poverty !== undefined) {
    list.push({ url: structureDefinition('group-poverty-status'), valueBoolean: Boolean(row.Poverty) });
  }
  if (row.FamilyType) {
    const code = String(row.FamilyType).trim();
    list.push({ url: structureDefinition('group-type'), valueCodeableConcept: codeable(GROUP_TYPE_SYSTEM, code, codes.label('familyType', code)) });
  }
  if (row.ConfirmationNo || row.ConfirmationType) {
    const parts: Extension[] = [];
    if (row.ConfirmationNo) parts.push({ url: 'number', valueString: String(row.ConfirmationNo) });
    if (row.ConfirmationType) {
      const code = String(row.ConfirmationType).trim();
      parts.push({ url: 'type', valueCodeableConcept: codeable(CONFIRMATION_TYPE_SYSTEM, code, codes.label('confirmationType', code)) });
    }
    list.push({ url: structureDefinition('group-confirmation'), extension: parts });
  }
  return list;
}

function addressOf(row: Row): Address | undefined {
  if (!row.village_uuid && !row.FamilyAddress) return undefined;
  const extension: Extension[] = [];
  if (row.ward_name) extension.push({ url: structureDefinition('address-municipality'), valueString: String(row.ward_name) });
  if (row.village_uuid) {
    extension.push({
      url: structureDefinition('address-location-reference'),
      valueReference: reference('Location', String(row.village_uuid).toLowerCase(), row.village_code ? String(row.village_code) : undefined),
    });
  }
  return {
    ...(extension.length ? { extension } : {}),
    use: 'home',
    type: 'physical',
    ...(row.FamilyAddress ? { text: String(row.FamilyAddress) } : {}),
    ...(row.village_name ? { city: String(row.village_name) } : {}),
    ...(row.district_name ? { district: String(row.district_name) } : {}),
    ...(row.region_name ? { state: String(row.region_name) } : {}),
  };
}
