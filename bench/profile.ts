/**
 * Where does a request of this server spend its time? Builds the app in this process exactly as
 * src/server.ts does (same configuration variables), against the bench database, and drives it with
 * app.inject (no sockets): per request wall time, CPU time, SQL statements and time spent waiting
 * for PostgreSQL, for each workload of the benchmark.
 *
 *   npx tsx bench/profile.ts [--requests N] [--concurrency C] [--only ours-read,...] [--sql] [--explain]
 *
 * --sql lists the statements issued; --explain shows the plan of the last one of each workload and
 * its warm planning and execution times (median of 5 EXPLAIN ANALYZE on one connection).
 *
 * Run `npm run bench` once first (it creates and seeds the database). For a CPU profile of the same
 * loop: node --cpu-prof --cpu-prof-dir=bench/results/profiles --import tsx bench/profile.ts
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { buildApp } from '../src/app.js';
import { benchDbFromEnv, inspect, sample } from './data.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '1' },
    only: { type: 'string' },
    sql: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
  },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);

const benchDb = benchDbFromEnv();
if (!(await inspect(benchDb)).currentInsurees) throw new Error('the bench database is empty: run npm run bench first');
const config = loadConfig({
  DB_ENGINE: 'postgresql',
  DB_HOST: benchDb.host,
  DB_PORT: String(benchDb.port),
  DB_USER: benchDb.user,
  DB_PASSWORD: benchDb.password,
  DB_NAME: benchDb.name,
  MODE: 'DEV',
  LOG_LEVEL: 'warn',
  SECRET_KEY: 'bench-only-secret-key-0123456789abcdef',
});
const db = await openDatabase(config.db);
const app = await buildApp({ config, db, logger: false });
await app.ready();

// SQL accounting through knex's query events.
const started = new Map<string, number>();
let queries = 0;
let dbMs = 0;
const statements = new Map<string, number>();
const lastQuery: { value?: { sql: string; bindings: unknown[] } } = {};
db.on('query', (q: { __knexQueryUid: string; sql: string; bindings?: unknown[] }) => {
  started.set(q.__knexQueryUid, performance.now());
  lastQuery.value = { sql: q.sql, bindings: q.bindings ?? [] };
  queries++;
  const shape = q.sql.replace(/\$\d+/g, '?');
  statements.set(shape, (statements.get(shape) ?? 0) + 1);
});
const finished = (_r: unknown, q: { __knexQueryUid: string }) => {
  const t = started.get(q.__knexQueryUid);
  if (t !== undefined) dbMs += performance.now() - t;
  started.delete(q.__knexQueryUid);
};
db.on('query-response', finished);
db.on('query-error', (_e: unknown, q: { __knexQueryUid: string }) => finished(undefined, q));

const login = await app.inject({ method: 'POST', url: '/api/api_fhir_r4/login/', payload: { username: 'Admin', password: 'admin123' } });
const token = (login.json() as { token: string }).token;
const s = await sample(benchDb, 2000);
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
const base = '/api/api_fhir_r4';

const workloads: Record<string, () => string> = {
  'ours-read': () => `${base}/Patient/${pick(s.uuids)}`,
  'ours-search-id': () => `${base}/Patient?identifier=${encodeURIComponent(pick(s.chfids))}`,
  'ours-search-name': () => `${base}/Patient?name=${encodeURIComponent(pick(s.namePrefixes))}&_count=10`,
  'ours-metadata': () => `${base}/metadata`,
};
const only = values.only ? new Set(values.only.split(',')) : undefined;

console.log(`${total} requests per workload, concurrency ${concurrency}, in-process (app.inject)`);
console.log('workload           req/s   wall ms/req  CPU ms/req  SQL/req  SQL wait ms/req  bytes/resp');
for (const [name, path] of Object.entries(workloads)) {
  if (only && !only.has(name)) continue;
  // warm-up
  for (let i = 0; i < 300; i++) await app.inject({ url: path(), headers: { authorization: `Bearer ${token}` } });
  queries = 0;
  dbMs = 0;
  statements.clear();
  lastQuery.value = undefined;
  let bytes = 0;
  let bad = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const res = await app.inject({ url: path(), headers: { authorization: `Bearer ${token}` } });
        if (res.statusCode !== 200) bad++;
        bytes += res.rawPayload.length;
      }
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `${name.padEnd(17)} ${String(Math.round((total / wall) * 1000)).padStart(6)}  ${((wall * concurrency) / total).toFixed(3).padStart(11)}  ${(cpuMs / total).toFixed(3).padStart(10)}  ${(queries / total).toFixed(2).padStart(7)}  ${(dbMs / total).toFixed(3).padStart(15)}  ${Math.round(bytes / total).toString().padStart(10)}${bad ? `  ${bad} non-200!` : ''}`,
  );
  if (values.sql) for (const [sql, n] of statements) console.log(`    ${n}× ${sql}`);
  const last = lastQuery.value as { sql: string; bindings: unknown[] } | undefined;
  if (values.explain && last) await explain(last.sql, last.bindings);
}

async function explain(sql: string, bindings: unknown[]) {
  type Conn = { query(text: string, values: unknown[]): Promise<{ rows: Record<string, string>[] }> };
  const client = db.client as { acquireConnection(): Promise<Conn>; releaseConnection(c: Conn): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    const times: { planning: number; execution: number }[] = [];
    let plan = '';
    for (let i = 0; i < 5; i++) {
      const { rows } = await conn.query(`EXPLAIN (ANALYZE, BUFFERS, SUMMARY) ${sql}`, bindings);
      const lines = rows.map((r) => r['QUERY PLAN']);
      plan = lines.join('\n');
      const num = (re: RegExp) => Number(lines.find((l) => re.test(l))?.replace(/[^\d.]/g, '') ?? NaN);
      times.push({ planning: num(/^Planning Time/), execution: num(/^Execution Time/) });
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[2];
    console.log(`    bindings: ${JSON.stringify(bindings)}`);
    console.log(plan.replace(/^/gm, '    | '));
    console.log(`    warm median: planning ${med(times.map((t) => t.planning)).toFixed(3)} ms, execution ${med(times.map((t) => t.execution)).toFixed(3)} ms`);
  } finally {
    await client.releaseConnection(conn);
  }
}
await app.close();
