import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIER_ORDER, type Policy } from '../../src/domain/allocation-policy.js';
import { activeSeason, windowEnd, type ChannelWindow, type Season } from '../../src/domain/channel-window.js';
import { gradeCap, isCappedGrade, lineCapacities, lineRatio, type LineCapacity } from '../../src/domain/offer-capacity.js';
import { computeOffers, type Offer, type OfferChannel, type OfferInput, type OfferLine } from '../../src/domain/offered-stock.js';
import { addDays, planPromises, type IncomingLine, type PromiseWaiting } from '../../src/domain/promise-plan.js';
import type { SupplierGrade } from '../../src/domain/supplier-reliability.js';

/**
 * R7 "the same incoming unit is never sold twice", as a model of one SKU over time: orders on
 * random channels interleaved with full re-plans. Each order sees the offers of the moment,
 * takes stock at its channel's locations, and waits for the rest, promised exactly as order
 * intake promises it (src/services/intake-promises.ts: only the channel's allotment of each
 * line, what earlier promises left of it, only lines arriving by the window's end). A re-plan
 * promises every waiting unit from scratch (src/services/promise-replan.ts: the whole capacity,
 * own allotment first, then the line's pool). After every step:
 *
 *  (a) no PO line is promised more than its capacity;
 *  (b) a channel holds at most its allotment of a line plus what it took of the pool, and all
 *      channels together take at most the pool beyond their allotments; an intake adds to a
 *      channel only what is left of its allotment;
 *  (c) the channels' incoming offers of a line add up to at most capacity − promised: a unit
 *      is never offered twice, nor offered once it is promised;
 *  (d) every breakdown adds up;
 *  (e) an order is promised at intake exactly min(units it waits for, its channel's incoming
 *      offer); so an order within its channel's offered value waits only for promised units.
 *      A boosted order (manual priority: intake re-plans the SKU, the new unit held to its
 *      channel's allotment and window) may take back its channel's allotment from that
 *      channel's earlier units, so it gets at least that, never any pool.
 *      (Why (e) holds with physical stock in play: the order takes min(qty, available) of the
 *      channel's stock, and physical offer = max(0, available − buffer) ≤ available, so
 *      qty ≤ offered leaves at most `incoming offer` units waiting.)
 */

const TODAY_BASE = '2026-11-30'; // a Monday; `today` is one of the seven days from here
const LOCATIONS = ['l1', 'l2'] as const;
const FIFO: Policy = { rules: ['fifo'], tierOrder: DEFAULT_TIER_ORDER };

interface ChannelSpec {
  acceptsBackorders: boolean;
  shareNumerator: number | null;
  window: ChannelWindow;
  locations: string[];
  safetyBuffer: number | null;
}

/** null three times in four. */
const mostlyNull = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const windowArb: fc.Arbitrary<ChannelWindow> = fc.oneof(
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 0, max: 30 }) }),
  fc.constant({ kind: 'none' as const }),
  fc.record({
    kind: fc.constant('until_next_shipment' as const),
    shipmentDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }),
    cutoffDays: fc.integer({ min: 0, max: 3 }),
  }),
);

const channelArb: fc.Arbitrary<ChannelSpec> = fc.record({
  acceptsBackorders: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  shareNumerator: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null, freq: 2 }),
  window: windowArb,
  locations: fc.shuffledSubarray([...LOCATIONS], { minLength: 1 }),
  safetyBuffer: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
});

const seasonArb = (today: string): fc.Arbitrary<Season> =>
  fc
    .record({
      name: fc.constantFrom('a', 'b', 'c'),
      from: fc.integer({ min: -5, max: 3 }),
      length: fc.integer({ min: 0, max: 8 }),
      acceptanceRatio: fc.option(fc.integer({ min: 1, max: 100 }).map((n) => n / 100), { nil: null }),
      windowMultiplier: fc.constantFrom(0.5, 1, 1.25, 1.5, 2),
    })
    .map((s) => ({ name: s.name, startsOn: addDays(today, s.from), endsOn: addDays(today, s.from + s.length), acceptanceRatio: s.acceptanceRatio, windowMultiplier: s.windowMultiplier }));

