import type { Services } from '../../src/services/context.js';
import { ok, unique } from './fixtures.js';
import type { Harness } from './harness.js';

/** Fixtures of the alert, spike and price-suggestion tests (R9, R10, R13). */

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const dateIn = (base: number, days: number) => new Date(base + days * DAY).toISOString().slice(0, 10);

/** The services' clock, fixed at `iso` (the API reads the same object). */
export function fixClock(h: Harness, iso: string) {
  (h.services as { now: Services['now'] }).now = () => new Date(iso);
}

export interface Sku {
  loc: string;
  ch: string;
  sku: string;
  supplier: string;
}

/** A location (handling days), a channel accepting backorders from it, a product at 10.00 with `stock` on hand, and a new supplier. */
export async function setUpSku(h: Harness, opts: { stock?: number; handlingDays?: number; window?: Record<string, unknown> } = {}): Promise<Sku> {
  const loc = unique('loc').toLowerCase();
  await ok(h.api('POST', '/v1/locations', { code: loc, name: loc, kind: 'warehouse', country: 'NL', handlingDays: opts.handlingDays ?? 1 }), 201);
  const ch = unique('ch').toLowerCase();
  await ok(h.api('POST', '/v1/channels', { code: ch, name: ch, kind: 'webshop', acceptsBackorders: true, locations: [loc], ...(opts.window ? { window: opts.window } : {}) }), 201);
  const sku = unique('SKU').toUpperCase();
  await ok(h.api('POST', '/v1/products', { sku, name: sku, price: 10, cost: 4 }), 201);
  if (opts.stock) await ok(h.api('POST', '/v1/stock/adjustments', { sku, location: loc, delta: opts.stock, kind: 'receipt' }), 201);
  const supplier = await ok(h.api('POST', '/v1/suppliers', { name: unique('Supplier'), leadTimeDays: 7 }), 201);
  return { loc, ch, sku, supplier: supplier.id as string };
}

export async function order(h: Harness, w: Pick<Sku, 'ch' | 'sku'>, qty: number, placedAt?: string, key?: string) {
  return ok(
    h.api(
      'POST',
      '/v1/orders',
      { channel: w.ch, externalId: unique('EXT'), ...(placedAt ? { placedAt } : {}), customer: { id: unique('c'), email: 'a@example.com', locale: 'en', country: 'NL' }, lines: [{ sku: w.sku, qty, unitPrice: 10 }] },
      key === undefined ? undefined : { key },
    ),
    201,
  );
}

export async function purchaseOrder(h: Harness, w: Pick<Sku, 'supplier' | 'loc' | 'sku'>, expectedDate: string, qty: number) {
  return ok(h.api('POST', '/v1/purchase-orders', { number: unique('PO'), supplierId: w.supplier, location: w.loc, expectedDate, lines: [{ sku: w.sku, qty }] }), 201);
}

/** The alerts of one type about one subject, oldest first. */
export async function alertsAbout(h: Harness, type: string, subjectId: string, key?: string): Promise<any[]> {
  const page = await ok(h.api('GET', `/v1/alerts?type=${type}&limit=200`, undefined, key === undefined ? undefined : { key }), 200);
  return page.items.filter((a: any) => a.subjectId === subjectId);
}

/** The events of one type about one alert, straight from the outbox (the file's database holds many). */
export async function alertEvents(h: Harness, type: string, alertId: string) {
  const rows = await h.services.store.db.selectFrom('events').select(['type', 'payload']).where('type', '=', type).where('subject_id', '=', alertId).execute();
  return rows.map((r) => ({ type: r.type, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}
