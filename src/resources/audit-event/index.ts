/**
 * AuditEvent ⇄ fhir_audit_event, the server's own record of every interaction (src/plugins/audit.ts).
 * Read-only, for administrators: the right to search users (121701), which the IMIS administrator
 * role holds.
 */
import type { AuditEvent } from 'fhir/r4.js';
import type { ResourceDefinition, Row, SearchParamDecl, VersionedTable } from '../../fhir/types.js';
import { versionedTable } from '../../db/legacy-history.js';

const table: VersionedTable = versionedTable('fhir_audit_event', 'AuditEventID', 'AuditEventUUID');

const ADMINISTRATORS = [121701];
const INTERACTION = 'http://hl7.org/fhir/restful-interaction';

const searchParams: SearchParamDecl[] = [
  { code: 'date', type: 'date', description: 'When the event was recorded', column: 't.ValidityFrom', precision: 'instant', sortColumn: 't.ValidityFrom' },
  { code: 'agent-name', type: 'string', description: 'User name', columns: ['t.Username'] },
  { code: 'altid', type: 'token', description: 'User name, exactly', tokens: [{ column: 't.Username' }] },
  { code: 'action', type: 'token', description: 'C, R, U, D or E', tokens: [{ column: 't.Action', system: 'http://hl7.org/fhir/audit-event-action' }] },
  { code: 'subtype', type: 'token', description: 'The FHIR interaction', tokens: [{ column: 't.Subtype', system: INTERACTION }] },
  { code: 'outcome', type: 'token', description: '0 success, 4 minor failure, 8 serious failure', tokens: [{ column: 't.Outcome', system: 'http://hl7.org/fhir/audit-event-outcome' }] },
  { code: 'address', type: 'string', description: 'Client IP address', columns: ['t.ClientIp'] },
  { code: 'entity-type', type: 'token', description: 'Resource type concerned', tokens: [{ column: 't.ResourceType' }] },
  { code: 'entity-id', type: 'token', description: 'Resource id concerned', tokens: [{ column: 't.ResourceId' }] },
];

function toFhir(row: Row): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    id: String(row.AuditEventUUID).toLowerCase(),
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: INTERACTION, code: row.Subtype }],
    action: row.Action,
    recorded: new Date(row.ValidityFrom).toISOString(),
    outcome: row.Outcome,
    outcomeDesc: `HTTP ${row.StatusCode} in ${row.DurationMs ?? '?'} ms`,
    agent: [
      {
        who: row.Username ? { identifier: { value: row.Username }, display: row.Username } : { display: 'anonymous' },
        requestor: true,
        network: row.ClientIp ? { address: row.ClientIp, type: '2' } : undefined,
      },
    ],
    source: { observer: { display: 'openimis-fhir-r4-server' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4' }] },
    entity: [
      {
        ...(row.ResourceType && row.ResourceId ? { what: { reference: `${row.ResourceType}/${row.ResourceId}` } } : {}),
        ...(row.ResourceType ? { type: { system: 'http://hl7.org/fhir/resource-types', code: row.ResourceType } } : {}),
        description: `${row.Method} ${row.Path}`,
        detail: row.RequestId ? [{ type: 'request-id', valueString: row.RequestId }] : undefined,
      },
    ],
  };
}

export const auditEventResource: ResourceDefinition<AuditEvent> = {
  type: 'AuditEvent',
  table,
  select: (db) => db(`${table.name} as t`).select('t.*'),
  toFhir,
  searchParams,
  rights: { read: ADMINISTRATORS, 'search-type': ADMINISTRATORS },
};
