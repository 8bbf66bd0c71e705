/**
 * Two resource types that know nothing of openIMIS, over tables of their own with the versioned
 * column pattern: the engine tests drive every generic feature through them.
 * "HealthcareService" rows are parents; "Person" rows point at a parent (reference `organization`).
 */
import type { Knex } from 'knex';
import type { HealthcareService, Person } from 'fhir/r4.js';
import type { ResourceDefinition, VersionedTable } from '../../src/fhir/types.js';
import { insertVersioned, updateVersioned, deleteVersioned } from '../../src/db/legacy-history.js';
import { unprocessable } from '../../src/fhir/outcome.js';

const versioned = (name: string, pk: string, uuid: string): VersionedTable => ({
  name, pk, uuid, validityFrom: 'ValidityFrom', validityTo: 'ValidityTo', legacyId: 'LegacyID', auditUser: 'AuditUserID',
});
export const parentTable = versioned('test_parent', 'ParentID', 'ParentUUID');
export const childTable = versioned('test_child', 'ChildID', 'ChildUUID');

export async function createFakeTables(db: Knex) {
  for (const [table, extra] of [
    [parentTable, (t: Knex.CreateTableBuilder) => { t.string('Code', 8); t.string('Name', 100); }],
    [childTable, (t: Knex.CreateTableBuilder) => { t.string('Name', 100); t.integer('Rank'); t.date('Born'); t.integer('ParentID'); }],
  ] as const) {
    await db.schema.createTable(table.name, (t) => {
      t.increments(table.pk);
      t.string(table.uuid, 36).notNullable();
      t.timestamp('ValidityFrom', { useTz: true }).notNullable();
      t.timestamp('ValidityTo', { useTz: true });
      t.integer('LegacyID');
      t.integer('AuditUserID').notNullable();
      extra(t);
    });
  }
}

const rights = { read: [], vread: [], 'search-type': [], 'history-instance': [], 'history-type': [], create: [], update: [], delete: [] };

export const fakeParent: ResourceDefinition<HealthcareService> = {
  type: 'HealthcareService',
  table: parentTable,
  codeColumn: 'Code',
  select: (db) => db(`${parentTable.name} as t`).select('t.*'),
  toFhir: (row) => ({ resourceType: 'HealthcareService', id: row.ParentUUID, name: row.Name, identifier: [{ value: row.Code }] }) as HealthcareService,
  searchParams: [
    { code: 'name', type: 'string', description: 'name', columns: ['t.Name'], sortColumn: 't.Name' },
    { code: 'identifier', type: 'token', description: 'code', tokens: [{ column: 't.Code' }] },
  ],
  rights,
  create: async (r, ctx) => (await insertVersioned(ctx.tx, parentTable, { Name: r.name, Code: r.identifier?.[0]?.value }, { userId: ctx.caller.userId, at: ctx.at })).id,
  update: async (r, current, ctx) => {
    await updateVersioned(ctx.tx, parentTable, current, { Name: r.name, Code: r.identifier?.[0]?.value }, { userId: ctx.caller.userId, at: ctx.at });
  },
  delete: async (current, ctx) => {
    await deleteVersioned(ctx.tx, parentTable, current, { userId: ctx.caller.userId, at: ctx.at });
  },
};

export const fakeChild: ResourceDefinition<Person> = {
  type: 'Person',
  table: childTable,
  select: (db) => db(`${childTable.name} as t`).leftJoin(`${parentTable.name} as p`, 'p.ParentID', 't.ParentID').select('t.*', 'p.ParentUUID as parent_uuid'),
  toFhir: (row) => ({
    resourceType: 'Person',
    id: row.ChildUUID,
    name: [{ family: row.Name }],
    ...(row.Born ? { birthDate: row.Born } : {}),
    ...(row.parent_uuid || row.Rank !== null
      ? {
          extension: [
            ...(row.parent_uuid ? [{ url: 'urn:parent', valueReference: { reference: `HealthcareService/${row.parent_uuid}` } }] : []),
            ...(row.Rank !== null ? [{ url: 'urn:rank', valueInteger: row.Rank }] : []),
          ],
        }
      : {}),
  }) as unknown as Person,
  searchParams: [
    { code: 'name', type: 'string', description: 'name', columns: ['t.Name'], sortColumn: 't.Name' },
    { code: 'rank', type: 'number', description: 'rank', column: 't.Rank', sortColumn: 't.Rank' },
    { code: 'birthdate', type: 'date', description: 'born', column: 't.Born', precision: 'day', sortColumn: 't.Born' },
    { code: 'organization', type: 'reference', description: 'parent', column: 't.ParentID', target: 'HealthcareService' },
  ],
  rights,
  create: async (r, ctx) => {
    const ref = (r as any).extension?.find((e: any) => e.url === 'urn:parent')?.valueReference?.reference as string | undefined;
    const parent = ref ? await ctx.tx(parentTable.name).where(parentTable.uuid, ref.replace('HealthcareService/', '')).first() : undefined;
    if (ref && !parent) throw unprocessable(`no parent ${ref}`);
    const name = (r as any).name?.[0]?.family;
    return (await insertVersioned(ctx.tx, childTable, { Name: name, ParentID: parent?.ParentID ?? null }, { userId: ctx.caller.userId, at: ctx.at })).id;
  },
};