const lineArb = fc.record({
  location: fc.constantFrom(...LOCATIONS),
  incoming: fc.integer({ min: 0, max: 120 }),
  arrivalIn: fc.integer({ min: 0, max: 40 }),
  grade: fc.constantFrom<SupplierGrade>('new', 'reliable', 'erratic'),
});

const worldArb = fc
  .record({
    todayOffset: fc.integer({ min: 0, max: 6 }),
    locationCount: fc.constantFrom(1, 2),
    channels: fc.array(channelArb, { minLength: 1, maxLength: 4 }),
    // Explicit shares are numerator / denominator: sums like 1/3 + 1/3 + 1/3 land a hair above 1 in floating point.
    shareDenominator: fc.integer({ min: 1, max: 7 }),
    lines: fc.oneof({ weight: 1, arbitrary: fc.array(lineArb, { maxLength: 0 }) }, { weight: 7, arbitrary: fc.array(lineArb, { minLength: 1, maxLength: 4 }) }),
    stock: fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 })),
    organisationRatio: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 40, max: 100 }).map((n) => n / 100) }, { weight: 1, arbitrary: fc.double({ min: 0.001, max: 1, noNaN: true }) }),
    productRatio: mostlyNull(fc.integer({ min: 1, max: 100 }).map((n) => n / 100)),
    policy: fc.constantFrom('inherit' as const, 'allow' as const, 'preorder' as const),
    preorderDays: fc.integer({ min: 0, max: 40 }),
    defaultSafetyBuffer: fc.integer({ min: 0, max: 2 }),
    productBuffer: mostlyNull(fc.integer({ min: 0, max: 3 })),
    dailySalesX28: fc.integer({ min: 0, max: 600 }),
    cappedSalesDays: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null, freq: 2 }),
    seasonCount: fc.integer({ min: 0, max: 2 }),
    steps: fc.array(
      fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({ kind: fc.constant('order' as const), channel: fc.nat({ max: 3 }), qty: fc.integer({ min: 1, max: 12 }), boosted: fc.integer({ min: 0, max: 3 }).map((n) => n === 0) }),
        },
        { weight: 1, arbitrary: fc.constant({ kind: 'replan' as const }) },
      ),
      { minLength: 1, maxLength: 16 },
    ),
  })
  .chain((w) => {
    const today = addDays(TODAY_BASE, w.todayOffset);
    return fc.array(seasonArb(today), { minLength: w.seasonCount, maxLength: w.seasonCount }).map((seasons) => ({ ...w, today, seasons }));
  })
  .map((w) => {
    const locations = LOCATIONS.slice(0, w.locationCount);
    const channels = w.channels.map((c) => {
      const served = c.locations.filter((l) => locations.includes(l as (typeof LOCATIONS)[number]));
      return { ...c, locations: served.length > 0 ? served : [locations[0]!] };
    });
    // Scale explicit numerators down until they add up to at most the denominator (Σ shares ≤ 1 in exact arithmetic).
    let explicit = channels.reduce((a, c) => a + (c.shareNumerator ?? 0), 0);
    for (const c of channels) {
      if (explicit <= w.shareDenominator || c.shareNumerator === null) continue;
      const cut = Math.min(c.shareNumerator, explicit - w.shareDenominator);
      c.shareNumerator -= cut;
      explicit -= cut;
    }
    return {
      ...w,
      locations,
      channels,
      lines: w.lines.map((l) => ({ ...l, location: locations.includes(l.location as (typeof LOCATIONS)[number]) ? l.location : locations[0]! })),
    };
  });
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

interface WaitingUnit {
  readonly id: string;
  readonly channelId: string;
  readonly qty: number;
  readonly placedAt: string;
  readonly priority: number;
  readonly eligible: readonly string[];
}
interface Held {
  readonly waitingId: string;
  readonly channelId: string;
  readonly lineKey: string;
  readonly qty: number;
}

type ModelLine = Omit<OfferLine, 'promisedTotal' | 'promisedByChannel'>;

const keyOf = (l: { poId: string; lineNo: number }) => `${l.poId}|${l.lineNo}`;
const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

