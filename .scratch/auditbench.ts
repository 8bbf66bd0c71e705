import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { dialectFor } from '../src/db/dialect/index.js';
const config = loadConfig({ DB_ENGINE: 'postgresql', DB_HOST: '127.0.0.1', DB_NAME: 'openimis_fhir_bench' });
const db = await openDatabase(config.db);
const COLUMNS = ['AuditEventUUID:text','ValidityFrom:timestamp','AuditUserID:integer','Action:text','Subtype:text','Outcome:text','StatusCode:integer','Username:text','ClientIp:text','Method:text','Path:text','ResourceType:text','ResourceId:text','RequestId:text','DurationMs:integer'].map(s => { const [name, kind] = s.split(':'); return { name, kind } as any; });
const ev = () => ({ AuditEventUUID: randomUUID(), ValidityFrom: new Date(), AuditUserID: 1, Action: 'R', Subtype: 'read', Outcome: '0', StatusCode: 200, Username: 'Admin', ClientIp: '127.0.0.1', Method: 'GET', Path: '/api/api_fhir_r4/Patient/' + randomUUID(), ResourceType: 'Patient', ResourceId: randomUUID(), RequestId: randomUUID(), DurationMs: 2 });
const dialect = dialectFor(db);
for (const round of [1, 2, 3]) {
  const events = Array.from({ length: 20000 }, ev);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  await db.transaction(async (trx) => { for (let i = 0; i < events.length; i += 100) await dialect.insertRows(trx, 'fhir_audit_event', COLUMNS, events.slice(i, i + 100)); await trx.rollback(); }).catch(() => {});
  const c = process.cpuUsage(c0); const wall = performance.now() - t0;
  console.log(`round ${round}: node CPU ${((c.user + c.system) / 1000 / events.length * 1000).toFixed(1)} µs/event, wall ${(wall / events.length * 1000).toFixed(1)} µs/event`);
}
await db.destroy();
{
  const c0 = process.cpuUsage();
  const events = Array.from({ length: 20000 }, ev);
  const c1 = process.cpuUsage(c0);
  const c2 = process.cpuUsage();
  for (let i = 0; i < events.length; i += 100) JSON.stringify(events.slice(i, i + 100).map((row) => Object.fromEntries(COLUMNS.map((c: any) => [c.name, (row as any)[c.name] ?? null]))));
  const c3 = process.cpuUsage(c2);
  console.log('generate', ((c1.user + c1.system) / 20000).toFixed(2), 'µs/event; json', ((c3.user + c3.system) / 20000).toFixed(2), 'µs/event');
}
