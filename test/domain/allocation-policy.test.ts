import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALLOCATION_RULES,
  DEFAULT_TIER_ORDER,
  allocate,
  rankWaiting,
  type Allocation,
  type Place,
  type Policy,
  type Supply,
  type Waiting,
} from '../../src/domain/allocation-policy.js';

const LOCS = ['a', 'b', 'c'];
const PRODUCTS = ['p1', 'p2'];
const TIERS = ['vip', 'gold', 'silver', 'standard', 'bronze'];

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

const supplyArb = (places: Record<string, Place>) =>
  fc
    .array(
      fc.record({ productId: fc.constantFrom(...PRODUCTS), locationId: fc.constantFrom(...LOCS), qty: fc.integer({ min: -5, max: 30 }) }),
      { maxLength: 6 },
    )
    .map((rows) => rows.map((r): Supply => ({ ...r, place: places[r.locationId]! })));

const waitingArb = fc
  .array(
    fc.record({
      productId: fc.constantFrom(...PRODUCTS),
      qty: fc.integer({ min: 1, max: 10 }),
      day: fc.integer({ min: 1, max: 4 }),
      part: fc.integer({ min: 0, max: 4 }),
      priority: fc.integer({ min: 0, max: 2 }),
      channelPriority: fc.integer({ min: 0, max: 2 }),
      marginCents: fc.constantFrom(0, 150, 300),
      customerTier: fc.constantFrom(...TIERS),
      customer: placeArb,
      eligible: fc.subarray(LOCS),
    }),
    { maxLength: 14 },
  )
  .map((ws) =>
    ws.map(
      (w, i): Waiting => ({
        partLineId: `pl${String(i).padStart(2, '0')}`,
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
      }),
    ),
  );

const scenarioArb = fc
  .record({ a: placeArb, b: placeArb, c: placeArb })
  .chain((places) => fc.record({ supply: supplyArb(places), waiting: waitingArb, policy: policyArb }));

const permutation = <T>(xs: readonly T[]) => fc.shuffledSubarray([...xs], { minLength: xs.length, maxLength: xs.length });

const sum = (xs: readonly { qty: number }[]) => xs.reduce((s, x) => s + x.qty, 0);
const pooled = (supply: readonly Supply[], p: string, l: string) =>
  supply.filter((s) => s.productId === p && s.locationId === l).reduce((s, x) => s + Math.max(0, x.qty), 0);
const servedQty = (plan: readonly Allocation[], w: Waiting) => sum(plan.filter((a) => a.partLineId === w.partLineId));
const tieBreak = (w: Waiting) => [w.placedAt, w.partId, w.partLineId].join('|');

