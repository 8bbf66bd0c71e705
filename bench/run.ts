/**
 * npm run bench -- [--insurees N] [--duration S] [--connections C] [--warmup S] [--rounds R]
 *
 * Side by side, on PostgreSQL with generated insurees: a bare Fastify route (HTTP ceiling), a
 * hand-written Fastify + pg Patient read and search (the stack ceiling) and this server's Patient
 * read and searches. Prints throughput, p50, p99, errors and the ratios to the ceiling, and writes
 * bench/results/latest.json. See bench/README.md.
 */
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { benchDbFromEnv, describeDb, prepare, sample, type BenchDb, type Samples } from './data.js';
import { measure, othersCpuPct, waitIdle, warmUp, type LoadResult, type LoadSpec } from './load.js';
import { installCleanup, serverNodeFlags, spawnChild, stopAll, type Child } from './procs.js';
import { median, printReport, ratios, type Ratio } from './report.js';
import { encodeCursor } from '../src/fhir/search/paging.js';

const USAGE = `Usage: npm run bench -- [options]
  --insurees N      insurees in the bench database (default 100000; seeded when it holds fewer)
  --duration S      seconds per measured run (default 10)
  --warmup S        seconds of discarded warm-up before each run (default 3)
  --connections C   concurrent connections (default 10)
  --rounds R        repeat every run R times, every other round in reverse order, and report the
                    median run and the median of the rounds' ratios (default 1)
  --samples N       random insurees the requests are drawn from (default 2000)
  --only LIST       comma list of runs: bare,ceiling-read,ours-read,ceiling-search,ours-search-id,ours-search-name,
                    ceiling-read-workers,ours-read-workers,ceiling-search-workers,ours-search-id-workers,
                    ours-read-noaudit,ours-page-first,ours-page-last,ours-claims,ours-claims-include,
                    ours-transaction,ours-read-xml,ours-page-xml
  --wait-quiet S    before each run, wait up to S seconds for other processes to use < 10 % CPU
                    (shared machines; default 0: just report their share in the "others %" column)
  --experiments     also run the analysis variants: the ceiling with this server's SQL (unnamed and
                    prepared), and this server with named (prepared) statements
  --cpu-prof        write a V8 CPU profile of every target to bench/results/profiles/
Environment: BENCH_DB_NAME (default openimis_fhir_bench), DB_HOST, DB_PORT, DB_USER, DB_PASSWORD.`;

const BASE = '/api/api_fhir_r4';
const SECRET_KEY = 'bench-only-secret-key-0123456789abcdef';
const START_TIMEOUT_MS = 60_000;

