import type { Kysely } from 'kysely';
import type { AllocationRule, Policy, Waiting } from '../domain/allocation-policy.js';
import type { Database } from './schema.js';

/**
 * The waiting (backordered) part lines of some products with everything the allocation policy
 * ranks them by (R6). Not locked: callers that change them hold the products' locks
 * (`lockProducts`), which every step changing a waiting part of those products takes first.
 */
export async function readWaitingLines(tx: Kysely<Database>, orgId: string, productIds: readonly string[]) {
  if (productIds.length === 0) return [];
  return tx
    .selectFrom('part_lines as pl')
    .innerJoin('order_parts as p', 'p.id', 'pl.part_id')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .innerJoin('channels as c', 'c.id', 'o.channel_id')
    .innerJoin('customers as cu', 'cu.id', 'o.customer_id')
    .innerJoin('order_lines as ol', (j) => j.onRef('ol.order_id', '=', 'pl.order_id').onRef('ol.line_no', '=', 'pl.line_no'))
    .innerJoin('products as pr', 'pr.id', 'pl.product_id')
    .select([
      'pl.id',
      'pl.part_id',
      'pl.order_id',
      'pl.product_id',
      'pl.qty',
      'pl.line_no',
      'pl.oversold',
      'pl.promised_date',
      'p.placed_at',
      'p.promised_date as part_promised_date',
      'o.channel_id',
      'o.external_id',
      'c.code as channel_code',
      'pr.sku',
      'o.shipping_preference',
      'o.priority',
      'c.priority as channel_priority',
      'ol.unit_price_cents',
      'pr.cost_cents',
      'cu.external_id as customer_external_id',
      'cu.email as customer_email',
      'cu.tier',
      'cu.country',
      'cu.latitude',
      'cu.longitude',
    ])
    .where('pl.org_id', '=', orgId)
    .where('pl.product_id', 'in', [...productIds])
    .where('pl.location_id', 'is', null)
    .where('p.status', '=', 'backorder')
    .orderBy('p.id')
    .execute();
}

export type WaitingRow = Awaited<ReturnType<typeof readWaitingLines>>[number];

/** Per channel, the locations that serve it, in the channel's order. */
export async function channelLocationMap(tx: Kysely<Database>, channelIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (channelIds.length === 0) return map;
  const rows = await tx
    .selectFrom('channel_locations')
    .select(['channel_id', 'location_id'])
    .where('channel_id', 'in', [...new Set(channelIds)])
    .orderBy('channel_id')
    .orderBy('position')
    .execute();
  for (const r of rows) {
    const list = map.get(r.channel_id) ?? [];
    list.push(r.location_id);
    map.set(r.channel_id, list);
  }
  return map;
}

/** A waiting row as the allocation engine sees it; `eligible` are the locations it may take from. */
export function toWaiting(w: WaitingRow, eligible: readonly string[]): Waiting {
  return {
    partLineId: w.id,
    partId: w.part_id,
    orderId: w.order_id,
    productId: w.product_id,
    qty: w.qty,
    placedAt: w.placed_at,
    priority: w.priority,
    channelPriority: w.channel_priority,
    marginCents: w.unit_price_cents - w.cost_cents,
    customerTier: w.tier,
    customer: { country: w.country, latitude: w.latitude, longitude: w.longitude },
    eligibleLocations: eligible,
  };
}

/** The organisation's allocation policy (R6); capacities come from capacity-context (R7). */
export async function readPolicy(tx: Kysely<Database>, orgId: string): Promise<{ policy: Policy }> {
  const org = await tx.selectFrom('organisations').select(['allocation_policy', 'tier_order']).where('id', '=', orgId).executeTakeFirstOrThrow();
  return { policy: { rules: JSON.parse(org.allocation_policy) as AllocationRule[], tierOrder: JSON.parse(org.tier_order) as string[] } };
}
