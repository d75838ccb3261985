import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOCATION_RULES, DEFAULT_TIER_ORDER, rankWaiting, type Place, type Policy, type Waiting } from '../../src/domain/allocation-policy.js';
import { floorTimes } from '../../src/domain/offer-capacity.js';
import {
  addDays,
  effectiveArrival,
  linePromisedDate,
  partPromisedDate,
  planPromises,
  isFifoOnly,
  ranksAfter,
  type FifoKey,
  type IncomingLine,
  type PlannedPromise,
} from '../../src/domain/promise-plan.js';

const LOCS = ['a', 'b', 'c'] as const;
const PRODUCTS = ['p1', 'p2'];
const TIERS = ['vip', 'gold', 'silver', 'standard', 'bronze'];
const FIFO: Policy = { rules: ['fifo'], tierOrder: DEFAULT_TIER_ORDER };

const coordinate = (max: number) => fc.option(fc.double({ min: -max, max, noNaN: true }), { nil: null });
const placeArb: fc.Arbitrary<Place> = fc.record({
  country: fc.constantFrom('NL', 'BE', 'DE'),
  latitude: coordinate(90),
  longitude: coordinate(180),
});
const policyArb: fc.Arbitrary<Policy> = fc.record({
  rules: fc.shuffledSubarray([...ALLOCATION_RULES]),
  tierOrder: fc.shuffledSubarray([...DEFAULT_TIER_ORDER]),
});

const december = (d: number) => `2026-12-${String(d).padStart(2, '0')}`;

/** Purchase orders go to one location and arrive on one day; each of their lines has its own capacity left. */
const incomingArb: fc.Arbitrary<IncomingLine[]> = fc
  .record({
    places: fc.record({ a: placeArb, b: placeArb, c: placeArb }),
    handlingDays: fc.record({ a: fc.integer({ min: 0, max: 3 }), b: fc.integer({ min: 0, max: 3 }), c: fc.integer({ min: 0, max: 3 }) }),
    pos: fc.array(
      fc.record({
        locationId: fc.constantFrom(...LOCS),
        arrival: fc.integer({ min: 1, max: 6 }),
        lines: fc.array(fc.record({ productId: fc.constantFrom(...PRODUCTS), capacity: fc.integer({ min: -2, max: 15 }) }), { minLength: 1, maxLength: 3 }),
      }),
      { maxLength: 5 },
    ),
  })
  .map(({ places, handlingDays, pos }) =>
    pos.flatMap((po, i) =>
      po.lines.map(
        (l, j): IncomingLine => ({
          poId: `po${i}`,
          lineNo: j + 1,
          productId: l.productId,
          locationId: po.locationId,
          place: places[po.locationId],
          arrivalDate: december(po.arrival),
          promisedDate: addDays(december(po.arrival), handlingDays[po.locationId]),
          capacity: l.capacity,
        }),
      ),
    ),
  );

const waitingFields = {
  productId: fc.constantFrom(...PRODUCTS),
  qty: fc.integer({ min: 1, max: 10 }),
  day: fc.integer({ min: 1, max: 4 }),
  part: fc.integer({ min: 0, max: 4 }),
  priority: fc.integer({ min: 0, max: 2 }),
  channelPriority: fc.integer({ min: 0, max: 2 }),
  marginCents: fc.constantFrom(0, 150, 300),
  customerTier: fc.constantFrom(...TIERS),
  customer: placeArb,
  eligible: fc.subarray([...LOCS]),
};
type WaitingFields = { [K in keyof typeof waitingFields]: (typeof waitingFields)[K] extends fc.Arbitrary<infer T> ? T : never };

const toWaiting = (w: WaitingFields, partLineId: string): Waiting => ({
  partLineId,
  partId: `pt${w.part}`,
  orderId: `o${w.part}`,
  productId: w.productId,
  qty: w.qty,
  placedAt: `2026-11-0${w.day}T00:00:00Z`,
  priority: w.priority,
  channelPriority: w.channelPriority,
  marginCents: w.marginCents,
  customerTier: w.customerTier,
  customer: w.customer,
  eligibleLocations: w.eligible,
});
const waitingArb = fc.array(fc.record(waitingFields), { maxLength: 14 }).map((ws) => ws.map((w, i) => toWaiting(w, `pl${String(i).padStart(2, '0')}`)));