function options() {
  const { values } = parseArgs({
    options: {
      insurees: { type: 'string', default: '100000' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '1' },
      samples: { type: 'string', default: '2000' },
      only: { type: 'string' },
      'wait-quiet': { type: 'string', default: '0' },
      'cpu-prof': { type: 'boolean', default: false },
      experiments: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const int = (name: keyof typeof values, min: number, max: number) => {
    const n = Number(String(values[name]).replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  const opts = {
    help: values.help,
    insurees: int('insurees', 100, 50_000_000),
    durationS: int('duration', 1, 600),
    warmupS: int('warmup', 0, 60),
    connections: int('connections', 1, 1000),
    rounds: int('rounds', 1, 50),
    samples: int('samples', 10, 100_000),
    only: values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined,
    cpuProf: values['cpu-prof'],
    experiments: values.experiments,
    waitQuietS: int('wait-quiet', 0, 3600),
  };
  for (const name of opts.only ?? []) {
    if (!RUN_NAMES.includes(name)) throw new UsageError(`--only: unknown run "${name}"; known: ${RUN_NAMES.join(', ')}`);
  }
  return opts;
}

class UsageError extends Error {}

const RUN_NAMES = [
  'bare', 'ceiling-read', 'ceiling-read-joins', 'ceiling-read-joins-prepared', 'ours-read', 'ours-named-read',
  'ceiling-search', 'ours-search-id', 'ours-named-search-id', 'ours-search-name', 'ours-named-search-name',
  // The engine's costlier paths (issue 3) and the audit trail's cost (issue 5).
  'ours-read-noaudit', 'ours-page-first', 'ours-page-last', 'ours-claims', 'ours-claims-include',
  'ours-transaction', 'ours-read-xml', 'ours-page-xml',
  // One process per core (WSGI_WORKERS), this server and the ceiling alike.
  'ceiling-read-workers', 'ours-read-workers', 'ceiling-search-workers', 'ours-search-id-workers',
];
const WORKER_RUNS = new Set(['ceiling-read-workers', 'ours-read-workers', 'ceiling-search-workers', 'ours-search-id-workers']);
const EXPERIMENTS = new Set(['ceiling-read-joins', 'ceiling-read-joins-prepared', 'ours-named-read', 'ours-named-search-id', 'ours-named-search-name']);

const log = (s: string) => console.log(`[bench] ${s}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Target {
  child: Child;
  url: string;
}

const isReady = (m: unknown): m is { ready: true; port: number } =>
  typeof m === 'object' && m !== null && (m as { ready?: unknown }).ready === true;

function dbEnv(db: BenchDb): Record<string, string> {
  return { DB_HOST: db.host, DB_PORT: String(db.port), DB_USER: db.user, DB_PASSWORD: db.password, DB_NAME: db.name, DB_POOL_MAX: '10' };
}

/**
 * Node flags that write a target's V8 CPU profiles to bench/results/profiles/<target>/ (one file per
 * thread: the main thread's is the one with thread id 0 in its name; tsx runs a loader thread too).
 */
function profileArgs(cpuProf: boolean, name: string): string[] {
  if (!cpuProf) return [];
  const dir = `bench/results/profiles/${name}`;
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** Targets A and B report their port over IPC once listening. */
async function startOwnTarget(name: string, file: string, db: BenchDb, cpuProf: boolean, env: Record<string, string> = {}): Promise<Target> {
  const child = spawnChild({
    name,
    command: process.execPath,
    args: [...serverNodeFlags(), ...profileArgs(cpuProf, name), '--import', 'tsx', file],
    env: { ...dbEnv(db), PORT: '0', NODE_ENV: 'production', ...env },
    ipc: true,
  });
  const { port } = await child.waitMessage(isReady, START_TIMEOUT_MS);
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Target C: src/server.ts with its own configuration variables; ready when /ready answers. */
async function startOurs(db: BenchDb, cpuProf: boolean, name = 'ours', file = 'bench/targets/ours.ts', env: Record<string, string> = {}): Promise<Target> {
  const port = await freePort();
  const child = spawnChild({
    name,
    command: process.execPath,
    args: [...serverNodeFlags(), ...profileArgs(cpuProf, name), '--import', 'tsx', file],
    env: {
      ...dbEnv(db),
      DB_ENGINE: 'postgresql',
      HOST: '127.0.0.1',
      PORT: String(port),
      MODE: 'DEV',
      LOG_LEVEL: 'warn',
      SECRET_KEY,
      NODE_ENV: 'production',
      ...env,
    },
    ipc: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  child.proc.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`this server exited before it was ready\n${child.tail()}`);
    try {
      const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return { child, url };
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`this server was not ready within ${START_TIMEOUT_MS / 1000} s\n${child.tail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}${BASE}/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'Admin', password: 'admin123' }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token) throw new Error(`login as Admin / admin123 failed (${res.status}): ${JSON.stringify(body).slice(0, 300)}`);
  return body.token;
}

interface RunDef {
  name: string;
  target: Target;
  path: () => string;
  method?: 'GET' | 'POST';
  body?: () => string;
  headers?: Record<string, string>;
  /** Checks one response before the load: a wrong answer fast is no result. */
  check: (body: { resourceType?: string; id?: string; type?: string; entry?: { resource?: { id?: string } }[] }) => string | undefined;
}

const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];

function defineRuns(
  t: { bare: Target; ceiling: Target; ours: Target; noAudit: Target; named?: Target; ceilingWorkers?: Target; oursWorkers?: Target },
  s: Samples,
  token: string,
  patients: Patient[],
): RunDef[] {
  const auth = { authorization: `Bearer ${token}` };
  const xml = { ...auth, accept: 'application/fhir+xml' };
  const page = `${BASE}/Patient?gender=female&_count=20`;
  const transaction = (b: { resourceType?: string; type?: string }) =>
    b.type === 'transaction-response' ? undefined : `expected a transaction-response, got ${b.resourceType} ${b.type}`;
  const patient = (b: { resourceType?: string }) => (b.resourceType === 'Patient' ? undefined : `expected a Patient, got ${b.resourceType}`);
  const bundle = (b: { resourceType?: string; entry?: unknown[] }) =>
    b.resourceType !== 'Bundle' ? `expected a Bundle, got ${b.resourceType}` : (b.entry?.length ?? 0) === 0 ? 'empty searchset' : undefined;
  const named = t.named ?? t.ours;
  const runs: RunDef[] = [
    { name: 'bare', target: t.bare, path: () => '/ping', check: () => undefined },
    { name: 'ceiling-read', target: t.ceiling, path: () => `/Patient/${pick(s.uuids)}`, check: patient },
    { name: 'ceiling-read-joins', target: t.ceiling, path: () => `/PatientJoined/${pick(s.uuids)}`, check: patient },
    { name: 'ceiling-read-joins-prepared', target: t.ceiling, path: () => `/PatientJoined/${pick(s.uuids)}?prepared=1`, check: patient },
    { name: 'ours-read', target: t.ours, path: () => `${BASE}/Patient/${pick(s.uuids)}`, headers: auth, check: patient },
    { name: 'ours-named-read', target: named, path: () => `${BASE}/Patient/${pick(s.uuids)}`, headers: auth, check: patient },
    { name: 'ceiling-search', target: t.ceiling, path: () => `/Patient?identifier=${encodeURIComponent(pick(s.chfids))}`, check: bundle },
    { name: 'ours-search-id', target: t.ours, path: () => `${BASE}/Patient?identifier=${encodeURIComponent(pick(s.chfids))}`, headers: auth, check: bundle },
    { name: 'ours-named-search-id', target: named, path: () => `${BASE}/Patient?identifier=${encodeURIComponent(pick(s.chfids))}`, headers: auth, check: bundle },
    { name: 'ours-search-name', target: t.ours, path: () => `${BASE}/Patient?name=${encodeURIComponent(pick(s.namePrefixes))}&_count=10`, headers: auth, check: bundle },
    { name: 'ours-named-search-name', target: named, path: () => `${BASE}/Patient?name=${encodeURIComponent(pick(s.namePrefixes))}&_count=10`, headers: auth, check: bundle },
    { name: 'ours-read-noaudit', target: t.noAudit, path: () => `${BASE}/Patient/${pick(s.uuids)}`, headers: auth, check: patient },
    // Deep paging: the first page, and the last ten pages through their keyset cursors (the links
    // a client following `next` arrives at).
    { name: 'ours-page-first', target: t.ours, path: () => page, headers: auth, check: bundle },
    { name: 'ours-page-last', target: t.ours, path: () => `${page}&_cursor=${encodeCursor({ direction: 'next', key: [pick(s.lastPageKeys)] })}`, headers: auth, check: bundle },
    // A page of claims, and the same with their patients included (one more query, not one per claim).
    { name: 'ours-claims', target: t.ours, path: () => `${BASE}/Claim?provider=${pick(s.facilities)}&_count=10`, headers: auth, check: bundle },
    { name: 'ours-claims-include', target: t.ours, path: () => `${BASE}/Claim?provider=${pick(s.facilities)}&_count=10&_include=Claim:patient`, headers: auth, check: bundle },
    // A transaction Bundle: an update (unchanged content: one history row per request), a read and a search.
    {
      name: 'ours-transaction',
      target: t.ours,
      path: () => `${BASE}/`,
      method: 'POST',
      body: () => transactionBundle(pick(patients), pick(s.uuids), pick(s.chfids)),
      headers: { ...auth, 'content-type': 'application/fhir+json' },
      check: transaction,
    },
    { name: 'ours-read-xml', target: t.ours, path: () => `${BASE}/Patient/${pick(s.uuids)}`, headers: xml, check: patient },
    { name: 'ours-page-xml', target: t.ours, path: () => page, headers: xml, check: bundle },
  ];
  if (t.ceilingWorkers && t.oursWorkers) {
    runs.push(
      { name: 'ceiling-read-workers', target: t.ceilingWorkers, path: () => `/Patient/${pick(s.uuids)}`, check: patient },
      { name: 'ours-read-workers', target: t.oursWorkers, path: () => `${BASE}/Patient/${pick(s.uuids)}`, headers: auth, check: patient },
      { name: 'ceiling-search-workers', target: t.ceilingWorkers, path: () => `/Patient?identifier=${encodeURIComponent(pick(s.chfids))}`, check: bundle },
      { name: 'ours-search-id-workers', target: t.oursWorkers, path: () => `${BASE}/Patient?identifier=${encodeURIComponent(pick(s.chfids))}`, headers: auth, check: bundle },
    );
  }
  return t.named ? runs : runs.filter((r) => !EXPERIMENTS.has(r.name));
}

type Patient = { resourceType: 'Patient'; id: string };

function transactionBundle(update: Patient, readId: string, chfid: string): string {
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { resource: update, request: { method: 'PUT', url: `Patient/${update.id}` } },
      { request: { method: 'GET', url: `Patient/${readId}` } },
      { request: { method: 'GET', url: `Patient?identifier=${encodeURIComponent(chfid)}` } },
    ],
  });
}

