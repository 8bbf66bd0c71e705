/**
 * Runs a callback once the outermost transaction around `tx` has committed (never on rollback).
 * Writes nest: a single write opens its own transaction, a transaction Bundle wraps every entry in
 * one, so a savepoint's release is not yet a commit. Uses Knex's public `parentTransaction` and
 * `executionPromise`.
 */
import type { Knex } from 'knex';

export function afterCommit(tx: Knex.Transaction, callback: () => unknown): void {
  let outer = tx;
  while (outer.parentTransaction) outer = outer.parentTransaction;
  outer.executionPromise.then(
    () => callback(),
    () => undefined,
  );
}
