import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export async function listMovements(
  db: Kysely<Database>,
  orgId: string,
  productId: string,
  filter: { locationId?: string; after: string | null; limit: number; newestFirst?: boolean },
) {
  let q = db
    .selectFrom('stock_movements as m')
    .innerJoin('locations as l', 'l.id', 'm.location_id')
    .leftJoin('orders as o', (j) => j.onRef('o.org_id', '=', 'm.org_id').onRef('o.id', '=', 'm.order_id'))
    .select(['m.id', 'l.code as location', 'o.external_id as order_number', 'm.kind', 'm.on_hand_delta', 'm.reserved_delta', 'm.order_id', 'm.part_id', 'm.reason', 'm.created_at'])
    .where('m.org_id', '=', orgId)
    .where('m.product_id', '=', productId);
  if (filter.locationId) q = q.where('m.location_id', '=', filter.locationId);
  const desc = filter.newestFirst === true;
  // Ids sort in the order the rows were written; the primary key (org, product, id) serves both directions.
  if (filter.after) q = q.where('m.id', desc ? '<' : '>', filter.after);
  return q.orderBy('m.id', desc ? 'desc' : 'asc').limit(filter.limit).execute();
}
