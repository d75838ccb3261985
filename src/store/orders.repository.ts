import { sql, type Kysely } from 'kysely';
import type { Dialect } from './db.js';
import type { Database, OrderPartsTable } from './schema.js';

export async function getOrderRows(db: Kysely<Database>, orgId: string, orderIds: readonly string[]) {
  if (orderIds.length === 0) return { orders: [], lines: [], parts: [], partLines: [], promises: [] };
  const [orders, lines, parts, partLines, promises] = await Promise.all([
    db
      .selectFrom('orders as o')
      .innerJoin('channels as c', 'c.id', 'o.channel_id')
      .innerJoin('customers as cu', 'cu.id', 'o.customer_id')
      .select([
        'o.id',
        'o.external_id',
        'o.placed_at',
        'o.shipping_preference',
        'o.priority',
        'o.created_at',
        'o.updated_at',
        'c.code as channel',
        'cu.external_id as customer_external_id',
        'cu.email as customer_email',
        'cu.locale as customer_locale',
        'cu.tier as customer_tier',
        'cu.country as customer_country',
        'cu.postcode as customer_postcode',
        'cu.latitude as customer_latitude',
        'cu.longitude as customer_longitude',
      ])
      .where('o.org_id', '=', orgId)
      .where('o.id', 'in', orderIds)
      .execute(),
    db
      .selectFrom('order_lines as ol')
      .innerJoin('products as p', 'p.id', 'ol.product_id')
      .select(['ol.order_id', 'ol.line_no', 'p.sku', 'ol.qty', 'ol.unit_price_cents'])
      .where('ol.org_id', '=', orgId)
      .where('ol.order_id', 'in', orderIds)
      .orderBy('ol.line_no')
      .execute(),
    db
      .selectFrom('order_parts')
      .select(['id', 'order_id', 'status', 'promised_date', 'shipped_at', 'carrier', 'tracking_number', 'created_at', 'updated_at'])
      .where('org_id', '=', orgId)
      .where('order_id', 'in', orderIds)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('part_lines as pl')
      .innerJoin('products as p', 'p.id', 'pl.product_id')
      .leftJoin('locations as l', 'l.id', 'pl.location_id')
      .select(['pl.id', 'pl.part_id', 'pl.order_id', 'pl.line_no', 'p.sku', 'l.code as location', 'pl.qty', 'pl.oversold', 'pl.promised_date'])
      .where('pl.org_id', '=', orgId)
      .where('pl.order_id', 'in', orderIds)
      .orderBy('pl.line_no')
      .orderBy('pl.id')
      .execute(),
    db
      .selectFrom('promises as pr')
      .innerJoin('purchase_orders as po', 'po.id', 'pr.po_id')
      .select(['pr.part_line_id', 'po.number', 'pr.qty', 'pr.promised_date'])
      .where('pr.org_id', '=', orgId)
      .where('pr.order_id', 'in', orderIds)
      .orderBy('pr.promised_date')
      .orderBy('po.number')
      .execute(),
  ]);
  return { orders, lines, parts, partLines, promises };
}

export type OrderRows = Awaited<ReturnType<typeof getOrderRows>>;

/** The highest code point: every text that starts with `q` sorts below `q` followed by it, bytewise. */
const TOP = String.fromCodePoint(0x10ffff);

/**
 * The orders a search term names (issue 7): the order's id, its external id exactly or by
 * prefix, its customer's id or e-mail, or a SKU on one of its lines. One arm per index
 * (migration 012), so each is a seek and none scans the organisation's orders (an OR inside one
 * arm made SQLite scan them). The prefix is a range in byte order ("C" on PostgreSQL), not LIKE,
 * whose case rules and wildcards would defeat the index.
 */
function searchedOrderIds(db: Kysely<Database>, dialect: Dialect, orgId: string, q: string) {
  const externalId = dialect === 'postgres' ? sql.raw('external_id collate "C"') : sql.ref('external_id');
  const orders = () => db.selectFrom('orders').select('id').where('org_id', '=', orgId);
  const customers = () => db.selectFrom('customers').select('id').where('org_id', '=', orgId);
  return orders()
    .where('id', '=', q)
    .union(orders().where(externalId, '>=', q).where(externalId, '<', q + TOP))
    .union(orders().where('customer_id', 'in', customers().where('external_id', '=', q).union(customers().where('email', '=', q))))
    .union(
      db
        .selectFrom('order_lines')
        .select('order_id as id')
        .where('org_id', '=', orgId)
        .where('product_id', 'in', db.selectFrom('products').select('id').where('org_id', '=', orgId).where('sku', '=', q)),
    );
}

