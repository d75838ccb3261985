import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * R1, R7, R8, R14, R15: what each channel may sell.
 * - channels get a backorder window (`days N`, `until_next_shipment` on weekly shipment days with
 *   a cut-off, or `none`: no time limit), a share of each incoming line's capacity (null: an equal
 *   split of what explicit shares leave) and a safety buffer override;
 * - products may override the acceptance ratio; organisations keep how many days before arrival
 *   pre-orders open and how supplier grades limit backorders;
 * - seasons: date ranges that set the ratio and multiply `days` windows;
 * - daily units sold per product (the sales velocity a grade cap counts in);
 * - `offered_stock`: the last value told to each channel, with a change sequence connectors read
 *   from (`change_xid`: on PostgreSQL the writing transaction's id, see offered-stock.repository);
 * - `offer_dirty`: SKUs a step changed, whose offers the refresher recomputes right after;
 * - `offer_recomputes`: background recomputes of the whole catalogue and their progress;
 * - backorder parts of pre-order products are marked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const alter = (table: string) => db.schema.alterTable(table);
  await alter('channels')
    .addColumn('window_kind', 'text', (c) => c.notNull().defaultTo('none').check(sql`window_kind in ('days', 'until_next_shipment', 'none')`))
    .execute();
  await alter('channels').addColumn('window_days', 'integer', (c) => c.check(sql`window_days >= 0`)).execute();
  // JSON array of ISO weekdays (1 = Monday … 7 = Sunday) on which shipments leave.
  await alter('channels').addColumn('shipment_days', 'text').execute();
  await alter('channels').addColumn('cutoff_days', 'integer', (c) => c.notNull().defaultTo(1).check(sql`cutoff_days >= 0`)).execute();
  await alter('channels').addColumn('share', 'real', (c) => c.check(sql`share >= 0 and share <= 1`)).execute();
  await alter('channels').addColumn('safety_buffer', 'integer', (c) => c.check(sql`safety_buffer >= 0`)).execute();

  await alter('products').addColumn('acceptance_ratio', 'real', (c) => c.check(sql`acceptance_ratio > 0 and acceptance_ratio <= 1`)).execute();
  await alter('organisations').addColumn('preorder_days', 'integer', (c) => c.notNull().defaultTo(30).check(sql`preorder_days >= 0`)).execute();
  await alter('organisations')
    .addColumn('erratic_ratio_factor', 'real', (c) => c.notNull().defaultTo(0.67).check(sql`erratic_ratio_factor > 0 and erratic_ratio_factor <= 1`))
    .execute();
  // null: no cap (the merchant trusts new and erratic suppliers as much as reliable ones).
  await alter('organisations').addColumn('capped_sales_days', 'real', (c) => c.defaultTo(3).check(sql`capped_sales_days >= 0`)).execute();
  await alter('order_parts').addColumn('preorder', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('seasons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('acceptance_ratio', 'real')
    .addColumn('window_multiplier', 'real', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('seasons_org_name', ['org_id', 'name'])
    .addCheckConstraint('seasons_range', sql`ends_on >= starts_on`)
    .addCheckConstraint('seasons_ratio', sql`acceptance_ratio is null or (acceptance_ratio > 0 and acceptance_ratio <= 1)`)
    .addCheckConstraint('seasons_multiplier', sql`window_multiplier > 0`)
    .execute();

  let sales = db.schema
    .createTable('product_daily_sales')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_daily_sales_pk', ['product_id', 'day'])
    .addCheckConstraint('product_daily_sales_units', sql`units >= 0`);
  if (sqlite) sales = sales.modifyEnd(sql`without rowid`);
  await sales.execute();
  // Orders imported before this migration count too.
  await sql`insert into product_daily_sales (org_id, product_id, day, units)
    select o.org_id, ol.product_id, substr(o.placed_at, 1, 10), sum(ol.qty)
    from order_lines ol join orders o on o.id = ol.order_id
    group by o.org_id, ol.product_id, substr(o.placed_at, 1, 10)`.execute(db);

  let offered = db.schema
    .createTable('offered_stock')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('offered', 'integer', (c) => c.notNull())
    .addColumn('physical', 'integer', (c) => c.notNull())
    .addColumn('incoming', 'integer', (c) => c.notNull())
    .addColumn('change_xid', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('offered_stock_pk', ['channel_id', 'product_id'])
    .addCheckConstraint('offered_stock_values', sql`offered >= 0 and physical >= 0 and incoming >= 0 and offered = physical + incoming`);
  if (sqlite) offered = offered.modifyEnd(sql`without rowid`);
  await offered.execute();
  // Every (channel, product) pair has its row (the lock a recompute takes); values follow in the first recompute.
  await sql`insert into offered_stock (org_id, channel_id, product_id, offered, physical, incoming, change_xid, updated_at)
    select p.org_id, c.id, p.id, 0, 0, 0, 0, p.created_at from products p join channels c on c.org_id = p.org_id`.execute(db);
  await db.schema.createIndex('offered_stock_changes').on('offered_stock').columns(['org_id', 'change_xid', 'channel_id', 'product_id']).execute();
  await db.schema.createIndex('offered_stock_org_product').on('offered_stock').columns(['org_id', 'product_id']).execute();

  // SKUs whose offers a step changed, for the offer refresher (offer-refresh.service.ts).
  let dirty = db.schema
    .createTable('offer_dirty')
    .addColumn('product_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('marked_at', 'text', (c) => c.notNull());
  if (sqlite) dirty = dirty.modifyEnd(sql`without rowid`);
  await dirty.execute();

  await db.schema
    .createTable('offer_recomputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
    // The last product id finished: a recompute taken over after a crash goes on from there.
    .addColumn('after_product', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('offer_recomputes_status').on('offer_recomputes').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['offer_recomputes', 'offer_dirty', 'offered_stock', 'product_daily_sales', 'seasons']) await db.schema.dropTable(t).execute();
  await db.schema.alterTable('order_parts').dropColumn('preorder').execute();
  for (const c of ['capped_sales_days', 'erratic_ratio_factor', 'preorder_days']) await db.schema.alterTable('organisations').dropColumn(c).execute();
  await db.schema.alterTable('products').dropColumn('acceptance_ratio').execute();
  for (const c of ['safety_buffer', 'share', 'cutoff_days', 'shipment_days', 'window_days', 'window_kind']) await db.schema.alterTable('channels').dropColumn(c).execute();
}