const scenarioArb = fc.record({ incoming: incomingArb, waiting: waitingArb, policy: policyArb });

const permutation = <T>(xs: readonly T[]) => fc.shuffledSubarray([...xs], { minLength: xs.length, maxLength: xs.length });

const sum = (xs: readonly { qty: number }[]) => xs.reduce((s, x) => s + x.qty, 0);
/** What a PO line may give out: its capacity, whole units, never below 0. */
const usable = (l: IncomingLine) => Math.max(0, Math.floor(l.capacity));
const promisedOn = (plan: readonly PlannedPromise[], l: IncomingLine) => sum(plan.filter((p) => p.poId === l.poId && p.lineNo === l.lineNo));
const promisedTo = (plan: readonly PlannedPromise[], w: Waiting) => sum(plan.filter((p) => p.partLineId === w.partLineId));
const lineOf = (incoming: readonly IncomingLine[], p: PlannedPromise) => incoming.find((l) => l.poId === p.poId && l.lineNo === p.lineNo)!;
const mayTake = (w: Waiting, l: IncomingLine) => w.productId === l.productId && w.eligibleLocations.includes(l.locationId);
/** A plan as a multiset: order-free and comparable with toEqual. */
const asMultiset = (plan: readonly PlannedPromise[]) => plan.map((p) => JSON.stringify(p)).sort();
const fifoKey = (w: Waiting): FifoKey => ({ priority: w.priority, placedAt: w.placedAt, partId: w.partId, partLineId: w.partLineId });

