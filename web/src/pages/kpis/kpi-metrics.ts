import type { KpiFigures } from '../../api/types';
import type { MessageKey } from '../../i18n/en';

/** The R18 figures the page charts, and how each is read: a share of 100 % or a number of days. */
export interface KpiMetric {
  readonly key: keyof KpiFigures & ('backorderRate' | 'fillRateAtOrder' | 'averageWaitDays' | 'p90WaitDays' | 'promiseKeptRate');
  readonly label: MessageKey;
  readonly unit: 'percent' | 'days';
  /** What the figure is taken over, shown under it so that 66.7 % of 3 promises reads as such. */
  readonly basis: { readonly count: 'lines' | 'unitsOrdered' | 'unitsFilled' | 'promisesJudged'; readonly label: 'kpis.basis.lines' | 'kpis.basis.units' | 'kpis.basis.filled' | 'kpis.basis.promises' };
}

export const KPI_METRICS: readonly KpiMetric[] = [
  { key: 'backorderRate', label: 'kpis.backorderRate', unit: 'percent', basis: { count: 'lines', label: 'kpis.basis.lines' } },
  { key: 'fillRateAtOrder', label: 'kpis.fillRate', unit: 'percent', basis: { count: 'unitsOrdered', label: 'kpis.basis.units' } },
  { key: 'averageWaitDays', label: 'kpis.averageWait', unit: 'days', basis: { count: 'unitsFilled', label: 'kpis.basis.filled' } },
  { key: 'p90WaitDays', label: 'kpis.p90Wait', unit: 'days', basis: { count: 'unitsFilled', label: 'kpis.basis.filled' } },
  { key: 'promiseKeptRate', label: 'kpis.promiseKept', unit: 'percent', basis: { count: 'promisesJudged', label: 'kpis.basis.promises' } },
];

/** A figure as the chart plots it: percentages as 0–100, days as they are; null stays a gap. */
export function plotted(metric: KpiMetric, value: number | null): number | null {
  if (value === null) return null;
  return metric.unit === 'percent' ? Math.round(value * 1000) / 10 : Math.round(value * 10) / 10;
}

const DAY_MS = 86_400_000;

/** Every UTC day from `from` to `to`, both inclusive; the API leaves days without activity out. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end && out.length <= 731; t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);
}
