import { DAY_SECONDS } from './kpi-facts.js';
import type { KpiCounters } from './kpi-tally.js';

/** R18: the KPIs of a day or a range, from summed counters and the wait histogram. */
export interface KpiFigures {
  readonly lines: number;
  readonly linesBackordered: number;
  readonly unitsOrdered: number;
  readonly unitsAllocatedAtIntake: number;
  readonly unitsBackordered: number;
  readonly unitsOversold: number;
  readonly unitsCancelledWaiting: number;
  readonly unitsFilled: number;
  readonly promisesJudged: number;
  readonly promisesKept: number;
  readonly shipments: number;
  readonly waivedShipments: number;
  /** null wherever the denominator is 0. */
  readonly backorderRate: number | null;
  readonly fillRateAtOrder: number | null;
  readonly averageWaitDays: number | null;
  readonly p90WaitDays: number | null;
  readonly promiseKeptRate: number | null;
  readonly backorderCancellationRate: number | null;
}

/** Units per whole day of wait. */
export type WaitHistogram = ReadonlyMap<number, number>;

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/**
 * Nearest rank over units: the smallest whole-day wait that at least 90 % of the filled units
 * did not exceed. In whole numbers (10 × seen ≥ 9 × total): 0.9 × 30 is 27.000000000000004.
 */
export function p90Days(histogram: WaitHistogram): number | null {
  const days = [...histogram.keys()].sort((a, b) => a - b);
  const total = days.reduce((a, d) => a + histogram.get(d)!, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const d of days) {
    seen += histogram.get(d)!;
    if (10 * seen >= 9 * total) return d;
  }
  return days[days.length - 1]!;
}

/** The figures of summed counters with their p90 (null: nothing filled). */
export function kpiFigures(c: KpiCounters, p90WaitDays: number | null): KpiFigures {
  const backordered = c.units_ordered - c.units_allocated_at_intake;
  return {
    lines: c.lines,
    linesBackordered: c.lines_backordered,
    unitsOrdered: c.units_ordered,
    unitsAllocatedAtIntake: c.units_allocated_at_intake,
    unitsBackordered: backordered,
    unitsOversold: c.units_oversold,
    unitsCancelledWaiting: c.units_cancelled_waiting,
    unitsFilled: c.units_filled,
    promisesJudged: c.promises_judged,
    promisesKept: c.promises_kept,
    shipments: c.shipments,
    waivedShipments: c.shipments_waived,
    backorderRate: ratio(c.lines_backordered, c.lines),
    fillRateAtOrder: ratio(c.units_allocated_at_intake, c.units_ordered),
    averageWaitDays: c.units_filled === 0 ? null : c.wait_seconds / DAY_SECONDS / c.units_filled,
    p90WaitDays,
    promiseKeptRate: ratio(c.promises_kept, c.promises_judged),
    backorderCancellationRate: ratio(c.units_cancelled_waiting, backordered),
  };
}

