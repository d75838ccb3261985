/** Figures, table and targets of the offered-stock benchmark. */
import { percentile } from './stats.js';
import type { FullRun } from './offered-stock-measure.js';
import type { RawResult } from './offered-stock-raw.js';

export interface Distribution {
  readonly n: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

export function distribution(samples: readonly number[]): Distribution {
  const sorted = Float64Array.from(samples).sort();
  const sum = sorted.reduce((a, v) => a + v, 0);
  return {
    n: sorted.length,
    medianMs: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.length ? sum / sorted.length : NaN,
    maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}

export interface FullCell {
  readonly rep: number;
  readonly first: FullRun;
  readonly second: FullRun;
  readonly rawFirst: RawResult | null;
  readonly rawSecond: RawResult | null;
  /** Raw floor left every offered value as the service did (null: no raw floor). */
  readonly sameValues: boolean | null;
  readonly load: readonly [number, number];
}

export interface IncrementalResult {
  readonly orders: number;
  /** placeOrder as the caller sees it (it marks the SKU; the refresher recomputes it after). */
  readonly placeOrder: Distribution;
  /** Inside the order's transaction: the order's step and a replayed refresh of its SKU. */
  readonly step: Distribution;
  readonly refreshInOrder: Distribution;
  readonly refreshInOrderWithEvents: Distribution;
  /** The refresh alone in its own transaction, and the raw floor of the same (SQLite). */
  readonly refreshAlone: Distribution;
  readonly refreshAloneWithEvents: Distribution;
  readonly raw: Distribution | null;
  /** Raw floor wrote the same rows and events as the service for every SKU. */
  readonly rawSame: boolean | null;
  readonly backorders: number;
  readonly rowsWrittenPerRefresh: number;
  readonly eventsPerRefresh: number;
  readonly load: readonly [number, number];
}

export interface DialectResult {
  readonly dialect: string;
  readonly catalogue: Record<string, number>;
  readonly seedSeconds: number;
  readonly full: FullCell[];
  readonly incremental: IncrementalResult;
}

export const f0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
export const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
export const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
export const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
const s2 = (ms: number) => (ms / 1000).toFixed(2);

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function fullTable(results: readonly DialectResult[]): string {
  const head = ['database', 'SKUs × channels', 'open PO lines', 'rep', 'run', 'service s', 'SKUs/s', 'rows written', 'events', 'raw floor s', 'service / raw', 'same values', 'load 1m'];
  const out = [row(head), row(head.map(() => '---'))];
  for (const r of results) {
    const c = r.catalogue;
    for (const cell of r.full) {
      for (const [name, real, raw] of [['first (values new)', cell.first, cell.rawFirst], ['second (nothing changed)', cell.second, cell.rawSecond]] as const) {
        out.push(
          row([
            r.dialect,
            `${f0(c.products!)} × ${c.channels}`,
            f0(c.openLines!),
            String(cell.rep),
            name,
            s2(real.ms),
            f0(real.skus / (real.ms / 1000)),
            f0(real.rowsWritten),
            f0(real.events),
            raw ? s2(raw.ms) : '–',
            raw ? f1(real.ms / raw.ms) : '–',
            cell.sameValues === null ? '–' : cell.sameValues ? 'yes' : 'NO',
            `${cell.load[0].toFixed(1)}→${cell.load[1].toFixed(1)}`,
          ]),
        );
      }
    }
  }
  return out.join('\n');
}

export function incrementalTable(results: readonly DialectResult[]): string {
  const head = ['database', 'what (one SKU, one order)', 'n', 'median ms', 'p90 ms', 'p99 ms', 'mean ms', 'vs raw (median)'];
  const out = [row(head), row(head.map(() => '---'))];
  for (const r of results) {
    const x = r.incremental;
    const lines: [string, Distribution | null][] = [
      // Intake marks the SKU (offer_dirty); the refresher recomputes it after, in its own transaction.
      ['placeOrder, whole (marks the SKU; no recompute inside)', x.placeOrder],
      ["order's step in its transaction", x.step],
      ["refreshOffers replayed inside the order's transaction", x.refreshInOrder],
      ['  refreshOffers + appendEvents, same', x.refreshInOrderWithEvents],
      ['refreshOffers alone in a transaction', x.refreshAlone],
      ['refreshOffers + appendEvents alone', x.refreshAloneWithEvents],
      ['raw floor: same reads/compute/writes, better-sqlite3 prepared', x.raw],
    ];
    for (const [name, d] of lines) {
      if (!d) continue;
      const ratio = x.raw && (d === x.refreshAloneWithEvents || d === x.refreshInOrderWithEvents) ? f1(d.medianMs / x.raw.medianMs) : '';
      out.push(row([r.dialect, name, f0(d.n), f3(d.medianMs), f3(d.p90Ms), f3(d.p99Ms), f3(d.meanMs), ratio]));
    }
  }
  return out.join('\n');
}

export interface Target {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

export function targets(results: readonly DialectResult[]): Target[] {
  const out: Target[] = [];
  const sqlite = results.find((r) => r.dialect === 'SQLite');
  if (!sqlite) return out;
  const c = sqlite.catalogue;
  const firsts = sqlite.full.map((f) => f.first.ms);
  const worst = Math.max(...firsts, ...sqlite.full.map((f) => f.second.ms));
  out.push({
    name: `SQLite full recompute, ${f0(c.products!)} SKUs × ${c.channels} channels, ${f0(c.openLines!)} open PO lines ≤ 10 s`,
    met: worst <= 10_000,
    detail: `first runs ${firsts.map(s2).join(', ')} s; second runs ${sqlite.full.map((f) => s2(f.second.ms)).join(', ')} s`,
  });
  const inc = sqlite.incremental;
  out.push({
    name: 'SQLite incremental recompute after one order ≤ 1 ms median',
    met: inc.refreshInOrderWithEvents.medianMs <= 1 && inc.refreshAloneWithEvents.medianMs <= 1,
    detail: `refresh + events in the order's transaction ${f3(inc.refreshInOrderWithEvents.medianMs)} ms, alone ${f3(inc.refreshAloneWithEvents.medianMs)} ms (median of ${inc.refreshAlone.n})`,
  });
  return out;
}
