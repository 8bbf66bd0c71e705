/**
 * One load run: autocannon, programmatic, in this process, with a fresh random path per request.
 * A short warm-up first (discarded), then the measured run; CPU time of the target process and of
 * PostgreSQL is read from /proc around the measured run, so cost per request is reported too.
 */
import autocannon from 'autocannon';
import { readdirSync, readFileSync } from 'node:fs';

export interface LoadSpec {
  name: string;
  /** Base URL of the target, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A new path (with query) for each request. */
  path: () => string;
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
  warmupS: number;
  /** Process whose CPU time is measured (the target server). */
  pid?: number;
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

/** CPU time of every running postgres process (server, backends, background workers). */
function postgresCpuMs(): number | undefined {
  try {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let comm: string;
      try {
        comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm === 'postgres') total += processCpuMs(Number(entry)) ?? 0;
    }
    return total;
  } catch {
    return undefined;
  }
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
            method: 'GET',
            setupRequest: (request: autocannon.Request) => {
              request.path = spec.path();
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

export async function measure(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupS > 0) await run(spec, spec.warmupS);
  const cpu0 = spec.pid ? processCpuMs(spec.pid) : undefined;
  const pg0 = postgresCpuMs();
  const r = await run(spec, spec.durationS);
  const cpu1 = spec.pid ? processCpuMs(spec.pid) : undefined;
  const pg1 = postgresCpuMs();
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
    pgCpuMsPerReq: perReq(pg0, pg1),
    valid: r.non2xx === 0 && r.errors === 0 && r.timeouts === 0 && requests > 0,
  };
}
