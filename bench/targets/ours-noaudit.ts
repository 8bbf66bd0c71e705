/**
 * This server without its audit trail, to measure what auditing costs a request (issue 5): built
 * as src/server.ts builds it, except `buildApp({ audit: false })`. That option exists for this
 * target only; no configuration variable turns auditing off, so production cannot lose it.
 */
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connect.js';
import { buildApp } from '../../src/app.js';
import { tieToParent } from './child.js';

const config = loadConfig();
const app = await buildApp({ config, db: await openDatabase(config.db), audit: false });
tieToParent(() => app.close());
await app.listen({ port: config.port, host: config.host });
