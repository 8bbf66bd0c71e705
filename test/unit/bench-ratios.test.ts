/** The benchmark's verdict: ratios to the ceiling, paired round by round when there are rounds. */
import t from 'tap';
import { ratios } from '../../bench/report.js';
import type { LoadResult } from '../../bench/load.js';

const result = (name: string, rps: number, valid = true): LoadResult => ({
  name, requests: rps, rps, p50: 1, p90: 1, p99: 1, max: 1, non2xx: valid ? 0 : 1, errors: 0, timeouts: 0, statusCodes: {}, valid,
});
const readRatio = (rows: LoadResult[], rounds?: Map<string, LoadResult[]>) => ratios(rows, rounds).find((r) => r.name === 'ours read / ceiling read')!;

t.test('one round: the ratio of the two runs', async (t) => {
  const r = readRatio([result('ceiling-read', 1000), result('ours-read', 690)]);
  t.same([r.value, r.range, r.target, r.pass], [0.69, undefined, 0.7, false]);
});

t.test('several rounds: the median of the rounds\' own ratios, and their range', async (t) => {
  // The machine slows down over the rounds: each round's pair slows together. The medians of the
  // runs (1000 and 760) would give 0.76; the rounds' ratios are 0.80, 0.70, 0.75.
  const ceiling = [1400, 1000, 600].map((rps) => result('ceiling-read', rps));
  const ours = [1120, 700, 450].map((rps) => result('ours-read', rps));
  const rounds = new Map([['ceiling-read', ceiling], ['ours-read', ours]]);
  const r = readRatio([result('ceiling-read', 1000), result('ours-read', 760)], rounds);
  t.equal(r.value, 0.75);
  t.same(r.range, [0.7, 0.8]);
  t.equal(r.pass, true);
});

t.test('an invalid side gives no value', async (t) => {
  const r = readRatio([result('ceiling-read', 1000), result('ours-read', 900, false)]);
  t.same([r.value, r.pass], [null, null]);
});
