/**
 * Migrations of the tables this server owns. They carry the prefix fhir_; legacy openIMIS tables are
 * never altered. Written with the Knex schema builder, so they run on PostgreSQL, PGlite and SQL Server.
 */
import type { Knex } from 'knex';

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