/** One SKU as the services see it: settings, channels, stock, open lines and the promises held against them. */
class Model {
  readonly channels: OfferChannel[];
  readonly offerLines: ModelLine[];
  readonly available: Map<string, number>;
  readonly waiting: WaitingUnit[] = [];
  promises: Held[] = [];
  readonly capacities: Map<string, LineCapacity>;
  private seq = 0;

  constructor(readonly w: World) {
    this.channels = w.channels.map((c, i) => ({
      id: `c${i}`,
      code: `ch${i}`,
      acceptsBackorders: c.acceptsBackorders,
      share: c.shareNumerator === null ? null : c.shareNumerator / w.shareDenominator,
      locationIds: c.locations,
      window: c.window,
      safetyBuffer: c.safetyBuffer,
    }));
    this.offerLines = w.lines.map((l, i) => {
      const arrival = addDays(w.today, l.arrivalIn);
      return {
        poId: `po${i}`,
        number: `PO-${i}`,
        lineNo: 1,
        locationId: l.location,
        locationCode: l.location,
        supplier: `supplier-${l.grade}`,
        grade: l.grade,
        expectedDate: arrival,
        arrivalDate: arrival,
        incoming: l.incoming,
      };
    });
    this.available = new Map(w.locations.map((l, i) => [l, w.stock[i]!]));
    this.capacities = new Map(
      lineCapacities(
        this.offerLines.map((l) => ({ key: keyOf(l), locationId: l.locationId, grade: l.grade, incoming: l.incoming, arrivalDate: l.arrivalDate })),
        this.settings(),
        this.channels,
      ).map((c) => [c.key, c]),
    );
  }

  settings() {
    const season = activeSeason(this.w.seasons, this.w.today);
    return {
      organisationRatio: this.w.organisationRatio,
      seasonRatio: season?.acceptanceRatio ?? null,
      productRatio: this.w.productRatio,
      erraticFactor: 0.67,
      cappedSalesDays: this.w.cappedSalesDays,
      dailySales: this.w.dailySalesX28 / 28,
    };
  }

  promisedOn(lineKey: string, channelId?: string): number {
    return sum(this.promises.filter((p) => p.lineKey === lineKey && (channelId === undefined || p.channelId === channelId)).map((p) => p.qty));
  }

  offerInput(): OfferInput {
    return {
      today: this.w.today,
      organisation: {
        backordersEnabled: true,
        acceptanceRatio: this.w.organisationRatio,
        defaultSafetyBuffer: this.w.defaultSafetyBuffer,
        preorderDays: this.w.preorderDays,
        erraticRatioFactor: 0.67,
        cappedSalesDays: this.w.cappedSalesDays,
        seasons: this.w.seasons,
      },
      product: { id: 'p', sku: 'SKU-1', policy: this.w.policy, safetyBuffer: this.w.productBuffer, acceptanceRatio: this.w.productRatio },
      channels: this.channels,
      stock: this.w.locations.map((l) => ({ locationId: l, locationCode: l, available: this.available.get(l)! })),
      lines: this.offerLines.map((l) => ({
        ...l,
        promisedTotal: this.promisedOn(keyOf(l)),
        promisedByChannel: new Map(this.channels.map((c) => [c.id, this.promisedOn(keyOf(l), c.id)])),
      })),
      dailySales: this.w.dailySalesX28 / 28,
    };
  }

  offers(): Offer[] {
    return computeOffers(this.offerInput());
  }

  /** intake-promises.ts latestArrivals: the window's end, or for a pre-order product today + pre-order days. */
  latestArrival(channel: OfferChannel): string | null {
    if (this.w.policy === 'preorder') return addDays(this.w.today, this.w.preorderDays);
    return windowEnd(channel.window, this.w.today, activeSeason(this.w.seasons, this.w.today));
  }

  incomingLine(l: ModelLine, intake: boolean): IncomingLine {
    const cap = this.capacities.get(keyOf(l))!;
    return {
      poId: l.poId,
      lineNo: l.lineNo,
      productId: 'p',
      locationId: l.locationId,
      place: { country: 'NL', latitude: null, longitude: null },
      arrivalDate: l.arrivalDate,
      promisedDate: addDays(l.arrivalDate, 1),
      // promise-replan.ts toIncomingLine: intake passes what is promised already and gets no pool.
      capacity: Math.max(0, cap.capacity - (intake ? this.promisedOn(keyOf(l)) : 0)),
      allotments: new Map([...cap.allotments].map(([id, units]) => [id, Math.max(0, units - (intake ? this.promisedOn(keyOf(l), id) : 0))])),
      pool: intake ? 0 : cap.pool,
    };
  }

