/**
 * The server's node flags are written in three places a user starts it from (npm start, npm run
 * start:prod, the Docker image); the benchmark reads them from start:prod. They must agree, and
 * node must accept them.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { serverNodeFlags } from '../../bench/procs.js';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const flags = serverNodeFlags();

t.test('start:prod gives the flags, and node accepts them', async (t) => {
  t.ok(flags.length > 0, `flags: ${flags.join(' ')}`);
  t.ok(flags.every((f) => f.startsWith('--')));
  t.equal(execFileSync(process.execPath, [...flags, '-e', 'process.stdout.write("ran")'], { encoding: 'utf8' }), 'ran');
});

t.test('npm start and the Docker image run the server with the same flags', async (t) => {
  t.equal(scripts.start, `node ${flags.join(' ')} --import tsx src/server.ts`);
  t.equal(scripts['start:prod'], `node ${flags.join(' ')} dist/src/server.js`);
  const cmd = readFileSync('Dockerfile', 'utf8').match(/^CMD (\[.*\])$/m)?.[1];
  t.same(JSON.parse(cmd ?? 'null'), ['node', ...flags, 'dist/src/server.js']);
});

t.test('serverNodeFlags reads the flags before the script', async (t) => {
  const pkg = (script: string) => JSON.stringify({ scripts: { 'start:prod': script } });
  t.same(serverNodeFlags(pkg('node dist/src/server.js')), []);
  t.same(serverNodeFlags(pkg('node --a=1 --b dist/src/server.js --c')), ['--a=1', '--b']);
  t.throws(() => serverNodeFlags(pkg('tsx src/server.ts')), /does not start with node/);
});
