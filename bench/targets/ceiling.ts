/**
 * Target B, the stack ceiling: Fastify + pg written by hand. One SELECT per request on tblInsuree,
 * a few fields mapped by hand, FHIR JSON with ETag / Last-Modified. No authentication, no
 * generic engine: what our stack can do at best on this machine.
 *
 *   GET /Patient/:uuid             read by InsureeUUID
 *   GET /Patient?identifier=CHFID  search by insurance number, searchset Bundle
 *
 * For the analysis (npm run bench -- --experiments), the same hand-written read with this server's
 * own SQL (src/resources/patient/table.ts: tblInsuree and its joins), as an unnamed statement like
 * knex sends it, and as a named (prepared) statement:
 *   GET /PatientJoined/:uuid   GET /PatientJoined/:uuid?prepared=1
 */
import Fastify from 'fastify';
import pg from 'pg';
import knexFactory from 'knex';
import { selectInsuree } from '../../src/resources/patient/table.js';
import { reportReady, tieToParent } from './child.js';

pg.types.setTypeParser(1082, (v: string) => v); // dates stay YYYY-MM-DD, as in the server

const pool = new pg.Pool({
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD ?? '',
  database: process.env.DB_NAME,
  max: Number(process.env.DB_POOL_MAX ?? 10),
});

const COLUMNS = `"InsureeID", "InsureeUUID", "CHFID", "LastName", "OtherNames", "DOB", "Gender", "Phone", "ValidityFrom", "ValidityTo"`;
const IDENTIFIER_SYSTEM = 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/openimis-identifiers';
const GENDER: Record<string, string> = { M: 'male', F: 'female', O: 'other' };
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

interface InsureeRow {
  InsureeID: number;
  InsureeUUID: string;
  CHFID: string | null;
  LastName: string;
  OtherNames: string | null;
  DOB: string | null;
  Gender: string | null;
  Phone: string | null;
  ValidityFrom: Date;
  ValidityTo: Date | null;
}

function toPatient(row: InsureeRow) {
  const id = row.InsureeUUID.toLowerCase();
  const identifier = [{ type: { coding: [{ system: IDENTIFIER_SYSTEM, code: 'UUID' }] }, value: id }];
  if (row.CHFID) identifier.push({ type: { coding: [{ system: IDENTIFIER_SYSTEM, code: 'Code' }] }, value: row.CHFID });
  return {
    resourceType: 'Patient',
    id,
    meta: { versionId: String(row.ValidityFrom.getTime()), lastUpdated: row.ValidityFrom.toISOString() },
    identifier,
    name: [{ use: 'usual', family: row.LastName, ...(row.OtherNames ? { given: [row.OtherNames] } : {}) }],
    ...(row.Phone ? { telecom: [{ system: 'phone', value: row.Phone }] } : {}),
    gender: GENDER[row.Gender ?? ''] ?? 'unknown',
    ...(row.DOB ? { birthDate: row.DOB } : {}),
  };
}

const app = Fastify({ logger: false });

// This server's read SQL, compiled once (knex only builds SQL here; it opens no connection).
const joinedSql = selectInsuree(knexFactory({ client: 'pg' }))
  .first()
  .where('t.InsureeUUID', '00000000-0000-0000-0000-000000000000')
  .where((q) => q.whereNull('t.LegacyID').orWhereRaw('?? = ??', ['t.LegacyID', 't.InsureeID']))
  .toSQL()
  .toNative().sql;

app.get<{ Params: { id: string }; Querystring: { prepared?: string } }>('/PatientJoined/:id', async (request, reply) => {
  const values = [request.params.id.toLowerCase(), 1];
  const { rows } = await pool.query<InsureeRow>(
    request.query.prepared ? { name: 'patient-joined', text: joinedSql, values } : { text: joinedSql, values },
  );
  const row = rows[0];
  if (!row) return reply.code(404).type(FHIR_JSON).send('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}');
  const patient = toPatient(row);
  reply
    .type(FHIR_JSON)
    .header('etag', `W/"${patient.meta.versionId}"`)
    .header('last-modified', row.ValidityFrom.toUTCString());
  return reply.send(JSON.stringify(patient));
});

app.get<{ Params: { id: string } }>('/Patient/:id', async (request, reply) => {
  const { rows } = await pool.query<InsureeRow>(
    `SELECT ${COLUMNS} FROM "tblInsuree" WHERE "InsureeUUID" = $1 AND ("LegacyID" IS NULL OR "LegacyID" = "InsureeID")`,
    [request.params.id.toLowerCase()],
  );
  const row = rows[0];
  if (!row) return reply.code(404).type(FHIR_JSON).send('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}');
  if (row.ValidityTo) return reply.code(410).type(FHIR_JSON).send('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"deleted"}]}');
  const patient = toPatient(row);
  reply
    .type(FHIR_JSON)
    .header('etag', `W/"${patient.meta.versionId}"`)
    .header('last-modified', row.ValidityFrom.toUTCString());
  return reply.send(JSON.stringify(patient));
});

app.get<{ Querystring: { identifier?: string; _count?: string } }>('/Patient', async (request, reply) => {
  const identifier = request.query.identifier ?? '';
  const count = Math.min(Number(request.query._count ?? 20) || 20, 1000);
  const { rows } = await pool.query<InsureeRow>(
    `SELECT ${COLUMNS} FROM "tblInsuree" WHERE "CHFID" = $1 AND "ValidityTo" IS NULL ORDER BY "InsureeID" LIMIT $2`,
    [identifier, count + 1],
  );
  const base = `http://${request.host}`;
  const bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    link: [{ relation: 'self', url: `${base}/Patient?identifier=${encodeURIComponent(identifier)}&_count=${count}` }],
    entry: rows.slice(0, count).map((row) => {
      const resource = toPatient(row);
      return { fullUrl: `${base}/Patient/${resource.id}`, resource, search: { mode: 'match' } };
    }),
  };
  return reply.type(FHIR_JSON).send(JSON.stringify(bundle));
});

tieToParent(async () => {
  await app.close();
  await pool.end();
});
await pool.query('SELECT 1');
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const address = app.server.address();
reportReady(typeof address === 'object' && address ? address.port : 0);
