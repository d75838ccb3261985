import { beforeAll, expect, it } from 'vitest';
import { runDueRecomputes, type RecomputeView } from '../../src/services/offer-recompute.service.js';
import { snapshot } from '../support/db-snapshot.js';
import { ok, orderBody, unique } from '../support/fixtures.js';
import { describeEachStore, type Harness } from '../support/harness.js';

/**
 * Offered stock (R1, R7, R8, R14, R15), end to end through the API: what each channel is told it
 * may sell of a SKU, and the breakdown that explains it term by term.
 *
 *   offered = max(0, Σ available at the channel's locations − safety buffer) + incoming offer
 *
 * The incoming offer comes from open purchase-order lines at locations serving the channel,
 * arriving within its window: capacity floor(incoming × ratio), new and erratic suppliers held
 * to 3 days of sales together, divided among the channels by shares.
 *
 * All tests share one organisation, with backorders switched on for the whole file (the
 * premise of every scenario but R1's). Each test makes its own locations, channels, SKUs and
 * (where the grade matters) suppliers; a channel's share only applies to lines at locations
 * serving it, so fresh locations keep tests apart. A test that changes an organisation-wide
 * setting (settings, seasons, explicit shares) puts it back before it ends. Dates are relative
 * to today (UTC), the day the service computes from.
 */

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

async function location(h: Harness): Promise<string> {
  const code = unique('loc').toLowerCase();
  await ok(h.api('POST', '/v1/locations', { code, name: code, kind: 'warehouse', country: 'NL' }), 201);
  return code;
}

async function channel(h: Harness, locations: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const code = unique('ch').toLowerCase();
  await ok(h.api('POST', '/v1/channels', { code, name: code, kind: 'bol', acceptsBackorders: true, locations, ...extra }), 201);
  return code;
}

async function product(h: Harness, extra: Record<string, unknown> = {}): Promise<string> {
  const sku = unique('SKU').toUpperCase();
  await ok(h.api('POST', '/v1/products', { sku, name: sku, price: 10, cost: 4, ...extra }), 201);
  return sku;
}

async function putStock(h: Harness, sku: string, loc: string, qty: number) {
  await ok(h.api('POST', '/v1/stock/adjustments', { sku, location: loc, delta: qty, kind: 'receipt' }), 201);
}

async function purchaseOrder(h: Harness, supplierId: string, loc: string, expectedDate: string, lines: { sku: string; qty: number }[]) {
  return ok(h.api('POST', '/v1/purchase-orders', { number: unique('PO'), supplierId, location: loc, expectedDate, lines }), 201);
}

async function placeOrder(h: Harness, ch: string, sku: string, qty: number, extra: Record<string, unknown> = {}) {
  return ok(h.api('POST', '/v1/orders', orderBody(ch, [{ sku, qty }], extra)), 201);
}

const backorderPart = (order: any) => order.parts.find((p: any) => p.status === 'backorder');

/** The breakdown computed now, checked to add up term by term. */
async function breakdown(h: Harness, ch: string, sku: string): Promise<any> {
  const b = await ok(h.api('GET', `/v1/offered-stock/${ch}/${sku}`), 200);
  expect(b).toMatchObject({ channel: ch, sku });
  expect(b.offered, 'offered = physical + incoming').toBe(b.physical.units + b.incoming.units);
  expect(b.incoming.units, 'incoming = Σ line units').toBe(b.incoming.lines.reduce((a: number, l: any) => a + l.units, 0));
  expect(b.physical.units).toBe(b.physical.preorder ? 0 : Math.max(0, b.physical.available - b.physical.safetyBuffer));
  expect(b.physical.available).toBe(b.physical.locations.reduce((a: number, l: any) => a + l.available, 0));
  for (const l of b.incoming.lines) {
    if (l.excluded !== null) expect(l.units, `${l.purchaseOrder} is excluded`).toBe(0);
    expect(l.allotment).toBeLessThanOrEqual(l.capacity);
    expect(l.units).toBeLessThanOrEqual(Math.max(0, l.allotment - l.promisedToChannel));
  }
  return b;
}

/** The stored value a connector reads (GET /v1/offered-stock). */
async function stored(h: Harness, ch: string, sku: string): Promise<any> {
  const page = await ok(h.api('GET', `/v1/offered-stock?channel=${ch}&sku=${sku}`), 200);
  expect(page.items).toHaveLength(1);
  return page.items[0];
}

/** The breakdown, and the stored value equal to it (the value is fresh). */
async function fresh(h: Harness, ch: string, sku: string): Promise<any> {
  const b = await breakdown(h, ch, sku);
  expect(await stored(h, ch, sku)).toMatchObject({ channel: ch, sku, offered: b.offered, physical: b.physical.units, incoming: b.incoming.units });
  return b;
}

/** Every event of a type, paging through GET /v1/events. */
async function allEvents(h: Harness, type: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await ok(h.api('GET', `/v1/events?type=${type}&limit=200${cursor ? `&cursor=${cursor}` : ''}`), 200);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const lineOf = (b: any, po: any) => {
  const found = b.incoming.lines.filter((l: any) => l.purchaseOrder === po.number);
  expect(found, `one breakdown line for ${po.number}`).toHaveLength(1);
  return found[0];
};

async function expectProblem(res: Promise<{ status: number; body: any; headers: Headers }>, status: number, code: string) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body.code).toBe(code);
}

