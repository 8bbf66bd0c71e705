/** Search parameters every resource has: _id and _lastUpdated, from its versioned table. */
import type { SearchParamDecl, VersionedTable } from '../types.js';

export function implicitParams(table: VersionedTable): SearchParamDecl[] {
  return [
    {
      code: '_id',
      type: 'token',
      description: 'Logical id of the resource',
      definition: 'http://hl7.org/fhir/SearchParameter/Resource-id',
      tokens: [{ column: `t.${table.uuid}`, lowerCase: true }],
      sortColumn: `t.${table.uuid}`,
    },
    {
      code: '_lastUpdated',
      type: 'date',
      description: 'When the resource version last changed',
      definition: 'http://hl7.org/fhir/SearchParameter/Resource-lastUpdated',
      column: `t.${table.validityFrom}`,
      precision: 'instant',
      sortColumn: `t.${table.validityFrom}`,
    },
  ];
}