describe('R6 allocation policy: guarantees for any policy and any rows', () => {
  it('never gives more than the supply of a (product, location), nor more than a line waits for', () => {
    fc.assert(
      fc.property(scenarioArb, ({ supply, waiting, policy }) => {
        const plan = allocate(supply, waiting, policy);
        for (const p of PRODUCTS)
          for (const l of LOCS) expect(sum(plan.filter((a) => a.productId === p && a.locationId === l))).toBeLessThanOrEqual(pooled(supply, p, l));
        for (const w of waiting) expect(servedQty(plan, w)).toBeLessThanOrEqual(w.qty);
      }),
    );
  });

  it('gives a line units only of its own product, from its eligible locations, once per location, never 0', () => {
    fc.assert(
      fc.property(scenarioArb, ({ supply, waiting, policy }) => {
        const plan = allocate(supply, waiting, policy);
        const seen = new Set<string>();
        for (const a of plan) {
          const w = waiting.find((x) => x.partLineId === a.partLineId)!;
          expect(a).toMatchObject({ partId: w.partId, orderId: w.orderId, productId: w.productId });
          expect(w.eligibleLocations).toContain(a.locationId);
          expect(a.qty).toBeGreaterThan(0);
          expect(seen.has(`${a.partLineId}|${a.locationId}`)).toBe(false);
          seen.add(`${a.partLineId}|${a.locationId}`);
        }
      }),
    );
  });

  it('allocates min(supply, demand) per product when every line may take from every location', () => {
    fc.assert(
      fc.property(scenarioArb, ({ supply, waiting, policy }) => {
        const open = waiting.map((w) => ({ ...w, eligibleLocations: LOCS }));
        const plan = allocate(supply, open, policy);
        for (const p of PRODUCTS) {
          const available = LOCS.reduce((s, l) => s + pooled(supply, p, l), 0);
          const demand = sum(open.filter((w) => w.productId === p));
          expect(sum(plan.filter((a) => a.productId === p))).toBe(Math.min(available, demand));
        }
      }),
    );
  });

  it('gives the same plan whatever order the supply and waiting rows arrive in', () => {
    const shuffled = scenarioArb.chain((s) =>
      fc.record({ s: fc.constant(s), supply: permutation(s.supply), waiting: permutation(s.waiting) }),
    );
    fc.assert(
      fc.property(shuffled, ({ s, supply, waiting }) => {
        expect(allocate(supply, waiting, s.policy)).toEqual(allocate(s.supply, s.waiting, s.policy));
      }),
    );
  });

  it('fifo: no line is served at a location while an earlier eligible line of the product there is short', () => {
    fc.assert(
      fc.property(scenarioArb, ({ supply, waiting }) => {
        const flat = waiting.map((w) => ({ ...w, priority: 0 }));
        const plan = allocate(supply, flat, { rules: ['fifo'], tierOrder: DEFAULT_TIER_ORDER });
        for (const a of plan) {
          const served = flat.find((w) => w.partLineId === a.partLineId)!;
          for (const earlier of flat) {
            if (earlier.productId !== served.productId || !earlier.eligibleLocations.includes(a.locationId)) continue;
            if (tieBreak(earlier) < tieBreak(served)) expect(servedQty(plan, earlier)).toBe(earlier.qty);
          }
        }
      }),
    );
  });

  it('the manual priority boost beats every rule: no line is served while a higher-priority eligible line is short', () => {
    fc.assert(
      fc.property(scenarioArb, ({ supply, waiting, policy }) => {
        const plan = allocate(supply, waiting, policy);
        for (const a of plan) {
          const served = waiting.find((w) => w.partLineId === a.partLineId)!;
          for (const boosted of waiting) {
            if (boosted.productId !== served.productId || !boosted.eligibleLocations.includes(a.locationId)) continue;
            if (boosted.priority > served.priority) expect(servedQty(plan, boosted)).toBe(boosted.qty);
          }
        }
      }),
    );
  });
});

const UTRECHT: Place = { country: 'NL', latitude: 52.09, longitude: 5.12 };
const AMSTERDAM: Place = { country: 'NL', latitude: 52.37, longitude: 4.9 };
const GRONINGEN: Place = { country: 'NL', latitude: 53.22, longitude: 6.57 };
const ANTWERP: Place = { country: 'BE', latitude: 51.22, longitude: 4.4 };
const NL_UNKNOWN: Place = { country: 'NL', latitude: null, longitude: null };