  toWaiting(u: WaitingUnit, intake: OfferChannel | null): PromiseWaiting {
    return {
      partLineId: u.id,
      partId: u.id,
      orderId: u.id,
      productId: 'p',
      qty: u.qty,
      placedAt: u.placedAt,
      priority: u.priority,
      channelPriority: 0,
      marginCents: 0,
      customerTier: 'standard',
      customer: { country: 'NL', latitude: null, longitude: null },
      eligibleLocations: u.eligible,
      channelId: u.channelId,
      ...(intake ? { allotmentOnly: true, latestArrival: this.latestArrival(intake) } : {}),
    };
  }

  /**
   * An order: stock first in the channel's location order (split-order.ts), the rest waits. A
   * plain order ranks after every promised unit (fifo) and is promised alone against what is
   * left; a boosted one (manual priority) makes intake re-plan the SKU with the new unit held to
   * its channel's allotment and window (promise-replan.ts `newOrder`).
   */
  order(channelIndex: number, qty: number, boosted = false): { reserved: number; waiting: number; held: Held[] } {
    const channel = this.channels[channelIndex % this.channels.length]!;
    let need = qty;
    for (const loc of channel.locationIds) {
      const take = Math.min(need, this.available.get(loc)!);
      this.available.set(loc, this.available.get(loc)! - take);
      need -= take;
    }
    if (need === 0) return { reserved: qty, waiting: 0, held: [] };
    this.seq += 1;
    const unit: WaitingUnit = {
      id: `w${String(this.seq).padStart(3, '0')}`,
      channelId: channel.id,
      qty: need,
      placedAt: `2026-12-01T00:00:${String(this.seq).padStart(2, '0')}.000Z`,
      priority: boosted ? 1 : 0,
      eligible: channel.locationIds,
    };
    this.waiting.push(unit);
    if (boosted) {
      this.replan(unit, channel);
      return { reserved: qty - need, waiting: need, held: this.promises.filter((p) => p.waitingId === unit.id) };
    }
    const plan = planPromises(
      this.offerLines.map((l) => this.incomingLine(l, true)),
      [this.toWaiting(unit, channel)],
      FIFO,
    );
    const held = plan.map((p) => ({ waitingId: p.partLineId, channelId: channel.id, lineKey: keyOf(p), qty: p.qty }));
    this.promises.push(...held);
    return { reserved: qty - need, waiting: need, held };
  }

  /** promise-replan.ts: every waiting unit from scratch, whole capacities, allotments and pools. */
  replan(newUnit?: WaitingUnit, channel?: OfferChannel) {
    const plan = planPromises(
      this.offerLines.map((l) => this.incomingLine(l, false)),
      this.waiting.map((u) => this.toWaiting(u, u === newUnit ? channel! : null)),
      FIFO,
    );
    const channelOf = new Map(this.waiting.map((u) => [u.id, u.channelId]));
    this.promises = plan.map((p) => ({ waitingId: p.partLineId, channelId: channelOf.get(p.partLineId)!, lineKey: keyOf(p), qty: p.qty }));
  }
}

/** (a), (b): the promises held against every line, whatever step made them. */
function expectPromiseInvariants(m: Model) {
  for (const l of m.offerLines) {
    const cap = m.capacities.get(keyOf(l))!;
    const total = m.promisedOn(keyOf(l));
    expect(total, `(a) promised on ${keyOf(l)} ≤ capacity`).toBeLessThanOrEqual(cap.capacity);
    let overAllotments = 0;
    for (const c of m.channels) {
      const held = m.promisedOn(keyOf(l), c.id);
      const allotment = cap.allotments.get(c.id) ?? 0;
      expect(held, `(b) ${c.id} on ${keyOf(l)} ≤ allotment + pool`).toBeLessThanOrEqual(allotment + cap.pool);
      overAllotments += Math.max(0, held - allotment);
      if (!c.locationIds.includes(l.locationId)) expect(held, `${c.id} is not served from ${l.locationId}`).toBe(0);
    }
    expect(overAllotments, `(b) all channels together take at most the pool of ${keyOf(l)} beyond their allotments`).toBeLessThanOrEqual(cap.pool);
  }
  for (const u of m.waiting) {
    expect(sum(m.promises.filter((p) => p.waitingId === u.id).map((p) => p.qty)), `${u.id} is promised at most what it waits for`).toBeLessThanOrEqual(u.qty);
  }
}

