/**
 * Experiment (npm run bench -- --experiments): this server unchanged, except that knex sends every
 * SELECT as a named statement, so PostgreSQL plans it once per connection instead of on every
 * request. Same start-up as src/server.ts otherwise.
 */
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/app.js';
import { openNamedStatementsDatabase } from './named-client.js';
import { tieToParent } from './child.js';

const config = loadConfig();
const app = await buildApp({ config, db: openNamedStatementsDatabase(config.db) });
tieToParent(() => app.close());
await app.listen({ port: config.port, host: config.host });
