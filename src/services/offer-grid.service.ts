import { groupBy } from '../collections.js';
import { listProductsBySku, readOffersOf } from '../store/offer-grid.repository.js';
import type { Caller, Services } from './context.js';
import { refreshDirtyOffers } from './offer-refresh.service.js';
import type { OfferedStockView } from './offered-stock.service.js';

export interface OfferGridRow {
  sku: string;
  name: string;
  /** One per channel, in channel-code order (as GET /v1/channels lists them). */
  offers: Omit<OfferedStockView, 'sku'>[];
}

/**
 * GET /v1/offered-stock/by-sku: the stored offers (R7) one row per SKU, every channel side by
 * side, in SKU order, optionally only SKUs starting with `q` (as typed, or in capitals: SKUs are
 * mostly written in capitals, searches mostly not). The dashboard's offered-stock grid.
 */
export async function listOfferGrid(services: Services, caller: Caller, query: { q?: string; after: string | null; limit: number }): Promise<{ items: OfferGridRow[]; next: string | null }> {
  const q = query.q?.trim() ?? '';
  // Read-your-writes, as the per-channel list: what this organisation's steps marked is recomputed first.
  await refreshDirtyOffers(services, { orgId: caller.orgId });
  const db = services.store.db;
  const prefixes = q === '' ? [] : [...new Set([q, q.toUpperCase()])];
  const products = await listProductsBySku(db, services.store.dialect, caller.orgId, { prefixes, after: query.after, limit: query.limit + 1 });
  const page = products.slice(0, query.limit);
  const offers = groupBy(await readOffersOf(db, caller.orgId, page.map((p) => p.id)), (o) => o.product_id);
  return {
    items: page.map((p) => ({
      sku: p.sku,
      name: p.name,
      offers: (offers.get(p.id) ?? [])
        .map((o) => ({ channel: o.channel, offered: o.offered, physical: o.physical, incoming: o.incoming, updatedAt: o.updated_at }))
        .sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0)),
    })),
    next: products.length > query.limit ? page[page.length - 1]!.sku : null,
  };
}
