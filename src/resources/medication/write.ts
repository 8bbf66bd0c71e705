/** Creating, updating and deleting register items the openIMIS way (history copies, soft delete). */
import type { Medication } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row, WriteContext } from '../../fhir/types.js';
import { conflict } from '../../fhir/outcome.js';
import { deleteVersioned, insertVersioned, updateVersioned } from '../../db/legacy-history.js';
import { itemTable } from './table.js';
import { medicationToItem } from './from-fhir.js';

export async function createItem(medication: Medication, ctx: WriteContext): Promise<number> {
  const values = medicationToItem(medication, ctx.currency);
  await ensureUniqueCode(ctx.tx, String(values.ItemCode));
  const { id } = await insertVersioned(ctx.tx, itemTable, values, audit(ctx));
  return id;
}

export async function updateItem(medication: Medication, current: Row, ctx: WriteContext): Promise<void> {
  const values = medicationToItem(medication, ctx.currency);
  if (values.ItemCode !== String(current.ItemCode).trim()) await ensureUniqueCode(ctx.tx, String(values.ItemCode));
  await updateVersioned(ctx.tx, itemTable, current, values, audit(ctx));
}

export async function deleteItem(current: Row, ctx: WriteContext): Promise<void> {
  await deleteVersioned(ctx.tx, itemTable, current, audit(ctx));
}

async function ensureUniqueCode(tx: Knex, code: string) {
  const clash = await tx('tblItems').where('ItemCode', code).whereNull('ValidityTo').first('ItemID');
  if (clash) throw conflict(`An item with code ${code} already exists`);
}

const audit = (ctx: WriteContext) => ({ userId: ctx.caller.userId, at: ctx.at });