/**
 * A search's tab counts, counted over the orders it finds (the counters cover whole tabs, not a
 * search): orders per part status and in all, optionally on one channel. Exact; a search that
 * finds most of a large history counts them all.
 */
export async function countSearchedOrders(db: Kysely<Database>, dialect: Dialect, orgId: string, q: string, channelId?: string): Promise<Record<string, number>> {
  let parts = db
    .selectFrom('order_parts as p')
    .select(['p.status', (eb) => eb.fn.count<number>('p.order_id').distinct().as('n')])
    .where('p.org_id', '=', orgId)
    .where('p.order_id', 'in', searchedOrderIds(db, dialect, orgId, q))
    .groupBy('p.status');
  let all = db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).where('id', 'in', searchedOrderIds(db, dialect, orgId, q));
  if (channelId) {
    parts = parts.innerJoin('orders as o', 'o.id', 'p.order_id').where('o.channel_id', '=', channelId);
    all = all.where('channel_id', '=', channelId);
  }
  const counts: Record<string, number> = { backorder: 0, open: 0, processing: 0, shipped: 0, cancelled: 0 };
  for (const r of await parts.execute()) counts[r.status] = Number(r.n);
  counts.all = Number((await all.executeTakeFirstOrThrow()).n);
  return counts;
}

/** Order ids with at least one part in `status`, newest first, after the cursor; `q` narrows them to a search. */
export async function listOrderIds(
  db: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  filter: { status?: OrderPartsTable['status']; channelId?: string; externalId?: string; q?: string; before?: string | null; limit: number },
) {
  if (filter.status) {
    let q = db
      .selectFrom('order_parts as p')
      .innerJoin('orders as o', 'o.id', 'p.order_id')
      .select('p.order_id')
      .distinct()
      .where('p.org_id', '=', orgId)
      .where('p.status', '=', filter.status);
    if (filter.before) q = q.where('p.order_id', '<', filter.before);
    if (filter.channelId) q = q.where('o.channel_id', '=', filter.channelId);
    if (filter.externalId) q = q.where('o.external_id', '=', filter.externalId);
    if (filter.q) q = q.where('p.order_id', 'in', searchedOrderIds(db, dialect, orgId, filter.q));
    const rows = await q.orderBy('p.order_id', 'desc').limit(filter.limit).execute();
    return rows.map((r) => r.order_id);
  }
  let q = db.selectFrom('orders').select('id').where('org_id', '=', orgId);
  if (filter.before) q = q.where('id', '<', filter.before);
  if (filter.channelId) q = q.where('channel_id', '=', filter.channelId);
  if (filter.externalId) q = q.where('external_id', '=', filter.externalId);
  if (filter.q) q = q.where('id', 'in', searchedOrderIds(db, dialect, orgId, filter.q));
  const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => r.id);
}

/** The parts of one order with their lines, locked on PostgreSQL for a state change. */
export async function lockOrderParts(tx: Kysely<Database>, dialect: Dialect, orgId: string, orderId: string) {
  const q = tx
    .selectFrom('order_parts')
    .select(['id', 'status', 'placed_at'])
    .where('org_id', '=', orgId)
    .where('order_id', '=', orderId)
    .orderBy('id');
  let parts = dialect === 'postgres' ? await q.forNoKeyUpdate().execute() : await q.execute();
  // PostgreSQL (read committed): a locked read that waited for a fill returns the parts that
  // existed when it began, not one the fill split off meanwhile. Read again until the set holds
  // still: once every part is locked, no fill can split one of them any more.
  while (dialect === 'postgres') {
    const again = await q.forNoKeyUpdate().execute();
    if (again.length === parts.length) break;
    parts = again;
  }
  const lines =
    parts.length === 0
      ? []
      : await tx
          .selectFrom('part_lines')
          .select(['id', 'part_id', 'product_id', 'location_id', 'qty', 'line_no'])
          .where('order_id', '=', orderId)
          .execute();
  return { parts, lines };
}

/** Where and when an order was placed: the channel and day its line figures count on (R18). */
export async function orderPlacement(tx: Kysely<Database>, orderId: string) {
  return tx.selectFrom('orders').select(['channel_id', 'placed_at']).where('id', '=', orderId).executeTakeFirstOrThrow();
}