describe('R3, R5, R7 promise planning: guarantees for any policy and any rows', () => {
  it('never promises a PO line more than its capacity: the same incoming unit is never promised twice (R7)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ incoming, waiting, policy }) => {
        const plan = planPromises(incoming, waiting, policy);
        for (const l of incoming) expect(promisedOn(plan, l)).toBeLessThanOrEqual(usable(l));
      }),
    );
  });

  it('never promises a waiting line more units than it waits for', () => {
    fc.assert(
      fc.property(scenarioArb, ({ incoming, waiting, policy }) => {
        const plan = planPromises(incoming, waiting, policy);
        for (const w of waiting) expect(promisedTo(plan, w)).toBeLessThanOrEqual(w.qty);
      }),
    );
  });

  it('promises a line only PO lines of its own product at its eligible locations, with that PO line’s date, once per PO line, never 0', () => {
    fc.assert(
      fc.property(scenarioArb, ({ incoming, waiting, policy }) => {
        const plan = planPromises(incoming, waiting, policy);
        const seen = new Set<string>();
        for (const p of plan) {
          const w = waiting.find((x) => x.partLineId === p.partLineId)!;
          const l = lineOf(incoming, p);
          expect(w).toBeDefined();
          expect(l).toBeDefined();
          expect(p).toMatchObject({ partId: w.partId, orderId: w.orderId, productId: w.productId, promisedDate: l.promisedDate });
          expect(l.productId).toBe(w.productId);
          expect(w.eligibleLocations).toContain(l.locationId);
          expect(p.qty).toBeGreaterThan(0);
          const pair = `${p.partLineId}|${p.poId}|${p.lineNo}`;
          expect(seen.has(pair)).toBe(false);
          seen.add(pair);
        }
      }),
    );
  });

  it('promises min(usable capacity, waiting units) per product when every line may take from every location', () => {
    fc.assert(
      fc.property(scenarioArb, ({ incoming, waiting, policy }) => {
        const open = waiting.map((w) => ({ ...w, eligibleLocations: [...LOCS] }));
        const plan = planPromises(incoming, open, policy);
        for (const product of PRODUCTS) {
          const capacity = incoming.filter((l) => l.productId === product).reduce((s, l) => s + usable(l), 0);
          const demand = sum(open.filter((w) => w.productId === product));
          expect(sum(plan.filter((p) => p.productId === product))).toBe(Math.min(capacity, demand));
        }
      }),
    );
  });

  it('gives the same plan whatever order the incoming and waiting rows arrive in', () => {
    const shuffled = scenarioArb.chain((s) => fc.record({ s: fc.constant(s), incoming: permutation(s.incoming), waiting: permutation(s.waiting) }));
    fc.assert(
      fc.property(shuffled, ({ s, incoming, waiting }) => {
        const original = planPromises(s.incoming, s.waiting, s.policy);
        const reordered = planPromises(incoming, waiting, s.policy);
        expect(asMultiset(reordered)).toEqual(asMultiset(original));
        for (const w of s.waiting) expect(promisedTo(reordered, w)).toBe(promisedTo(original, w));
      }),
    );
  });

  it('earliest effective arrival first: a line is promised a later-arriving PO line only once every earlier one it may take from is used up', () => {
    fc.assert(
      fc.property(scenarioArb, ({ incoming, waiting, policy }) => {
        const plan = planPromises(incoming, waiting, policy);
        for (const p of plan) {
          const w = waiting.find((x) => x.partLineId === p.partLineId)!;
          const later = lineOf(incoming, p);
          for (const earlier of incoming) {
            if (earlier.arrivalDate < later.arrivalDate && mayTake(w, earlier)) expect(promisedOn(plan, earlier)).toBe(usable(earlier));
          }
        }
      }),
    );
  });

  it('earliest effective arrival first, one location under fifo: no unit of a later PO line is promised while an earlier one has capacity left', () => {
    const oneLocation = scenarioArb.map(({ incoming, waiting }) => ({
      incoming: incoming.map((l) => ({ ...l, locationId: 'a', place: incoming[0]!.place })),
      waiting: waiting.map((w) => ({ ...w, eligibleLocations: ['a'] })),
    }));
    fc.assert(
      fc.property(oneLocation, ({ incoming, waiting }) => {
        const plan = planPromises(incoming, waiting, FIFO);
        for (const p of plan) {
          const later = lineOf(incoming, p);
          for (const earlier of incoming) {
            if (earlier.productId === p.productId && earlier.arrivalDate < later.arrivalDate) expect(promisedOn(plan, earlier)).toBe(usable(earlier));
          }
        }
      }),
    );
  });

  it('serves each PO line in policy order (R6): no line gets its units while a line ranked before it there is still short', () => {
    fc.assert(
      fc.property(scenarioArb, ({ incoming, waiting, policy }) => {
        const plan = planPromises(incoming, waiting, policy);
        for (const p of plan) {
          const l = lineOf(incoming, p);
          const ranked = rankWaiting(
            waiting.filter((w) => mayTake(w, l)),
            policy,
            l.place,
          );
          const served = ranked.findIndex((w) => w.partLineId === p.partLineId);
          for (const before of ranked.slice(0, served)) expect(promisedTo(plan, before)).toBe(before.qty);
        }
      }),
    );
  });

  it('fifo: no line with unpromised units ranks before a line promised on the same PO line; a priority boost beats placedAt', () => {
    fc.assert(
      fc.property(scenarioArb, ({ incoming, waiting }) => {
        const plan = planPromises(incoming, waiting, FIFO);
        for (const p of plan) {
          const l = lineOf(incoming, p);
          const served = waiting.find((w) => w.partLineId === p.partLineId)!;
          for (const short of waiting.filter((w) => w !== served && mayTake(w, l) && promisedTo(plan, w) < w.qty)) {
            expect(ranksAfter(fifoKey(short), fifoKey(served))).toBe(true);
            expect(short.priority).toBeLessThanOrEqual(served.priority);
          }
        }
      }),
    );
  });

  it('one PO line under fifo: the promised lines are a prefix of the fifo order, all covered but the last', () => {
    const oneProduct = waitingArb.map((ws) => ws.map((w) => ({ ...w, productId: 'p1', eligibleLocations: ['a'] })));
    fc.assert(
      fc.property(oneProduct, placeArb, fc.integer({ min: 0, max: 60 }), (waiting, place, capacity) => {
        const line: IncomingLine = { poId: 'po0', lineNo: 1, productId: 'p1', locationId: 'a', place, arrivalDate: december(1), promisedDate: december(2), capacity };
        const incoming = [line];
        const plan = planPromises(incoming, waiting, FIFO);
        const order = rankWaiting(waiting, FIFO, line.place);
        expect(plan.map((p) => p.partLineId)).toEqual(order.slice(0, plan.length).map((w) => w.partLineId));
        plan.slice(0, -1).forEach((p, i) => expect(p.qty).toBe(order[i]!.qty));
        expect(sum(plan)).toBe(Math.min(capacity, sum(waiting)));
      }),
    );
  });

  it('fifo: a new line ranked after every promised line of its product changes no promise and gets what planning it alone against the leftover gives (R3 intake)', () => {
    const newLineArb = fc.record({ ...waitingFields, part: fc.integer({ min: 0, max: 5 }), day: fc.integer({ min: 1, max: 5 }) }).map((w) => toWaiting(w, 'pl-new'));
    fc.assert(
      fc.property(scenarioArb, newLineArb, ({ incoming, waiting }, fresh) => {
        const before = planPromises(incoming, waiting, FIFO);
        const promised = waiting.filter((w) => w.productId === fresh.productId && promisedTo(before, w) > 0);
        fc.pre(promised.every((w) => ranksAfter(fifoKey(fresh), fifoKey(w))));
        const leftover = incoming.map((l) => ({ ...l, capacity: usable(l) - promisedOn(before, l) }));
        const alone = planPromises(leftover, [fresh], FIFO);
        expect(asMultiset(planPromises(incoming, [...waiting, fresh], FIFO))).toEqual(asMultiset([...before, ...alone]));
      }),
    );
  });
});

