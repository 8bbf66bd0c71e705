/**
 * Migrations of the tables this server owns. They carry the prefix fhir_; legacy openIMIS tables are
 * never altered. Written with the Knex schema builder, so they run on PostgreSQL, PGlite and SQL Server.
 */
import type { Knex } from 'knex';
import { dialectFor } from '../dialect/index.js';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: Migration[] = [
  {
    name: '001_fhir_audit_event',
    async up(knex) {
      // Same history columns as the legacy tables, so the generic engine serves it as AuditEvent.
      await knex.schema.createTable('fhir_audit_event', (t) => {
        t.increments('AuditEventID');
        t.string('AuditEventUUID', 36).notNullable().unique();
        t.timestamp('ValidityFrom', { useTz: true }).notNullable().index();
        t.timestamp('ValidityTo', { useTz: true });
        t.integer('LegacyID');
        t.integer('AuditUserID').notNullable();
        t.string('Action', 1).notNullable();
        t.string('Subtype', 32).notNullable().index();
        t.string('Outcome', 2).notNullable();
        t.integer('StatusCode').notNullable();
        t.string('Username', 50).index();
        t.string('ClientIp', 64);
        t.string('Method', 10).notNullable();
        t.string('Path', 2000).notNullable();
        t.string('ResourceType', 64).index();
        t.string('ResourceId', 64);
        t.string('RequestId', 64);
        t.integer('DurationMs');
      });
    },
    async down(knex) {
      await knex.schema.dropTableIfExists('fhir_audit_event');
    },
  },
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};

export const MIGRATIONS_TABLE = 'fhir_knex_migrations';

/** Brings the server's own tables up to date (never touches legacy tables). */
export async function migrateOwnTables(knex: Knex): Promise<void> {
  await knex.migrate.latest({ migrationSource, tableName: MIGRATIONS_TABLE });
}

const MIGRATION_LOCK = 'openimis-fhir: migrations';

/**
 * migrateOwnTables on a database other servers may open at the same moment: replicas started
 * together, the workers' primaries of several machines, the benchmark's targets. One migrates
 * while the others wait for the dialect's lock, then find nothing left to do. Knex's own lock
 * does not serve: two servers creating its lock table at once collide in PostgreSQL's catalogue
 * (duplicate key in pg_class), and a server that finds the table locked fails instead of waiting.
 * The lock is held by a transaction on `lockDb`, a connection of its own, so that a pool of one
 * connection can still migrate.
 */
export async function migrateOwnTablesExclusively(knex: Knex, lockDb: Knex): Promise<void> {
  await lockDb.transaction(async (trx) => {
    await dialectFor(trx).exclusiveLock(trx, MIGRATION_LOCK);
    await migrateOwnTables(knex);
  });
}
