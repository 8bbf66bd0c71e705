/** Building blocks of the data generator: PRNG, UUIDs, CHFIDs, location codes, COPY text, dates. */
import t from 'tap';
import { Prng, Weighted } from '../../src/db/generator/prng.js';
import { ChfidPool, isValidChfid } from '../../src/db/generator/families.js';
import { locationCodes } from '../../src/db/generator/locations.js';
import { copyLine } from '../../src/db/copy-text.js';
import { addMonths, dayOf, isoDay, stamp, yearsBetween } from '../../src/db/generator/dates.js';
import { checkColumns } from '../../src/db/generator/index.js';

t.test('PRNG is deterministic per seed and label', async (t) => {
  const draw = (seed: number, label: string) => {
    const r = new Prng(seed, label);
    return Array.from({ length: 5 }, () => r.next());
  };
  t.same(draw(1, 'a'), draw(1, 'a'));
  t.notSame(draw(1, 'a'), draw(2, 'a'));
  t.notSame(draw(1, 'a'), draw(1, 'b'));
  const r = new Prng(3);
  for (let i = 0; i < 1000; i++) {
    const v = r.int(3, 7);
    if (v < 3 || v > 7 || !Number.isInteger(v)) t.fail(`int out of range: ${v}`);
    const f = r.float();
    if (f < 0 || f >= 1) t.fail(`float out of range: ${f}`);
  }
  const mean = Array.from({ length: 20000 }, () => r.poisson(2)).reduce((a, b) => a + b, 0) / 20000;
  t.ok(Math.abs(mean - 2) < 0.1, `poisson mean ~2 (${mean})`);
});

t.test('UUIDs are lower-case version 4', async (t) => {
  const r = new Prng(9, 'uuid');
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const u = r.uuid();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u)) t.fail(`bad uuid ${u}`);
    seen.add(u);
  }
  t.equal(seen.size, 2000);
});

t.test('weighted choice follows the weights', async (t) => {
  const w = new Weighted(['a', 'b', 'c'], [1, 2, 7]);
  const r = new Prng(5);
  const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
  for (let i = 0; i < 10000; i++) counts[w.pick(r)]++;
  t.ok(Math.abs(counts.c / 10000 - 0.7) < 0.03, JSON.stringify(counts));
  t.ok(Math.abs(counts.a / 10000 - 0.1) < 0.02);
});

t.test('CHFIDs: 8 random digits + mod-7 check digit, unique', async (t) => {
  t.ok(isValidChfid('070707070'), 'the demo number 070707070 follows the rule');
  t.notOk(isValidChfid('111111119'));
  t.notOk(isValidChfid('12345'));
  const pool = new ChfidPool();
  const r = new Prng(1, 'chfid');
  const all = Array.from({ length: 20000 }, () => pool.next(r));
  t.equal(new Set(all).size, all.length, 'no duplicates');
  t.ok(all.every(isValidChfid), 'all valid');
  t.ok(all.every((c) => c.length === 9), '9 characters (<= varchar(12))');
});

t.test('location codes fit varchar(8)', async (t) => {
  const small = locationCodes([5, 12, 14, 9]);
  t.equal(small('', 0, 3), 'R3');
  t.equal(small('R3', 1, 12), 'R3DC');
  t.equal(small('R1D1', 2, 1), 'R1D1M1');
  t.equal(small('R1D1M1', 3, 1), 'R1D1M1V1');
  // 50 regions (10M insurees): widths grow and the D/M/V letters are dropped
  const large = locationCodes([50, 35, 35, 35]);
  const v = large(large(large(large('', 0, 50), 1, 35), 2, 35), 3, 35);
  t.ok(v.length <= 8, `${v} fits`);
  t.equal(v, 'R1EZZZ');
  t.throws(() => locationCodes([2000, 2000, 2000, 2000]));
});

t.test('COPY text escaping', async (t) => {
  t.equal(copyLine([1, 'a\tb', null, true, false, 'x\\y\nz']), '1\ta\\tb\t\\N\tt\tf\tx\\\\y\\nz\n');
});

t.test('dates', async (t) => {
  const d = dayOf('2024-01-31');
  t.equal(isoDay(addMonths(d, 1)), '2024-02-29', 'month end clamped');
  t.equal(isoDay(addMonths(dayOf('2024-02-29'), 12)), '2025-02-28');
  t.equal(stamp(dayOf('2024-05-06'), 3661), '2024-05-06 01:01:01+00');
  t.equal(yearsBetween(dayOf('2000-06-15'), dayOf('2024-06-14')), 23);
  t.equal(yearsBetween(dayOf('2000-06-15'), dayOf('2024-06-15')), 24);
});

t.test('generator column lists match the schema definition', async (t) => {
  t.doesNotThrow(() => checkColumns());
});
