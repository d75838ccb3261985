import { sql, type Kysely } from 'kysely';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

const TOP = String.fromCodePoint(0x10ffff);

/**
 * A page of the organisation's products in SKU order (keyset after `after`), narrowed to SKUs
 * starting with one of `prefixes`. The prefix is a range in byte order ("C" on PostgreSQL) on
 * the (org_id, sku) unique index, not LIKE, whose case rules and wildcards would defeat it.
 */
export async function listProductsBySku(
  db: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  f: { prefixes: readonly string[]; after: string | null; limit: number },
): Promise<{ id: string; sku: string; name: string }[]> {
  const sku = dialect === 'postgres' ? sql.raw('sku collate "C"') : sql.ref('sku');
  let q = db.selectFrom('products').select(['id', 'sku', 'name']).where('org_id', '=', orgId);
  if (f.after !== null) q = q.where(sku, '>', f.after);
  if (f.prefixes.length > 0) q = q.where((eb) => eb.or(f.prefixes.map((p) => eb.and([eb(sku, '>=', p), eb(sku, '<', p + TOP)]))));
  return q.orderBy(sku).limit(f.limit).execute();
}

/** The stored offers (R7) of these products on every channel, with the channel's code. */
export async function readOffersOf(db: Kysely<Database>, orgId: string, productIds: readonly string[]) {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('offered_stock as o')
    .innerJoin('channels as c', 'c.id', 'o.channel_id')
    .select(['o.product_id', 'c.code as channel', 'o.offered', 'o.physical', 'o.incoming', 'o.updated_at'])
    .where('o.org_id', '=', orgId)
    .where('o.product_id', 'in', productIds)
    .execute();
}
