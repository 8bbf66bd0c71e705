/**
 * Group search parameters, as data over tblFamilies columns.
 *
 * What the single-table contract cannot express yet (see the engine needs in index.ts): identifier by
 * head CHFID and name (head last name) live on tblInsuree, and member is a reference held by the
 * members' rows. Meanwhile `head` (a reference to the head's Patient) gives the same searches:
 * Group?head=<CHFID>, Group?head:identifier=<CHFID>, Group?head.family=<name>, _include=Group:head.
 */
import type { SearchParamDecl } from '../../fhir/types.js';
import { IG } from '../ig.js';
import { GROUP_TYPE_SYSTEM } from './to-fhir.js';

export const groupSearchParams: SearchParamDecl[] = [
  {
    code: 'identifier',
    type: 'token',
    description: 'UUID of the family (search by head CHFID: head=<CHFID> or head:identifier=<CHFID>)',
    tokens: [{ column: 't.FamilyUUID', lowerCase: true }],
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
