/**
 * Target C, this server: src/server.ts as it is (configuration from the environment the harness
 * sets), in a process that also goes away when the harness does.
 */
import { tieToParent } from './child.js';

// The server closes gracefully on SIGTERM itself; only a vanished harness needs handling here.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
if (!process.send) tieToParent();
await import('../../src/server.js');
