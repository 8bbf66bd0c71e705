/**
 * Hops to another table (types.ts Via): a parameter whose columns live in a table linked to the main
 * table `t` by `t.<from> = v.<key>`. Positive matches are semi-joins, `t.<from> IN (SELECT v.<key> FROM
 * <table> v WHERE ...)`; negations are `NOT EXISTS (... WHERE v.<key> = t.<from> ...)`, which, unlike
 * NOT IN, stays true when `t.<from>` is NULL. Both use the index on `v.<key>`, never a query per row.
 */
import type { Knex } from 'knex';
import type { Via } from '../types.js';

type Where = Knex.QueryBuilder;

/** The rows of the hop's table that count, aliased `v`. */
export function viaRows(db: Knex, via: Via): Where {
  const rows = db(`${via.table} as v`);
  if (via.current) rows.whereNull(`v.${via.current}`);
  return rows;
}

/** `t.<from> IN (SELECT v.<key> ... WHERE match)`. */
export function viaIn(w: Where, db: Knex, via: Via, match: (v: Where) => void): Where {
  return w.whereIn(via.from, viaRows(db, via).select(`v.${via.key}`).where(match));
}

/** `[NOT] EXISTS (SELECT 1 ... WHERE v.<key> = t.<from> AND match)`, for negations. */
export function viaExists(w: Where, db: Knex, via: Via, match: (v: Where) => void, negate: boolean): Where {
  const sub = viaRows(db, via).select(db.raw('1')).whereRaw('?? = ??', [`v.${via.key}`, via.from]).where(match);
  return negate ? w.whereNotExists(sub) : w.whereExists(sub);
}
