import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requestRecompute, runDueRecomputes } from '../../src/services/offer-recompute.service.js';
import { describeEachStore, type Harness } from '../support/harness.js';
import { ok, orderBody, unique } from '../support/fixtures.js';

/**
 * R7 "the same incoming unit is never sold twice", through the real API on each database:
 * random channels (shares, windows, locations), stock and purchase-order lines for a fresh SKU,
 * then orders over those channels, some of them at the same moment (Promise.all of several
 * POST /v1/orders on the one SKU). Afterwards the database and GET /v1/offered-stock say:
 *
 *  - every PO line's qty_promised is the sum of its promise rows, and at most its capacity;
 *  - each channel holds at most its allotment of a line, beyond it only the line's pool;
 *  - the channels' incoming offers of a line add up to at most capacity − promised;
 *  - every breakdown adds up, and the stored offered_stock row is the value computed now;
 *  - an order placed alone, within the offered value it saw just before, is promised in full.
 *
 * Each run gets its own locations, channels and SKU in the file's one organisation; channels of
 * earlier runs serve none of these locations, so they take no part of these lines. Explicit
 * shares are checked over the whole organisation (Σ ≤ 1), so a run sets its channels' shares
 * back to null when it ends. Suppliers are new (no deliveries); R8's cap on new suppliers is
 * turned off (cappedSalesDays: null), or it would hold their lines to the SKU's (absent) sales.
 */

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

const windowArb = fc.oneof(
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 0, max: 20 }) }),
  fc.constant({ kind: 'none' as const }),
  fc.record({
    kind: fc.constant('until_next_shipment' as const),
    shipmentDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 2 }),
    cutoffDays: fc.integer({ min: 0, max: 2 }),
  }),
);

const lineArb = fc.record({ location: fc.constantFrom(0, 1), qty: fc.integer({ min: 1, max: 60 }), arrivalIn: fc.integer({ min: 0, max: 20 }) });
const orderArb = fc.record({ channel: fc.nat({ max: 2 }), qty: fc.integer({ min: 1, max: 8 }) });
/** In a concurrent batch, a stock adjustment may run beside the orders: another step that recomputes the SKU's offers. */
const stepArb = fc.oneof(
  { weight: 2, arbitrary: orderArb.map((o) => ({ kind: 'order' as const, ...o })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('adjust' as const), location: fc.constantFrom(0, 1), delta: fc.integer({ min: 1, max: 3 }) }) },
);

