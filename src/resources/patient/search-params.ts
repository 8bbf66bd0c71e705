/** Patient search parameters, as data over tblInsuree columns. */
import { HEALTH_FACILITY } from '../organization/table.js';
import type { SearchParamDecl } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';

const gender = loadMapping('gender');

export const patientSearchParams: SearchParamDecl[] = [
  {
    code: 'identifier',
    type: 'token',
    description: 'Insurance number (CHFID) or UUID of the insuree',
    tokens: [{ column: 't.CHFID' }, { column: 't.InsureeUUID', lowerCase: true }],
  },
  { code: 'name', type: 'string', description: 'Any part of the name: last name or other names', columns: ['t.LastName', 't.OtherNames'] },
  { code: 'family', type: 'string', description: 'Last name', columns: ['t.LastName'], sortColumn: 't.LastName' },
  { code: 'given', type: 'string', description: 'Other names', columns: ['t.OtherNames'], sortColumn: 't.OtherNames' },
  { code: 'birthdate', type: 'date', description: 'Date of birth', column: 't.DOB', precision: 'day', sortColumn: 't.DOB' },
  {
    code: 'gender',
    type: 'token',
    description: 'Gender (male, female, other)',
    tokens: [{ column: 't.Gender', system: gender.system, codes: gender.searchMap(), displays: gender.displays() }],
  },
  { code: 'group', type: 'reference', description: 'The family (Group) of the insuree', column: 't.FamilyID', target: 'Group' },
  { code: 'general-practitioner', type: 'reference', description: 'The chosen health facility', column: 't.HFID', target: 'Organization', targetSource: HEALTH_FACILITY },
  { code: 'phone', type: 'token', description: 'Phone number', tokens: [{ column: 't.Phone' }] },
  { code: 'email', type: 'token', description: 'E-mail address', tokens: [{ column: 't.Email', caseInsensitive: true }] },
];
