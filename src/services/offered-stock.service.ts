import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { computeOffers, type Offer, type OfferBreakdown } from '../domain/offered-stock.js';
import { addDays } from '../domain/promise-plan.js';
import { outstanding } from '../domain/purchase-order-lifecycle.js';
import type { Dialect } from '../store/db.js';
import type { NewEvent } from '../store/events.repository.js';
import { readAvailable } from '../store/offer-inputs.repository.js';
import { listStoredOffers, readStoredOffers, writeOffers, type OfferRow } from '../store/offered-stock.repository.js';
import { readIncoming, readPromisedByChannel } from '../store/promises.repository.js';
import type { Database } from '../store/schema.js';
import { groupBy } from '../collections.js';
import { effectiveArrivalOf, lineKey, readCapacityContext } from './capacity-context.js';
import type { Caller, Services } from './context.js';
import { requireChannel, requireProduct } from './lookups.js';
import { refreshDirtyOffers } from './offer-refresh.service.js';

/**
 * R7: offered stock, computed from the rows it depends on for a set of SKUs (one read of each
 * kind for the whole set), stored per (channel, SKU), and told as `offered_stock.changed` when
 * a value changes. Every step that changes stock, incoming lines, promises or the product calls
 * `refreshOffers` once, for the SKUs it touched, in its own transaction.
 */
export async function computeOffersFor(tx: Kysely<Database>, dialect: Dialect, orgId: string, productIds: readonly string[], today: string): Promise<Map<string, Offer[]>> {
  const ids = [...new Set(productIds)].sort();
  const out = new Map<string, Offer[]>();
  if (ids.length === 0) return out;
  const incoming = await readIncoming(tx, dialect, orgId, ids);
  const context = await readCapacityContext(tx, orgId, ids, incoming.map((r) => r.supplier_id), today);
  const available = groupBy(await readAvailable(tx, ids), (r) => r.product_id);
  const promised = await readPromisedByChannel(tx, ids);
  const lines = groupBy(incoming, (r) => r.product_id);
  for (const id of ids) {
    const product = context.products.get(id);
    if (!product) continue;
    out.set(
      id,
      computeOffers({
        today,
        organisation: context.organisation,
        product,
        channels: context.channels,
        stock: (available.get(id) ?? []).map((s) => ({ locationId: s.location_id, locationCode: s.code, available: Number(s.available) })),
        lines: (lines.get(id) ?? []).map((r) => {
          const byChannel = promised.get(lineKey(r.po_id, r.line_no)) ?? new Map<string, number>();
          return {
            poId: r.po_id,
            number: r.number,
            lineNo: r.line_no,
            locationId: r.location_id,
            locationCode: r.location_code,
            supplier: r.supplier_name,
            grade: context.grades.get(r.supplier_id) ?? 'new',
            expectedDate: r.expected_date,
            arrivalDate: effectiveArrivalOf(r, today),
            deliveryDate: addDays(effectiveArrivalOf(r, today), r.handling_days),
            incoming: outstanding(r),
            promisedTotal: [...byChannel.values()].reduce((a, v) => a + v, 0),
            promisedByChannel: byChannel,
          };
        }),
        dailySales: context.dailySales.get(id) ?? 0,
      }),
    );
  }
  return out;
}

/**
 * Recomputes the offers of these SKUs on every channel and writes those that changed; returns
 * one `offered_stock.changed` event per (channel, SKU) whose value changed.
 */
export async function refreshOffers(tx: Kysely<Database>, dialect: Dialect, orgId: string, productIds: readonly string[], at: string): Promise<NewEvent[]> {
  const ids = [...new Set(productIds)].sort();
  if (ids.length === 0) return [];
  // Lock the stored rows first, then read what the offers depend on: a step that recomputes the
  // same SKU at the same time waits here until the other has committed, and then sees its
  // changes. Computed before the lock, the later writer could store a value that misses the
  // other's change (PostgreSQL, READ COMMITTED: an order and a stock adjustment at two locations
  // of one channel left that channel's stored offer one unit off).
  const stored = new Map((await readStoredOffers(tx, dialect, orgId, ids)).map((r) => [`${r.channel_id}|${r.product_id}`, r]));
  const computed = await computeOffersFor(tx, dialect, orgId, ids, at.slice(0, 10));
  const changed: OfferRow[] = [];
  const events: NewEvent[] = [];
  for (const [productId, offers] of computed) {
    for (const o of offers) {
      const before = stored.get(`${o.channelId}|${productId}`);
      if (before && before.offered === o.offered && before.physical === o.physical && before.incoming === o.incoming) continue;
      changed.push({ channel_id: o.channelId, product_id: productId, offered: o.offered, physical: o.physical, incoming: o.incoming });
      // A first value of 0 is no news to a connector; every other change is.
      if (!before && o.offered === 0) continue;
      if (before && before.offered === o.offered) continue;
      events.push({
        type: 'offered_stock.changed',
        subjectType: 'product',
        subjectId: o.breakdown.sku,
        payload: { channel: o.breakdown.channel, sku: o.breakdown.sku, previous: before?.offered ?? null, offered: o.offered, physical: o.physical, incoming: o.incoming },
      });
    }
  }
  await writeOffers(tx, dialect, orgId, changed, at);
  return events;
}

