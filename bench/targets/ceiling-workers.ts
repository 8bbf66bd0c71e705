/**
 * The stack ceiling (ceiling.ts) in several processes on one port, as this server runs with
 * WSGI_WORKERS: the fair ceiling for it. CEILING_WORKERS processes (default: one per core); ready
 * when all of them listen.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { reportReady, tieToParent } from './child.js';

const workers = Number(process.env.CEILING_WORKERS ?? availableParallelism());
cluster.setupPrimary({ exec: fileURLToPath(new URL('./ceiling.ts', import.meta.url)), execArgv: ['--import', 'tsx'] });
let ready = 0;
for (let i = 0; i < workers; i++) {
  cluster.fork().on('message', (message: { ready?: boolean; port?: number }) => {
    if (message?.ready && ++ready === workers) reportReady(message.port ?? 0);
  });
}
// The workers leave when this process does (their IPC channel closes).
tieToParent();
