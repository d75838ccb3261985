/**
 * R8: how reliable a supplier is, from the delay (received − expected, in days) of each
 * purchase order's first receipt. Pure: delays in, figures out. The spread that grades a
 * supplier is the spread of its lateness: a delivery that arrives early is counted as on the
 * day (0 days late) there, since arriving early never breaks a promise — a supplier always on
 * time or early is reliable, not erratic because one order came nine days early.
 */
export type SupplierGrade = 'new' | 'reliable' | 'erratic';

export interface Reliability {
  readonly deliveries: number;
  /** Mean of the delays as they were (negative: early on average). */
  readonly meanDelayDays: number | null;
  /** Standard deviation of the lateness, max(0, delay): the spread R8 grades by. */
  readonly stdDevDays: number | null;
  /** Share of deliveries at most one day late. */
  readonly onTimeRate: number | null;
  /** 80th percentile of the delay (nearest rank); promises use expected date + this. */
  readonly p80DelayDays: number;
  readonly grade: SupplierGrade;
}

export function reliability(delays: readonly number[]): Reliability {
  const n = delays.length;
  if (n === 0) return { deliveries: 0, meanDelayDays: null, stdDevDays: null, onTimeRate: null, p80DelayDays: 0, grade: 'new' };
  const mean = delays.reduce((a, d) => a + d, 0) / n;
  const lateness = delays.map((d) => Math.max(0, d));
  const meanLate = lateness.reduce((a, d) => a + d, 0) / n;
  const sd = Math.sqrt(lateness.reduce((a, d) => a + (d - meanLate) ** 2, 0) / n);
  const onTime = delays.filter((d) => d <= 1).length / n;
  const sorted = [...delays].sort((a, b) => a - b);
  const p80 = sorted[Math.max(0, Math.ceil(0.8 * n) - 1)]!;
  const grade: SupplierGrade = n < 3 ? 'new' : onTime >= 0.9 && sd <= 2 ? 'reliable' : 'erratic';
  return { deliveries: n, meanDelayDays: round2(mean), stdDevDays: round2(sd), onTimeRate: round2(onTime), p80DelayDays: Math.max(0, p80), grade };
}

/** Whole days from the expected date (YYYY-MM-DD) to the moment of receipt, in UTC. */
export function delayDays(expectedDate: string, receivedAt: string): number {
  const expected = Date.parse(`${expectedDate}T00:00:00Z`);
  const received = Date.parse(`${receivedAt.slice(0, 10)}T00:00:00Z`);
  return Math.round((received - expected) / 86_400_000);
}

const round2 = (v: number) => Math.round(v * 100) / 100;