export interface OfferedStockView {
  channel: string;
  sku: string;
  offered: number;
  physical: number;
  incoming: number;
  updatedAt: string;
}

/** GET /v1/offered-stock/{channel}/{sku}: the value computed now, term by term. */
export async function getOfferBreakdown(services: Services, caller: Caller, channelCode: string, sku: string): Promise<OfferBreakdown & { computedAt: string }> {
  const db = services.store.db;
  const channel = await requireChannel(db, caller.orgId, channelCode, 'path');
  const product = await requireProduct(db, caller.orgId, sku, 'path');
  const at = services.now().toISOString();
  const offers = (await computeOffersFor(db, services.store.dialect, caller.orgId, [product.id], at.slice(0, 10))).get(product.id) ?? [];
  const offer = offers.find((o) => o.channelId === channel.id);
  if (!offer) throw new AppError('NOT_FOUND', `No offer for ${sku} on ${channelCode}.`);
  return { ...offer.breakdown, computedAt: at };
}

export interface OfferListQuery {
  readonly channel?: string;
  readonly sku?: string;
  readonly after?: string | null;
  /** Connectors: only values changed after this cursor, in the order they changed. */
  readonly changes?: boolean;
  readonly limit: number;
}

export async function listOffers(services: Services, caller: Caller, q: OfferListQuery): Promise<{ items: OfferedStockView[]; next: string | null }> {
  const db = services.store.db;
  const channel = q.channel ? await requireChannel(db, caller.orgId, q.channel, 'reference') : undefined;
  const product = q.sku ? await requireProduct(db, caller.orgId, q.sku, 'reference') : undefined;
  const key = q.after ? q.after.split(',') : undefined;
  if (key && (q.changes ? key.length !== 3 || !/^\d+$/.test(key[0]!) : key.length !== 2)) {
    throw new AppError('INVALID_CURSOR', 'The cursor is not one this list returned; start without one.');
  }
  // Read-your-writes: what this organisation's steps marked is recomputed before the list is read.
  await refreshDirtyOffers(services, { orgId: caller.orgId });
  const rows = await listStoredOffers(db, services.store.dialect, caller.orgId, {
    channelId: channel?.id,
    productId: product?.id,
    changes: q.changes,
    after: !q.changes && key ? [key[0]!, key[1]!] : undefined,
    changesAfter: q.changes && key ? [Number(key[0]), key[1]!, key[2]!] : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const more = rows.length > q.limit;
  // The changes list always returns a cursor: the next poll starts from where this one ended.
  let next: string | null;
  if (q.changes) {
    // Only past settled rows (PostgreSQL): the next poll returns the unsettled ones again.
    const settled = [...page].reverse().find((r) => r.settled);
    next = settled ? [String(settled.change_xid), settled.channel_id, settled.product_id].join(',') : (q.after ?? '0,,');
  } else {
    next = last && more ? [last.channel_id, last.product_id].join(',') : null;
  }
  return {
    items: page.map((r) => ({ channel: r.channel, sku: r.sku, offered: r.offered, physical: r.physical, incoming: r.incoming, updatedAt: r.updated_at })),
    next,
  };
}

export interface AvailabilityView {
  sku: string;
  channel: string;
  /** What a product page says: in stock, on backorder or pre-order with a date, or unavailable. */
  status: 'in_stock' | 'backorder' | 'preorder' | 'unavailable';
  /** Units the channel may sell now (R7). */
  available: number;
  /** For backorders and pre-orders: when the first unit on offer would be delivered (R3: arrival + handling days). */
  expectedDeliveryDate: string | null;
  computedAt: string;
}

/** GET /v1/availability/{sku}?channel=: the articles' "tell them before they order", from the channel's offer now. */
export async function getAvailability(services: Services, caller: Caller, sku: string, channelCode: string): Promise<AvailabilityView> {
  const b = await getOfferBreakdown(services, caller, channelCode, sku);
  const base = { sku, channel: channelCode, available: b.offered, computedAt: b.computedAt };
  if (b.physical.units > 0) return { ...base, status: 'in_stock', expectedDeliveryDate: null };
  const first = b.incoming.lines.filter((l) => l.units > 0).sort((x, y) => (x.deliveryDate < y.deliveryDate ? -1 : x.deliveryDate > y.deliveryDate ? 1 : 0))[0];
  if (!first) return { ...base, status: 'unavailable', available: 0, expectedDeliveryDate: null };
  return { ...base, status: b.physical.preorder ? 'preorder' : 'backorder', expectedDeliveryDate: first.deliveryDate };
}
