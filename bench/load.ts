/**
 * One load run: autocannon, programmatic, in this process, with a fresh random path per request.
 * A short warm-up first (discarded), then the measured run; CPU time of the target process and of
 * the PostgreSQL backends of the bench database is read from /proc around the measured run, so
 * cost per request is reported too, and so is the CPU other processes took from the machine.
 */
import autocannon from 'autocannon';
import { readdirSync, readFileSync } from 'node:fs';

export interface LoadSpec {
  name: string;
  /** Base URL of the target, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A new path (with query) for each request. */
  path: () => string;
  /** GET unless given; a body, when given, is made anew for each request too. */
  method?: 'GET' | 'POST';
  body?: () => string;
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
  warmupS: number;
  /** Process whose CPU time is measured (the target server). */
  pid?: number;
  /** Database whose PostgreSQL backends' CPU time is measured. */
  database?: string;
}

export interface LoadResult {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** CPU milliseconds per request in the target process and in all postgres processes. */
  serverCpuMsPerReq?: number;
  pgCpuMsPerReq?: number;
  /** CPU the load generator (this process) used, in % of one core. */
  loadgenCpuPct?: number;
  /**
   * CPU used during the run by processes other than the target, PostgreSQL and the load generator
   * (other work on a shared machine), in % of the whole machine: above ~10 % the numbers are noisy.
   */
  othersCpuPct?: number;
  valid: boolean;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (1-based), i.e. 11 and 12 after the command.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU time of a process and its child processes (the workers of a server with WSGI_WORKERS > 1). */
function treeCpuMs(pid: number): number | undefined {
  const own = processCpuMs(pid);
  if (own === undefined) return undefined;
  let children = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The parent pid is the second field after the command.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children += processCpuMs(Number(entry)) ?? 0;
    } catch {
      /* gone */
    }
  }
  return own + children;
}

/**
 * CPU time per PostgreSQL backend serving `database` (other databases of the same cluster, e.g.
 * concurrent test runs, are not counted), by pid.
 */
function postgresCpu(database: string | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (!database) return out;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      // A backend's title: "postgres: 15/main: <user> <database> <client> <state>"
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!title.includes(` ${database} `)) continue;
      const ms = processCpuMs(Number(entry));
      if (ms !== undefined) out.set(Number(entry), ms);
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU used between two snapshots by the backends alive at the end (new ones from zero). */
function postgresCpuUsed(before: Map<number, number>, after: Map<number, number>): number {
  let used = 0;
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0);
  return used;
}

/** Busy and total CPU ticks of the whole machine, from the first line of /proc/stat. */
export function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = fields.map(Number);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0); // user nice system idle iowait irq softirq steal
    return { busy: total - n[3] - n[4], total };
  } catch {
    return undefined;
  }
}

/** CPU % of the machine used by processes other than `pids`, PostgreSQL and this one, over `ms`. */
export async function othersCpuPct(ms: number, pids: number[] = [], database?: string): Promise<number | undefined> {
  const ours = () => pids.reduce((a, pid) => a + (treeCpuMs(pid) ?? 0), 0) + selfCpuMs();
  const m0 = machineTicks();
  const o0 = ours();
  const pg0 = postgresCpu(database);
  await new Promise((r) => setTimeout(r, ms));
  const m1 = machineTicks();
  const o1 = ours();
  return others(m0, m1, o1 - o0 + postgresCpuUsed(pg0, postgresCpu(database)));
}

/**
 * Waits until every process in `pids` has used under 5 % of a core for a second, up to `maxMs`: a
 * target may still be busy after it answers (this server compiles its validators right after it
 * starts listening), and that work must not land in the first measured run. Returns whether it did.
 */
export async function waitIdle(pids: number[], maxMs: number): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const before = pids.map((pid) => treeCpuMs(pid) ?? 0);
    await new Promise((r) => setTimeout(r, 1000));
    const busiest = Math.max(...pids.map((pid, i) => (treeCpuMs(pid) ?? 0) - before[i]));
    if (busiest < 50) return true;
    if (Date.now() > deadline) return false;
  }
}

const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function others(m0: ReturnType<typeof machineTicks>, m1: ReturnType<typeof machineTicks>, oursMs: number): number | undefined {
  if (!m0 || !m1 || m1.total === m0.total) return undefined;
  const busyMs = ((m1.busy - m0.busy) * 1000) / CLOCK_TICKS;
  const totalMs = ((m1.total - m0.total) * 1000) / CLOCK_TICKS;
  return Math.max(0, Math.round(((busyMs - oursMs) / totalMs) * 100));
}

function run(spec: LoadSpec, durationS: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: durationS,
        headers: spec.headers,
        timeout: 10,
        requests: [
          {
            method: spec.method ?? 'GET',
            setupRequest: (request: autocannon.Request) => {
              request.path = spec.path();
              if (spec.body) request.body = spec.body();
              return request;
            },
          },
        ],
      },
      (err, result) => {
        clearTimeout(watchdog);
        if (err) reject(err);
        else resolve(result);
      },
    );
    // autocannon stops itself after `duration`; this only guards against a hang.
    const watchdog = setTimeout(() => {
      instance.stop();
      reject(new Error(`${spec.name}: load run did not end within ${durationS + 30} s`));
    }, (durationS + 30) * 1000);
  });
}

/** Load without measuring: V8 compiles a server's paths when they get hot, not before. */
export async function warmUp(spec: LoadSpec): Promise<void> {
  if (spec.warmupS > 0) await run(spec, spec.warmupS);
}

export async function measure(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupS > 0) await run(spec, spec.warmupS);
  const cpu0 = spec.pid ? treeCpuMs(spec.pid) : undefined;
  const pg0 = postgresCpu(spec.database);
  const self0 = selfCpuMs();
  const m0 = machineTicks();
  const t0 = Date.now();
  const r = await run(spec, spec.durationS);
  const wallMs = Date.now() - t0;
  const m1 = machineTicks();
  const self1 = selfCpuMs();
  const cpu1 = spec.pid ? treeCpuMs(spec.pid) : undefined;
  const pgUsed = postgresCpuUsed(pg0, postgresCpu(spec.database));
  const used = (a?: number, b?: number) => (a === undefined || b === undefined ? 0 : b - a);
  const requests = r.requests.total;
  const perReq = (a?: number, b?: number) =>
    a === undefined || b === undefined || requests === 0 ? undefined : Math.round(((b - a) / requests) * 1000) / 1000;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries((r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) {
    statusCodes[code] = stat.count;
  }
  return {
    name: spec.name,
    requests,
    rps: Math.round(requests / r.duration),
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    serverCpuMsPerReq: perReq(cpu0, cpu1),
    pgCpuMsPerReq: spec.database ? perReq(0, pgUsed) : undefined,
    loadgenCpuPct: Math.round(((self1 - self0) / wallMs) * 100),
    othersCpuPct: others(m0, m1, used(cpu0, cpu1) + pgUsed + (self1 - self0)),
    valid: r.non2xx === 0 && r.errors === 0 && r.timeouts === 0 && requests > 0,
  };
}
