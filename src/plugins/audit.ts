/**
 * Every read, search, write and login is recorded (who, what, when, from where, outcome) in
 * fhir_audit_event, served as AuditEvent. Records are buffered and written in batches off the request
 * path, so auditing costs a request almost nothing; the buffer is flushed when the app closes.
 */
import fp from 'fastify-plugin';
import { randomFillSync } from 'node:crypto';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { dialectFor, type BulkColumn, type BulkRow } from '../db/dialect/index.js';
import { isoInstant } from '../fhir/instant-text.js';

const FLUSH_MS = 500;
const FLUSH_SIZE = 200;
const MAX_BUFFER = 50_000;
const SKIPPED = new Set(['/health', '/ready']);

/** The columns written, in the order of each event's values. */
const COLUMNS: readonly BulkColumn[] = [
  { name: 'AuditEventUUID', kind: 'text' },
  { name: 'ValidityFrom', kind: 'timestamp' },
  { name: 'AuditUserID', kind: 'integer' },
  { name: 'Action', kind: 'text' },
  { name: 'Subtype', kind: 'text' },
  { name: 'Outcome', kind: 'text' },
  { name: 'StatusCode', kind: 'integer' },
  { name: 'Username', kind: 'text' },
  { name: 'ClientIp', kind: 'text' },
  { name: 'Method', kind: 'text' },
  { name: 'Path', kind: 'text' },
  { name: 'ResourceType', kind: 'text' },
  { name: 'ResourceId', kind: 'text' },
  { name: 'RequestId', kind: 'text' },
  { name: 'DurationMs', kind: 'integer' },
];

/** FHIR AuditEvent.action: C create, R read/search, U update, D delete, E execute. */
function actionOf(method: string, subtype: string): string {
  if (subtype === 'login' || subtype === 'batch' || subtype === 'operation') return 'E';
  return method === 'POST' && subtype === 'create' ? 'C' : method === 'PUT' || method === 'PATCH' ? 'U' : method === 'DELETE' ? 'D' : 'R';
}

/** The interaction of a request: an operation by its URL, anything else by its route and method. */
function subtypeOf(request: FastifyRequest, route: string): string {
  const url = request.url;
  if (url.includes('$') && /\/\$[^/]+$/.test(url.split('?')[0])) return 'operation';
  const key = `${request.method} ${route}`;
  let subtype = routeSubtypes.get(key);
  if (subtype === undefined) routeSubtypes.set(key, (subtype = routeSubtypeOf(route, request.method)));
  return subtype;
}

/** Subtypes by method and route pattern: a few dozen, worked out once instead of on every request. */
const routeSubtypes = new Map<string, string>();

