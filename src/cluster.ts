/**
 * Several server processes on one port (WSGI_WORKERS > 1). Node runs JavaScript on one core, so a
 * single process leaves the other cores of a production machine to PostgreSQL at best. The primary
 * process serves nothing itself: it runs the migrations once, starts the workers (each one the
 * whole server, src/server.ts), starts a new one when one dies, relays messages between them, and
 * on SIGTERM lets every worker finish its requests before it exits.
 */
import cluster, { type Worker } from 'node:cluster';
import pino from 'pino';
import type { Config } from './config.js';
import { openDatabase } from './db/connect.js';

/** Workers that die this soon after their start, this many times in a row, stop the server. */
const EARLY_DEATH_MS = 10_000;
const MAX_EARLY_DEATHS = 3;
/** A worker that has not finished its in-flight requests by then is killed. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

/** Messages a worker sends for its siblings carry this key; the primary passes them on. */
export const RELAY = 'openimis-fhir:relay';

export async function runPrimary(config: Config): Promise<void> {
  const log = pino({ level: config.logLevel }).child({ role: 'primary' });
  // Migrations once, before any worker opens the database (each worker's own check is then a no-op).
  const db = await openDatabase(config.db);
  await db.destroy();

  let stopping = false;
  let earlyDeaths = 0;
  const startedAt = new Map<Worker, number>();
  const start = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.on('message', (message: unknown) => {
      if (!message || typeof message !== 'object' || !(RELAY in message)) return;
      for (const other of Object.values(cluster.workers ?? {})) if (other && other !== worker && other.isConnected()) other.send(message);
    });
  };

  cluster.on('listening', () => {
    earlyDeaths = 0;
  });
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    log.error({ worker: worker.process.pid, code, signal }, 'worker exited');
    if (lived < EARLY_DEATH_MS && ++earlyDeaths >= MAX_EARLY_DEATHS) {
      log.fatal(`workers keep dying at start (${earlyDeaths} in a row): stopping`);
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    start();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down the workers');
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) process.exit(0);
      for (const worker of workers) worker?.process.kill('SIGTERM');
      setTimeout(() => {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS).unref();
    });
  }

  for (let i = 0; i < config.workers; i++) start();
  log.info({ workers: config.workers, port: config.port }, 'started the workers');
}
