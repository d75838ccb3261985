import { describe, expect, it } from 'vitest';
import { activeSeason, isoWeekday, windowEnd, type Season } from '../../src/domain/channel-window.js';

/**
 * R7 windows: the last arrival date that still counts for a channel. R15 seasons: the one running
 * on a day, which may multiply `days` windows. 2026-11-30 is a Monday, 2026-12-01 a Tuesday.
 */

const season = (name: string, startsOn: string, endsOn: string, windowMultiplier = 1, acceptanceRatio: number | null = null): Season => ({
  name,
  startsOn,
  endsOn,
  acceptanceRatio,
  windowMultiplier,
});

describe('windowEnd (R7)', () => {
  it('the fixed dates these examples rely on are the weekdays they claim', () => {
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(isoWeekday('2026-12-01')).toBe(2);
    expect(isoWeekday('2026-12-06')).toBe(7);
  });

  it('`days N` ends N days after today; 0 days counts only what arrives today', () => {
    expect(windowEnd({ kind: 'days', days: 10 }, '2026-12-01')).toBe('2026-12-11');
    expect(windowEnd({ kind: 'days', days: 30 }, '2026-12-01')).toBe('2026-12-31');
    expect(windowEnd({ kind: 'days', days: 0 }, '2026-12-01')).toBe('2026-12-01');
    // Across a month and a year end.
    expect(windowEnd({ kind: 'days', days: 45 }, '2026-12-01')).toBe('2027-01-15');
  });

  it('R15: a running season multiplies `days` windows, rounded to whole days (half up)', () => {
    const today = '2026-10-15';
    expect(windowEnd({ kind: 'days', days: 10 }, today, season('autumn', '2026-10-01', '2026-11-30', 1.5))).toBe('2026-10-30');
    // 5 × 1.5 = 7.5 → 8; 3 × 1.5 = 4.5 → 5; 7 × 1.25 = 8.75 → 9; 6 × 1.2 = 7.2 → 7.
    expect(windowEnd({ kind: 'days', days: 5 }, today, season('s', today, today, 1.5))).toBe('2026-10-23');
    expect(windowEnd({ kind: 'days', days: 3 }, today, season('s', today, today, 1.5))).toBe('2026-10-20');
    expect(windowEnd({ kind: 'days', days: 7 }, today, season('s', today, today, 1.25))).toBe('2026-10-24');
    expect(windowEnd({ kind: 'days', days: 6 }, today, season('s', today, today, 1.2))).toBe('2026-10-22');
    // A multiplier below 1 shrinks the window; 0 days stays 0.
    expect(windowEnd({ kind: 'days', days: 10 }, today, season('s', today, today, 0.5))).toBe('2026-10-20');
    expect(windowEnd({ kind: 'days', days: 0 }, today, season('s', today, today, 2))).toBe(today);
    // No season: the window as configured.
    expect(windowEnd({ kind: 'days', days: 5 }, today, null)).toBe('2026-10-20');
  });

  it('R7: Tuesday shipments with a cut-off of 1 accept until the Monday before the next Tuesday that can still be caught, whatever weekday today is', () => {
    const fba = { kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 1 } as const;
    // Monday: tomorrow's shipment can still be caught, so only what arrives today counts.
    expect(windowEnd(fba, '2026-11-30')).toBe('2026-11-30');
    // Tuesday: today's shipment needed its stock yesterday; the next is 8 December.
    expect(windowEnd(fba, '2026-12-01')).toBe('2026-12-07');
    for (const today of ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']) {
      expect(windowEnd(fba, today), today).toBe('2026-12-07');
    }
    expect(windowEnd(fba, '2026-12-07')).toBe('2026-12-07');
    expect(isoWeekday(windowEnd(fba, '2026-12-03')!)).toBe(1);
  });

  it('R7: a cut-off of 0 catches a shipment that leaves today; a longer cut-off moves the end earlier', () => {
    expect(windowEnd({ kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 0 }, '2026-12-01')).toBe('2026-12-01');
    expect(windowEnd({ kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 0 }, '2026-12-02')).toBe('2026-12-08');
    // Cut-off 3 on a Sunday: Tuesday the 8th is only 2 days away, so the 15th, stock by the 12th.
    expect(windowEnd({ kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 3 }, '2026-12-06')).toBe('2026-12-12');
    expect(windowEnd({ kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 3 }, '2026-12-05')).toBe('2026-12-05');
  });

  it('R7: with several shipment days the first one still catchable decides', () => {
    const twice = { kind: 'until_next_shipment', shipmentDays: [5, 2], cutoffDays: 2 } as const;
    // Wednesday: Friday is 2 days away → stock by Wednesday.
    expect(windowEnd(twice, '2026-12-02')).toBe('2026-12-02');
    // Thursday: Friday is too close, Tuesday the 8th → stock by Sunday.
    expect(windowEnd(twice, '2026-12-03')).toBe('2026-12-06');
    // Saturday: Tuesday the 8th is 3 days away → stock by Sunday.
    expect(windowEnd(twice, '2026-12-05')).toBe('2026-12-06');
    // Monday: Tuesday is too close, Friday the 11th → stock by Wednesday.
    expect(windowEnd(twice, '2026-12-07')).toBe('2026-12-09');
    const daily = { kind: 'until_next_shipment', shipmentDays: [1, 2, 3, 4, 5, 6, 7], cutoffDays: 1 } as const;
    expect(windowEnd(daily, '2026-12-03')).toBe('2026-12-03');
  });

  it('R15: seasons multiply only `days` windows, not shipment schedules', () => {
    const wide = season('peak', '2026-11-01', '2026-12-31', 3);
    expect(windowEnd({ kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 1 }, '2026-12-03', wide)).toBe('2026-12-07');
  });

  it('`none` has no end (null); an empty shipment schedule ends before today, so no incoming counts', () => {
    expect(windowEnd({ kind: 'none' }, '2026-12-01')).toBeNull();
    expect(windowEnd({ kind: 'none' }, '2026-12-01', season('s', '2026-12-01', '2026-12-01', 2))).toBeNull();
    expect(windowEnd({ kind: 'until_next_shipment', shipmentDays: [], cutoffDays: 1 }, '2026-12-01')).toBe('2026-11-30');
  });
});

