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
    [parentTable, (t: Knex.CreateTableBuilder) => { t.string('Code', 8); t.string('Name', 100); t.string('Url', 200); t.integer('UpperID'); }],
    [
      childTable,
      (t: Knex.CreateTableBuilder) => {
        t.string('Name', 100); t.integer('Rank'); t.date('Born'); t.integer('ParentID');
        t.date('Starts'); t.date('Ends'); t.decimal('Amount', 18, 2);
      },
    ],
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
  // A link table (parents ⇄ children, many to many) whose rows close like openIMIS rows.
  await db.schema.createTable('test_membership', (t) => {
    t.increments('MembershipID');
    t.integer('ParentID').notNullable();
    t.integer('ChildID').notNullable();
    t.timestamp('ValidityTo', { useTz: true });
  });
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

/**
 * The same two types with the search features that reach beyond the main table's columns: hops to
 * other tables, Periods, conditions, constant references, quantities, URIs, :text and hierarchies;
 * and row security (a name or code that hides the row), which every query must keep.
 */
const today = () => new Date().toISOString().slice(0, 10);

export const CONFIGURED_SERVICE: HealthcareService = { resourceType: 'HealthcareService', id: 'configured-service', name: 'Configured' };

export const hopParent: ResourceDefinition<HealthcareService> = {
  ...fakeParent,
  scope: (qb) => {
    qb.where((w) => w.whereNull('t.Code').orWhereNot('t.Code', 'PX'));
  },
  fixedInstances: () => [CONFIGURED_SERVICE],
  searchParams: [
    ...fakeParent.searchParams,
    {
      code: 'member',
      type: 'reference',
      description: 'children linked through the membership table (current links only)',
      column: 'v.ChildID',
      target: 'Person',
      via: { table: 'test_membership', from: 't.ParentID', key: 'ParentID', current: 'ValidityTo' },
    },
    { code: 'url', type: 'uri', description: 'canonical URL', column: 't.Url' },
    { code: 'partof', type: 'reference', description: 'the parent above', column: 't.UpperID', target: 'HealthcareService', hierarchyDepth: 3 },
  ],
};

export const hopChild: ResourceDefinition<Person> = {
  ...fakeChild,
  select: (db) => db(`${childTable.name} as t`).select('t.*'),
  toFhir: (row) => ({ resourceType: 'Person', id: row.ChildUUID, name: [{ family: row.Name }] }) as Person,
  scope: (qb) => {
    qb.where((w) => w.whereNull('t.Name').orWhereNot('t.Name', 'Hidden'));
  },
  searchParams: [
    ...fakeChild.searchParams,
    {
      code: 'parent-code',
      type: 'token',
      description: "the parent's code (its name as display)",
      tokens: [{ column: 'v.Code', display: 'v.Name' }],
      via: { table: parentTable.name, from: 't.ParentID', key: 'ParentID', current: 'ValidityTo' },
    },
    { code: 'period', type: 'date', description: 'Starts–Ends', column: 't.Starts', endColumn: 't.Ends', precision: 'day', sortColumn: 't.Starts' },
    {
      code: 'state',
      type: 'token',
      description: 'current or ended, from Ends against today',
      tokens: [
        {
          column: 't.ValidityFrom',
          conditions: {
            current: (w) => w.whereNull('t.Ends').orWhere('t.Ends', '>=', today()),
            ended: (w) => w.whereNotNull('t.Ends').where('t.Ends', '<', today()),
          },
        },
      ],
    },
    {
      code: 'kind',
      type: 'token',
      description: 'odd or even rank',
      tokens: [{ column: 't.Rank', system: 'urn:kind', codes: { odd: [1, 3, 5], even: [0, 2, 4, 6] }, displays: { odd: 'Odd rank', even: 'Even rank' } }],
    },
    { code: 'amount', type: 'quantity', description: 'an amount of money', column: 't.Amount', unit: (ctx) => ({ system: 'urn:iso:std:iso:4217', code: ctx.currency }) },
    { code: 'insurer', type: 'reference', description: 'always the configured service', target: 'HealthcareService', constant: CONFIGURED_SERVICE.id! },
  ],
};
