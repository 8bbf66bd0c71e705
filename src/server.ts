/**
 * Process entry: read the configuration, open the database, build the app, listen, and close
 * gracefully on SIGTERM/SIGINT (in-flight requests finish, then the pool closes). With WSGI_WORKERS
 * above 1 this process becomes the primary of that many worker processes (cluster.ts), each of
 * which runs this same function.
 */
import { loadConfig, ConfigError } from './config.js';
import { openDatabase } from './db/connect.js';
import { buildApp } from './app.js';
import { warmUpValidation } from './fhir/validation/index.js';
import cluster from 'node:cluster';
import { runPrimary } from './cluster.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  const db = await openDatabase(config.db);
  const app = await buildApp({ config, db });
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (error) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  await app.listen({ port: config.port, host: config.host });
  // Compile the validators now rather than on the first write (a few seconds of CPU).
  setImmediate(() => {
    const started = Date.now();
    warmUpValidation(app.fhirTypes);
    app.log.info({ ms: Date.now() - started }, 'validation ready');
  });
}

main().catch((error) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