/** The capacity terms themselves, independently of how they are spent (R7, R8, R15). */
function expectCapacities(m: Model) {
  const settings = m.settings();
  let capped = 0;
  for (const l of m.offerLines) {
    const cap = m.capacities.get(keyOf(l))!;
    const { ratio } = lineRatio(settings, l.grade);
    expect(cap.capacity).toBeGreaterThanOrEqual(0);
    expect(cap.capacity).toBeLessThanOrEqual(Math.floor(l.incoming * Math.min(1, ratio) + 1e-9));
    expect(cap.capacity).toBeLessThanOrEqual(l.incoming);
    if (isCappedGrade(l.grade)) capped += cap.capacity;
    else expect(cap.capacity).toBe(Math.floor(l.incoming * Math.min(1, ratio) + 1e-9));
    for (const [id, units] of cap.allotments) {
      expect(units).toBeGreaterThanOrEqual(0);
      expect(units, `allotment of ${id} ≤ floor(capacity × share)`).toBeLessThanOrEqual(Math.floor(cap.capacity * (cap.shares.get(id) ?? 0) + 1e-9));
      const channel = m.channels.find((c) => c.id === id)!;
      expect(channel.acceptsBackorders && channel.locationIds.includes(l.locationId)).toBe(true);
    }
    // R7 shares: explicit as given, the rest split equally among the other channels that take backorders from this location.
    const eligible = m.channels.filter((c) => c.acceptsBackorders && c.locationIds.includes(l.locationId));
    const explicit = sum(eligible.map((c) => c.share ?? 0));
    const open = eligible.filter((c) => c.share === null).length;
    expect([...cap.shares.keys()].sort()).toEqual(eligible.map((c) => c.id).sort());
    for (const c of eligible) {
      const share = c.share ?? Math.max(0, 1 - explicit) / open;
      expect(cap.shares.get(c.id)).toBeCloseTo(share, 12);
      expect(cap.allotments.get(c.id), `allotment of ${c.id} = floor(capacity × share)`).toBe(Math.floor(cap.capacity * share + 1e-9));
    }
    expect(cap.pool).toBeGreaterThanOrEqual(0);
    expect(sum([...cap.allotments.values()]) + cap.pool).toBe(cap.capacity);
  }
  expect(capped, 'R8: lines of new and erratic suppliers give at most the capped days of sales').toBeLessThanOrEqual(gradeCap(settings));
}

