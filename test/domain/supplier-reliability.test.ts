import { describe, expect, it } from 'vitest';
import { delayDays, reliability } from '../../src/domain/supplier-reliability.js';

/** R8: grades from the delays of first receipts — new (< 3), reliable (on time ≥ 90 %, spread ≤ 2 days), erratic. */
describe('R8 supplier reliability', () => {
  it('fewer than three deliveries is new, whatever they were', () => {
    expect(reliability([]).grade).toBe('new');
    expect(reliability([0, 12]).grade).toBe('new');
  });

  it('on time (at most a day late) with a small spread is reliable; often late is erratic', () => {
    expect(reliability([0, 1, 0, 1, 0])).toMatchObject({ grade: 'reliable', onTimeRate: 1, p80DelayDays: 1 });
    // 3 of 5 late by more than a day: on time 40 %.
    expect(reliability([0, 5, 6, 0, 7])).toMatchObject({ grade: 'erratic', onTimeRate: 0.4, p80DelayDays: 6 });
  });

  it('on time but unpredictably late is erratic: the spread of lateness above 2 days', () => {
    // 10 deliveries, 9 on the day and one 8 days late: on time 90 %, lateness sd 2.4.
    const r = reliability([0, 0, 0, 0, 0, 0, 0, 0, 0, 8]);
    expect(r.onTimeRate).toBe(0.9);
    expect(r.stdDevDays).toBe(2.4);
    expect(r.grade).toBe('erratic');
  });

  it('a delivery that came early never makes a supplier erratic: early counts as on the day in the spread', () => {
    // Always on time, one order nine days early (the dashboard review found this graded erratic).
    const r = reliability([0, 1, 0, -9]);
    expect(r).toMatchObject({ grade: 'reliable', onTimeRate: 1, stdDevDays: 0.43, meanDelayDays: -2, p80DelayDays: 1 });
  });

  it('delay is whole days from the expected date to the day of receipt (UTC)', () => {
    expect(delayDays('2026-12-10', '2026-12-12T23:59:00.000Z')).toBe(2);
    expect(delayDays('2026-12-10', '2026-12-01T08:00:00.000Z')).toBe(-9);
  });
});
