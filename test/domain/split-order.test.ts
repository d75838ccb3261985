import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitOrder, type LineDemand, type StockSource } from '../../src/domain/split-order.js';

const PRODUCTS = ['p1', 'p2', 'p3'];
const LOCATIONS = ['l1', 'l2', 'l3'];

const lineArb = fc.record({
  productId: fc.constantFrom(...PRODUCTS),
  qty: fc.integer({ min: 1, max: 50 }),
  backorderAllowed: fc.boolean(),
});
const linesArb = fc.array(lineArb, { minLength: 1, maxLength: 6 }).map((ls) => ls.map((l, i): LineDemand => ({ ...l, lineNo: i + 1 })));
const sourcesArb = fc
  .array(fc.record({ productId: fc.constantFrom(...PRODUCTS), locationId: fc.constantFrom(...LOCATIONS), available: fc.integer({ min: 0, max: 40 }) }))
  .map((ss) => ss.map((s): StockSource => ({ ...s, rank: LOCATIONS.indexOf(s.locationId) })));
const shippingArb = fc.constantFrom('partial' as const, 'complete' as const);

function availableAt(sources: readonly StockSource[], productId: string, locationId: string): number {
  // The first row for a (product, location) counts, as in the function under test.
  const first = [...sources].sort((a, b) => a.rank - b.rank).find((s) => s.productId === productId && s.locationId === locationId);
  return first ? Math.max(0, first.available) : 0;
}

describe('R3 splitting as a pure function', () => {
  it('never reserves more than is available at any location', () => {
    fc.assert(
      fc.property(linesArb, sourcesArb, shippingArb, (lines, sources, shipping) => {
        const plan = splitOrder(lines, sources, shipping);
        for (const r of plan.reservations) {
          expect(r.qty).toBeLessThanOrEqual(availableAt(sources, r.productId, r.locationId));
          expect(r.qty).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('reserved + waiting = ordered, line by line', () => {
    fc.assert(
      fc.property(linesArb, sourcesArb, shippingArb, (lines, sources, shipping) => {
        const plan = splitOrder(lines, sources, shipping);
        for (const line of lines) {
          const units = plan.parts.flatMap((p) => p.lines).filter((l) => l.lineNo === line.lineNo);
          expect(units.reduce((s, l) => s + l.qty, 0)).toBe(line.qty);
        }
      }),
    );
  });

  it('takes as much as possible: a line waits only when its product is exhausted at every channel location', () => {
    fc.assert(
      fc.property(linesArb, sourcesArb, shippingArb, (lines, sources, shipping) => {
        const plan = splitOrder(lines, sources, shipping);
        const waitingProducts = new Set(plan.parts.flatMap((p) => p.lines).filter((l) => l.locationId === null).map((l) => l.productId));
        for (const productId of waitingProducts) {
          for (const loc of LOCATIONS) {
            const reserved = plan.reservations.find((r) => r.productId === productId && r.locationId === loc)?.qty ?? 0;
            expect(reserved).toBe(availableAt(sources, productId, loc));
          }
        }
      }),
    );
  });

  it('R4: each part is wholly in one state; partial shipping puts reserved units only in the open part', () => {
    fc.assert(
      fc.property(linesArb, sourcesArb, shippingArb, (lines, sources, shipping) => {
        const plan = splitOrder(lines, sources, shipping);
        const waiting = plan.parts.flatMap((p) => p.lines).some((l) => l.locationId === null);
        for (const part of plan.parts) {
          const partWaits = part.lines.some((l) => l.locationId === null);
          expect(part.status).toBe(partWaits ? 'backorder' : 'open');
          if (shipping === 'partial' && part.status === 'backorder') {
            expect(part.lines.every((l) => l.locationId === null)).toBe(true);
          }
        }
        if (shipping === 'complete') expect(plan.parts).toHaveLength(1);
        else expect(plan.parts.filter((p) => p.status === 'backorder')).toHaveLength(waiting ? 1 : 0);
      }),
    );
  });

  it('flags exactly the lines with waiting units that R1 does not allow', () => {
    fc.assert(
      fc.property(linesArb, sourcesArb, shippingArb, (lines, sources, shipping) => {
        const plan = splitOrder(lines, sources, shipping);
        const waitingLines = new Set(plan.parts.flatMap((p) => p.lines).filter((l) => l.locationId === null).map((l) => l.lineNo));
        const expected = lines.filter((l) => waitingLines.has(l.lineNo) && !l.backorderAllowed).map((l) => l.lineNo);
        expect(plan.disallowedLines).toEqual(expected);
      }),
    );
  });

  it('is deterministic: the same rows in any order give the same plan', () => {
    fc.assert(
      fc.property(linesArb, sourcesArb, shippingArb, fc.integer(), (lines, sources, shipping, seed) => {
        const shuffled = [...sources].sort((a, b) => ((hash(a.productId + a.locationId) ^ seed) % 7) - ((hash(b.productId + b.locationId) ^ seed) % 7));
        const distinct = dedupe(sources);
        expect(splitOrder(lines, distinct, shipping)).toEqual(splitOrder(lines, dedupe(shuffled), shipping));
      }),
    );
  });

  it('the seed example: 10 ordered, 6 available → open 6 + backorder 4', () => {
    const plan = splitOrder(
      [{ lineNo: 1, productId: 'case', qty: 10, backorderAllowed: true }],
      [{ productId: 'case', locationId: 'ams', rank: 0, available: 6 }],
      'partial',
    );
    expect(plan.parts).toEqual([
      { status: 'open', lines: [{ lineNo: 1, productId: 'case', locationId: 'ams', qty: 6 }] },
      { status: 'backorder', lines: [{ lineNo: 1, productId: 'case', locationId: null, qty: 4 }] },
    ]);
  });
});

function dedupe(sources: readonly StockSource[]): StockSource[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const k = `${s.productId}|${s.locationId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return Math.abs(h);
}
