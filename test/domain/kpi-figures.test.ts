import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { p90Days } from '../../src/domain/kpi-figures.js';
import { tallyFill } from '../../src/domain/kpi-facts.js';
import { checkKpiRange } from '../../src/domain/kpi-range.js';
import { KpiTally } from '../../src/domain/kpi-tally.js';

describe('R18 KPI figures', () => {
  it('p90 is the nearest rank over units, in whole numbers (27 of 30 units is 90 %, not 27.000000000000004)', () => {
    expect(p90Days(new Map([[1, 27], [5, 3]]))).toBe(1);
    expect(p90Days(new Map([[1, 26], [5, 4]]))).toBe(5);
    expect(p90Days(new Map())).toBeNull();
  });

  it('p90 equals the 90th percentile of the units listed one by one', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 20 }), (buckets) => {
        const h = new Map<number, number>();
        for (const [d, n] of buckets) h.set(d, (h.get(d) ?? 0) + n);
        const units = [...h].flatMap(([d, n]) => Array(n).fill(d) as number[]).sort((a, b) => a - b);
        expect(p90Days(h)).toBe(units[Math.ceil((units.length * 9) / 10) - 1]);
      }),
    );
  });

  it('a fill counts its wait on the allocation day, overall and per group, never below zero', () => {
    const tally = new KpiTally();
    tallyFill(tally, { placedAt: '2025-01-05T15:00:00.000Z', allocatedAt: '2025-01-09T10:00:00.000Z', channelId: 'c', productId: 'p', supplierId: 's', qty: 2 });
    tallyFill(tally, { placedAt: '2025-01-10T00:00:00.000Z', allocatedAt: '2025-01-09T10:00:00.000Z', channelId: 'c', productId: 'p', supplierId: '', qty: 1 });
    const all = tally.rows().find((r) => r.dim === 'all')!;
    expect(all).toMatchObject({ day: '2025-01-09', counters: { units_filled: 3, wait_seconds: 2 * 327_600 } });
    expect(tally.rows().map((r) => `${r.dim}:${r.key}`).sort()).toEqual(['all:', 'channel:c', 'sku:p', 'supplier:', 'supplier:s']);
    expect(tally.waits().filter((w) => w.dim === 'all').map((w) => [w.waitDays, w.units])).toEqual([[0, 1], [3, 2]]);
  });

  it('a range is 1 to 731 calendar days', () => {
    expect(checkKpiRange('2023-01-01', '2024-12-31').days).toBe(731);
    expect(() => checkKpiRange('2023-01-01', '2025-01-01')).toThrow(expect.objectContaining({ code: 'INVALID_DATE_RANGE' }));
    expect(() => checkKpiRange('2025-01-02', '2025-01-01')).toThrow(expect.objectContaining({ code: 'INVALID_DATE_RANGE' }));
    expect(() => checkKpiRange('2025-02-29', '2025-03-01')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
