/** The results table and the ratios of this server to the ceiling. */
import type { LoadResult } from './load.js';

export interface Ratio {
  name: string;
  /**
   * With several rounds, the median of the rounds' own ratios (each round's two runs are adjacent,
   * so a drift of the machine's speed cancels out); with one, the ratio of the two runs.
   */
  value: number | null;
  /** The lowest and highest of the rounds' ratios, with several rounds. */
  range?: [number, number];
  target: number | null;
  /** null when a side is missing or invalid. */
  pass: boolean | null;
}

const DEFINITIONS: { name: string; ours: string; ceiling: string; target: number | null }[] = [
  { name: 'ours read / ceiling read', ours: 'ours-read', ceiling: 'ceiling-read', target: 0.7 },
  { name: 'ours search by identifier / ceiling search', ours: 'ours-search-id', ceiling: 'ceiling-search', target: 0.6 },
  { name: 'ours search by name / ceiling search', ours: 'ours-search-name', ceiling: 'ceiling-search', target: null },
  // One process per core (WSGI_WORKERS): against the single-process ceiling, and against the ceiling run the same way.
  { name: 'ours read, a process per core / ceiling read', ours: 'ours-read-workers', ceiling: 'ceiling-read', target: 0.7 },
  { name: 'ours search by identifier, a process per core / ceiling search', ours: 'ours-search-id-workers', ceiling: 'ceiling-search', target: 0.6 },
  { name: 'both a process per core: ours read / ceiling read', ours: 'ours-read-workers', ceiling: 'ceiling-read-workers', target: 0.7 },
  { name: 'both a process per core: ours search / ceiling search', ours: 'ours-search-id-workers', ceiling: 'ceiling-search-workers', target: 0.6 },
  // The engine's costlier paths (issue 3) and the audit trail (issue 5): this server against itself.
  { name: 'read with the audit trail / without', ours: 'ours-read', ceiling: 'ours-read-noaudit', target: null },
  { name: 'last page / first page (keyset paging)', ours: 'ours-page-last', ceiling: 'ours-page-first', target: 1 / 1.5 },
  { name: 'Claim page with _include=Claim:patient / without', ours: 'ours-claims-include', ceiling: 'ours-claims', target: null },
  { name: 'XML read / JSON read', ours: 'ours-read-xml', ceiling: 'ours-read', target: null },
  { name: 'XML page / JSON page', ours: 'ours-page-xml', ceiling: 'ours-page-first', target: null },
  // --experiments
  { name: 'ceiling with our SQL / ceiling read', ours: 'ceiling-read-joins', ceiling: 'ceiling-read', target: null },
  { name: 'ceiling with our SQL prepared / ceiling read', ours: 'ceiling-read-joins-prepared', ceiling: 'ceiling-read', target: null },
  { name: 'ours read / ceiling with our SQL', ours: 'ours-read', ceiling: 'ceiling-read-joins', target: null },
  { name: 'ours (named statements) read / ceiling read', ours: 'ours-named-read', ceiling: 'ceiling-read', target: 0.7 },
  { name: 'ours (named statements) search by identifier / ceiling search', ours: 'ours-named-search-id', ceiling: 'ceiling-search', target: 0.6 },
  { name: 'ours (named statements) search by name / ceiling search', ours: 'ours-named-search-name', ceiling: 'ceiling-search', target: null },
];

const round2 = (n: number) => Math.round(n * 100) / 100;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** `rows` holds each run's combined result, `rounds` (when given) every round of each run. */
export function ratios(rows: LoadResult[], rounds?: Map<string, LoadResult[]>): Ratio[] {
  const by = new Map(rows.map((r) => [r.name, r]));
  return DEFINITIONS.flatMap((d) => {
    const ours = by.get(d.ours);
    const ceiling = by.get(d.ceiling);
    if (!ours || !ceiling) return [];
    const valid = ours.valid && ceiling.valid && ceiling.rps > 0;
    const oursRounds = rounds?.get(d.ours) ?? [];
    const ceilingRounds = rounds?.get(d.ceiling) ?? [];
    const paired = oursRounds.length > 1 && oursRounds.length === ceilingRounds.length && ceilingRounds.every((r) => r.rps > 0)
      ? oursRounds.map((r, i) => r.rps / ceilingRounds[i].rps)
      : undefined;
    const value = !valid ? null : round2(paired ? median(paired) : ours.rps / ceiling.rps);
    const range: [number, number] | undefined = valid && paired ? [round2(Math.min(...paired)), round2(Math.max(...paired))] : undefined;
    return [{ name: d.name, value, range, target: d.target, pass: value === null || d.target === null ? null : value >= d.target }];
  });
}

