/**
 * Child processes of the benchmark. Each runs in a process group of its own (so that the seed's
 * self-relaunch and any grandchild go with it) and is killed, group-wide, when the harness exits
 * for any reason: normal end, error, Ctrl-C, SIGTERM. Targets also get an IPC channel and exit
 * themselves when it closes, so not even a SIGKILLed harness leaves servers behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * The node flags the server runs with in production: those of package.json's `start:prod` script
 * (the Dockerfile and `npm start` use the same). Every target gets them, the ceilings too, so that
 * the comparison is between programs, not between V8 settings.
 */
export function serverNodeFlags(packageJson = readFileSync('package.json', 'utf8')): string[] {
  const script = (JSON.parse(packageJson) as { scripts?: Record<string, string> }).scripts?.['start:prod'] ?? '';
  const [command, ...args] = script.split(/\s+/);
  if (command !== 'node') throw new Error(`package.json's start:prod does not start with node: ${script}`);
  const file = args.findIndex((a) => !a.startsWith('-'));
  return file < 0 ? args : args.slice(0, file);
}

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** The last lines of output, for error messages. */
  tail(): string;
  /** Resolves with the exit code (null on timeout, after which the child is killed). */
  waitExit(timeoutMs: number): Promise<number | null>;
  /** Resolves with the first IPC message matching `accept`, rejects on exit or timeout. */
  waitMessage<T>(accept: (m: unknown) => m is T, timeoutMs: number): Promise<T>;
  stop(graceMs?: number): Promise<void>;
}

const children = new Set<Child>();

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Show the child's output on ours (the seed); otherwise keep only a tail for errors. */
  inheritOutput?: boolean;
  ipc?: boolean;
}

export function spawnChild(opts: SpawnOptions): Child {
  const proc = spawn(opts.command, opts.args, {
    cwd: process.cwd(),
    env: { ...process.env, ...opts.env },
    detached: true,
    stdio: ['ignore', opts.inheritOutput ? 'inherit' : 'pipe', opts.inheritOutput ? 'inherit' : 'pipe', ...(opts.ipc ? ['ipc' as const] : [])],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${opts.name}`);
  const pid = proc.pid;
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code) => {
      exitCode = code ?? 128; // killed by a signal
      children.delete(child);
      resolve(exitCode);
    });
    proc.on('error', (err) => {
      keep(Buffer.from(String(err)));
      exitCode = 127;
      children.delete(child);
      resolve(127);
    });
  });

  const child: Child = {
    name: opts.name,
    proc,
    pid,
    tail: () => tail,
    async waitExit(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      });
      const result = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (result === null && exitCode === undefined) {
        await child.stop();
        return null;
      }
      return result;
    },
    waitMessage(accept, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${opts.name} did not start within ${timeoutMs / 1000} s\n${tail}`)), timeoutMs);
        const onMessage = (m: unknown) => {
          if (accept(m)) done(undefined, m);
        };
        const onExit = (code: number | null) => done(new Error(`${opts.name} exited (${code}) before it was ready\n${tail}`));
        function done(err?: Error, m?: unknown) {
          clearTimeout(timer);
          proc.off('message', onMessage);
          proc.off('exit', onExit);
          if (err) reject(err);
          else resolve(m as never);
        }
        proc.on('message', onMessage);
        proc.on('exit', onExit);
      });
    },
    async stop(graceMs = 5000) {
      if (exitCode !== undefined) return;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Grandchildren (the seed relaunches itself) go with the group.
      killGroup(pid, 'SIGKILL');
    },
  };
  children.add(child);
  return child;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop()));
}

let installed = false;

/** Kills every child on exit, Ctrl-C, SIGTERM and crashes. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  // Last resort, synchronous: whatever is still alive when the process exits.
  process.on('exit', () => {
    for (const c of children) killGroup(c.pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping ${children.size} child process(es)`);
      const force = setTimeout(() => process.exit(130), 6000);
      force.unref();
      stopAll().finally(() => process.exit(130));
    });
  }
  process.on('uncaughtException', (err) => {
    console.error(err);
    stopAll().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (err) => {
    console.error(err);
    stopAll().finally(() => process.exit(1));
  });
}