const UTRECHT: Place = { country: 'NL', latitude: 52.09, longitude: 5.12 };

function po(poId: string, overrides: Partial<IncomingLine> = {}): IncomingLine {
  return {
    poId,
    lineNo: 1,
    productId: 'p1',
    locationId: 'utrecht',
    place: UTRECHT,
    arrivalDate: '2026-12-01',
    promisedDate: '2026-12-02',
    capacity: 10,
    ...overrides,
  };
}
function waits(id: string, overrides: Partial<Waiting> = {}): Waiting {
  return {
    partLineId: `pl-${id}`,
    partId: `pt-${id}`,
    orderId: `o-${id}`,
    productId: 'p1',
    qty: 1,
    placedAt: '2026-11-01T09:00:00Z',
    priority: 0,
    channelPriority: 0,
    marginCents: 0,
    customerTier: 'standard',
    customer: UTRECHT,
    eligibleLocations: ['utrecht'],
    ...overrides,
  };
}
const promises = (plan: readonly PlannedPromise[]) => plan.map((p) => [p.partLineId, p.poId, p.qty, p.promisedDate]);

describe('R3, R5 promise planning: examples', () => {
  it('promises the earliest effective arrival first and spills over to the next purchase order (R3)', () => {
    const late = po('po-late', { arrivalDate: '2026-12-10', promisedDate: '2026-12-11', capacity: 10 });
    const early = po('po-early', { arrivalDate: '2026-12-03', promisedDate: '2026-12-04', capacity: 4 });
    const line = waits('a', { qty: 6 });
    const plan = planPromises([late, early], [line], FIFO);
    expect(promises(plan)).toEqual([
      ['pl-a', 'po-early', 4, '2026-12-04'],
      ['pl-a', 'po-late', 2, '2026-12-11'],
    ]);
    expect(linePromisedDate(line.qty, plan)).toBe('2026-12-11');
  });

  it('promises at most floor(incoming × ratio) of a PO line: of 10 incoming at 0.75, 7 are promised and the eighth unit is oversold (R7)', () => {
    const incoming = [po('po-1', { capacity: floorTimes(10, 0.75) })];
    const first = waits('first', { qty: 5, placedAt: '2026-11-01T09:00:00Z' });
    const second = waits('second', { qty: 5, placedAt: '2026-11-02T09:00:00Z' });
    const plan = planPromises(incoming, [second, first], FIFO);
    expect(promises(plan)).toEqual([
      ['pl-first', 'po-1', 5, '2026-12-02'],
      ['pl-second', 'po-1', 2, '2026-12-02'],
    ]);
    expect(linePromisedDate(first.qty, plan.filter((p) => p.partLineId === 'pl-first'))).toBe('2026-12-02');
    expect(linePromisedDate(second.qty, plan.filter((p) => p.partLineId === 'pl-second'))).toBeNull();
  });

  it('a manually boosted later order is promised the early purchase order before an earlier order (R6)', () => {
    const incoming = [po('po-early', { capacity: 3 }), po('po-late', { arrivalDate: '2026-12-20', promisedDate: '2026-12-21', capacity: 10 })];
    const earlier = waits('earlier', { qty: 3, placedAt: '2026-11-01T09:00:00Z' });
    const boosted = waits('boosted', { qty: 3, placedAt: '2026-11-05T09:00:00Z', priority: 1 });
    expect(promises(planPromises(incoming, [earlier, boosted], FIFO))).toEqual([
      ['pl-boosted', 'po-early', 3, '2026-12-02'],
      ['pl-earlier', 'po-late', 3, '2026-12-21'],
    ]);
  });

  it('promises a line only incoming at the locations that serve its channel, even when another location’s arrives first (R3)', () => {
    const elsewhere = po('po-rotterdam', { locationId: 'rotterdam', arrivalDate: '2026-12-01', promisedDate: '2026-12-02' });
    const served = po('po-utrecht', { arrivalDate: '2026-12-08', promisedDate: '2026-12-09' });
    const plan = planPromises([elsewhere, served], [waits('a', { qty: 2 })], FIFO);
    expect(promises(plan)).toEqual([['pl-a', 'po-utrecht', 2, '2026-12-09']]);
  });

  it('of two PO lines arriving the same day, uses first the one whose location promises delivery sooner (less handling)', () => {
    const slow = po('po-a', { locationId: 'rotterdam', arrivalDate: '2026-12-05', promisedDate: '2026-12-08', capacity: 2 });
    const quick = po('po-b', { arrivalDate: '2026-12-05', promisedDate: '2026-12-06', capacity: 2 });
    const plan = planPromises([slow, quick], [waits('a', { qty: 3, eligibleLocations: ['rotterdam', 'utrecht'] })], FIFO);
    expect(promises(plan)).toEqual([
      ['pl-a', 'po-b', 2, '2026-12-06'],
      ['pl-a', 'po-a', 1, '2026-12-08'],
    ]);
  });

  it('promises a line only incoming of its own product', () => {
    const plan = planPromises([po('po-1', { productId: 'p2' })], [waits('a', { qty: 2 })], FIFO);
    expect(plan).toEqual([]);
  });

  it('a PO line with no capacity left, and a line waiting for nothing, get no promise', () => {
    const incoming = [po('po-zero', { capacity: 0 }), po('po-negative', { capacity: -3 }), po('po-open', { arrivalDate: '2026-12-05', promisedDate: '2026-12-06', capacity: 5 })];
    const plan = planPromises(incoming, [waits('none', { qty: 0 }), waits('a', { qty: 1 })], FIFO);
    expect(promises(plan)).toEqual([['pl-a', 'po-open', 1, '2026-12-06']]);
  });
});

