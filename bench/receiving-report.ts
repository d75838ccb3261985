/** The receiving benchmark's figures: summaries, growth between sizes, the table and the targets. */
import type { Dialect } from '../src/store/db.js';
import type { ReceiptRowCounts } from './receiving-checks.js';
import { percentile } from './stats.js';

export interface Cell {
  readonly id: string;
  readonly dialect: Dialect;
  readonly policy: string;
  readonly size: number;
}

export interface Summary {
  readonly samples: number[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export interface CellResult extends Cell {
  readonly received: number;
  readonly real: Summary;
  readonly raw: Summary;
  readonly sameChoice: boolean;
  readonly counts: ReceiptRowCounts;
  readonly violations: string[];
  /** 1-minute load average when the cell started and ended (other work on the machine skews results). */
  readonly load: readonly [number, number];
}

/** The targets, at the largest size (the 10,000-unit receipt over 20,000 waiting parts). */
const TARGET_MS: Record<Dialect, number> = { sqlite: 300, postgres: 1000 };
/** "No worse than n log n": time / (n log2 n) may exceed the smallest size's by this much (noise). */
export const GROWTH_SLACK = 1.1;

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples, medianMs: percentile(sorted, 50), minMs: sorted[0] ?? NaN, maxMs: sorted[sorted.length - 1] ?? NaN };
}

const sameSeries = (a: Cell, b: Cell) => a.dialect === b.dialect && a.policy === b.policy;

/** time / (n log2 n), relative to the smallest size measured with the same database and policy. */
export function growth(results: readonly CellResult[], r: CellResult, way: 'real' | 'raw'): number {
  const base = results.filter((x) => sameSeries(x, r)).sort((a, b) => a.size - b.size)[0]!;
  const perNLogN = (x: CellResult) => x[way].medianMs / (x.size * Math.log2(x.size));
  return perNLogN(r) / perNLogN(base);
}

/** Local exponent k in time ∝ n^k, from the next smaller size (1 = linear). */
export function exponent(results: readonly CellResult[], r: CellResult): number {
  const smaller = results.filter((x) => sameSeries(x, r) && x.size < r.size).sort((a, b) => b.size - a.size)[0];
  if (!smaller) return NaN;
  return Math.log(r.real.medianMs / smaller.real.medianMs) / Math.log(r.size / smaller.size);
}

export const f0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
export const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const spread = (s: Summary) => `${f1(s.medianMs)} (${f1(s.minMs)}–${f1(s.maxMs)})`;
const dbName = (d: Dialect) => (d === 'sqlite' ? 'SQLite' : 'PostgreSQL');

export function table(results: readonly CellResult[]): string {
  const head = [
    'database', 'policy', 'waiting parts', 'units received', 'receipt ms median (min–max)', 'raw floor ms median (min–max)', 'receipt / raw',
    'receipt per n log n, vs smallest', 'exponent', 'raw per n log n, vs smallest', 'same parts as raw', 'checks', 'load 1m',
  ];
  const rows = results.map((r) => [
    dbName(r.dialect),
    r.policy,
    f0(r.size),
    f0(r.received),
    spread(r.real),
    spread(r.raw),
    f2(r.real.medianMs / r.raw.medianMs),
    f2(growth(results, r, 'real')),
    f2(exponent(results, r)),
    f2(growth(results, r, 'raw')),
    r.sameChoice ? 'yes' : 'NO',
    r.violations.length === 0 ? 'ok' : 'VIOLATED',
    `${r.load[0].toFixed(1)}→${r.load[1].toFixed(1)}`,
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface Target {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

export function targets(results: readonly CellResult[], policies: readonly string[]): Target[] {
  const out: Target[] = [];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    for (const policy of policies) {
      const series = results.filter((r) => r.dialect === dialect && r.policy === policy).sort((a, b) => a.size - b.size);
      const largest = series[series.length - 1];
      if (!largest) continue;
      out.push({
        name: `${dbName(dialect)} ${policy}: receipt ≤ ${f0(TARGET_MS[dialect])} ms at ${f0(largest.size)} waiting parts`,
        met: largest.real.medianMs <= TARGET_MS[dialect],
        detail: `median ${spread(largest.real)} ms; raw floor ${spread(largest.raw)} ms`,
      });
      if (series.length > 1) {
        const worst = Math.max(...series.map((r) => growth(results, r, 'real')));
        out.push({
          name: `${dbName(dialect)} ${policy}: cost grows no worse than n log n (time/(n log2 n) ≤ ${GROWTH_SLACK}× the smallest size's)`,
          met: worst <= GROWTH_SLACK,
          detail: series.map((r) => `${f0(r.size)}: ${f2(growth(results, r, 'real'))}`).join(', '),
        });
      }
    }
  }
  return out;
}
