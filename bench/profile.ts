/**
 * Where does a request of this server spend its time? Builds the app in this process exactly as
 * src/server.ts does (same configuration variables), against the bench database, and drives it with
 * app.inject (no sockets): per request wall time, CPU time, SQL statements and time spent waiting
 * for PostgreSQL, for each workload of the benchmark.
 *
 *   npx tsx bench/profile.ts [--requests N] [--concurrency C] [--only ours-read,...] [--sql] [--explain]
 *
 * --sql lists the statements issued; --explain shows the plan of the last SELECT of each workload and
 * its warm planning and execution times (median of 5 EXPLAIN ANALYZE on one connection).
 *
 * The SQL accounting listens to knex's query events, and knex then runs every query itself: reads and
 * search pages take knex's runner here, not the direct path they take in the server (directSelect in
 * src/db/connect.ts). For the server's own path, profile it under load: npm run bench -- --cpu-prof.
 *
 * Run `npm run bench` once first (it creates and seeds the database). For a CPU profile of the same
 * loop: node --cpu-prof --cpu-prof-dir=bench/results/profiles --import tsx bench/profile.ts
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { buildApp } from '../src/app.js';
import { benchDbFromEnv, inspect, sample } from './data.js';
import { openNamedStatementsDatabase } from './targets/named-client.js';
import { encodeCursor } from '../src/fhir/search/paging.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '1' },
    only: { type: 'string' },
    sql: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    named: { type: 'boolean', default: false },
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
const db = values.named ? openNamedStatementsDatabase(config.db) : await openDatabase(config.db);
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
  if (/^\s*select/i.test(q.sql) && !q.sql.includes('"fhir_audit_event"')) lastQuery.value = { sql: q.sql, bindings: q.bindings ?? [] };
  queries++;
  // Multi-row inserts (the audit trail's batches), IN lists and savepoints count as one shape each.
  const shape = q.sql
    .replace(/\$\d+/g, '?')
    .replace(/(\([?, ]+\))(, \([?, ]+\))+/g, '$1, ...')
    .replace(/ in \(\?(, \?)+\)/g, ' in (?, ...)')
    .replace(/SAVEPOINT trx\d+/g, 'SAVEPOINT trx…');
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

interface Workload {
  url: () => string;
  method?: 'GET' | 'POST';
  payload?: () => string;
  headers?: Record<string, string>;
}
const page = `${base}/Patient?gender=female&_count=20`;
const xml = { accept: 'application/fhir+xml' };
// The Patients the transaction workload updates (unchanged), as this server serves them.
const patients = await Promise.all(
  s.uuids.slice(0, 100).map(async (uuid) => (await app.inject({ url: `${base}/Patient/${uuid}`, headers: { authorization: `Bearer ${token}` } })).json() as { id: string }),
);
const workloads: Record<string, Workload> = {
  'ours-read': { url: () => `${base}/Patient/${pick(s.uuids)}` },
  'ours-search-id': { url: () => `${base}/Patient?identifier=${encodeURIComponent(pick(s.chfids))}` },
  'ours-search-name': { url: () => `${base}/Patient?name=${encodeURIComponent(pick(s.namePrefixes))}&_count=10` },
  'ours-page-first': { url: () => page },
  'ours-page-last': { url: () => `${page}&_cursor=${encodeCursor({ direction: 'next', key: [pick(s.lastPageKeys)] })}` },
  'ours-claims': { url: () => `${base}/Claim?provider=${pick(s.facilities)}&_count=10` },
  'ours-claims-include': { url: () => `${base}/Claim?provider=${pick(s.facilities)}&_count=10&_include=Claim:patient` },
  'ours-transaction': {
    url: () => `${base}/`,
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    payload: () => {
      const update = pick(patients);
      return JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: update, request: { method: 'PUT', url: `Patient/${update.id}` } },
          { request: { method: 'GET', url: `Patient/${pick(s.uuids)}` } },
          { request: { method: 'GET', url: `Patient?identifier=${encodeURIComponent(pick(s.chfids))}` } },
        ],
      });
    },
  },
  'ours-read-xml': { url: () => `${base}/Patient/${pick(s.uuids)}`, headers: xml },
  'ours-page-xml': { url: () => page, headers: xml },
  'ours-metadata': { url: () => `${base}/metadata` },
  // Floors of this app's stack: a public route without SQL, and one with one `select 1`.
  health: { url: () => '/health' },
  ready: { url: () => '/ready' },
};
const send = (w: Workload) =>
  app.inject({ method: w.method ?? 'GET', url: w.url(), payload: w.payload?.(), headers: { authorization: `Bearer ${token}`, ...w.headers } });
const only = values.only ? new Set(values.only.split(',')) : undefined;

console.log(`${total} requests per workload, concurrency ${concurrency}, in-process (app.inject)`);
console.log('workload           req/s   wall ms/req  CPU ms/req (user+sys)  SQL/req  SQL wait ms/req  bytes/resp');
const selected = Object.entries(workloads).filter(([name]) => !only || only.has(name));
// Warm-up of every selected workload first (the shared code paths get compiled by V8 once), so that
// the first workload measured is not the one that pays for it; then a short one before each.
for (let i = 0; i < 300; i++) for (const [, workload] of selected) await send(workload);
for (const [name, workload] of selected) {
  for (let i = 0; i < 100; i++) await send(workload);
  queries = 0;
  dbMs = 0;
  statements.clear();
  lastQuery.value = undefined;
  let bytes = 0;
  let bad = 0;
  const profiler = values['cpu-prof'] ? await startProfiler() : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const res = await send(workload);
        if (res.statusCode !== 200) bad++;
        bytes += res.rawPayload.length;
      }
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const profile = profiler ? await stopProfiler(profiler, name) : undefined;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `${name.padEnd(17)} ${String(Math.round((total / wall) * 1000)).padStart(6)}  ${((wall * concurrency) / total).toFixed(3).padStart(11)}  ${(cpuMs / total).toFixed(3).padStart(10)} (${(cpu.user / 1000 / total).toFixed(2)}+${(cpu.system / 1000 / total).toFixed(2)})  ${(queries / total).toFixed(2).padStart(7)}  ${(dbMs / total).toFixed(3).padStart(15)}  ${Math.round(bytes / total).toString().padStart(10)}${bad ? `  ${bad} non-200!` : ''}`,
  );
  if (values.sql) for (const [sql, n] of statements) console.log(`    ${n}× ${sql}`);
  if (profile) summarise(profile);
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

async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return session;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

async function stopProfiler(session: Session, name: string): Promise<CpuProfile> {
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  mkdirSync('bench/results/profiles', { recursive: true });
  writeFileSync(`bench/results/profiles/${name}.cpuprofile`, JSON.stringify(profile));
  return profile;
}

/** Self time by package / source folder and by function, as % of the non-idle samples. */
function summarise(p: CpuProfile) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const where = (url: string, fn: string) => {
    if (!url) return fn; // (garbage collector), (program), native functions
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) return pkg[1];
    if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
    return url.replace(/^file:\/\/[^]*?\/(src|bench)\//, '$1/');
  };
  const byWhere = new Map<string, number>();
  const byFn = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const dt = p.timeDeltas[i] ?? 0;
    busy += dt;
    const w = where(node.callFrame.url, node.callFrame.functionName);
    byWhere.set(w, (byWhere.get(w) ?? 0) + dt);
    const f = `${node.callFrame.functionName || '(anonymous)'} ${w}:${node.callFrame.lineNumber + 1}`;
    byFn.set(f, (byFn.get(f) ?? 0) + dt);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `      ${((v / busy) * 100).toFixed(1).padStart(5)} %  ${k}`).join('\n');
  console.log(`    CPU profile: ${(busy / 1000).toFixed(0)} ms busy; self time by package or file:`);
  console.log(top(byWhere, 18));
  console.log('    by function:');
  console.log(top(byFn, 25));
  // Inclusive time: a sample counts for every distinct package and function of our code on its stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inPkg = new Map<string, number>();
  const inFn = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    if (byId.get(p.samples[i])?.callFrame.functionName === '(idle)') continue;
    const pkgs = new Set<string>();
    const fns = new Set<string>();
    for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
      const { url, functionName, lineNumber } = byId.get(id)!.callFrame;
      if (!url) continue;
      const w = where(url, functionName);
      pkgs.add(w.startsWith('src/') ? w.split('/').slice(0, 2).join('/') : w);
      if (w.startsWith('src/')) fns.add(`${functionName || '(anonymous)'} ${w}:${lineNumber + 1}`);
    }
    for (const k of pkgs) inPkg.set(k, (inPkg.get(k) ?? 0) + dt);
    for (const k of fns) inFn.set(k, (inFn.get(k) ?? 0) + dt);
  }
  console.log('    inclusive, by package or src folder:');
  console.log(top(inPkg, 18));
  console.log('    inclusive, our functions:');
  console.log(top(inFn, 30));
}
