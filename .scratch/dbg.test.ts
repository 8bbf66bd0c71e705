import t from 'tap';
import { startServer } from '../test/helpers/app.js';
const server = await startServer(t);
const odd = `O'Brien "quoted" \\back\\slash\\ {braces,comma} ñ 中文 NULL`;
await server.fhir(`Patient?name=${encodeURIComponent(odd)}`);
await fetch(`${server.base}/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: odd, password: 'x' }) });
await server.app.flushAudit();
console.log(await server.db.knex('fhir_audit_event').select('Subtype','Path','Username','ValidityFrom').orderBy('AuditEventID','desc').limit(3));
