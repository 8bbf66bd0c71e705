/**
 * Work that must wait until a transaction is over: caches of committed rows are invalidated once the
 * rows they hold can no longer change back, i.e. when the OUTERMOST transaction ends (a write inside a
 * transaction Bundle runs in a savepoint, which ends long before the commit).
 */
import type { Knex } from 'knex';

interface Transactor {
  parentTransaction?: Transactor;
  executionPromise?: Promise<unknown>;
}

/** Calls fn once the outermost transaction holding tx has committed or rolled back. */
export function whenTransactionEnds(tx: Knex.Transaction, fn: () => void): void {
  // knex links a nested transaction to its parent and gives each one the promise of its end.
  let top = tx as unknown as Transactor;
  while (top.parentTransaction) top = top.parentTransaction;
  if (!top.executionPromise) {
    fn();
    return;
  }
  top.executionPromise.then(fn, fn);
}