describe('R7 capacity of a purchase-order line', () => {
  it('is floor(incoming × ratio): 100 × 0.7 = 70, 10 × 0.75 = 7, 3 × 0.75 = 2, 10 × 0.8 = 8', () => {
    expect(floorTimes(100, 0.7)).toBe(70);
    expect(floorTimes(10, 0.75)).toBe(7);
    expect(floorTimes(3, 0.75)).toBe(2);
    expect(floorTimes(10, 0.8)).toBe(8);
    expect(floorTimes(500, 0.75)).toBe(375);
  });

  it('does not lose a unit to binary floating point: 90 × 0.7 = 63 (not 62.999…), 100 × 0.29 = 29', () => {
    expect(floorTimes(90, 0.7)).toBe(63);
    expect(floorTimes(100, 0.29)).toBe(29);
    expect(floorTimes(200, 0.58)).toBe(116);
  });

  it('is 0 for nothing incoming or a ratio that is not positive, and all of it for a ratio above 1', () => {
    expect(floorTimes(0, 0.75)).toBe(0);
    expect(floorTimes(-4, 0.75)).toBe(0);
    expect(floorTimes(10, 0)).toBe(0);
    expect(floorTimes(10, -0.5)).toBe(0);
    expect(floorTimes(10, Number.NaN)).toBe(0);
    expect(floorTimes(Number.NaN, 0.75)).toBe(0);
    expect(floorTimes(10, 1.5)).toBe(10);
  });

  it('is exactly floor(incoming × percent / 100) for whole incoming and whole-percent ratios, float error notwithstanding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 100 }), (incoming, percent) => {
        const exact = (incoming * percent - ((incoming * percent) % 100)) / 100;
        expect(floorTimes(incoming, percent / 100)).toBe(exact);
      }),
    );
  });

  it('is exactly incoming × ratio when that is a whole number', () => {
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100_000 }), (percent, k) => {
        const incoming = k * (100 / gcd(percent, 100));
        expect(floorTimes(incoming, percent / 100)).toBe((incoming * percent) / 100);
      }),
      { numRuns: 1_000 },
    );
  });

  it('is a whole number between 0 and what is incoming, for any ratio', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: 1_000_000 }), fc.double(), (incoming, ratio) => {
        const capacity = floorTimes(incoming, ratio);
        expect(Number.isInteger(capacity)).toBe(true);
        expect(capacity).toBeGreaterThanOrEqual(0);
        expect(capacity).toBeLessThanOrEqual(Math.max(0, incoming));
      }),
    );
  });
});

const dateArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const promiseArb = fc.record({ qty: fc.integer({ min: 1, max: 5 }), promisedDate: dateArb });
const max = (dates: readonly string[]) => [...dates].sort().at(-1)!;

describe('R3 promised dates of lines and parts', () => {
  it('a line has a date only once its promises cover every unit, and then the latest of them', () => {
    expect(linePromisedDate(3, [])).toBeNull();
    expect(linePromisedDate(3, [{ qty: 2, promisedDate: '2026-12-04' }])).toBeNull();
    expect(
      linePromisedDate(3, [
        { qty: 2, promisedDate: '2026-12-11' },
        { qty: 1, promisedDate: '2026-12-04' },
      ]),
    ).toBe('2026-12-11');
    expect(linePromisedDate(0, [{ qty: 1, promisedDate: '2026-12-04' }])).toBeNull();
  });

  it('line date: null while short, else the maximum promised date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(promiseArb, { maxLength: 6 }), (qty, ps) => {
        const date = linePromisedDate(qty, ps);
        if (sum(ps) < qty) expect(date).toBeNull();
        else expect(date).toBe(max(ps.map((p) => p.promisedDate)));
      }),
    );
  });

  it('a part has the latest date of its lines, and none while any line has none', () => {
    expect(partPromisedDate(['2026-12-04', '2026-12-11', '2026-12-01'])).toBe('2026-12-11');
    expect(partPromisedDate(['2026-12-04', null])).toBeNull();
    expect(partPromisedDate([])).toBeNull();
  });

  it('part date: null if any line date is null, else the maximum', () => {
    fc.assert(
      fc.property(fc.array(fc.option(dateArb, { nil: null }), { minLength: 1, maxLength: 6 }), (dates) => {
        const date = partPromisedDate(dates);
        if (dates.includes(null)) expect(date).toBeNull();
        else expect(date).toBe(max(dates as string[]));
      }),
    );
  });
});

describe('R8 effective arrival and calendar days', () => {
  it('adds days across month ends, year ends and the leap day, in UTC', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30'); // across the European DST change
    expect(addDays('2026-12-01', 0)).toBe('2026-12-01');
  });

  it('addDays moves by exactly n calendar days and composes', () => {
    const days = fc.integer({ min: -800, max: 800 });
    fc.assert(
      fc.property(dateArb, days, days, (date, m, n) => {
        expect((Date.parse(addDays(date, n)) - Date.parse(date)) / 86_400_000).toBe(n);
        expect(addDays(addDays(date, m), n)).toBe(addDays(date, m + n));
        expect(addDays(addDays(date, n), -n)).toBe(date);
      }),
    );
  });

  it('effective arrival is the expected date plus the supplier’s p80 delay, never before today', () => {
    expect(effectiveArrival('2026-12-01', 3, '2026-11-20')).toBe('2026-12-04');
    expect(effectiveArrival('2026-12-30', 4, '2026-11-20')).toBe('2027-01-03');
    expect(effectiveArrival('2026-11-01', 2, '2026-11-10')).toBe('2026-11-10'); // overdue: at the earliest today
    expect(effectiveArrival('2026-12-01', 0, '2026-12-01')).toBe('2026-12-01');
  });

  it('effective arrival = max(today, expected + p80), and never before the expected date', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -5, max: 60 }), dateArb, (expected, p80, today) => {
        const arrival = effectiveArrival(expected, p80, today);
        if (p80 >= 0) expect(arrival).toBe(max([today, addDays(expected, p80)]));
        expect(arrival >= today).toBe(true);
        expect(arrival >= expected).toBe(true);
      }),
    );
  });
});