describeEachStore('offered stock per channel (R1, R7, R8, R14, R15)', (harness) => {
  /** Suppliers graded by past first receipts: received `delay` days after expected. */
  let scrap: { location: string; sku: string };
  let reliable: { id: string };

  async function gradedSupplier(h: Harness, delays: number[]) {
    const s = await ok(h.api('POST', '/v1/suppliers', { name: unique('Supplier'), leadTimeDays: 14 }), 201);
    for (const delay of delays) {
      // Damaged on arrival: a first receipt that puts nothing on hand anywhere.
      const past = await purchaseOrder(h, s.id, scrap.location, inDays(-90), [{ sku: scrap.sku, qty: 1 }]);
      await ok(h.api('POST', `/v1/purchase-orders/${past.id}/receipts`, { lines: [{ sku: scrap.sku, good: 0, damaged: 1 }], receivedAt: `${inDays(-90 + delay)}T09:00:00Z` }), 201);
    }
    return s;
  }

  /**
   * R8 velocity: orders of `sku` placed `daysAgo` days ago, on a channel of their own that sells
   * from a location of its own with enough stock, so they wait for nothing and take no share.
   */
  async function salesHistory(h: Harness, sku: string, orders: { qty: number; daysAgo: number }[]) {
    const loc = await location(h);
    await putStock(h, sku, loc, orders.reduce((a, o) => a + o.qty, 0));
    const ch = await channel(h, [loc], { acceptsBackorders: false });
    for (const o of orders) {
      const placed = await placeOrder(h, ch, sku, o.qty, o.daysAgo === 0 ? {} : { placedAt: daysAgo(o.daysAgo) });
      expect(placed.status).toBe('open');
    }
  }

  beforeAll(async () => {
    const h = harness();
    // R9's spike pause would take the incoming offers these R7/R8 scenarios measure (orders of
    // 20+ units today); spikes and their pause have their own tests (demand-spikes.test.ts).
    await ok(h.api('PATCH', '/v1/settings', { backordersEnabled: true, demandSpikes: { enabled: false } }), 200);
    scrap = { location: await location(h), sku: await product(h) };
    reliable = await gradedSupplier(h, [0, 1, 0]);
    expect((await ok(h.api('GET', `/v1/suppliers/${reliable.id}`))).reliability).toMatchObject({ grade: 'reliable', p80DelayDays: 1 });
    // The recomputes the set-up queued (channels, settings) have nothing left to change.
    await runDueRecomputes(h.services);
  });

  it('R7 + R8: a phone selling 20 a day with a delivery every week accepts one week of backorders — only the first week\'s PO counts, at 0.75 of it', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc], { window: { kind: 'days', days: 7 } });
    const sku = await product(h);
    await salesHistory(h, sku, [{ qty: 560, daysAgo: 14 }]); // 560 / 28 = 20 a day
    // A reliable supplier (p80 delay 1): each PO arrives a day after its expected date.
    const weeks = [];
    for (const week of [0, 1, 2]) weeks.push(await purchaseOrder(h, reliable.id, loc, inDays(4 + 7 * week), [{ sku, qty: 140 }]));

    const b = await fresh(h, ch, sku);
    expect(b.physical).toMatchObject({ available: 0, units: 0, preorder: false });
    expect(b.incoming).toMatchObject({ backordersAllowed: true, notAllowedBy: null, window: { kind: 'days', days: 7, multiplier: null, effectiveDays: 7, endsOn: inDays(7) }, season: null, dailySales: 20, gradeCap: 60, gradeCapDays: 3, erraticFactor: 0.67 });
    expect(b.incoming.lines.map((l: any) => [l.purchaseOrder, l.arrivalDate, l.capacity, l.allotment, l.units, l.excluded])).toEqual([
      [weeks[0].number, inDays(5), 105, 105, 105, null],
      [weeks[1].number, inDays(12), 105, 105, 0, 'outside_window'],
      [weeks[2].number, inDays(19), 105, 105, 0, 'outside_window'],
    ]);
    expect(lineOf(b, weeks[0])).toMatchObject({
      expectedDate: inDays(4),
      grade: 'reliable',
      incoming: 140,
      baseRatio: 0.75,
      ratio: 0.75,
      ratioSource: 'organisation',
      erratic: false,
      gradeCapped: false, // R8: a reliable supplier is held by the window alone
      share: 1,
      promisedToChannel: 0,
      promisedTotal: 0,
    });
    expect(b.offered).toBe(105);

    // R7 at intake: backorders are promised on the first week's PO within its 105 …
    const first = await placeOrder(h, ch, sku, 100);
    expect(backorderPart(first).lines[0]).toMatchObject({ qty: 100, oversold: false, promisedDate: inDays(6), promises: [{ purchaseOrder: weeks[0].number, qty: 100 }] });
    expect((await fresh(h, ch, sku)).offered).toBe(5);
    // … and never on the second week's, outside the window: 5 are promised, the rest is stored oversold.
    const second = await placeOrder(h, ch, sku, 10);
    expect(backorderPart(second).lines[0]).toMatchObject({ qty: 10, oversold: true, promisedDate: null, promises: [{ purchaseOrder: weeks[0].number, qty: 5 }] });
    const after = await fresh(h, ch, sku);
    expect(after.offered).toBe(0);
    expect(lineOf(after, weeks[0])).toMatchObject({ allotment: 105, promisedToChannel: 105, promisedTotal: 105, units: 0, excluded: null });
    expect(backorderPart(await ok(h.api('GET', `/v1/orders/${second.id}`))).lines[0]).toMatchObject({ qty: 10, oversold: true, promisedDate: null });
  });

  it('R7: Amazon accepts backorders only until the next FBA shipment (Tuesdays, cut-off 1 day): stock arriving by the Monday counts, stock arriving on the Tuesday does not', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc], { kind: 'amazon', window: { kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 1 } });
    const sku = await product(h);
    // The next Tuesday at least a day away, and the Monday before it (today, when today is a Monday).
    const weekday = new Date(`${inDays(0)}T00:00:00Z`).getUTCDay(); // 0 = Sunday, 2 = Tuesday
    let tuesday = (2 - weekday + 7) % 7;
    if (tuesday < 1) tuesday += 7;
    const monday = inDays(tuesday - 1);
    expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);

    const s = await gradedSupplier(h, [0, 0, 0]); // p80 0: arrival = expected
    const overdue = await purchaseOrder(h, s.id, loc, inDays(-3), [{ sku, qty: 8 }]); // counts as arriving today
    const byMonday = await purchaseOrder(h, s.id, loc, monday, [{ sku, qty: 20 }]);
    const onTuesday = await purchaseOrder(h, s.id, loc, inDays(tuesday), [{ sku, qty: 40 }]);

    const b = await fresh(h, ch, sku);
    expect(b.incoming.window).toEqual({ kind: 'until_next_shipment', days: null, multiplier: null, effectiveDays: null, endsOn: monday });
    expect(lineOf(b, overdue)).toMatchObject({ expectedDate: inDays(-3), arrivalDate: inDays(0), capacity: 6, units: 6, excluded: null });
    expect(lineOf(b, byMonday)).toMatchObject({ arrivalDate: monday, capacity: 15, units: 15, excluded: null });
    expect(lineOf(b, onTuesday)).toMatchObject({ arrivalDate: inDays(tuesday), capacity: 30, units: 0, excluded: 'outside_window' });
    expect(b.offered).toBe(21);
  });

  it('R7: bol.com accepts 10 days of backorders: a PO arriving on day 9 (and on day 10) counts, one on day 12 does not; the safety buffer comes off the physical part only', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc], { window: { kind: 'days', days: 10 }, safetyBuffer: 2 });
    const sku = await product(h);
    await putStock(h, sku, loc, 12);
    const s = await gradedSupplier(h, [0, 0, 0]);
    const day9 = await purchaseOrder(h, s.id, loc, inDays(9), [{ sku, qty: 8 }]);
    const day10 = await purchaseOrder(h, s.id, loc, inDays(10), [{ sku, qty: 4 }]);
    const day12 = await purchaseOrder(h, s.id, loc, inDays(12), [{ sku, qty: 100 }]);

    const b = await fresh(h, ch, sku);
    expect(b.physical).toEqual({ locations: [{ location: loc, available: 12 }], available: 12, safetyBuffer: 2, safetyBufferFrom: 'channel', preorder: false, units: 10 });
    expect(b.incoming.window).toEqual({ kind: 'days', days: 10, multiplier: null, effectiveDays: 10, endsOn: inDays(10) });
    expect(lineOf(b, day9)).toMatchObject({ capacity: 6, units: 6, excluded: null });
    expect(lineOf(b, day10)).toMatchObject({ capacity: 3, units: 3, excluded: null });
    expect(lineOf(b, day12)).toMatchObject({ capacity: 75, units: 0, excluded: 'outside_window' });
    expect(b.offered).toBe(19);

    // The product's own buffer wins over the channel's.
    await ok(h.api('PATCH', `/v1/products/${sku}`, { safetyBuffer: 5 }), 200);
    const withProductBuffer = await fresh(h, ch, sku);
    expect(withProductBuffer.physical).toMatchObject({ safetyBuffer: 5, safetyBufferFrom: 'product', units: 7 });
    expect(withProductBuffer.offered).toBe(16);
  });

  it('R8: lines of new and erratic suppliers together are held to 3 days of sales (back-dated orders of the last 28 days, not today\'s); a reliable supplier\'s line is not', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc]);
    const sku = await product(h);
    // 30 + 40 units in the 28 days before today: 2.5 a day. 100 units 29 days ago and 10 today do not count.
    await salesHistory(h, sku, [
      { qty: 100, daysAgo: 29 },
      { qty: 40, daysAgo: 20 },
      { qty: 30, daysAgo: 3 },
      { qty: 10, daysAgo: 0 },
    ]);
    const erratic = await gradedSupplier(h, [3, 8, 12]);
    expect((await ok(h.api('GET', `/v1/suppliers/${erratic.id}`))).reliability).toMatchObject({ grade: 'erratic', p80DelayDays: 12 });
    const newcomer = await ok(h.api('POST', '/v1/suppliers', { name: unique('Supplier'), leadTimeDays: 14 }), 201);

    const fromErratic = await purchaseOrder(h, erratic.id, loc, inDays(2), [{ sku, qty: 10 }]); // arrives day 14
    const fromNew = await purchaseOrder(h, newcomer.id, loc, inDays(20), [{ sku, qty: 40 }]);
    const fromReliable = await purchaseOrder(h, reliable.id, loc, inDays(25), [{ sku, qty: 20 }]);

    const b = await fresh(h, ch, sku);
    expect(b.incoming).toMatchObject({ dailySales: 2.5, gradeCap: 7, gradeCapDays: 3, erraticFactor: 0.67 }); // floor(3 × 2.5)
    // Earliest arrival first: the erratic line (0.75 × 0.67 of 10 = 5) leaves 2 of the cap to the new one (floor(0.75 × 40) = 30 before it).
    expect(lineOf(b, fromErratic)).toMatchObject({ grade: 'erratic', arrivalDate: inDays(14), baseRatio: 0.75, ratio: 0.5025, erratic: true, uncapped: 5, capacity: 5, gradeCapped: false, units: 5 });
    expect(lineOf(b, fromNew)).toMatchObject({ grade: 'new', arrivalDate: inDays(20), baseRatio: 0.75, ratio: 0.75, erratic: false, uncapped: 30, capacity: 2, gradeCapped: true, units: 2 });
    expect(lineOf(b, fromReliable)).toMatchObject({ grade: 'reliable', arrivalDate: inDays(26), uncapped: 15, capacity: 15, gradeCapped: false, units: 15 });
    expect(b.offered).toBe(22);
  });

  it('R7: 100 units incoming are never all accepted — 75 at the default ratio 0.75, 50 with a product ratio of 0.5, 60 after the organisation ratio becomes 0.6; ratios outside (0, 1] are refused and change nothing', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc]);
    const plain = await product(h);
    const cautious = await product(h, { acceptanceRatio: 0.5 });
    const po = await purchaseOrder(h, reliable.id, loc, inDays(10), [
      { sku: plain, qty: 100 },
      { sku: cautious, qty: 100 },
    ]);

    const a = await fresh(h, ch, plain);
    expect(lineOf(a, po)).toMatchObject({ incoming: 100, ratio: 0.75, ratioSource: 'organisation', capacity: 75, units: 75 });
    expect(a.offered).toBe(75);
    const c = await fresh(h, ch, cautious);
    expect(lineOf(c, po)).toMatchObject({ incoming: 100, ratio: 0.5, ratioSource: 'product', capacity: 50, units: 50 });
    expect(c.offered).toBe(50);

    const before = await snapshot(h);
    for (const ratio of [0, -0.25, 1.01, 2, '0.5']) {
      await expectProblem(h.api('PATCH', `/v1/products/${plain}`, { acceptanceRatio: ratio }), 400, 'VALIDATION_FAILED');
      await expectProblem(h.api('PATCH', '/v1/settings', { acceptanceRatio: ratio }), 400, 'VALIDATION_FAILED');
      await expectProblem(h.api('POST', '/v1/products', { sku: unique('SKU').toUpperCase(), name: 'x', acceptanceRatio: ratio }), 400, 'VALIDATION_FAILED');
    }
    expect(await snapshot(h)).toEqual(before);
    expect((await fresh(h, ch, plain)).offered).toBe(75);

    try {
      await ok(h.api('PATCH', '/v1/settings', { acceptanceRatio: 0.6 }), 200);
      const now = await breakdown(h, ch, plain);
      expect(lineOf(now, po)).toMatchObject({ ratio: 0.6, ratioSource: 'organisation', capacity: 60, units: 60 });
      // The product's own ratio still wins.
      expect(lineOf(await breakdown(h, ch, cautious), po)).toMatchObject({ ratio: 0.5, ratioSource: 'product', capacity: 50 });
      // The stored values follow once the background recompute the change queued has run.
      await runDueRecomputes(h.services);
      expect((await fresh(h, ch, plain)).offered).toBe(60);
      expect((await fresh(h, ch, cautious)).offered).toBe(50);
      // A ratio of exactly 1 is allowed: the whole line.
      await ok(h.api('PATCH', `/v1/products/${cautious}`, { acceptanceRatio: 1 }), 200);
      expect(lineOf(await fresh(h, ch, cautious), po)).toMatchObject({ ratio: 1, ratioSource: 'product', capacity: 100, units: 100 });
    } finally {
      await ok(h.api('PATCH', '/v1/settings', { acceptanceRatio: 0.75 }), 200);
      await runDueRecomputes(h.services);
    }
    expect((await fresh(h, ch, plain)).offered).toBe(75);
  });

  it('R7: the same 500 incoming units are never sold on three channels — equal shares 125 each, explicit shares 0.5/0.3/rest give 187/112/75, shares over 1 are refused, a backorder takes only from its own channel and beyond its allotment is stored oversold', async () => {
    const h = harness();
    const loc = await location(h);
    const [a, b, c] = [await channel(h, [loc]), await channel(h, [loc]), await channel(h, [loc])] as [string, string, string];
    const refusing = await channel(h, [loc], { acceptsBackorders: false });
    const sku = await product(h);
    const po = await purchaseOrder(h, reliable.id, loc, inDays(10), [{ sku, qty: 500 }]); // arrives day 11 (p80 1), capacity 375

    const offers = async () => {
      const out: Record<string, number> = {};
      for (const ch of [a, b, c]) {
        const bd = await fresh(h, ch, sku);
        expect(lineOf(bd, po).capacity).toBe(375);
        out[ch] = bd.offered;
      }
      expect(Object.values(out).reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(375);
      return out;
    };

    // Equal split over the channels that accept backorders: the refusing one takes no share.
    expect(await offers()).toEqual({ [a]: 125, [b]: 125, [c]: 125 });
    for (const ch of [a, b, c]) expect(lineOf(await breakdown(h, ch, sku), po)).toMatchObject({ share: 0.3333, allotment: 125, units: 125 });
    const r = await fresh(h, refusing, sku);
    expect(r.incoming).toMatchObject({ backordersAllowed: false, notAllowedBy: 'channel', units: 0 });
    expect(lineOf(r, po)).toMatchObject({ share: 0, allotment: 0, units: 0, excluded: 'backorders_not_allowed' });

    try {
      await ok(h.api('PATCH', `/v1/channels/${a}`, { share: 0.5 }), 200);
      await ok(h.api('PATCH', `/v1/channels/${b}`, { share: 0.3 }), 200);
      await runDueRecomputes(h.services); // a share change recomputes every offer in the background
      expect(await offers()).toEqual({ [a]: 187, [b]: 112, [c]: 75 }); // floor(187.5), floor(112.5), floor(375 × 0.2)
      expect(lineOf(await breakdown(h, c, sku), po)).toMatchObject({ share: 0.2, allotment: 75 });

      // Shares over 1 together: refused, nothing changed.
      const before = await snapshot(h);
      await expectProblem(h.api('PATCH', `/v1/channels/${c}`, { share: 0.3 }), 422, 'SHARES_OVER_ONE');
      await expectProblem(h.api('POST', '/v1/channels', { code: unique('ch').toLowerCase(), name: 'x', kind: 'bol', acceptsBackorders: true, locations: [loc], share: 0.25 }), 422, 'SHARES_OVER_ONE');
      expect(await snapshot(h)).toEqual(before);
      expect((await ok(h.api('GET', `/v1/channels/${c}`))).share).toBeNull();

      // A backorder on a takes from a's allotment only.
      const small = await placeOrder(h, a, sku, 20);
      expect(backorderPart(small).lines[0]).toMatchObject({ qty: 20, oversold: false, promisedDate: inDays(12), promises: [{ purchaseOrder: po.number, qty: 20 }] });
      expect(await offers()).toEqual({ [a]: 167, [b]: 112, [c]: 75 });
      expect(lineOf(await breakdown(h, a, sku), po)).toMatchObject({ allotment: 187, promisedToChannel: 20, promisedTotal: 20, units: 167 });
      expect(lineOf(await breakdown(h, b, sku), po)).toMatchObject({ allotment: 112, promisedToChannel: 0, promisedTotal: 20, units: 112 });

      // Beyond a's allotment: promised up to it, the rest stored oversold, never dropped.
      const big = await placeOrder(h, a, sku, 170);
      expect(backorderPart(big).lines[0]).toMatchObject({ qty: 170, oversold: true, promisedDate: null, promises: [{ purchaseOrder: po.number, qty: 167 }] });
      expect(backorderPart(await ok(h.api('GET', `/v1/orders/${big.id}`))).lines[0]).toMatchObject({ qty: 170, oversold: true, promisedDate: null });
      expect(await offers()).toEqual({ [a]: 0, [b]: 112, [c]: 75 });
      expect((await ok(h.api('GET', `/v1/purchase-orders/${po.id}`))).lines[0]).toMatchObject({ incoming: 500, promised: 187 });
    } finally {
      await ok(h.api('PATCH', `/v1/channels/${a}`, { share: null }), 200);
      await ok(h.api('PATCH', `/v1/channels/${b}`, { share: null }), 200);
      await runDueRecomputes(h.services);
    }
  });

  it('R14: a pre-order opens 30 days before arrival — a PO arriving in 40 days gives nothing yet, one in 25 days is offered, whatever the channel window; stock is not offered; the backorder part is a pre-order', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc], { window: { kind: 'days', days: 10 } });
    const withStock = await product(h, { backorderPolicy: 'preorder' });
    const withoutStock = await product(h, { backorderPolicy: 'preorder' });
    await putStock(h, withStock, loc, 5);
    const s = await gradedSupplier(h, [0, 0, 0]);
    const in40 = await purchaseOrder(h, s.id, loc, inDays(40), [
      { sku: withStock, qty: 20 },
      { sku: withoutStock, qty: 20 },
    ]);
    const in25 = await purchaseOrder(h, s.id, loc, inDays(25), [
      { sku: withStock, qty: 40 },
      { sku: withoutStock, qty: 40 },
    ]);

    for (const sku of [withStock, withoutStock]) {
      const b = await fresh(h, ch, sku);
      expect(b.physical).toMatchObject({ preorder: true, units: 0 });
      expect(b.incoming).toMatchObject({ backordersAllowed: true, preorderOpensDaysBefore: 30, window: { kind: 'days', days: 10, endsOn: null } });
      expect(lineOf(b, in40)).toMatchObject({ arrivalDate: inDays(40), capacity: 15, units: 0, excluded: 'preorder_not_open' });
      expect(lineOf(b, in25)).toMatchObject({ arrivalDate: inDays(25), capacity: 30, units: 30, excluded: null });
      expect(b.offered).toBe(30);
    }
    // Stock on hand is not offered for a pre-order product.
    expect((await breakdown(h, ch, withStock)).physical).toMatchObject({ available: 5, units: 0 });

    const order = await placeOrder(h, ch, withoutStock, 4);
    const part = backorderPart(order);
    expect(part.lines[0]).toMatchObject({ qty: 4, oversold: false, promisedDate: inDays(26), promises: [{ purchaseOrder: in25.number, qty: 4 }] });
    const rows = await h.services.store.db.selectFrom('order_parts').select(['id', 'status', 'preorder']).where('order_id', '=', order.id).execute();
    expect(rows.map((p) => [p.id, p.status, Number(p.preorder)])).toEqual([[part.id, 'backorder', 1]]);
    expect((await fresh(h, ch, withoutStock)).offered).toBe(26);
  });

  it('R15: a Q4 season (windows × 1.5, ratio 0.85) running today makes a 10-day window 15 days and the ratio 0.85; a season ending before it starts is refused; deleting it restores both', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc], { window: { kind: 'days', days: 10 } });
    const sku = await product(h);
    const ownRatio = await product(h, { acceptanceRatio: 0.5 });
    const s = await gradedSupplier(h, [0, 0, 0]);
    const day13 = await purchaseOrder(h, s.id, loc, inDays(13), [
      { sku, qty: 100 },
      { sku: ownRatio, qty: 100 },
    ]);
    const day17 = await purchaseOrder(h, s.id, loc, inDays(17), [{ sku, qty: 40 }]);

    const outside = await fresh(h, ch, sku);
    expect(outside.incoming).toMatchObject({ window: { kind: 'days', days: 10, multiplier: null, effectiveDays: 10, endsOn: inDays(10) }, season: null });
    expect(lineOf(outside, day13)).toMatchObject({ ratio: 0.75, capacity: 75, excluded: 'outside_window' });
    expect(outside.offered).toBe(0);

    const name = unique('Q4');
    const season = await ok(h.api('POST', '/v1/settings/seasons', { name, startsOn: inDays(-1), endsOn: inDays(1), acceptanceRatio: 0.85, windowMultiplier: 1.5 }), 201);
    expect(season).toMatchObject({ id: expect.any(String), name, acceptanceRatio: 0.85, windowMultiplier: 1.5 });
    try {
      const b = await breakdown(h, ch, sku);
      expect(b.incoming).toMatchObject({ window: { kind: 'days', days: 10, multiplier: 1.5, effectiveDays: 15, endsOn: inDays(15) }, season: name });
      expect(lineOf(b, day13)).toMatchObject({ ratio: 0.85, ratioSource: 'season', capacity: 85, units: 85, excluded: null });
      expect(lineOf(b, day17)).toMatchObject({ ratio: 0.85, ratioSource: 'season', capacity: 34, units: 0, excluded: 'outside_window' });
      expect(b.offered).toBe(85);
      // A product's own ratio still wins over the season's.
      expect(lineOf(await breakdown(h, ch, ownRatio), day13)).toMatchObject({ ratio: 0.5, ratioSource: 'product', capacity: 50, units: 50 });
      await runDueRecomputes(h.services);
      expect((await fresh(h, ch, sku)).offered).toBe(85);

      const before = await snapshot(h);
      await expectProblem(h.api('POST', '/v1/settings/seasons', { name: unique('Backwards'), startsOn: inDays(5), endsOn: inDays(4), windowMultiplier: 2 }), 422, 'INVALID_SEASON');
      await expectProblem(h.api('POST', '/v1/settings/seasons', { name: unique('Bad'), startsOn: inDays(0), endsOn: inDays(1), windowMultiplier: 0 }), 400, 'VALIDATION_FAILED');
      await expectProblem(h.api('POST', '/v1/settings/seasons', { name: unique('Bad'), startsOn: inDays(0), endsOn: inDays(1), acceptanceRatio: 1.5 }), 400, 'VALIDATION_FAILED');
      expect(await snapshot(h)).toEqual(before);
      expect((await ok(h.api('GET', '/v1/settings'))).seasons.map((x: any) => x.name)).toEqual([name]);
    } finally {
      const res = await h.api('DELETE', `/v1/settings/seasons/${season.id}`);
      expect(res.status).toBe(204);
    }
    await expectProblem(h.api('DELETE', `/v1/settings/seasons/${season.id}`), 404, 'NOT_FOUND');
    const after = await breakdown(h, ch, sku);
    expect(after.incoming).toMatchObject({ window: { kind: 'days', days: 10, multiplier: null, effectiveDays: 10, endsOn: inDays(10) }, season: null });
    expect(lineOf(after, day13)).toMatchObject({ ratio: 0.75, ratioSource: 'organisation', capacity: 75, units: 0, excluded: 'outside_window' });
    await runDueRecomputes(h.services);
    expect((await fresh(h, ch, sku)).offered).toBe(0);
  });

  it('R7: bad windows, shares and offered-stock queries are refused as problem+json with a code, and change nothing', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc], { window: { kind: 'days', days: 5 } });
    const sku = await product(h);
    await putStock(h, sku, loc, 3);
    const channelBefore = await ok(h.api('GET', `/v1/channels/${ch}`), 200);
    expect(channelBefore.window).toEqual({ kind: 'days', days: 5 });

    // A list read first recomputes what earlier steps marked (read-your-writes); after it, no read changes a row.
    await ok(h.api('GET', '/v1/offered-stock?limit=1'), 200);
    const before = await snapshot(h);
    for (const body of [
      { window: { kind: 'days', days: -1 } },
      { window: { kind: 'days', days: 2.5 } },
      { window: { kind: 'days', days: 366 } },
      { window: { kind: 'days' } },
      { window: { kind: 'until_next_shipment' } },
      { window: { kind: 'until_next_shipment', shipmentDays: [8] } },
      { window: { kind: 'weekly', days: 7 } },
      { share: 1.5 },
      { share: -0.1 },
      { safetyBuffer: -1 },
    ]) {
      await expectProblem(h.api('PATCH', `/v1/channels/${ch}`, body), 400, 'VALIDATION_FAILED');
    }
    await expectProblem(h.api('POST', '/v1/channels', { code: unique('ch').toLowerCase(), name: 'x', kind: 'bol', locations: [loc], window: { kind: 'days', days: -3 } }), 400, 'VALIDATION_FAILED');
    await expectProblem(h.api('POST', '/v1/channels', { code: unique('ch').toLowerCase(), name: 'x', kind: 'bol', locations: [loc], window: { kind: 'days' } }), 400, 'VALIDATION_FAILED');
    await expectProblem(h.api('GET', `/v1/offered-stock/no-such-channel/${sku}`), 404, 'NOT_FOUND');
    await expectProblem(h.api('GET', `/v1/offered-stock/${ch}/NO-SUCH-SKU`), 404, 'NOT_FOUND');
    await expectProblem(h.api('GET', '/v1/offered-stock?channel=no-such-channel'), 422, 'UNKNOWN_CHANNEL');
    await expectProblem(h.api('GET', '/v1/offered-stock?sku=NO-SUCH-SKU'), 422, 'UNKNOWN_SKU');
    await expectProblem(h.api('GET', '/v1/offered-stock?limit=201'), 400, 'VALIDATION_FAILED');
    await expectProblem(h.api('GET', '/v1/offered-stock?colour=red'), 400, 'VALIDATION_FAILED');
    await expectProblem(h.api('GET', '/v1/offered-stock?cursor=garbage'), 400, 'INVALID_CURSOR');
    // A cursor of the catalogue list is not one of the changes list.
    const catalogue = await ok(h.api('GET', '/v1/offered-stock?limit=1'), 200);
    expect(catalogue.nextCursor).toEqual(expect.any(String));
    await expectProblem(h.api('GET', `/v1/offered-stock?changes=true&cursor=${catalogue.nextCursor}`), 400, 'INVALID_CURSOR');
    await expectProblem(h.api('GET', '/v1/offered-stock-recomputes/no-such-recompute'), 404, 'NOT_FOUND');
    expect(await snapshot(h)).toEqual(before);

    expect(await ok(h.api('GET', `/v1/channels/${ch}`), 200)).toEqual(channelBefore);
    expect((await fresh(h, ch, sku)).offered).toBe(3);
  });

  it('R20 connector cursor: ?changes=true pages through values in the order they changed; after a new order, polling from the cursor returns exactly that row, and an offered_stock.changed event carries previous and offered', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc]);
    const first = await product(h);
    const second = await product(h);

    /**
     * On PostgreSQL a cursor moves past a row only once every transaction older than its writer
     * has ended (other test files share the server), and until then the row comes again on the
     * next poll. Poll, as a connector would, until the page has `count` rows and its cursor has
     * passed all of them (polling from it returns none of them again).
     */
    const changes = async (cursor: string | null, count: number, limit = 50) => {
      const path = (c: string | null, l: number) => `/v1/offered-stock?changes=true&channel=${ch}&limit=${l}${c ? `&cursor=${c}` : ''}`;
      const until = Date.now() + 20_000;
      for (;;) {
        const page = await ok(h.api('GET', path(cursor, limit)), 200);
        expect(page.nextCursor, 'the changes list always gives a cursor to poll from').toEqual(expect.any(String));
        if (count === 0 || Date.now() > until) return page;
        if (page.items.length >= count) {
          const after = await ok(h.api('GET', path(page.nextCursor, 200)), 200);
          const seenAgain = after.items.some((i: any) => page.items.some((p: any) => p.sku === i.sku && p.offered === i.offered && p.updatedAt === i.updatedAt));
          if (!seenAgain) return page;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    // A new connector reads every row of the channel first (each SKU's first value, 0), then is caught up.
    let cursor: string | null = null;
    const seen: any[] = [];
    for (;;) {
      const page = await changes(cursor, 0, 200);
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (page.items.length === 0) break;
    }
    const mine = seen.filter((i) => i.sku === first || i.sku === second).map((i) => `${i.sku} ${i.offered}`);
    expect(mine.sort()).toEqual([`${first} 0`, `${second} 0`].sort());

    // The refresher recomputes what steps marked, several steps' SKUs in one transaction; a poll
    // in between (the list refreshes first) keeps these two changes in two, one after the other.
    await putStock(h, second, loc, 4);
    await changes(cursor, 1);
    await putStock(h, first, loc, 10);
    const both = await changes(cursor, 2);
    expect(both.items.map((i: any) => [i.channel, i.sku, i.offered, i.physical, i.incoming])).toEqual([
      [ch, second, 4, 4, 0],
      [ch, first, 10, 10, 0],
    ]);
    // One at a time, in the same order, and an empty page at the end that still gives a cursor.
    const p1 = await changes(cursor, 1, 1);
    expect(p1.items.map((i: any) => i.sku)).toEqual([second]);
    const p2 = await changes(p1.nextCursor, 1, 1);
    expect(p2.items.map((i: any) => i.sku)).toEqual([first]);
    const p3 = await changes(p2.nextCursor, 0, 1);
    expect(p3.items).toEqual([]);
    expect(p3.nextCursor).toBe(p2.nextCursor);
    expect(both.nextCursor).toBe(p2.nextCursor);

    const eventsBefore = new Set((await allEvents(h, 'offered_stock.changed')).map((e) => e.id));
    await placeOrder(h, ch, first, 3);
    const polled = await changes(both.nextCursor, 1);
    expect(polled.items).toEqual([{ channel: ch, sku: first, offered: 7, physical: 7, incoming: 0, updatedAt: expect.any(String) }]);
    expect((await changes(polled.nextCursor, 0)).items).toEqual([]);
    expect((await fresh(h, ch, first)).offered).toBe(7);

    const written = (await allEvents(h, 'offered_stock.changed')).filter((e) => !eventsBefore.has(e.id));
    expect(written.map((e) => [e.subjectId, e.payload])).toEqual([[first, { channel: ch, sku: first, previous: 10, offered: 7, physical: 7, incoming: 0 }]]);
  });

  it('R1: backorders switched off for the organisation offer no incoming (notAllowedBy organisation); the stored values follow when the background recompute runs, with its progress', async () => {
    const h = harness();
    const loc = await location(h);
    const ch = await channel(h, [loc]);
    const sku = await product(h);
    const denied = await product(h, { backorderPolicy: 'deny' });
    await putStock(h, sku, loc, 6);
    const po = await purchaseOrder(h, reliable.id, loc, inDays(10), [
      { sku, qty: 20 },
      { sku: denied, qty: 20 },
    ]);
    expect((await fresh(h, ch, sku)).offered).toBe(6 + 15);
    // R1 per product: a product that denies backorders offers no incoming anywhere.
    const d = await fresh(h, ch, denied);
    expect(d.incoming).toMatchObject({ backordersAllowed: false, notAllowedBy: 'product', units: 0 });
    expect(lineOf(d, po)).toMatchObject({ units: 0, excluded: 'backorders_not_allowed' });
    await runDueRecomputes(h.services);

    let recompute: RecomputeView | undefined;
    try {
      await ok(h.api('PATCH', '/v1/settings', { backordersEnabled: false }), 200);
      const off = await breakdown(h, ch, sku);
      expect(off.incoming).toMatchObject({ backordersAllowed: false, notAllowedBy: 'organisation', units: 0 });
      expect(lineOf(off, po)).toMatchObject({ capacity: 15, units: 0, excluded: 'backorders_not_allowed' });
      expect(off.offered).toBe(6);
      // Not yet stored: the change queued a full recompute for the background.
      expect(await stored(h, ch, sku)).toMatchObject({ offered: 21, incoming: 15 });
      const queued = (await ok(h.api('GET', '/v1/offered-stock-recomputes'), 200)).items.filter((r: any) => r.status === 'queued');
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({ reason: 'settings changed', done: 0, total: expect.any(Number), finishedAt: null });
      expect(queued[0].total).toBeGreaterThanOrEqual(2);

      const progress: RecomputeView[] = [];
      const ran = await runDueRecomputes(h.services, (v) => progress.push(v));
      expect(ran.map((r) => [r.id, r.status])).toEqual([[queued[0].id, 'done']]);
      expect(progress.length).toBeGreaterThanOrEqual(1);
      expect(progress.every((p) => p.id === queued[0].id && p.status === 'running' && p.done > 0)).toBe(true);
      recompute = await ok(h.api('GET', `/v1/offered-stock-recomputes/${queued[0].id}`), 200);
      expect(recompute).toMatchObject({ id: queued[0].id, status: 'done', error: null, finishedAt: expect.any(String) });
      expect(recompute!.done).toBe(recompute!.total);
      expect(recompute!.done).toBe(progress[progress.length - 1]!.done);
      expect(recompute!.changed).toBeGreaterThanOrEqual(1);
      expect((await fresh(h, ch, sku)).offered).toBe(6);
    } finally {
      await ok(h.api('PATCH', '/v1/settings', { backordersEnabled: true }), 200);
    }

    // A recompute asked for through the API: 202, queued, then done with the stored value back.
    const asked = await ok(h.api('POST', '/v1/offered-stock-recomputes'), 202);
    expect(asked).toMatchObject({ status: 'queued', done: 0 });
    expect(await stored(h, ch, sku)).toMatchObject({ offered: 6 });
    await runDueRecomputes(h.services);
    expect(await ok(h.api('GET', `/v1/offered-stock-recomputes/${asked.id}`), 200)).toMatchObject({ status: 'done', done: asked.total });
    expect((await fresh(h, ch, sku)).offered).toBe(21);
  });
});
