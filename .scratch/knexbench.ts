import knexFactory from 'knex';
import { selectInsuree } from '../src/resources/patient/table.js';
const db = knexFactory({ client: 'pg' });
const N = 20000;
function nested(v: string) {
  return selectInsuree(db).whereNull('t.ValidityTo')
    .where((w) => w.where((a) => { a.orWhere((one) => { one.orWhere((q) => q.orWhere('t.CHFID', v)); one.orWhere((q) => q.whereRaw('1 = 0')); }); }))
    .orderBy('t.InsureeID', 'asc').limit(21);
}
function flat(v: string) {
  return selectInsuree(db).whereNull('t.ValidityTo').where('t.CHFID', v).orderBy('t.InsureeID', 'asc').limit(21);
}
function bare(v: string) {
  return db('tblInsuree as t').select('t.*').whereNull('t.ValidityTo').where('t.CHFID', v).orderBy('t.InsureeID', 'asc').limit(21);
}
for (const [name, f] of [['nested', nested], ['flat', flat], ['bare', bare], ['nested', nested]] as const) {
  for (let i = 0; i < 2000; i++) f('x' + i).toSQL();
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) f('x' + i);
  let t1 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) f('x' + i).toSQL().toNative();
  let t2 = process.hrtime.bigint();
  console.log(name, 'build µs', Number(t1 - t0) / N / 1000, 'build+compile µs', Number(t2 - t1) / N / 1000);
}
console.log(nested('a').toSQL().sql);