/** (c), (d): the offers of the moment. */
function expectOffers(m: Model, offers: readonly Offer[]) {
  expect(offers.map((o) => o.channelId)).toEqual(m.channels.map((c) => c.id));
  for (const o of offers) {
    const b = o.breakdown;
    expect(o.offered, '(d) offered = physical + incoming').toBe(o.physical + o.incoming);
    expect(b.offered).toBe(o.offered);
    expect(b.physical.units).toBe(o.physical);
    expect(b.incoming.units).toBe(o.incoming);
    expect(b.offered, '(d) breakdown: offered = physical.units + incoming.units').toBe(b.physical.units + b.incoming.units);
    expect(b.incoming.units, '(d) incoming.units = Σ lines.units').toBe(sum(b.incoming.lines.map((t) => t.units)));
    expect(b.physical.available).toBe(sum(b.physical.locations.map((l) => l.available)));
    expect(b.physical.units).toBe(b.physical.preorder ? 0 : Math.max(0, b.physical.available - b.physical.safetyBuffer));
    for (const t of b.incoming.lines) {
      expect(t.units).toBeGreaterThanOrEqual(0);
      if (t.excluded !== null) expect(t.units).toBe(0);
      expect(t.units, 'a line adds at most what is left of the channel’s allotment').toBeLessThanOrEqual(Math.max(0, t.allotment - t.promisedToChannel));
    }
  }
  for (const l of m.offerLines) {
    const cap = m.capacities.get(keyOf(l))!;
    const offeredOfLine = sum(offers.map((o) => o.breakdown.incoming.lines.find((t) => t.purchaseOrderId === l.poId && t.lineNo === l.lineNo)!.units));
    expect(offeredOfLine, `(c) ${keyOf(l)} is offered at most capacity − promised over all channels`).toBeLessThanOrEqual(Math.max(0, cap.capacity - m.promisedOn(keyOf(l))));
    for (const o of offers) {
      const t = o.breakdown.incoming.lines.find((x) => x.purchaseOrderId === l.poId && x.lineNo === l.lineNo)!;
      expect(t.capacity).toBe(cap.capacity);
      expect(t.allotment).toBe(cap.allotments.get(o.channelId) ?? 0);
      expect(t.promisedTotal).toBe(m.promisedOn(keyOf(l)));
    }
  }
  const left = sum(m.offerLines.map((l) => Math.max(0, m.capacities.get(keyOf(l))!.capacity - m.promisedOn(keyOf(l)))));
  expect(sum(offers.map((o) => o.incoming)), '(c) Σ channel incoming offers ≤ Σ (capacity − promised)').toBeLessThanOrEqual(left);
}

function run(w: World) {
  const m = new Model(w);
  expectCapacities(m);
  let offers = m.offers();
  expectOffers(m, offers);
  for (const step of w.steps) {
    if (step.kind === 'replan') {
      m.replan();
    } else {
      const channel = m.channels[step.channel % m.channels.length]!;
      const offer = offers.find((o) => o.channelId === channel.id)!;
      const before = new Map(m.offerLines.map((l) => [keyOf(l), m.promisedOn(keyOf(l), channel.id)]));
      const placed = m.order(step.channel, step.qty, step.boosted);
      const promised = sum(placed.held.map((p) => p.qty));
      if (step.boosted) {
        // Ranked first, it may take back its channel's allotment from that channel's earlier units: at least its offer.
        expect(promised, '(e) a boosted order is promised at least min(waiting units, incoming offer)').toBeGreaterThanOrEqual(Math.min(placed.waiting, offer.incoming));
        for (const l of m.offerLines) {
          const own = sum(placed.held.filter((p) => p.lineKey === keyOf(l)).map((p) => p.qty));
          expect(own, `(b) a boosted new unit takes at most ${channel.id}'s allotment of ${keyOf(l)}, never the pool`).toBeLessThanOrEqual(m.capacities.get(keyOf(l))!.allotments.get(channel.id) ?? 0);
        }
      } else {
        expect(promised, '(e) promised at intake = min(waiting units, incoming offer)').toBe(Math.min(placed.waiting, offer.incoming));
      }
      if (step.qty <= offer.offered) expect(promised, '(e) an order within the offer waits only for promised units').toBe(placed.waiting);
      for (const l of step.boosted ? [] : m.offerLines) {
        const allotment = m.capacities.get(keyOf(l))!.allotments.get(channel.id) ?? 0;
        const added = m.promisedOn(keyOf(l), channel.id) - before.get(keyOf(l))!;
        expect(added, `(b) intake adds to ${channel.id} on ${keyOf(l)} only what is left of its allotment`).toBeLessThanOrEqual(Math.max(0, allotment - before.get(keyOf(l))!));
      }
      for (const p of placed.held) {
        const line = m.offerLines.find((l) => keyOf(l) === p.lineKey)!;
        const latest = m.latestArrival(channel);
        if (latest !== null) expect(line.arrivalDate <= latest, 'R7: a new unit only against lines arriving by the window end').toBe(true);
      }
    }
    expectPromiseInvariants(m);
    offers = m.offers();
    expectOffers(m, offers);
  }
}

describe('offered stock and promises over time (R3, R7, R8, R14, R15)', () => {
  it('the same incoming unit is never promised or offered twice, and an order within its offer is promised in full', () => {
    fc.assert(
      fc.property(worldArb, (w) => run(w)),
      { numRuns: 300, seed: 20261201 },
    );
  });
});