/** The Patients the transaction run updates (unchanged), as this server serves them. */
async function fetchPatients(target: Target, token: string, uuids: string[]): Promise<Patient[]> {
  const out: Patient[] = [];
  for (const uuid of uuids) {
    const res = await fetch(`${target.url}${BASE}/Patient/${uuid}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) throw new Error(`GET Patient/${uuid} answered ${res.status}`);
    out.push((await res.json()) as Patient);
  }
  return out;
}

async function smokeTest(run: RunDef): Promise<void> {
  const path = run.path();
  const method = run.method ?? 'GET';
  const res = await fetch(`${run.target.url}${path}`, { method, headers: run.headers, body: run.body?.(), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${run.name}: ${method} ${path} answered ${res.status}: ${text.slice(0, 400)}`);
  if (run.headers?.accept?.includes('xml')) {
    // A FHIR XML document of the type the JSON check expects, from its root element.
    const root = /^(?:<\?xml[^>]*>\s*)?<(\w+)[\s>]/.exec(text)?.[1];
    const problem = run.check({ resourceType: root, entry: root === 'Bundle' && text.includes('<entry>') ? [{}] : [] });
    if (problem || !res.headers.get('content-type')?.startsWith('application/fhir+xml')) throw new Error(`${run.name}: ${method} ${path}: ${problem ?? 'not FHIR XML'}`);
    return;
  }
  const problem = run.check(JSON.parse(text));
  if (problem) throw new Error(`${run.name}: ${method} ${path}: ${problem}`);
}

/** The median round by throughput stands for the run; errors of every round count. */
function combine(rounds: LoadResult[]): LoadResult {
  if (rounds.length === 1) return rounds[0];
  const m = median(rounds.map((r) => r.rps));
  const chosen = rounds.reduce((best, r) => (Math.abs(r.rps - m) < Math.abs(best.rps - m) ? r : best));
  const sum = (f: (r: LoadResult) => number) => rounds.reduce((a, r) => a + f(r), 0);
  return {
    ...chosen,
    rps: Math.round(m),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    valid: rounds.every((r) => r.valid),
  };
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() ? '+dirty-src' : '';
    return head + dirty;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const opts = options();
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  installCleanup();
  const started = Date.now();
  const db = benchDbFromEnv();
  const state = await prepare(db, opts.insurees, log);
  const samples = await sample(db, opts.samples);
  log(`${samples.uuids.length} random current insurees sampled from ${describeDb(db)}`);

  log('starting the targets');
  const experiments = opts.experiments || [...(opts.only ?? [])].some((n) => EXPERIMENTS.has(n));
  const withWorkers = !opts.only || [...opts.only].some((n) => WORKER_RUNS.has(n));
  const workers = String(availableParallelism());
  const [bare, ceiling, ours, noAudit, named, ceilingWorkers, oursWorkers] = await Promise.all([
    startOwnTarget('bare', 'bench/targets/bare.ts', db, opts.cpuProf),
    startOwnTarget('ceiling', 'bench/targets/ceiling.ts', db, opts.cpuProf),
    startOurs(db, opts.cpuProf),
    startOurs(db, opts.cpuProf, 'ours-noaudit', 'bench/targets/ours-noaudit.ts'),
    experiments ? startOurs(db, opts.cpuProf, 'ours-named', 'bench/targets/ours-named.ts') : undefined,
    withWorkers ? startOwnTarget('ceiling-workers', 'bench/targets/ceiling-workers.ts', db, opts.cpuProf, { CEILING_WORKERS: workers }) : undefined,
    withWorkers ? startOurs(db, opts.cpuProf, 'ours-workers', 'bench/targets/ours.ts', { WSGI_WORKERS: workers }) : undefined,
  ]);
  const token = await login(ours.url);
  const patients = await fetchPatients(ours, token, samples.uuids.slice(0, 200));
  const runs = defineRuns({ bare, ceiling, ours, noAudit, named, ceilingWorkers, oursWorkers }, samples, token, patients).filter((r) => !opts.only || opts.only.has(r.name));
  for (const run of runs) await smokeTest(run);
  log(`targets ready: bare ${bare.url}, ceiling ${ceiling.url}, ours ${ours.url}${named ? `, ours-named ${named.url}` : ''}; ${runs.length} runs × ${opts.rounds} round(s) × (${opts.warmupS} + ${opts.durationS}) s, ${opts.connections} connections`);

  const pids = [bare, ceiling, ours, noAudit, named, ceilingWorkers, oursWorkers].flatMap((t) => (t ? [t.child.pid] : []));
  if (!(await waitIdle(pids, START_TIMEOUT_MS))) log('warning: a target is still busy after its start: the first runs will be noisy');
  const busy = await othersCpuPct(2000, pids, db.name);
  if (busy !== undefined && busy >= 10) {
    log(`warning: other processes use ${busy} % of this machine's CPU: the numbers will be noisy${opts.waitQuietS ? '' : ' (see --wait-quiet)'}`);
  }
  const results = new Map<string, LoadResult[]>();
  const specOf = (run: RunDef): LoadSpec => ({
    name: run.name,
    url: run.target.url,
    path: run.path,
    method: run.method,
    body: run.body,
    headers: run.headers,
    connections: opts.connections,
    durationS: opts.durationS,
    warmupS: opts.warmupS,
    pid: run.target.child.pid,
    database: db.name,
  });
  // Every run warms its target once before any is measured: otherwise the first run on a target
  // (ours-read) pays for compiling the code paths all the others share.
  log('warming up every run');
  for (const run of runs) await warmUp(specOf(run));
  for (let round = 1; round <= opts.rounds; round++) {
    // Every other round runs backwards, so that within a pair of rounds each of two adjacent runs
    // goes first once: a machine growing slower or faster then favours neither.
    for (const run of round % 2 ? runs : [...runs].reverse()) {
      if (opts.waitQuietS) await waitQuiet(opts.waitQuietS, pids, db.name);
      const r = await measure(specOf(run));
      log(`${opts.rounds > 1 ? `round ${round} ` : ''}${run.name}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.valid ? '' : ` — INVALID (${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts)`}`);
      results.set(run.name, [...(results.get(run.name) ?? []), r]);
    }
  }
  await stopAll();

  const rows = runs.map((run) => combine(results.get(run.name)!));
  const ratioRows: Ratio[] = ratios(rows, results);
  printReport(rows, ratioRows);

  const out = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    database: { ...describeDbParts(db), currentInsurees: state.currentInsurees },
    options: { insurees: opts.insurees, durationS: opts.durationS, warmupS: opts.warmupS, connections: opts.connections, rounds: opts.rounds, samples: opts.samples },
    results: rows,
    rounds: Object.fromEntries(results),
    ratios: ratioRows,
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(out, null, 2)}\n`);
  log('results written to bench/results/latest.json');
  return rows.every((r) => r.valid) ? 0 : 2;
}

async function waitQuiet(maxS: number, pids: number[], database: string): Promise<void> {
  const started = Date.now();
  let others = await othersCpuPct(2000, pids, database);
  if (others === undefined || others < 10) return;
  log(`waiting up to ${maxS} s for a quieter machine (others use ${others} % CPU)`);
  while (others !== undefined && others >= 10 && Date.now() - started < maxS * 1000) {
    others = await othersCpuPct(3000, pids, database);
  }
  log(others !== undefined && others < 10
    ? `quiet after ${Math.round((Date.now() - started) / 1000)} s`
    : `still busy (others use ${others} % CPU): measuring anyway`);
}

function describeDbParts(db: BenchDb) {
  return { host: db.host, port: db.port, name: db.name };
}

// Nothing may run unbounded: the whole benchmark has a ceiling in time too.
const GLOBAL_TIMEOUT_MS = 4 * 3600_000;
const globalTimer = setTimeout(() => {
  console.error(`[bench] gave up after ${GLOBAL_TIMEOUT_MS / 3600_000} h`);
  stopAll().finally(() => process.exit(1));
}, GLOBAL_TIMEOUT_MS);
globalTimer.unref();

main().then(
  async (code) => {
    await stopAll();
    process.exit(code);
  },
  async (err) => {
    console.error(err instanceof UsageError ? `${err.message}\n\n${USAGE}` : `[bench] failed: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll();
    process.exit(1);
  },
);
