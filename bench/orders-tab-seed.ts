/**
 * The history behind the Backorder-tab benchmark (issue 7): one organisation with BENCH_TAB_ORDERS
 * orders (1,000,000) on 3 channels, 500 SKUs and 20,000 customers, written as the rows intake
 * and the later steps leave (bulk inserts in transactions of 500 orders, not through the services:
 * placing a million orders one by one would take a quarter of an hour here). Each order has one
 * line; its parts, by a seeded draw:
 * - 90 % one shipped part; 3 % cancelled; 1 % processing;
 * - 4 % one backorder part (half with a promised date);
 * - 2 % an open part and a backorder part (split at intake, R2).
 * Then every order's tabs and the tab counters are computed from the parts, as migration 014 does.
 */
import { newId } from '../src/ids.js';
import type { Services } from '../src/services/context.js';
import { createOrganisation } from '../src/services/organisations.service.js';
import { rng } from './intake-workload.js';
import { rebuildTabCounts } from '../src/store/order-tabs.repository.js';
import type { Database, OrderPartsTable } from '../src/store/schema.js';
import type { Insertable } from 'kysely';

export interface SeededOrders {
  readonly orgId: string;
  /** The organisation's admin key, for the HTTP runs. */
  readonly apiKey: string;
  readonly orders: number;
  readonly parts: Record<OrderPartsTable['status'], number>;
}

const BATCH = 500;


export async function seedOrders(services: Services, count: number, seed: number): Promise<SeededOrders> {
  const { store } = services;
  const org = await createOrganisation(store, `Orders tab bench ${seed}`);
  const orgId = org.orgId;
  const at = '2026-01-01T00:00:00.000Z';
  const channels = ['bol', 'amazon', 'shop'].map((code) => ({ id: newId('chn'), org_id: orgId, code, name: code, kind: 'webshop' as const, accepts_backorders: 1, priority: 0, window_kind: 'none' as const, window_days: null, shipment_days: null, cutoff_days: 1, share: null, safety_buffer: null, customer_emails: null, created_at: at, updated_at: at }));
  const location = { id: newId('loc'), org_id: orgId, code: 'dc', name: 'DC', kind: 'warehouse' as const, country: 'NL', latitude: null, longitude: null, handling_days: 0, created_at: at };
  const products = Array.from({ length: 500 }, (_, i) => ({ id: newId('prd'), org_id: orgId, sku: `SKU-${i}`, name: `Product ${i}`, price_cents: 1500, cost_cents: 500, backorder_policy: 'inherit' as const, safety_buffer: null, acceptance_ratio: null, created_at: at, updated_at: at }));
  const customers = Array.from({ length: 20_000 }, (_, i) => ({ id: newId('cus'), org_id: orgId, external_id: `c-${i}`, email: `c${i}@example.com`, locale: 'nl' as const, tier: 'standard', country: 'NL', postcode: null, latitude: null, longitude: null, created_at: at, updated_at: at }));
  await store.transact(async (tx) => {
    await tx.insertInto('channels').values(channels).execute();
    await tx.insertInto('locations').values(location).execute();
    for (let i = 0; i < products.length; i += BATCH) await tx.insertInto('products').values(products.slice(i, i + BATCH)).execute();
    for (let i = 0; i < customers.length; i += BATCH) await tx.insertInto('customers').values(customers.slice(i, i + BATCH)).execute();
  });
  const rnd = rng(seed);
  const parts: SeededOrders['parts'] = { backorder: 0, open: 0, processing: 0, shipped: 0, cancelled: 0 };
  const start = Date.parse(at);
  for (let from = 0; from < count; from += BATCH) {
    const orders: Insertable<Database['orders']>[] = [];
    const lines: Insertable<Database['order_lines']>[] = [];
    const partRows: Insertable<Database['order_parts']>[] = [];
    const partLines: Insertable<Database['part_lines']>[] = [];
    for (let i = from; i < Math.min(count, from + BATCH); i++) {
      // Ids in placing order, as newId makes them: the newest order has the largest id.
      const placed = new Date(start + i * 30_000).toISOString();
      const id = `ord_${String(i).padStart(12, '0')}`;
      const channel = channels[Math.floor(rnd() * channels.length)]!;
      const customer = customers[Math.floor(rnd() * customers.length)]!;
      const product = products[Math.floor(rnd() * products.length)]!;
      const qty = 1 + Math.floor(rnd() * 3);
      orders.push({ id, org_id: orgId, channel_id: channel.id, external_id: `${channel.code.toUpperCase()}-${i}`, placed_at: placed, customer_id: customer.id, shipping_preference: 'partial', priority: 0, request_hash: 'bench', created_at: placed, updated_at: placed });
      lines.push({ org_id: orgId, order_id: id, line_no: 1, product_id: product.id, qty, unit_price_cents: 1500 });
      const fate = rnd();
      const shape: [OrderPartsTable['status'], number][] =
        fate < 0.9 ? [['shipped', qty]] : fate < 0.93 ? [['cancelled', qty]] : fate < 0.94 ? [['processing', qty]] : fate < 0.98 || qty === 1 ? [['backorder', qty]] : [['open', 1], ['backorder', qty - 1]];
      shape.forEach(([status, units], n) => {
        const partId = `prt_${String(i).padStart(12, '0')}_${n}`;
        const waiting = status === 'backorder';
        const promised = waiting && rnd() < 0.5 ? '2026-12-20' : null;
        parts[status]++;
        partRows.push({ id: partId, org_id: orgId, order_id: id, status, placed_at: placed, promised_date: promised, preorder: 0, shipped_at: status === 'shipped' ? placed : null, carrier: null, tracking_number: null, created_at: placed, updated_at: placed });
        partLines.push({ id: `pl_${String(i).padStart(12, '0')}_${n}`, org_id: orgId, part_id: partId, order_id: id, line_no: 1, product_id: product.id, location_id: waiting ? null : location.id, qty: units, oversold: 0, promised_date: promised });
      });
    }
    await store.transact(async (tx) => {
      await tx.insertInto('orders').values(orders).execute();
      await tx.insertInto('order_lines').values(lines).execute();
      await tx.insertInto('order_parts').values(partRows).execute();
      await tx.insertInto('part_lines').values(partLines).execute();
    });
  }
  // The tabs and their counters as migration 014 computes them for orders it finds.
  await rebuildTabCounts(store.db, store.dialect);
  return { orgId, apiKey: org.adminKey.key, orders: count, parts };
}
