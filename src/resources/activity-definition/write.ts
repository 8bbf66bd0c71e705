/** Creating, updating and deleting register services the openIMIS way (history copies, soft delete). */
import type { ActivityDefinition } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, WriteContext } from '../../fhir/types.js';
import { conflict } from '../../fhir/outcome.js';
import { deleteVersioned, insertVersioned, updateVersioned } from '../../db/legacy-history.js';
import { serviceTable } from './table.js';
import { activityDefinitionToService } from './from-fhir.js';

export async function createService(definition: ActivityDefinition, ctx: WriteContext): Promise<number> {
  const values = activityDefinitionToService(definition, ctx.currency);
  await ensureUniqueCode(ctx.tx, String(values.ServCode));
  const { id } = await insertVersioned(ctx.tx, serviceTable, values, audit(ctx));
  return id;
}

export async function updateService(definition: ActivityDefinition, current: Row, ctx: WriteContext): Promise<void> {
  const values = activityDefinitionToService(definition, ctx.currency);
  if (values.ServCode !== String(current.ServCode).trim()) await ensureUniqueCode(ctx.tx, String(values.ServCode));
  await updateVersioned(ctx.tx, serviceTable, current, values, audit(ctx));
}

export async function deleteService(current: Row, ctx: WriteContext): Promise<void> {
  await deleteVersioned(ctx.tx, serviceTable, current, audit(ctx));
}

async function ensureUniqueCode(tx: Knex, code: string) {
  const clash = await tx('tblServices').where('ServCode', code).whereNull('ValidityTo').first('ServiceID');
  if (clash) throw conflict(`A service with code ${code} already exists`);
}

const audit = (ctx: WriteContext) => ({ userId: ctx.caller.userId, at: ctx.at });
