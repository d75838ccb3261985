/**
 * R18: the additive counters behind every KPI, per day and group. A pure accumulator: the
 * business steps tally what they did and the rebuild tallies what history says was done, with
 * the same functions (kpi-facts.ts), so both write the same rows.
 */

/** The groups every figure is counted in: overall (key ''), per channel, supplier and SKU. */
export type KpiDim = 'all' | 'channel' | 'supplier' | 'sku';

export const KPI_COUNTERS = [
  'lines',
  'lines_backordered',
  'units_ordered',
  'units_allocated_at_intake',
  'units_oversold',
  'units_cancelled_waiting',
  'units_filled',
  'wait_seconds',
  'promises_judged',
  'promises_kept',
  'shipments',
  'shipments_waived',
] as const;

export type KpiCounter = (typeof KPI_COUNTERS)[number];
export type KpiCounters = Record<KpiCounter, number>;

/** Where a fact is counted besides overall; a key left out is not counted in that group. */
export interface KpiKeys {
  readonly channel?: string;
  /** '' for fills that no supplier's receipt made (freed or adjusted stock). */
  readonly supplier?: string;
  readonly sku?: string;
}

export interface KpiRow {
  readonly day: string;
  readonly dim: KpiDim;
  readonly key: string;
  readonly counters: KpiCounters;
}

/** Units whose wait (placed → allocated) was `waitDays` whole days, allocated on `day`. */
export interface KpiWaitRow {
  readonly day: string;
  readonly dim: KpiDim;
  readonly key: string;
  readonly waitDays: number;
  readonly units: number;
}

export function zeroCounters(): KpiCounters {
  return Object.fromEntries(KPI_COUNTERS.map((c) => [c, 0])) as KpiCounters;
}

const DIMS: readonly Exclude<KpiDim, 'all'>[] = ['channel', 'supplier', 'sku'];

function groupsOf(keys: KpiKeys): [KpiDim, string][] {
  const out: [KpiDim, string][] = [['all', '']];
  for (const dim of DIMS) {
    const key = keys[dim];
    if (key !== undefined) out.push([dim, key]);
  }
  return out;
}

export class KpiTally {
  readonly #rows = new Map<string, KpiRow>();
  readonly #waits = new Map<string, { day: string; dim: KpiDim; key: string; waitDays: number; units: number }>();

  /** Counts a fact overall and in each group its keys name. */
  add(day: string, keys: KpiKeys, counts: Partial<KpiCounters>): void {
    for (const [dim, key] of groupsOf(keys)) this.#bump({ day, dim, key }, counts);
  }

  addWait(day: string, keys: KpiKeys, waitDays: number, units: number): void {
    for (const [dim, key] of groupsOf(keys)) this.#bumpWait({ day, dim, key, waitDays, units });
  }

  /** Counts in exactly one group (not overall). */
  addTo(group: { day: string; dim: KpiDim; key: string }, counts: Partial<KpiCounters>): void {
    this.#bump(group, counts);
  }

  merge(other: KpiTally): this {
    for (const r of other.rows()) this.#bump(r, r.counters);
    for (const w of other.waits()) this.#bumpWait(w);
    return this;
  }

  get empty(): boolean {
    return this.#rows.size === 0 && this.#waits.size === 0;
  }

  /** In key order: concurrent steps upsert the same rows in one order (no deadlocks). */
  rows(): KpiRow[] {
    return sortedValues(this.#rows);
  }

  waits(): KpiWaitRow[] {
    return sortedValues(this.#waits);
  }

  #bump(at: { day: string; dim: KpiDim; key: string }, counts: Partial<KpiCounters>) {
    const id = `${at.dim}|${at.key}|${at.day}`;
    let row = this.#rows.get(id);
    if (!row) this.#rows.set(id, (row = { day: at.day, dim: at.dim, key: at.key, counters: zeroCounters() }));
    for (const [c, n] of Object.entries(counts) as [KpiCounter, number][]) row.counters[c] += n;
  }

  #bumpWait(w: KpiWaitRow) {
    const id = `${w.dim}|${w.key}|${w.day}|${w.waitDays}`;
    const row = this.#waits.get(id);
    if (row) row.units += w.units;
    else this.#waits.set(id, { ...w });
  }
}

function sortedValues<T>(map: ReadonlyMap<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
