/**
 * Group search parameters, as data over tblFamilies columns and, through hops, the insurees: the head
 * (identifier = the head's CHFID, as the module's Code identifier) and the members (tblInsuree rows
 * of the family). R4 has no `name` on Group: the head's name is `head.family=<name>` / `head.given=`.
 */
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';
import { GROUP_TYPE_SYSTEM } from './to-fhir.js';

export const groupSearchParams: SearchParamDecl[] = [
  {
    code: 'identifier',
    type: 'token',
    description: "UUID of the family, or its head's CHFID (the Code identifier)",
    tokens: [{ column: 't.FamilyUUID', lowerCase: true }, { column: 'v.CHFID', via: { table: 'tblInsuree', from: 't.InsureeID', key: 'InsureeID' } }],
  },
  {
    code: 'member',
    type: 'reference',
    description: 'A member of the family: a current insuree of it (Patient, by UUID or CHFID); _include=Group:member adds them all',
    column: 'v.InsureeID',
    target: 'Patient',
    via: { table: 'tblInsuree', from: 't.FamilyID', key: 'FamilyID', current: 'ValidityTo' },
  },
  {
    code: 'type',
    type: 'token',
    description: 'Family type (extension group-type, tblFamilyTypes code: H household, C council, G organization, O other, P priests, S students, T teachers). Group.type itself is always person.',
    definition: `${IG}/SearchParameter/group-type`,
    tokens: [{ column: 't.FamilyType', system: GROUP_TYPE_SYSTEM }],
  },
  {
    code: 'head',
    type: 'reference',
    description: 'The head of the family (Patient, by UUID or CHFID); chains on Patient parameters (head.name, head:identifier)',
    definition: `${IG}/SearchParameter/group-head`,
    column: 't.InsureeID',
    target: 'Patient',
  },
  {
    code: 'poverty',
    type: 'token',
    description: 'Poverty status of the family (extension group-poverty-status): true or false',
    definition: `${IG}/SearchParameter/group-poverty-status`,
    tokens: [{ column: 't.Poverty', codes: { true: true, false: false } }],
  },
];
