import { beforeAll, expect, it } from 'vitest';
import { ok, unique } from '../support/fixtures.js';
import { describeEachStore, type Harness } from '../support/harness.js';

/**
 * GET /v1/availability/{sku}?channel= (issue 5, from R3 + R7): what a product page can say before
 * the customer orders — in stock, on backorder (or pre-order) with the expected delivery date,
 * or unavailable — read from the channel's offer now. The file's organisation has backorders on
 * and R8's new-supplier cap off (its suppliers have no history); dates are relative to today.
 */
const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

async function setUp(h: Harness, opts: { window?: Record<string, unknown>; policy?: string; handlingDays?: number } = {}) {
  const loc = unique('loc').toLowerCase();
  await ok(h.api('POST', '/v1/locations', { code: loc, name: loc, kind: 'warehouse', country: 'NL', handlingDays: opts.handlingDays ?? 2 }), 201);
  const ch = unique('ch').toLowerCase();
  await ok(h.api('POST', '/v1/channels', { code: ch, name: ch, kind: 'webshop', acceptsBackorders: true, locations: [loc], ...(opts.window ? { window: opts.window } : {}) }), 201);
  const sku = unique('SKU').toUpperCase();
  await ok(h.api('POST', '/v1/products', { sku, name: sku, price: 10, cost: 4, ...(opts.policy ? { backorderPolicy: opts.policy } : {}) }), 201);
  const supplier = await ok(h.api('POST', '/v1/suppliers', { name: unique('Supplier'), leadTimeDays: 7 }), 201);
  return { loc, ch, sku, supplier: supplier.id as string };
}

const availability = (h: Harness, sku: string, ch: string) => ok(h.api('GET', `/v1/availability/${sku}?channel=${ch}`), 200);

describeEachStore('availability for product pages (R3, R7, R14)', (harness) => {
  beforeAll(async () => {
    await ok(harness().api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }), 200);
  });

  it('R7: stock on hand is "in stock"; sold out with a PO inside the window is "backorder" with the date a new order would be promised; nothing on offer is "unavailable"', async () => {
    const h = harness();
    const w = await setUp(h, { window: { kind: 'days', days: 10 } });
    expect(await availability(h, w.sku, w.ch)).toMatchObject({ status: 'unavailable', available: 0, expectedDeliveryDate: null });

    await ok(h.api('POST', '/v1/stock/adjustments', { sku: w.sku, location: w.loc, delta: 3, kind: 'receipt' }), 201);
    expect(await availability(h, w.sku, w.ch)).toMatchObject({ status: 'in_stock', available: 3, expectedDeliveryDate: null });

    await ok(h.api('POST', '/v1/stock/adjustments', { sku: w.sku, location: w.loc, delta: -3, kind: 'adjustment' }), 201);
    // Outside the 10-day window: still nothing to offer.
    const far = await ok(h.api('POST', '/v1/purchase-orders', { number: unique('PO'), supplierId: w.supplier, location: w.loc, expectedDate: inDays(20), lines: [{ sku: w.sku, qty: 40 }] }), 201);
    expect(await availability(h, w.sku, w.ch)).toMatchObject({ status: 'unavailable', available: 0 });
    // Inside it: 40 × 0.75 = 30 on offer, delivered arrival + 2 handling days.
    await ok(h.api('POST', '/v1/purchase-orders', { number: unique('PO'), supplierId: w.supplier, location: w.loc, expectedDate: inDays(6), lines: [{ sku: w.sku, qty: 40 }] }), 201);
    expect(await availability(h, w.sku, w.ch)).toMatchObject({ status: 'backorder', available: 30, expectedDeliveryDate: inDays(8) });
    // The page says what an order placed now is promised.
    const order = await ok(
      h.api('POST', '/v1/orders', { channel: w.ch, externalId: unique('ext'), customer: { id: unique('c'), email: 'a@example.com', locale: 'nl', country: 'NL' }, lines: [{ sku: w.sku, qty: 2, unitPrice: 10 }] }),
      201,
    );
    expect(order.parts.find((p: any) => p.status === 'backorder').promisedDate).toBe(inDays(8));
    expect(await availability(h, w.sku, w.ch)).toMatchObject({ status: 'backorder', available: 28, expectedDeliveryDate: inDays(8) });
    expect(far.lines[0].incoming).toBe(40);
  });

  it('R14: a pre-order product is "preorder" with the delivery date once its PO is within the pre-order days', async () => {
    const h = harness();
    const w = await setUp(h, { policy: 'preorder', handlingDays: 1 });
    await ok(h.api('POST', '/v1/purchase-orders', { number: unique('PO'), supplierId: w.supplier, location: w.loc, expectedDate: inDays(25), lines: [{ sku: w.sku, qty: 10 }] }), 201);
    expect(await availability(h, w.sku, w.ch)).toMatchObject({ status: 'preorder', available: 7, expectedDeliveryDate: inDays(26) });
  });

  it('bad input: an unknown channel or SKU is 404, a missing channel 400, nothing changes', async () => {
    const h = harness();
    const w = await setUp(h);
    const unknownChannel = await h.api('GET', `/v1/availability/${w.sku}?channel=no-such-channel`);
    expect([unknownChannel.status, (unknownChannel.body as any).code]).toEqual([404, 'NOT_FOUND']);
    const unknownSku = await h.api('GET', `/v1/availability/NO-SUCH-SKU?channel=${w.ch}`);
    expect([unknownSku.status, (unknownSku.body as any).code]).toEqual([404, 'NOT_FOUND']);
    const missing = await h.api('GET', `/v1/availability/${w.sku}`);
    expect([missing.status, (missing.body as any).code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(unknownChannel.headers.get('content-type')).toContain('application/problem+json');
  });
});
