import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../support/harness.js';
import { ok, orderBody, seedWorld, unique, type World } from '../support/fixtures.js';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** SPEC §2 incoming and promised per SKU, as the dashboard's stock page reads them (issue 7). */
describeEachStore('GET /v1/stock/{sku}/incoming (SPEC §2, R3)', (harness) => {
  let w: World;
  let sku: string;
  let supplier: { id: string; name: string };
  const po = (number: string, expectedDate: string, qty: number, status?: 'draft') =>
    ok(harness().api('POST', '/v1/purchase-orders', { number, supplierId: supplier.id, location: w.locations[0], expectedDate, lines: [{ sku, qty }], ...(status ? { status } : {}) }), 201);

  beforeAll(async () => {
    const h = harness();
    await ok(h.api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }), 200);
    w = await seedWorld(h, { stock: [[0]] });
    sku = w.skus[0]!;
    supplier = await ok(h.api('POST', '/v1/suppliers', { name: unique('Supplier') }), 201);
  });

  it('lists each open line still to come, earliest arrival first, with what is promised against it; drafts are not incoming', async () => {
    const h = harness();
    const later = await po(unique('PO-LATER'), inDays(10), 8);
    const sooner = await po(unique('PO-SOONER'), inDays(5), 6);
    await po(unique('PO-DRAFT'), inDays(2), 50, 'draft');
    // 3 waiting units are promised against the earliest line first (R3): capacity floor(6 × 0.75) = 4.
    await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku, qty: 3 }])), 201);

    const listed = await ok(h.api('GET', `/v1/stock/${sku}/incoming`));
    expect(listed).toEqual({
      items: [
        {
          purchaseOrder: { id: sooner.id, number: sooner.number, status: 'open' },
          supplier: { id: supplier.id, name: supplier.name },
          location: w.locations[0],
          expectedDate: inDays(5),
          arrivalDate: inDays(5),
          ordered: 6,
          incoming: 6,
          promised: 3,
        },
        expect.objectContaining({ purchaseOrder: { id: later.id, number: later.number, status: 'open' }, ordered: 8, incoming: 8, promised: 0 }),
      ],
      nextCursor: null,
    });

    // A receipt of 2 good + 1 damaged: 3 fewer to come; 2 units go to the waiting order, 1 stays promised.
    await ok(h.api('POST', `/v1/purchase-orders/${sooner.id}/receipts`, { lines: [{ sku, good: 2, damaged: 1 }] }), 201);
    const afterReceipt = (await ok(h.api('GET', `/v1/stock/${sku}/incoming`))).items;
    expect(afterReceipt.map((l: any) => [l.purchaseOrder.number, l.purchaseOrder.status, l.incoming, l.promised])).toEqual([
      [sooner.number, 'partially_received', 3, 1],
      [later.number, 'open', 8, 0],
    ]);

    // Nothing left to come on a line: it is no longer incoming.
    await ok(h.api('POST', `/v1/purchase-orders/${later.id}/cancel`), 200);
    await ok(h.api('POST', `/v1/purchase-orders/${sooner.id}/receipts`, { lines: [{ sku, good: 3 }] }), 201);
    expect((await ok(h.api('GET', `/v1/stock/${sku}/incoming`))).items).toEqual([]);
  });

  it('a read-only key may read it; an unknown SKU is 404 NOT_FOUND, as for the ledger', async () => {
    const h = harness();
    const readOnly = await ok(h.api('POST', '/v1/api-keys', { name: 'reader', role: 'read-only' }), 201);
    await ok(h.api('GET', `/v1/stock/${sku}/incoming`, undefined, { key: readOnly.key }), 200);
    const missing = await h.api('GET', '/v1/stock/NO-SUCH-SKU/incoming');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });
});
