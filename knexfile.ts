/**
 * Knex CLI profile (npm run migrate): the configured database, and the migrations of the tables
 * this server owns. Those tables carry the prefix fhir_; legacy openIMIS tables are never altered.
 */
import type { Knex } from 'knex';
import { loadConfig } from './src/config.js';
import { knexConfig } from './src/db/connect.js';
import { migrationSource, MIGRATIONS_TABLE } from './src/db/migrations/index.js';

const config = loadConfig();

const profile: Knex.Config = {
  ...knexConfig(config.db),
  migrations: { migrationSource, tableName: MIGRATIONS_TABLE },
};

export default profile;