const DESCRIPTIONS: Record<string, string> = {
  bare: 'bare Fastify route (HTTP ceiling)',
  'ceiling-read': 'ceiling: Patient read by id',
  'ours-read': 'ours: Patient read by id',
  'ceiling-search': 'ceiling: Patient?identifier=',
  'ours-search-id': 'ours: Patient?identifier=',
  'ours-search-name': 'ours: Patient?name=<prefix>&_count=10',
  'ceiling-read-workers': 'ceiling, a process per core: read',
  'ours-read-workers': 'ours, a process per core: read',
  'ceiling-search-workers': 'ceiling, a process per core: Patient?identifier=',
  'ours-search-id-workers': 'ours, a process per core: Patient?identifier=',
  'ours-read-noaudit': 'ours without audit trail: read',
  'ours-page-first': 'ours: Patient?gender=female&_count=20',
  'ours-page-last': 'ours: same, one of the last 10 pages',
  'ours-claims': 'ours: Claim?provider=<hf>&_count=10',
  'ours-claims-include': 'ours: same &_include=Claim:patient',
  'ours-transaction': 'ours: transaction (PUT, read, search)',
  'ours-read-xml': 'ours: Patient read by id, XML',
  'ours-page-xml': 'ours: Patient?gender=female&_count=20, XML',
  'ceiling-read-joins': 'ceiling with our SQL: read',
  'ceiling-read-joins-prepared': 'ceiling with our SQL, prepared: read',
  'ours-named-read': 'ours, named statements: read',
  'ours-named-search-id': 'ours, named statements: Patient?identifier=',
  'ours-named-search-name': 'ours, named statements: Patient?name=',
};

function table(header: string[], rows: string[][], rightAligned: (i: number) => boolean): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (rightAligned(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? '-' : n.toFixed(digits));

export function printReport(rows: LoadResult[], ratioRows: Ratio[]): void {
  console.log('');
  console.log(
    table(
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/req node', 'CPU ms/req pg', 'loadgen %', 'others %', ''],
      rows.map((r) => [
        DESCRIPTIONS[r.name] ?? r.name,
        r.rps.toLocaleString('en'),
        String(r.p50),
        String(r.p99),
        String(r.non2xx + r.errors + r.timeouts),
        fmt(r.serverCpuMsPerReq),
        fmt(r.pgCpuMsPerReq),
        r.loadgenCpuPct === undefined ? '-' : String(r.loadgenCpuPct),
        r.othersCpuPct === undefined ? '-' : String(r.othersCpuPct),
        r.valid ? '' : `INVALID (${Object.entries(r.statusCodes).filter(([c]) => !c.startsWith('2')).map(([c, n]) => `${n}×${c}`).join(', ') || 'errors'})`,
      ]),
      (i) => i > 0 && i < 9,
    ),
  );
  console.log('CPU ms/req: CPU time of the target process / of all PostgreSQL processes per request. loadgen %: this');
  console.log('process (autocannon), % of one core. others %: CPU used by anything else, % of the machine: above ~10 %');
  console.log('the machine was shared during the run and its numbers are noisy.');
  console.log('');
  console.log(
    table(
      ['ratio', 'value', 'rounds', 'target', ''],
      ratioRows.map((r) => [
        r.name,
        r.value === null ? 'invalid' : r.value.toFixed(2),
        r.range ? `${r.range[0].toFixed(2)}–${r.range[1].toFixed(2)}` : '-',
        r.target === null ? '-' : `≥ ${r.target.toFixed(2)}`,
        r.pass === null ? '' : r.pass ? 'ok' : 'BELOW TARGET',
      ]),
      (i) => i >= 1 && i <= 3,
    ),
  );
  if (ratioRows.some((r) => r.range)) {
    console.log('With several rounds, a value is the median of the rounds\' own ratios (its two runs adjacent, in');
    console.log('alternating order), and "rounds" their range.');
  }
  console.log('');
}