describe('activeSeason (R15)', () => {
  const september = season('september', '2026-09-01', '2026-09-30', 1, 0.8);
  const autumn = season('october-november', '2026-10-01', '2026-11-30', 1.5, 0.85);

  it('runs from its first to its last day, both inclusive', () => {
    const seasons = [september, autumn];
    expect(activeSeason(seasons, '2026-08-31')).toBeNull();
    expect(activeSeason(seasons, '2026-09-01')).toBe(september);
    expect(activeSeason(seasons, '2026-09-30')).toBe(september);
    expect(activeSeason(seasons, '2026-10-01')).toBe(autumn);
    expect(activeSeason(seasons, '2026-11-30')).toBe(autumn);
    expect(activeSeason(seasons, '2026-12-01')).toBeNull();
    expect(activeSeason([], '2026-10-01')).toBeNull();
  });

  it('a one-day season runs on that day only', () => {
    const day = season('black-friday', '2026-11-27', '2026-11-27', 2);
    expect(activeSeason([day], '2026-11-26')).toBeNull();
    expect(activeSeason([day], '2026-11-27')).toBe(day);
    expect(activeSeason([day], '2026-11-28')).toBeNull();
  });

  it('when seasons overlap, the one that started last runs, whatever order they are listed in', () => {
    const peak = season('peak', '2026-11-20', '2026-12-05', 2);
    expect(activeSeason([autumn, peak], '2026-11-25')).toBe(peak);
    expect(activeSeason([peak, autumn], '2026-11-25')).toBe(peak);
    // Before the later one starts and after it ends, the longer one runs again.
    expect(activeSeason([peak, autumn], '2026-11-19')).toBe(autumn);
    expect(activeSeason([peak, autumn], '2026-12-03')).toBe(peak);
    expect(activeSeason([peak, autumn], '2026-12-06')).toBeNull();
  });

  it('seasons starting the same day: the first by name runs, whatever order they are listed in', () => {
    const a = season('alpha', '2026-10-01', '2026-10-31');
    const b = season('beta', '2026-10-01', '2026-10-10');
    expect(activeSeason([a, b], '2026-10-05')).toBe(a);
    expect(activeSeason([b, a], '2026-10-05')).toBe(a);
    expect(activeSeason([b, a], '2026-10-20')).toBe(a);
  });
});
