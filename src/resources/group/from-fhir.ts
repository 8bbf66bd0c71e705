/**
 * Group → tblFamilies values, with every problem reported at once. Pure: references (head, village,
 * members) are returned unresolved for write.ts to look up.
 *
 * The head of the family is named the two ways openIMIS clients do it: the identifier of type Code
 * (the head's CHFID, as the module writes it on output) and/or the first member (as the module reads
 * it on input). The group-confirmation extension is saved (the module assigned it to the FHIR object
 * instead of the family, so it was never stored).
 */
import type { Group, Reference } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import type { CodeTables, CodeTableName } from '../code-tables.js';
import { Problems } from '../problems.js';
import { CODE_IDENTIFIER_TYPES, findExtension, identifierType } from '../ig.js';

export interface GroupInput {
  values: Row;
  /** CHFID of the head, from identifier[Code]. */
  headChfid?: string;
  /** The first member's entity: the head, as the openIMIS module reads it. */
  headReference?: Reference;
  /** Every member entity given (the head included). */
  members: Reference[];
  village?: Reference;
}

export function groupToFamily(group: Group, codes: CodeTables): GroupInput {
  const p = new Problems();
  if (group.type !== undefined && String(group.type).toLowerCase() !== 'person') {
    p.add('Group.type', `must be "person": an openIMIS family groups persons`, 'code-invalid');
  }
  if (group.actual !== undefined && group.actual !== true) p.add('Group.actual', 'must be true: an openIMIS family lists its actual members');

  const chfid = group.identifier?.find((id) => CODE_IDENTIFIER_TYPES.has(identifierType(id) ?? ''))?.value;
  const headChfid = p.text('Group.identifier[Code]', chfid, { max: 12 }) ?? undefined;
  const members: Reference[] = [];
  (group.member ?? []).forEach((member, index) => {
    if (!member?.entity || (!member.entity.reference && !member.entity.identifier?.value)) {
      p.add(`Group.member[${index}].entity`, 'is required and must reference a Patient', 'required');
    } else if (member.entity.type !== undefined && member.entity.type !== 'Patient') {
      p.add(`Group.member[${index}].entity`, 'must reference a Patient (an insuree)');
    } else {
      members.push(member.entity);
    }
  });
  if (!headChfid && members.length === 0) {
    p.add('Group.identifier', 'the head of the family is required: an identifier of type Code (head CHFID) or a first member', 'required');
  }

  const ext = group.extension;
  const addressExt = findExtension(ext, 'group-address');
  const address = addressExt?.valueAddress;
  const village = findExtension(address?.extension, 'address-location-reference')?.valueReference;
  if (!village) {
    p.add('Group.extension[group-address]', 'an address with a village (extension address-location-reference) is required', 'required');
  }
  const confirmation = findExtension(ext, 'group-confirmation');
  const confirmationNumber = confirmation?.extension?.find((e) => e.url === 'number')?.valueString;
  const confirmationType = confirmation?.extension?.find((e) => e.url === 'type')?.valueCodeableConcept?.coding?.[0]?.code;

  const values: Row = {
    FamilyAddress: p.text('Group.extension[group-address].valueAddress.text', address?.text, { max: 200 }),
    Poverty: p.boolean('Group.extension[group-poverty-status]', findExtension(ext, 'group-poverty-status')?.valueBoolean, false),
    FamilyType: codeOf(codes, 'familyType', findExtension(ext, 'group-type')?.valueCodeableConcept?.coding?.[0]?.code, 'Group.extension[group-type]', p),
    ConfirmationNo: p.text('Group.extension[group-confirmation].number', confirmationNumber, { max: 12 }),
    ConfirmationType: codeOf(codes, 'confirmationType', confirmationType, 'Group.extension[group-confirmation].type', p),
  };
  p.throwIfAny();
  return { values, headChfid, headReference: members[0], members, village };
}

function codeOf(codes: CodeTables, table: CodeTableName, code: string | undefined, expression: string, p: Problems): string | null {
  if (code === undefined || code === null || code === '') return null;
  if (!codes.has(table, code)) {
    p.add(expression, `unknown code "${code}"; expected one of ${codes.codes(table).map(([c]) => c).join(', ')}`, 'code-invalid');
    return null;
  }
  return String(code).trim();
}
