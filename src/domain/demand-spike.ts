/**
 * R9 Demand spikes. Baseline = average daily units over the `baselineDays` (28) days before the
 * order's day; the baseline rate over the window is baseline / 24 × `windowHours` (6). A spike is
 * a trailing window whose units reach `factor` (3) × that rate and at least `minUnits` (10):
 * a 10-a-day product selling 50 in an afternoon. Windows count orders by placedAt (the time the
 * order was placed on its channel), in whole hours: the window of an order placed at 14:35 is
 * the hours 09:00–14:59. Pure: numbers in, verdict out.
 */
export interface SpikeRule {
  readonly enabled: boolean;
  readonly baselineDays: number;
  readonly windowHours: number;
  readonly factor: number;
  readonly minUnits: number;
  /** How long a spike pauses the SKU's incoming offer (0: not at all). */
  readonly pauseHours: number;
}

export const DEFAULT_SPIKE_RULE: SpikeRule = Object.freeze({ enabled: true, baselineDays: 28, windowHours: 6, factor: 3, minUnits: 10, pauseHours: 24 });

export interface SpikeFigures {
  readonly windowUnits: number;
  /** Units a day over the baseline days. */
  readonly baselineDaily: number;
  /** What the window would sell at the baseline rate: baselineDaily / 24 × windowHours. */
  readonly baselineWindow: number;
  /** max(factor × baselineWindow, minUnits): the units at which the window is a spike. */
  readonly threshold: number;
}

/** The figures of one SKU's window; `spike` when it reaches the threshold. */
export function spikeFigures(rule: SpikeRule, windowUnits: number, baselineUnits: number): SpikeFigures & { spike: boolean } {
  const baselineDaily = baselineUnits / rule.baselineDays;
  const baselineWindow = (baselineDaily / 24) * rule.windowHours;
  const threshold = Math.max(rule.factor * baselineWindow, rule.minUnits);
  return { windowUnits, baselineDaily: round2(baselineDaily), baselineWindow: round2(baselineWindow), threshold: round2(threshold), spike: windowUnits >= threshold };
}

/** The hour bucket of an instant: YYYY-MM-DDTHH (UTC). */
export const hourOf = (iso: string): string => iso.slice(0, 13);

/** The first hour bucket of the trailing window that ends in the hour of `placedAt`. */
export function windowStart(placedAt: string, windowHours: number): string {
  const hour = Date.parse(`${hourOf(placedAt)}:00:00.000Z`);
  return hourOf(new Date(hour - (windowHours - 1) * 3_600_000).toISOString());
}

/**
 * Only a window that is still running can be a spike to act on: an order placed more than the
 * window's length before now (an import of history) updates the counts and raises nothing.
 */
export function isCurrent(placedAt: string, now: string, windowHours: number): boolean {
  return Date.parse(placedAt) > Date.parse(now) - windowHours * 3_600_000;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
