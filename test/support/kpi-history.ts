import { expect } from 'vitest';
import type { Harness } from './harness.js';
import { ok, orderBody, seedWorld, setBackorders, unique } from './fixtures.js';

/**
 * R18: a small history in a fresh organisation, built through the API — orders placed on given
 * past days on two channels, backorders promised on one purchase order, two back-dated receipts,
 * two cancellations (one frees stock for a waiting order) and three shipments. The figures it
 * must produce are worked out by hand in test/api/kpis.test.ts.
 *
 *   stock at L: X 5, Y 0, Z 0. PO1 (supplier S1) at L: X 20, Y 20, expected in 20 days.
 *   O1 A 2025-01-05T10:00Z X3      → 3 reserved
 *   O2 A 2025-01-05T15:00Z X4, Y2  → X 2 reserved + 2 wait; Y 2 wait
 *   O3 B 2025-01-06T08:00Z Y5      → 5 wait
 *   O4 B 2025-01-06T09:00Z X1      → 1 wait
 *   O5 A 2025-01-07T12:00Z Z2      → 2 wait, oversold (nothing incoming)
 *   O6 A 2025-01-08T00:00Z X4      → 4 wait (the 5 X are all reserved)
 *   R1 2025-01-09T10:00Z X 3 good  → O2 X 2 (split off: Y still waits), O4 X 1 (complete: promise kept)
 *   O2's waiting part's promised date is set back to 2025-01-10 (as if promised then)
 *   R2 2025-01-12T15:00Z Y 2 good  → O2 Y 2 (complete, on 01-12 after 01-10: promise broken)
 *   now: cancel O3 (5 Y waiting given up); cancel O1 (frees X 3 → O6 gets 3, 1 still waits)
 *   now: ship O4's part; ship O2's first part, then its second (shipping waived)
 */
export interface KpiHistory {
  readonly key: string;
  readonly orgId: string;
  readonly channels: { readonly a: string; readonly b: string };
  readonly skus: { readonly x: string; readonly y: string; readonly z: string };
  readonly supplierId: string;
  readonly orders: Record<'o1' | 'o2' | 'o3' | 'o4' | 'o5' | 'o6', any>;
}

export async function buildKpiHistory(h: Harness): Promise<KpiHistory> {
  const org = await h.newOrganisation(unique('KPI merchant'));
  const key = org.key;
  const api = (method: string, path: string, body?: unknown) => h.api(method, path, body, { key });
  await setBackorders(h, true, key);
  // Promises need no sales history: the supplier is new, and its cap would leave it nothing.
  await ok(api('PATCH', '/v1/settings', { cappedSalesDays: null }), 200);
  const world = await seedWorld(h, { stock: [[5], [0], [0]], key });
  const [x, y, z] = world.skus as [string, string, string];
  const a = world.channel;
  const b = unique('ch').toLowerCase();
  await ok(api('POST', '/v1/channels', { code: b, name: b, kind: 'webshop', acceptsBackorders: true, locations: world.locations }), 201);
  const supplier = await ok(api('POST', '/v1/suppliers', { name: unique('Supplier'), leadTimeDays: 10 }), 201);
  const expected = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const po = await ok(
    api('POST', '/v1/purchase-orders', { number: unique('PO'), supplierId: supplier.id, location: world.locations[0], expectedDate: expected, lines: [{ sku: x, qty: 20 }, { sku: y, qty: 20 }] }),
    201,
  );

  const place = (channel: string, placedAt: string, lines: { sku: string; qty: number }[]) => ok(api('POST', '/v1/orders', orderBody(channel, lines, { placedAt })), 201);
  const o1 = await place(a, '2025-01-05T10:00:00Z', [{ sku: x, qty: 3 }]);
  const o2 = await place(a, '2025-01-05T15:00:00Z', [{ sku: x, qty: 4 }, { sku: y, qty: 2 }]);
  const o3 = await place(b, '2025-01-06T08:00:00Z', [{ sku: y, qty: 5 }]);
  const o4 = await place(b, '2025-01-06T09:00:00Z', [{ sku: x, qty: 1 }]);
  const o5 = await place(a, '2025-01-07T12:00:00Z', [{ sku: z, qty: 2 }]);
  const o6 = await place(a, '2025-01-08T00:00:00Z', [{ sku: x, qty: 4 }]);
  expect(o5.parts[0].lines[0].oversold).toBe(true);
  for (const o of [o2, o3, o4, o6]) expect(o.parts.find((p: any) => p.status === 'backorder').promisedDate).not.toBeNull();

  const r1 = await ok(api('POST', `/v1/purchase-orders/${po.id}/receipts`, { lines: [{ sku: x, good: 3 }], receivedAt: '2025-01-09T10:00:00Z' }), 201);
  expect(r1.crossDock.map((c: any) => [c.orderId, c.qty])).toEqual([[o2.id, 2], [o4.id, 1]]);
  const o2Waiting = o2.parts.find((p: any) => p.status === 'backorder').id;
  await h.services.store.db.updateTable('order_parts').set({ promised_date: '2025-01-10' }).where('id', '=', o2Waiting).execute();
  const r2 = await ok(api('POST', `/v1/purchase-orders/${po.id}/receipts`, { lines: [{ sku: y, good: 2 }], receivedAt: '2025-01-12T15:00:00Z' }), 201);
  expect(r2.crossDock.map((c: any) => [c.orderId, c.qty])).toEqual([[o2.id, 2]]);

  await ok(api('POST', `/v1/orders/${o3.id}/cancel`), 200);
  await ok(api('POST', `/v1/orders/${o1.id}/cancel`), 200);
  const ship = async (orderId: string, partId: string) => {
    await ok(api('POST', `/v1/orders/${orderId}/parts/${partId}/start-processing`), 200);
    await ok(api('POST', `/v1/orders/${orderId}/parts/${partId}/ship`, { carrier: 'postnl', trackingNumber: unique('T') }), 200);
  };
  const o4Now = await ok(api('GET', `/v1/orders/${o4.id}`), 200);
  await ship(o4.id, o4Now.parts[0].id);
  const o2Now = await ok(api('GET', `/v1/orders/${o2.id}`), 200);
  const o2Open = o2Now.parts.filter((p: any) => p.status === 'open');
  expect(o2Open).toHaveLength(3);
  await ship(o2.id, o2Open[0].id);
  await ship(o2.id, o2Open[1].id);
  return { key, orgId: org.orgId, channels: { a, b }, skus: { x, y, z }, supplierId: supplier.id, orders: { o1, o2, o3, o4, o5, o6 } };
}
