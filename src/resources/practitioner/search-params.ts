/** Practitioner search parameters, as data: the same codes over each table's own columns. */
import type { SearchParamDecl } from '../../fhir/types.js';

interface PersonColumns {
  code: string;
  uuid: string;
}

function personParams(columns: PersonColumns, what: string): SearchParamDecl[] {
  return [
    {
      code: 'identifier',
      type: 'token',
      description: `Code or UUID of the ${what}`,
      tokens: [{ column: columns.code }, { column: columns.uuid, lowerCase: true }],
    },
    { code: 'name', type: 'string', description: 'Any part of the name: last name or other names', columns: ['t.LastName', 't.OtherNames'] },
    { code: 'family', type: 'string', description: 'Last name', columns: ['t.LastName'], sortColumn: 't.LastName' },
    { code: 'given', type: 'string', description: 'Other names', columns: ['t.OtherNames'], sortColumn: 't.OtherNames' },
    { code: 'phone', type: 'token', description: 'Phone number', tokens: [{ column: 't.Phone' }] },
    { code: 'email', type: 'token', description: 'E-mail address', tokens: [{ column: 't.EmailId', caseInsensitive: true }] },
  ];
}

export const claimAdminPractitionerParams = personParams({ code: 't.ClaimAdminCode', uuid: 't.ClaimAdminUUID' }, 'claim administrator');
export const officerPractitionerParams = personParams({ code: 't.Code', uuid: 't.OfficerUUID' }, 'enrolment officer');