describe('R3 intake under a fifo-only policy: ranksAfter and isFifoOnly', () => {
  const fifoOnly: readonly Policy[] = [FIFO, { rules: [], tierOrder: DEFAULT_TIER_ORDER }, { rules: ['fifo', 'fifo'], tierOrder: [] }];

  it('isFifoOnly holds for fifo-only policies and for no other', () => {
    for (const p of fifoOnly) expect(isFifoOnly(p)).toBe(true);
    for (const rule of ALLOCATION_RULES.filter((r) => r !== 'fifo')) {
      expect(isFifoOnly({ rules: [rule], tierOrder: DEFAULT_TIER_ORDER })).toBe(false);
      expect(isFifoOnly({ rules: ['fifo', rule], tierOrder: DEFAULT_TIER_ORDER })).toBe(false);
    }
  });

  it('ranksAfter: a priority boost beats placedAt; then placedAt, partId, partLineId decide; a line never ranks after itself', () => {
    const early = { priority: 0, placedAt: '2026-11-01T09:00:00Z', partId: 'pt-b', partLineId: 'pl-2' };
    const lateBoosted = { priority: 1, placedAt: '2026-11-09T09:00:00Z', partId: 'pt-a', partLineId: 'pl-1' };
    expect(ranksAfter(early, lateBoosted)).toBe(true);
    expect(ranksAfter(lateBoosted, early)).toBe(false);
    expect(ranksAfter({ ...early, placedAt: '2026-11-02T09:00:00Z' }, early)).toBe(true);
    expect(ranksAfter({ ...early, partId: 'pt-c', partLineId: 'pl-1' }, early)).toBe(true);
    expect(ranksAfter({ ...early, partLineId: 'pl-3' }, early)).toBe(true);
    expect(ranksAfter(early, early)).toBe(false);
  });

  it('ranksAfter(a, b) iff rankWaiting serves a after b, under any fifo-only policy and from any origin', () => {
    const keyed = fc.record({
      fields: fc.record(waitingFields),
      partId: fc.constantFrom('pt1', 'pt2'),
      partLineId: fc.constantFrom('pl1', 'pl2'),
    });
    const lineArb = keyed.map(({ fields, partId, partLineId }) => ({ ...toWaiting(fields, partLineId), partId }));
    fc.assert(
      fc.property(lineArb, lineArb, fc.constantFrom(...fifoOnly), placeArb, (a, b, policy, origin) => {
        const sameKey = JSON.stringify(fifoKey(a)) === JSON.stringify(fifoKey(b));
        if (sameKey) {
          expect(ranksAfter(fifoKey(a), fifoKey(b))).toBe(false);
          expect(ranksAfter(fifoKey(b), fifoKey(a))).toBe(false);
          return;
        }
        const aAfterB = rankWaiting([a, b], policy, origin)[1] === a;
        expect(ranksAfter(fifoKey(a), fifoKey(b))).toBe(aAfterB);
        expect(ranksAfter(fifoKey(b), fifoKey(a))).toBe(!aAfterB);
      }),
    );
  });

  it('under a policy isFifoOnly accepts, the ranking is the same from every origin', () => {
    fc.assert(
      fc.property(waitingArb, fc.constantFrom(...fifoOnly), placeArb, placeArb, (waiting, policy, here, there) => {
        expect(rankWaiting(waiting, policy, here)).toEqual(rankWaiting(waiting, policy, there));
      }),
    );
  });
});
