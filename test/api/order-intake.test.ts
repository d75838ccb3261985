import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../support/harness.js';
import { ok, orderBody, seedWorld, setBackorders } from '../support/fixtures.js';

describeEachStore('order intake splits orders (R1–R4)', (harness) => {
  beforeAll(async () => setBackorders(harness(), true));

  it('R3: an order of 10 with 6 available becomes an open part of 6 and a backorder part of 4', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[6]] });
    const order = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 10 }])), 201);
    expect(order.status).toBe('backorder');
    expect(order.parts).toHaveLength(2);
    const open = order.parts.find((p: any) => p.status === 'open');
    const back = order.parts.find((p: any) => p.status === 'backorder');
    expect(open.lines).toEqual([{ lineNo: 1, sku: w.skus[0], qty: 6, location: w.locations[0], oversold: false, promisedDate: null, promises: [] }]);
    expect(back.lines).toEqual([{ lineNo: 1, sku: w.skus[0], qty: 4, location: null, oversold: true, promisedDate: null, promises: [] }]);
    expect(order.lines[0]).toMatchObject({ qty: 10, reserved: 6, waiting: 4 });

    const stock = await ok(h.api('GET', `/v1/stock/${w.skus[0]}`));
    expect(stock).toMatchObject({ onHand: 6, reserved: 6, available: 0 });
    // The response to the POST is exactly what reading the order back gives.
    const stored = await ok(h.api('GET', `/v1/orders/${order.id}`));
    expect(stored).toEqual(order);
  });

  it('R3: lines take stock from the channel locations in the channel order', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[2, 5]] });
    const order = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 4 }])), 201);
    expect(order.parts).toHaveLength(1);
    expect(order.parts[0].status).toBe('open');
    expect(order.parts[0].lines.map((l: any) => [l.location, l.qty])).toEqual([
      [w.locations[0], 2],
      [w.locations[1], 2],
    ]);
  });

  it('R3: complete shipping keeps one waiting part that holds the available units reserved', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[6]] });
    const order = await ok(
      h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 10 }], { shippingPreference: 'complete' })),
      201,
    );
    expect(order.parts).toHaveLength(1);
    expect(order.parts[0].status).toBe('backorder');
    expect(order.parts[0].lines).toEqual([
      { lineNo: 1, sku: w.skus[0], qty: 6, location: w.locations[0], oversold: false, promisedDate: null, promises: [] },
      { lineNo: 1, sku: w.skus[0], qty: 4, location: null, oversold: true, promisedDate: null, promises: [] },
    ]);
    expect(await ok(h.api('GET', `/v1/stock/${w.skus[0]}`))).toMatchObject({ reserved: 6, available: 0 });
  });

  it('R3: an order fully in stock is one open part and raises no backorder', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[5], [5]] });
    const order = await ok(
      h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 2 }, { sku: w.skus[1]!, qty: 5 }])),
      201,
    );
    expect(order.status).toBe('open');
    expect(order.parts.map((p: any) => p.status)).toEqual(['open']);
    const events = await ok(h.api('GET', '/v1/events?type=order.backordered&limit=200'));
    expect(events.items.some((e: any) => e.subjectId === order.id)).toBe(false);
  });

  it('R1: strict checkout gets 409 when backorders are off for the organisation, and nothing is stored', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[1]] });
    await setBackorders(h, false);
    try {
      const body = orderBody(w.channel, [{ sku: w.skus[0]!, qty: 3 }]);
      const res = await h.api('POST', '/v1/orders?mode=strict', body);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INSUFFICIENT_STOCK');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const stock = await ok(h.api('GET', `/v1/stock/${w.skus[0]}`));
      expect(stock).toMatchObject({ onHand: 1, reserved: 0 });
      const list = await ok(h.api('GET', `/v1/orders?channel=${w.channel}`));
      expect(list.items).toHaveLength(0);
    } finally {
      await setBackorders(h, true);
    }
  });

  it('R1: a product with policy deny is refused under strict mode; with allow it is backordered', async () => {
    const h = harness();
    const denied = await seedWorld(h, { stock: [[0]], policy: 'deny' });
    const res = await h.api('POST', '/v1/orders?mode=strict', orderBody(denied.channel, [{ sku: denied.skus[0]!, qty: 1 }]));
    expect(res.status).toBe(409);
    const allowed = await seedWorld(h, { stock: [[0]], policy: 'allow' });
    const order = await ok(h.api('POST', '/v1/orders?mode=strict', orderBody(allowed.channel, [{ sku: allowed.skus[0]!, qty: 1 }])), 201);
    expect(order.status).toBe('backorder');
  });

  it('R1: a channel that does not accept backorders refuses strict orders it cannot cover', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[1]], acceptsBackorders: false });
    const res = await h.api('POST', '/v1/orders?mode=strict', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 2 }]));
    expect(res.status).toBe(409);
    expect(res.body.details.skus).toEqual([w.skus[0]]);
    const fits = await ok(h.api('POST', '/v1/orders?mode=strict', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }])), 201);
    expect(fits.status).toBe('open');
  });

  it('R3: a marketplace order that cannot be covered is never dropped: stored as oversold backorder with an alert', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[0]], acceptsBackorders: false, channelKind: 'amazon' });
    const order = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 2 }])), 201);
    expect(order.status).toBe('backorder');
    expect(order.parts[0].lines[0]).toMatchObject({ qty: 2, location: null, oversold: true, promisedDate: null, promises: [] });
    const alerts = await ok(h.api('GET', '/v1/alerts?status=open&limit=200'));
    expect(alerts.items.some((a: any) => a.type === 'oversold' && a.subjectId === w.skus[0])).toBe(true);
  });

  it('R2: the same channel order imported twice is stored once and returned again', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[5]] });
    const body = orderBody(w.channel, [{ sku: w.skus[0]!, qty: 2 }]);
    const first = await h.api('POST', '/v1/orders', body);
    const again = await h.api('POST', '/v1/orders', body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await ok(h.api('GET', `/v1/stock/${w.skus[0]}`))).toMatchObject({ reserved: 2 });
    const changed = await h.api('POST', '/v1/orders', { ...body, lines: [{ sku: w.skus[0], qty: 3, unitPrice: 12.5 }] });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('ORDER_CONFLICT');
  });

  it('R4 + R19: cancelling an open part gives its units at once to the oldest waiting backorder', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[3]] });
    const sku = w.skus[0]!;
    const first = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku, qty: 3 }], { placedAt: '2026-11-01T10:00:00Z' })), 201);
    const older = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku, qty: 2 }], { placedAt: '2026-11-01T11:00:00Z' })), 201);
    const newer = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku, qty: 2 }], { placedAt: '2026-11-01T12:00:00Z' })), 201);
    expect(older.status).toBe('backorder');
    expect(newer.status).toBe('backorder');

    const cancelled = await ok(h.api('POST', `/v1/orders/${first.id}/cancel`, { reason: 'customer changed mind' }));
    expect(cancelled.status).toBe('cancelled');

    const olderNow = await ok(h.api('GET', `/v1/orders/${older.id}`));
    expect(olderNow.status).toBe('open');
    expect(olderNow.parts).toHaveLength(1);
    expect(olderNow.parts[0].lines).toEqual([{ lineNo: 1, sku, qty: 2, location: w.locations[0], oversold: false, promisedDate: null, promises: [] }]);
    // The newer order gets the one unit left: under partial shipping it splits (R4).
    const newerNow = await ok(h.api('GET', `/v1/orders/${newer.id}`));
    expect(newerNow.parts.map((p: any) => [p.status, p.lines[0].qty]).sort()).toEqual([
      ['backorder', 1],
      ['open', 1],
    ]);
    expect(await ok(h.api('GET', `/v1/stock/${sku}`))).toMatchObject({ onHand: 3, reserved: 3, available: 0 });
  });

  it('R4: a cancelled part cannot be cancelled again', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[1]] });
    const order = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }])), 201);
    await ok(h.api('POST', `/v1/orders/${order.id}/parts/${order.parts[0].id}/cancel`));
    const again = await h.api('POST', `/v1/orders/${order.id}/parts/${order.parts[0].id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
  });

  it('§2: the ledger explains every number: movements sum to on hand and reserved', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[8]] });
    const sku = w.skus[0]!;
    const a = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku, qty: 5 }])), 201);
    await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku, qty: 6 }])), 201);
    await ok(h.api('POST', `/v1/orders/${a.id}/cancel`));
    await ok(h.api('POST', '/v1/stock/adjustments', { sku, location: w.locations[0], delta: -1, kind: 'damage', reason: 'dropped' }), 201);
    const moves = await ok(h.api('GET', `/v1/stock/${sku}/movements?limit=200`));
    const level = await ok(h.api('GET', `/v1/stock/${sku}`));
    expect(moves.items.reduce((s: number, m: any) => s + m.onHandDelta, 0)).toBe(level.onHand);
    expect(moves.items.reduce((s: number, m: any) => s + m.reservedDelta, 0)).toBe(level.reserved);
    expect(level).toMatchObject({ onHand: 7, reserved: 6 });
    expect(moves.items.map((m: any) => m.kind)).toEqual(['receipt', 'allocation', 'allocation', 'release', 'allocation', 'damage']);
  });

  it('lists orders by part status with counts per tab', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[4]] });
    await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 10 }])), 201);
    await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }])), 201);
    const backorders = await ok(h.api('GET', `/v1/orders?status=backorder&channel=${w.channel}`));
    expect(backorders.items).toHaveLength(2);
    expect(backorders.counts).toMatchObject({ backorder: 2, open: 1, all: 2 });
    const page1 = await ok(h.api('GET', `/v1/orders?status=backorder&channel=${w.channel}&limit=1`));
    const page2 = await ok(h.api('GET', `/v1/orders?status=backorder&channel=${w.channel}&limit=1&cursor=${page1.nextCursor}`));
    expect(page1.items[0].id).not.toBe(page2.items[0].id);
    expect(page2.nextCursor).toBeNull();
  });

  it('R4: an open part goes to processing and ships; its units leave stock with a shipment row; a backorder part cannot ship', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[6]] });
    const sku = w.skus[0]!;
    const order = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku, qty: 10 }])), 201);
    const open = order.parts.find((p: any) => p.status === 'open');
    const waiting = order.parts.find((p: any) => p.status === 'backorder');

    const early = await h.api('POST', `/v1/orders/${order.id}/parts/${open.id}/ship`, {});
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('INVALID_TRANSITION');
    const refused = await h.api('POST', `/v1/orders/${order.id}/parts/${waiting.id}/start-processing`);
    expect(refused.status).toBe(409);

    await ok(h.api('POST', `/v1/orders/${order.id}/parts/${open.id}/start-processing`));
    const shipped = await ok(h.api('POST', `/v1/orders/${order.id}/parts/${open.id}/ship`, { carrier: 'PostNL', trackingNumber: '3SABCD123' }));
    const part = shipped.parts.find((p: any) => p.id === open.id);
    expect(part.status).toBe('shipped');
    expect(part.shipment).toMatchObject({ carrier: 'PostNL', trackingNumber: '3SABCD123' });
    expect(shipped.status).toBe('backorder'); // 4 units still wait

    const stock = await ok(h.api('GET', `/v1/stock/${sku}`));
    expect(stock).toMatchObject({ onHand: 0, reserved: 0 });
    const moves = (await ok(h.api('GET', `/v1/stock/${sku}/movements?limit=200`))).items;
    expect(moves.at(-1)).toMatchObject({ kind: 'shipment', onHandDelta: -6, reservedDelta: -6, partId: open.id });
    expect(moves.reduce((a: number, m: any) => a + m.onHandDelta, 0)).toBe(0);
    const events = (await ok(h.api('GET', '/v1/events?type=order.part_shipped&limit=200'))).items;
    expect(events.find((e: any) => e.payload.partId === open.id)?.payload.partial).toBe(true);

    const tab = await ok(h.api('GET', `/v1/orders?status=shipped&channel=${w.channel}`));
    expect(tab.items.map((o: any) => o.id)).toEqual([order.id]);
    expect(tab.counts).toMatchObject({ shipped: 1, backorder: 1 });
  });

  it('finds an order by its channel order id', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[2]] });
    const body = orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }]);
    const order = await ok(h.api('POST', '/v1/orders', body), 201);
    await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }])), 201);
    const found = await ok(h.api('GET', `/v1/orders?channel=${w.channel}&externalId=${body.externalId}`));
    expect(found.items.map((o: any) => o.id)).toEqual([order.id]);
  });

  it('R2: a returning customer is recognised by id; changed details are kept, unchanged ones cost no rewrite', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[9]] });
    const first = orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }]);
    const a = await ok(h.api('POST', '/v1/orders', first), 201);
    const moved = { ...first.customer, email: 'new-address@example.nl', country: 'BE', postcode: '2000' };
    const b = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }], { customer: moved })), 201);
    const c = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }], { customer: moved })), 201);
    const customer = await ok(h.api('GET', `/v1/customers/${first.customer.id}`));
    expect(customer).toMatchObject({ email: 'new-address@example.nl', country: 'BE', postcode: '2000' });
    const rows = await h.services.store.db.selectFrom('orders').select(['customer_id']).where('id', 'in', [a.id, b.id, c.id]).execute();
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(1);
  });
});