function routeSubtypeOf(route: string, method: string): string {
  if (route.endsWith('/login')) return 'login';
  if (route.endsWith('/metadata')) return 'capabilities';
  if (/\/:type\/:id\/_history\/:vid$/.test(route)) return 'vread';
  if (/\/:type\/:id\/_history$/.test(route)) return 'history-instance';
  if (/\/:type\/_history$/.test(route)) return 'history-type';
  if (/\/:type\/_search$/.test(route) || (/\/:type$/.test(route) && method === 'GET')) return 'search-type';
  if (/\/:type\/:id$/.test(route)) return { GET: 'read', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase();
  if (/\/:type$/.test(route)) return { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase();
  if (method === 'POST') return 'batch';
  return 'other';
}

/** Byte → two hex digits. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Random bytes drawn in bulk: a call to the generator for each event cost more than the rest of the UUID. */
const RANDOM = new Uint8Array(4096);
let drawn = RANDOM.length;

/**
 * A version 7 UUID (RFC 9562): the millisecond time first, then 74 random bits (rand_a and rand_b).
 * Events then land at the right end of the table's UUID index instead of at random pages of it,
 * which made each insert several times dearer for PostgreSQL once the trail outgrew memory.
 * Written digit pair by digit pair: the time in two 24-bit halves, as the hex of a number past 2^31
 * (and randomUUID, sliced) cost several times as much, on every request.
 */
export function timeOrderedUuid(now = Date.now()): string {
  if (drawn + 10 > RANDOM.length) {
    randomFillSync(RANDOM);
    drawn = 0;
  }
  const r = RANDOM;
  const i = drawn;
  drawn += 10;
  const high = Math.floor(now / 0x1000000);
  const low = now - high * 0x1000000;
  return (
    HEX[(high >> 16) & 0xff] + HEX[(high >> 8) & 0xff] + HEX[high & 0xff] + HEX[(low >> 16) & 0xff] + '-' + HEX[(low >> 8) & 0xff] + HEX[low & 0xff] +
    // version 7, 12 random bits; variant 10, 62 random bits
    '-7' + HEX[r[i] & 0x0f][1] + HEX[r[i + 1]] + '-' + HEX[(r[i + 2] & 0x3f) | 0x80] + HEX[r[i + 3]] + '-' +
    HEX[r[i + 4]] + HEX[r[i + 5]] + HEX[r[i + 6]] + HEX[r[i + 7]] + HEX[r[i + 8]] + HEX[r[i + 9]]
  );
}

/** FHIR AuditEvent.outcome: 0 success, 4 minor failure (client error), 8 serious failure (server error). */
const outcomeOf = (status: number) => (status < 400 ? '0' : status < 500 ? '4' : '8');

export const auditPlugin = fp(
  async (app) => {
    let buffer: BulkRow[] = [];
    let flushing: Promise<void> = Promise.resolve();

    const flush = () => {
      if (buffer.length === 0) return flushing;
      const batch = buffer;
      buffer = [];
      flushing = flushing.then(() =>
        dialectFor(app.db).appendRows(app.db, 'fhir_audit_event', COLUMNS, batch).then(
          () => undefined,
          (error) => app.log.error({ err: error, lost: batch.length }, 'could not write audit events'),
        ),
      );
      return flushing;
    };
    const timer = setInterval(flush, FLUSH_MS);
    timer.unref();

    // Callback form: nothing here awaits, and an async hook costs a promise on every request.
    app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      try {
        record(request, reply);
      } catch (error) {
        request.log.error({ err: error }, 'could not record an audit event');
      }
      done();
    });
    const record = (request: FastifyRequest, reply: FastifyReply) => {
      const route = request.routeOptions.url ?? '';
      if (SKIPPED.has(route) || request.method === 'OPTIONS') return;
      const subtype = subtypeOf(request, route);
      const params = (request.params ?? {}) as { type?: string; id?: string };
      const caller = request.caller;
      const body = request.body as { username?: unknown } | undefined;
      const username = caller?.username ?? (subtype === 'login' && typeof body?.username === 'string' ? body.username : null);
      if (buffer.length >= MAX_BUFFER) return; // the database is not keeping up; the log still has the request
      const now = Date.now();
      // In the order of COLUMNS.
      buffer.push([
        timeOrderedUuid(now),
        isoInstant(new Date(now)),
        caller?.userId ?? -1,
        actionOf(request.method, subtype),
        subtype,
        outcomeOf(reply.statusCode),
        reply.statusCode,
        username?.slice(0, 50) ?? null,
        request.ip?.slice(0, 64) ?? null,
        request.method,
        request.url.slice(0, 2000),
        params.type?.slice(0, 64) ?? null,
        params.id?.slice(0, 64) ?? null,
        String(request.id).slice(0, 64),
        Math.round(reply.elapsedTime),
      ]);
      if (buffer.length >= FLUSH_SIZE) void flush();
    };

    app.decorate('flushAudit', flush);
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await flush();
    });
  },
  { name: 'audit', dependencies: ['db'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Writes the buffered audit events now (tests, shutdown). */
    flushAudit(): Promise<void>;
  }
}
