import { ok, orderBody, seedWorld, unique, type World } from '../support/fixtures.js';
import type { E2eServer } from './server.js';

export interface BackorderWorld extends World {
  readonly supplierId: string;
  /** The purchase order's number: waiting units are promised against it (R3). */
  readonly purchaseOrder: string;
  readonly expectedDate: string;
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Through the real API: backorders on, one location holding `stock` units of one SKU, a channel
 * (webshop: its customers get e-mails, R11) selling from it and accepting backorders, and a
 * purchase order of `incoming` units so that waiting units get a promised date.
 */
export async function seedBackorderWorld(server: E2eServer, opts: { stock?: number; incoming?: number; channelKind?: string } = {}): Promise<BackorderWorld> {
  // R8: a new supplier's lines are capped at 3 days of sales, and a fresh organisation has none; lift the cap so the PO promises.
  await ok(server.api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }), 200);
  const world = await seedWorld(server, { stock: [[opts.stock ?? 6]], channelKind: opts.channelKind ?? 'webshop' });
  const supplier = await ok(server.api('POST', '/v1/suppliers', { name: unique('Supplier'), leadTimeDays: 7 }), 201);
  const expectedDate = inDays(10);
  const purchaseOrder = unique('PO').toUpperCase();
  await ok(
    server.api('POST', '/v1/purchase-orders', { number: purchaseOrder, supplierId: supplier.id, location: world.locations[0], expectedDate, lines: [{ sku: world.skus[0], qty: opts.incoming ?? 20 }] }),
    201,
  );
  return { ...world, supplierId: supplier.id, purchaseOrder, expectedDate };
}

/** An order on the world's channel for `qty` of its SKU, as the channel would import it. */
export async function placeOrder(server: E2eServer, world: World, qty: number, extra: Record<string, unknown> = {}) {
  return ok(server.api('POST', '/v1/orders', orderBody(world.channel, [{ sku: world.skus[0]!, qty }], extra)), 201);
}