function line(id: string, overrides: Partial<Waiting> = {}): Waiting {
  return {
    partLineId: `pl-${id}`,
    partId: `pt-${id}`,
    orderId: `o-${id}`,
    productId: 'p1',
    qty: 1,
    placedAt: '2026-11-01T00:00:00Z',
    priority: 0,
    channelPriority: 0,
    marginCents: 0,
    customerTier: 'standard',
    customer: UTRECHT,
    eligibleLocations: ['utrecht'],
    ...overrides,
  };
}
const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T09:00:00Z`;
const policy = (...rules: Policy['rules']): Policy => ({ rules, tierOrder: DEFAULT_TIER_ORDER });
const ranked = (waiting: readonly Waiting[], p: Policy, origin: Place = UTRECHT) =>
  rankWaiting(waiting, p, origin).map((w) => w.partLineId);

describe('R6 allocation policy: each rule', () => {
  it('fifo serves the line placed first, first', () => {
    const late = line('late', { placedAt: day(3), qty: 2 });
    const early = line('early', { placedAt: day(1), qty: 2 });
    const plan = allocate([{ productId: 'p1', locationId: 'utrecht', qty: 3, place: UTRECHT }], [late, early], policy('fifo'));
    expect(plan).toEqual([
      { partLineId: 'pl-early', partId: 'pt-early', orderId: 'o-early', productId: 'p1', locationId: 'utrecht', qty: 2 },
      { partLineId: 'pl-late', partId: 'pt-late', orderId: 'o-late', productId: 'p1', locationId: 'utrecht', qty: 1 },
    ]);
  });

  it('channel_priority before fifo serves a later line of a higher-priority channel first', () => {
    const waiting = [line('bol', { placedAt: day(1), channelPriority: 1 }), line('webshop', { placedAt: day(5), channelPriority: 3 })];
    expect(ranked(waiting, policy('channel_priority', 'fifo'))).toEqual(['pl-webshop', 'pl-bol']);
    expect(ranked(waiting, policy('fifo', 'channel_priority'))).toEqual(['pl-bol', 'pl-webshop']);
  });

  it('channel_priority: line margin breaks a tie in channel priority', () => {
    const waiting = [line('thin', { placedAt: day(1), channelPriority: 2, marginCents: 120 }), line('fat', { placedAt: day(2), channelPriority: 2, marginCents: 900 })];
    expect(ranked(waiting, policy('channel_priority'))).toEqual(['pl-fat', 'pl-thin']);
  });

  it('customer_tier follows the organisation tier order; unlisted tiers come last, equal among themselves', () => {
    const waiting = [
      line('platinum', { placedAt: day(1), customerTier: 'platinum' }),
      line('vip', { placedAt: day(2), customerTier: 'vip' }),
      line('bronze', { placedAt: day(3), customerTier: 'bronze' }),
      line('gold', { placedAt: day(4), customerTier: 'gold' }),
    ];
    const goldFirst: Policy = { rules: ['customer_tier'], tierOrder: ['gold', 'vip'] };
    expect(ranked(waiting, goldFirst)).toEqual(['pl-gold', 'pl-vip', 'pl-platinum', 'pl-bronze']);
  });

  it('proximity serves customers in the location’s country first, even when a foreign one is nearer', () => {
    const waiting = [line('antwerp', { placedAt: day(1), customer: ANTWERP }), line('groningen', { placedAt: day(2), customer: GRONINGEN })];
    expect(ranked(waiting, policy('proximity'))).toEqual(['pl-groningen', 'pl-antwerp']);
  });

  it('proximity then serves the nearer of two customers (Amsterdam before Groningen, from Utrecht)', () => {
    const waiting = [line('groningen', { placedAt: day(1), customer: GRONINGEN }), line('amsterdam', { placedAt: day(2), customer: AMSTERDAM })];
    expect(ranked(waiting, policy('proximity'))).toEqual(['pl-amsterdam', 'pl-groningen']);
  });

  it('proximity puts a customer without coordinates after one with, in the same country', () => {
    const waiting = [line('unknown', { placedAt: day(1), customer: NL_UNKNOWN }), line('groningen', { placedAt: day(2), customer: GRONINGEN })];
    expect(ranked(waiting, policy('proximity'))).toEqual(['pl-groningen', 'pl-unknown']);
  });

  it('the manual priority boost beats a policy of all four rules', () => {
    const favoured = line('favoured', { placedAt: day(1), channelPriority: 9, marginCents: 900, customerTier: 'vip', customer: AMSTERDAM });
    const boosted = line('boosted', { placedAt: day(9), priority: 1, customerTier: 'unknown', customer: { country: 'DE', latitude: null, longitude: null } });
    const all = policy('fifo', 'channel_priority', 'customer_tier', 'proximity');
    expect(ranked([favoured, boosted], all)).toEqual(['pl-boosted', 'pl-favoured']);
  });

  it('a three-rule policy channel_priority, customer_tier, fifo applies each rule only to the ties of the one before', () => {
    const waiting = [
      line('low-channel-vip', { placedAt: day(1), channelPriority: 1, customerTier: 'vip' }),
      line('standard', { placedAt: day(2), channelPriority: 2, customerTier: 'standard' }),
      line('gold-late', { placedAt: day(4), channelPriority: 2, customerTier: 'gold' }),
      line('gold-early', { placedAt: day(3), channelPriority: 2, customerTier: 'gold' }),
    ];
    expect(ranked(waiting, policy('channel_priority', 'customer_tier', 'fifo'))).toEqual([
      'pl-gold-early',
      'pl-gold-late',
      'pl-standard',
      'pl-low-channel-vip',
    ]);
  });

  it('ties fall to placedAt, then partId, then partLineId', () => {
    const waiting = [line('b', { partId: 'pt-2' }), line('c', { partId: 'pt-1' }), line('a', { partId: 'pt-2' })];
    expect(ranked(waiting, policy())).toEqual(['pl-c', 'pl-a', 'pl-b']);
  });
});

describe('R6 allocation over several locations (R5 receipts, R19 freed stock)', () => {
  it('pools rows per (product, location), serves locations in id order, and finishes a partly served line later', () => {
    const supply: Supply[] = [
      { productId: 'p1', locationId: 'b-rotterdam', qty: 5, place: UTRECHT },
      { productId: 'p1', locationId: 'a-utrecht', qty: 1, place: UTRECHT },
      { productId: 'p1', locationId: 'a-utrecht', qty: 1, place: UTRECHT },
      { productId: 'p1', locationId: 'a-utrecht', qty: -4, place: UTRECHT },
    ];
    const first = line('first', { placedAt: day(1), qty: 3, eligibleLocations: ['a-utrecht', 'b-rotterdam'] });
    const onlyA = line('only-a', { placedAt: day(2), qty: 1, eligibleLocations: ['a-utrecht'] });
    const onlyB = line('only-b', { placedAt: day(3), qty: 9, eligibleLocations: ['b-rotterdam'] });
    const plan = allocate(supply, [onlyB, onlyA, first], policy('fifo'));
    expect(plan.map((a) => [a.partLineId, a.locationId, a.qty])).toEqual([
      ['pl-first', 'a-utrecht', 2],
      ['pl-first', 'b-rotterdam', 1],
      ['pl-only-b', 'b-rotterdam', 4],
    ]);
  });

  it('allocates 10,000 units over 20,000 waiting lines with all four rules', () => {
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % n;
    };
    const locations = ['loc-1', 'loc-2', 'loc-3', 'loc-4'];
    const supply: Supply[] = locations.map((locationId, i) => ({
      productId: 'p1',
      locationId,
      qty: 2_500,
      place: { country: i < 2 ? 'NL' : 'BE', latitude: 51 + i, longitude: 4 + i },
    }));
    const waiting = Array.from({ length: 20_000 }, (_, i) => {
      const first = next(4);
      return line(String(i).padStart(5, '0'), {
        qty: 1 + next(3),
        placedAt: day(1 + next(28)),
        priority: next(10) === 0 ? 1 : 0,
        channelPriority: next(3),
        marginCents: next(1_000),
        customerTier: TIERS[next(TIERS.length)]!,
        customer: { country: next(2) === 0 ? 'NL' : 'BE', latitude: next(5) === 0 ? null : 50 + next(400) / 100, longitude: 3 + next(400) / 100 },
        eligibleLocations: [locations[first]!, locations[(first + 1) % 4]!],
      });
    });
    const plan = allocate(supply, waiting, policy('proximity', 'customer_tier', 'channel_priority', 'fifo'));
    expect(sum(plan)).toBe(10_000);
    for (const l of locations) expect(sum(plan.filter((a) => a.locationId === l))).toBe(2_500);
    const byLine = new Map<string, number>();
    for (const a of plan) byLine.set(a.partLineId, (byLine.get(a.partLineId) ?? 0) + a.qty);
    for (const w of waiting) expect(byLine.get(w.partLineId) ?? 0).toBeLessThanOrEqual(w.qty);
  });
});