const runArb = fc
  .record({
    locationCount: fc.constantFrom(1, 2, 2),
    channels: fc.array(
      fc.record({
        acceptsBackorders: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        // tenths, scaled down below when they add up to more than 1
        shareTenths: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null, freq: 2 }),
        window: windowArb,
        locations: fc.shuffledSubarray([0, 1], { minLength: 1 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    productRatio: fc.constantFrom(null, 0.5, 0.75, 0.9, 1),
    stock: fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })),
    lines: fc.oneof({ weight: 1, arbitrary: fc.array(lineArb, { maxLength: 0 }) }, { weight: 5, arbitrary: fc.array(lineArb, { minLength: 1, maxLength: 3 }) }),
    // A batch of one is placed alone (after reading its offer); a larger one all at once.
    batches: fc.array(
      fc.oneof(
        { weight: 1, arbitrary: fc.array(orderArb.map((o) => ({ kind: 'order' as const, ...o })), { minLength: 1, maxLength: 1 }) },
        { weight: 1, arbitrary: fc.array(stepArb, { minLength: 2, maxLength: 4 }) },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map((r) => {
    let tenths = 0;
    const channels = r.channels.map((c) => {
      const locations = c.locations.filter((i) => i < r.locationCount);
      let share = c.shareTenths;
      if (share !== null) {
        share = Math.min(share, 10 - tenths);
        tenths += share;
      }
      return { ...c, locations: locations.length > 0 ? locations : [0], shareTenths: share };
    });
    const at = (location: number) => Math.min(location, r.locationCount - 1);
    return {
      ...r,
      channels,
      lines: r.lines.map((l) => ({ ...l, location: at(l.location) })),
      batches: r.batches.map((b) => b.map((s) => (s.kind === 'adjust' ? { ...s, location: at(s.location) } : s))),
    };
  });
type Run = typeof runArb extends fc.Arbitrary<infer T> ? T : never;

interface Breakdown {
  channel: string;
  offered: number;
  physical: { available: number; units: number; locations: { location: string; available: number }[] };
  incoming: {
    units: number;
    lines: { purchaseOrderId: string; lineNo: number; capacity: number; allotment: number; promisedToChannel: number; promisedTotal: number; units: number; excluded: string | null }[];
  };
}

async function seed(h: Harness, r: Run) {
  const locations: string[] = [];
  for (let i = 0; i < r.locationCount; i++) {
    const code = unique('ploc').toLowerCase();
    await ok(h.api('POST', '/v1/locations', { code, name: code, kind: 'warehouse', country: 'NL' }), 201);
    locations.push(code);
  }
  const channels: string[] = [];
  for (const c of r.channels) {
    const code = unique('pch').toLowerCase();
    await ok(
      h.api('POST', '/v1/channels', {
        code,
        name: code,
        kind: 'manual',
        acceptsBackorders: c.acceptsBackorders,
        locations: c.locations.map((i) => locations[i]!),
        window: c.window,
        share: c.shareTenths === null ? null : c.shareTenths / 10,
      }),
      201,
    );
    channels.push(code);
  }
  const sku = unique('PSKU').toUpperCase();
  await ok(h.api('POST', '/v1/products', { sku, name: sku, price: 10, cost: 4, ...(r.productRatio !== null ? { acceptanceRatio: r.productRatio } : {}) }), 201);
  for (const [i, qty] of r.stock.slice(0, r.locationCount).entries()) {
    if (qty > 0) await ok(h.api('POST', '/v1/stock/adjustments', { sku, location: locations[i], delta: qty, kind: 'receipt' }), 201);
  }
  if (r.lines.length > 0) {
    const supplier = await ok(h.api('POST', '/v1/suppliers', { name: unique('PSupplier'), leadTimeDays: 7 }), 201);
    for (const l of r.lines) {
      await ok(h.api('POST', '/v1/purchase-orders', { number: unique('PPO'), supplierId: supplier.id, location: locations[l.location], expectedDate: inDays(l.arrivalIn), lines: [{ sku, qty: l.qty }] }), 201);
    }
  }
  return { locations, channels, sku };
}

const breakdown = async (h: Harness, channel: string, sku: string) => ok<Breakdown>(h.api('GET', `/v1/offered-stock/${channel}/${sku}`), 200);

async function expectGuarantees(h: Harness, channels: readonly string[], sku: string) {
  const db = h.services.store.db;
  const product = await db.selectFrom('products').select('id').where('org_id', '=', h.orgId).where('sku', '=', sku).executeTakeFirstOrThrow();
  const lines = await db.selectFrom('purchase_order_lines').selectAll().where('product_id', '=', product.id).execute();
  const promises = await db
    .selectFrom('promises as p')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .innerJoin('channels as c', 'c.id', 'o.channel_id')
    .select(['p.po_id', 'p.po_line_no', 'p.qty', 'p.part_line_id', 'c.code as channel'])
    .where('p.product_id', '=', product.id)
    .execute();
  const offers = await Promise.all(channels.map((c) => breakdown(h, c, sku)));
  // Steps mark the SKUs they touched; the list recomputes the marked ones before it reads.
  await ok(h.api('GET', `/v1/offered-stock?sku=${sku}&limit=200`), 200);
  const stored = await db
    .selectFrom('offered_stock as s')
    .innerJoin('channels as c', 'c.id', 's.channel_id')
    .select(['c.code', 's.offered', 's.physical', 's.incoming'])
    .where('s.product_id', '=', product.id)
    .execute();

  for (const b of offers) {
    expect(b.offered, `${b.channel}: offered = physical + incoming`).toBe(b.physical.units + b.incoming.units);
    expect(b.incoming.units, `${b.channel}: incoming = Σ lines`).toBe(sum(b.incoming.lines.map((t) => t.units)));
    expect(b.physical.available).toBe(sum(b.physical.locations.map((l) => l.available)));
    const row = stored.find((s) => s.code === b.channel);
    expect(row, `${b.channel}: an offered_stock row`).toBeDefined();
    expect({ offered: row!.offered, physical: row!.physical, incoming: row!.incoming }, `${b.channel}: stored offer = computed now`).toEqual({
      offered: b.offered,
      physical: b.physical.units,
      incoming: b.incoming.units,
    });
  }
  // Channels of earlier runs serve none of this run's locations: nothing of these lines is theirs.
  for (const s of stored.filter((x) => !channels.includes(x.code))) expect(s.incoming, `${s.code} (another run's channel)`).toBe(0);

  let left = 0;
  for (const l of lines) {
    const terms = offers.map((b) => ({ channel: b.channel, t: b.incoming.lines.find((t) => t.purchaseOrderId === l.po_id && t.lineNo === l.line_no)! }));
    for (const { channel, t } of terms) expect(t, `${channel} lists line ${l.po_id}/${l.line_no}`).toBeDefined();
    const capacity = terms[0]!.t.capacity;
    const on = promises.filter((p) => p.po_id === l.po_id && p.po_line_no === l.line_no);
    const promised = sum(on.map((p) => p.qty));
    expect(l.qty_promised, `qty_promised of ${l.po_id}/${l.line_no} = Σ promise rows`).toBe(promised);
    expect(promised, `promised on ${l.po_id}/${l.line_no} ≤ capacity`).toBeLessThanOrEqual(capacity);
    expect(capacity).toBeLessThanOrEqual(l.qty_ordered - l.qty_received - l.qty_damaged - l.qty_cancelled);
    const pool = capacity - sum(terms.map(({ t }) => t.allotment));
    expect(pool, 'allotments never add up to more than the capacity').toBeGreaterThanOrEqual(0);
    let beyond = 0;
    for (const { channel, t } of terms) {
      expect(t.capacity).toBe(capacity);
      expect(t.promisedTotal).toBe(promised);
      const held = sum(on.filter((p) => p.channel === channel).map((p) => p.qty));
      expect(t.promisedToChannel).toBe(held);
      beyond += Math.max(0, held - t.allotment);
    }
    // Promises of channels outside this run would show here as promised but held by no listed channel.
    expect(sum(terms.map(({ channel }) => sum(on.filter((p) => p.channel === channel).map((p) => p.qty))))).toBe(promised);
    expect(beyond, `channels hold at most the pool of ${l.po_id}/${l.line_no} beyond their allotments`).toBeLessThanOrEqual(pool);
    const offeredOfLine = sum(terms.map(({ t }) => t.units));
    expect(offeredOfLine, `${l.po_id}/${l.line_no} offered at most capacity − promised over all channels`).toBeLessThanOrEqual(Math.max(0, capacity - promised));
    left += Math.max(0, capacity - promised);
  }
  expect(sum(offers.map((b) => b.incoming.units)), 'Σ channel incoming offers ≤ Σ (capacity − promised)').toBeLessThanOrEqual(left);

  const waitingLines = await db
    .selectFrom('part_lines as pl')
    .innerJoin('order_parts as p', 'p.id', 'pl.part_id')
    .select(['pl.id', 'pl.qty', 'pl.oversold'])
    .where('pl.product_id', '=', product.id)
    .where('pl.location_id', 'is', null)
    .where('p.status', '=', 'backorder')
    .execute();
  for (const p of promises) expect(waitingLines.some((w) => w.id === p.part_line_id), `promise ${p.part_line_id} belongs to a waiting line`).toBe(true);
  for (const w of waitingLines) {
    const covered = sum(promises.filter((p) => p.part_line_id === w.id).map((p) => p.qty));
    expect(covered).toBeLessThanOrEqual(w.qty);
    expect(w.oversold, `oversold flag of ${w.id}`).toBe(covered < w.qty ? 1 : 0);
  }
}

async function placeOrder(h: Harness, channel: string, sku: string, qty: number) {
  const res = await h.api('POST', '/v1/orders', orderBody(channel, [{ sku, qty }]));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { parts: { status: string; lines: { location: string | null; qty: number; oversold: boolean }[] }[] };
}

async function runOnce(h: Harness, r: Run) {
  const { locations, channels, sku } = await seed(h, r);
  try {
    for (const batch of r.batches) {
      const single = batch.length === 1 ? batch[0]! : null;
      if (single?.kind === 'order') {
        const channel = channels[single.channel % channels.length]!;
        const qty = single.qty;
        const seen = await breakdown(h, channel, sku);
        const order = await placeOrder(h, channel, sku, qty);
        const waiting = order.parts.flatMap((p) => p.lines).filter((l) => l.location === null);
        // R7: what a channel is offered, its orders can be promised.
        if (qty <= seen.offered) expect(waiting.filter((l) => l.oversold), `an order of ${qty} within the offer of ${seen.offered} on ${channel}`).toEqual([]);
      } else {
        await Promise.all(
          batch.map((s) =>
            s.kind === 'order'
              ? placeOrder(h, channels[s.channel % channels.length]!, sku, s.qty)
              : ok(h.api('POST', '/v1/stock/adjustments', { sku, location: locations[s.location], delta: s.delta, kind: 'receipt' }), 201),
          ),
        );
      }
      await expectGuarantees(h, channels, sku);
    }
  } finally {
    // Explicit shares add up over the whole organisation; the next run starts from none.
    for (const [i, c] of r.channels.entries()) if (c.shareTenths !== null) await ok(h.api('PATCH', `/v1/channels/${channels[i]}`, { share: null }), 200);
  }
}

describeEachStore('offered stock never sells an incoming unit twice, through the API (R3, R7)', (harness) => {
  let before: { cappedSalesDays: number | null; backordersEnabled: boolean; allocationPolicy: string[] };
  beforeAll(async () => {
    before = await ok(harness().api('GET', '/v1/settings'), 200);
    await ok(harness().api('PATCH', '/v1/settings', { cappedSalesDays: null, backordersEnabled: true, allocationPolicy: ['fifo'] }), 200);
  });
  afterAll(async () => {
    const { cappedSalesDays, backordersEnabled, allocationPolicy } = before;
    await ok(harness().api('PATCH', '/v1/settings', { cappedSalesDays, backordersEnabled, allocationPolicy }), 200);
  });

  it('promised ≤ capacity per line, offers within capacity − promised, breakdowns add up and match the stored value, also for concurrent orders', async () => {
    const h = harness();
    await fc.assert(
      fc.asyncProperty(runArb, (r) => runOnce(h, r)),
      { numRuns: 25, seed: 7_2026 },
    );
  }, 240_000);

  it('R7: after orders and stock adjustments at two locations of one channel ran at once, its stored offer is the value computed now', async () => {
    // Found by the property above when steps still recomputed offers themselves: on PostgreSQL,
    // refreshOffers computed the offers before it locked the stored rows, so the later of two
    // overlapping recomputes could write a value that missed the other's change (stored 101,
    // computed 100). Steps now only mark the SKU and two refreshers never take the same mark; a
    // refresher (a list read runs one) can still overlap a full recompute, and both run here
    // among the steps. The window is narrow: with the old order restored this test passed in
    // four tries, so it guards the outcome (stored = computed), not that one interleaving.
    const h = harness();
    const caller = { orgId: h.orgId, role: 'admin' as const, keyId: 'test' };
    for (let round = 0; round < 12; round++) {
      const [l1, l2] = [unique('ploc').toLowerCase(), unique('ploc').toLowerCase()];
      for (const code of [l1, l2]) await ok(h.api('POST', '/v1/locations', { code, name: code, kind: 'warehouse', country: 'NL' }), 201);
      const [both, second] = [unique('pch').toLowerCase(), unique('pch').toLowerCase()];
      await ok(h.api('POST', '/v1/channels', { code: both, name: both, kind: 'manual', locations: [l1, l2] }), 201);
      await ok(h.api('POST', '/v1/channels', { code: second, name: second, kind: 'manual', locations: [l2] }), 201);
      const sku = unique('PSKU').toUpperCase();
      await ok(h.api('POST', '/v1/products', { sku, name: sku, price: 10, cost: 4 }), 201);
      for (const location of [l1, l2]) await ok(h.api('POST', '/v1/stock/adjustments', { sku, location, delta: 50, kind: 'receipt' }), 201);
      await Promise.all(
        [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) =>
          i % 3 === 0
            ? placeOrder(h, second, sku, 1)
            : i % 3 === 1
              ? ok(h.api('POST', '/v1/stock/adjustments', { sku, location: l1, delta: 1, kind: 'receipt' }), 201)
              : i === 5
                ? requestRecompute(h.services, caller).then(() => runDueRecomputes(h.services))
                : ok(h.api('GET', `/v1/offered-stock?sku=${sku}`), 200),
        ),
      );
      await expectGuarantees(h, [both, second], sku);
      expect((await breakdown(h, both, sku)).offered).toBe(50 + 3 + 50 - 3);
    }
  }, 120_000);
});
