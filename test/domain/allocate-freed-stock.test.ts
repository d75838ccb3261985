import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateFreedStock, type FreedStock, type WaitingLine } from '../../src/domain/allocate-freed-stock.js';

const LOCS = ['a', 'b'];
const freedArb = fc.array(
  fc.record({ productId: fc.constantFrom('p1', 'p2'), locationId: fc.constantFrom(...LOCS), qty: fc.integer({ min: 0, max: 30 }) }),
  { maxLength: 4 },
);
const waitingArb = fc
  .array(
    fc.record({
      productId: fc.constantFrom('p1', 'p2'),
      qty: fc.integer({ min: 1, max: 10 }),
      day: fc.integer({ min: 1, max: 28 }),
      eligible: fc.subarray(LOCS),
    }),
    { maxLength: 12 },
  )
  .map((ws) =>
    ws.map(
      (w, i): WaitingLine => ({
        partLineId: `pl${String(i).padStart(2, '0')}`,
        partId: `pt${String(i).padStart(2, '0')}`,
        productId: w.productId,
        qty: w.qty,
        placedAt: `2026-11-${String(w.day).padStart(2, '0')}T00:00:00Z`,
        eligibleLocations: w.eligible,
      }),
    ),
  );

const pool = (freed: readonly FreedStock[], p: string, l: string) =>
  freed.filter((f) => f.productId === p && f.locationId === l).reduce((s, f) => s + f.qty, 0);

describe('R19: freed stock goes to waiting backorders, oldest first', () => {
  it('never gives more than was freed at a location, nor more than a line waits for, nor from an ineligible location', () => {
    fc.assert(
      fc.property(freedArb, waitingArb, (freed, waiting) => {
        const plan = allocateFreedStock(freed, waiting);
        for (const p of ['p1', 'p2'])
          for (const l of LOCS) {
            const given = plan.filter((c) => c.productId === p && c.locationId === l).reduce((s, c) => s + c.qty, 0);
            expect(given).toBeLessThanOrEqual(pool(freed, p, l));
          }
        for (const w of waiting) {
          const got = plan.filter((c) => c.partLineId === w.partLineId);
          expect(got.reduce((s, c) => s + c.qty, 0)).toBeLessThanOrEqual(w.qty);
          for (const c of got) expect(w.eligibleLocations).toContain(c.locationId);
        }
      }),
    );
  });

  it('FIFO: a line gets nothing from a location while an older eligible line for the product is short there', () => {
    fc.assert(
      fc.property(freedArb, waitingArb, (freed, waiting) => {
        const plan = allocateFreedStock(freed, waiting);
        const got = (id: string) => plan.filter((c) => c.partLineId === id).reduce((s, c) => s + c.qty, 0);
        for (const newer of waiting) {
          for (const c of plan.filter((x) => x.partLineId === newer.partLineId)) {
            for (const older of waiting) {
              const isOlder = older.placedAt < newer.placedAt || (older.placedAt === newer.placedAt && older.partId < newer.partId);
              if (!isOlder || older.productId !== newer.productId || !older.eligibleLocations.includes(c.locationId)) continue;
              expect(got(older.partLineId)).toBe(older.qty);
            }
          }
        }
      }),
    );
  });

  it('total allocated = min(freed, waiting) when every line may take from every location', () => {
    fc.assert(
      fc.property(freedArb, waitingArb, (freed, waiting) => {
        const open = waiting.map((w) => ({ ...w, eligibleLocations: LOCS }));
        const plan = allocateFreedStock(freed, open);
        for (const p of ['p1', 'p2']) {
          const supply = freed.filter((f) => f.productId === p).reduce((s, f) => s + f.qty, 0);
          const demand = open.filter((w) => w.productId === p).reduce((s, w) => s + w.qty, 0);
          const given = plan.filter((c) => c.productId === p).reduce((s, c) => s + c.qty, 0);
          expect(given).toBe(Math.min(supply, demand));
        }
      }),
    );
  });

  it('is deterministic whatever order the waiting rows arrive in', () => {
    fc.assert(
      fc.property(freedArb, waitingArb, (freed, waiting) => {
        expect(allocateFreedStock(freed, [...waiting].reverse())).toEqual(allocateFreedStock(freed, waiting));
      }),
    );
  });
});
