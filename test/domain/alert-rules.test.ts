import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradeDropped, isAging, isOverdue, promisesAtRisk, type PromiseRow } from '../../src/domain/alert-conditions.js';
import { alertTransition, canTransitionAlert } from '../../src/domain/alert-lifecycle.js';
import { DEFAULT_SPIKE_RULE, isCurrent, spikeFigures, windowStart } from '../../src/domain/demand-spike.js';
import { suggestPrice, suggestionTransition } from '../../src/domain/price-suggestion.js';

describe('R10 alert lifecycle table', () => {
  it('open → acknowledged → resolved; acknowledging twice is a row; resolved is final (INVALID_TRANSITION)', () => {
    expect(alertTransition('open', 'acknowledge')).toBe('acknowledged');
    expect(alertTransition('acknowledged', 'acknowledge')).toBe('acknowledged');
    expect(alertTransition('open', 'resolve')).toBe('resolved');
    expect(alertTransition('acknowledged', 'resolve')).toBe('resolved');
    expect(canTransitionAlert('resolved', 'acknowledge')).toBe(false);
    expect(() => alertTransition('resolved', 'acknowledge')).toThrow(expect.objectContaining({ code: 'INVALID_TRANSITION', details: { from: 'resolved', event: 'acknowledge' } }));
  });
});

describe('R9 spike rule', () => {
  it('a 10-a-day SKU (280 units over 28 days): 2.5 a window, 3 × 2.5 = 7.5, so the 10-unit minimum decides; 9 is quiet, 10 is a spike', () => {
    expect(spikeFigures(DEFAULT_SPIKE_RULE, 9, 280)).toEqual({ windowUnits: 9, baselineDaily: 10, baselineWindow: 2.5, threshold: 10, spike: false });
    expect(spikeFigures(DEFAULT_SPIKE_RULE, 10, 280).spike).toBe(true);
  });
  it('a 100-a-day SKU needs 3 × 25 = 75 in the window; a slow mover (1 a day) needs the minimum 10', () => {
    expect(spikeFigures(DEFAULT_SPIKE_RULE, 74, 2800)).toMatchObject({ threshold: 75, spike: false });
    expect(spikeFigures(DEFAULT_SPIKE_RULE, 75, 2800).spike).toBe(true);
    expect(spikeFigures(DEFAULT_SPIKE_RULE, 8, 28)).toMatchObject({ threshold: 10, spike: false });
  });
  it('property: spike exactly when units ≥ factor × baseline / days / 24 × hours and ≥ minUnits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 48 }), fc.integer({ min: 1, max: 50 }), (units, baseline, hours, min) => {
        const rule = { ...DEFAULT_SPIKE_RULE, windowHours: hours, minUnits: min };
        const rate = (baseline / 28 / 24) * hours;
        expect(spikeFigures(rule, units, baseline).spike).toBe(units >= 3 * rate && units >= min);
      }),
    );
  });
  it('the window of an order at 14:35 is the hours 09:00–14:59; only a window still running counts', () => {
    expect(windowStart('2031-05-14T14:35:00.000Z', 6)).toBe('2031-05-14T09');
    expect(windowStart('2031-05-14T02:10:00.000Z', 6)).toBe('2031-05-13T21');
    expect(isCurrent('2031-05-14T10:31:00.000Z', '2031-05-14T16:30:00.000Z', 6)).toBe(true);
    expect(isCurrent('2031-05-14T10:30:00.000Z', '2031-05-14T16:30:00.000Z', 6)).toBe(false);
  });
});

describe('R10 conditions', () => {
  it('overdue once the expected date has passed and something is still to come; aging after more than the limit in days; a grade drop is a worse grade', () => {
    expect(isOverdue({ expectedDate: '2031-05-13', status: 'open' }, '2031-05-14')).toBe(true);
    expect(isOverdue({ expectedDate: '2031-05-14', status: 'open' }, '2031-05-14')).toBe(false);
    expect(isOverdue({ expectedDate: '2031-05-01', status: 'received' }, '2031-05-14')).toBe(false);
    expect(isAging('2031-05-01T10:00:00Z', '2031-05-15T10:00:00Z', 14)).toBe(false);
    expect(isAging('2031-05-01T10:00:00Z', '2031-05-16T10:00:00Z', 14)).toBe(true);
    expect([gradeDropped('reliable', 'erratic'), gradeDropped('new', 'erratic'), gradeDropped('new', 'reliable'), gradeDropped('erratic', 'reliable')]).toEqual([true, true, false, false]);
  });

  it('promises at risk: per PO, exactly the parts whose promised date the effective arrival + handling passes, each once with its units summed', () => {
    const row = (po: string, arrival: string, part: string, qty: number, promised: string): PromiseRow => ({
      poId: po, poNumber: `N-${po}`, arrivalDate: arrival, handlingDays: 1, partId: part, orderId: `o-${part}`, externalId: `E-${part}`, sku: 'S', qty, promisedDate: promised,
    });
    const rows = [
      row('a', '2031-05-10', 'p2', 3, '2031-05-11'),
      row('a', '2031-05-10', 'p1', 2, '2031-05-11'),
      row('a', '2031-05-10', 'p1', 1, '2031-05-11'),
      row('a', '2031-05-10', 'p3', 4, '2031-05-16'), // promised late enough
      row('b', '2031-05-20', 'p4', 5, '2031-05-21'), // on time
    ];
    expect(promisesAtRisk(rows, '2031-05-14')).toEqual([
      {
        poId: 'a', poNumber: 'N-a', deliveryDate: '2031-05-15',
        parts: [
          { partId: 'p1', orderId: 'o-p1', externalId: 'E-p1', sku: 'S', qty: 3, promisedDate: '2031-05-11' },
          { partId: 'p2', orderId: 'o-p2', externalId: 'E-p2', sku: 'S', qty: 3, promisedDate: '2031-05-11' },
        ],
      },
    ]);
    expect(promisesAtRisk(rows, '2031-05-10')).toEqual([]);
  });
});

describe('R13 price rules', () => {
  const base = { priceCents: 1000, offered: 6, physical: 6, dailySales: 2, daysToArrival: 2 };
  it('≤ 3 days of sales and a delivery within 3 days: +5 %; 3.5 days or a delivery in 4: nothing', () => {
    expect(suggestPrice(base)).toMatchObject({ rule: 'low_stock_arrival_soon', percent: 5, suggestedPriceCents: 1050, figures: { daysOfSales: 3, daysToArrival: 2 } });
    expect(suggestPrice({ ...base, physical: 7 })).toBeNull();
    expect(suggestPrice({ ...base, daysToArrival: 4 })).toBeNull();
    expect(suggestPrice({ ...base, daysToArrival: null })).toBeNull();
    expect(suggestPrice({ ...base, dailySales: 0 })).toBeNull();
  });
  it('no physical stock but incoming on offer: −3 %; nothing on offer at all: nothing', () => {
    expect(suggestPrice({ ...base, physical: 0, offered: 30 })).toMatchObject({ rule: 'selling_from_incoming', percent: -3, suggestedPriceCents: 970 });
    expect(suggestPrice({ ...base, physical: 0, offered: 0 })).toBeNull();
  });
  it('lifecycle: open → accepted | dismissed | withdrawn; the same decision again is a row, the other is not', () => {
    expect([suggestionTransition('open', 'accept'), suggestionTransition('accepted', 'accept'), suggestionTransition('accepted', 'dismiss'), suggestionTransition('withdrawn', 'accept')]).toEqual([
      'accepted', 'accepted', null, null,
    ]);
  });
});
