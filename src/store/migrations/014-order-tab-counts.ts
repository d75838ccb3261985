import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { rebuildTabCounts } from '../order-tabs.repository.js';

/**
 * Issue 7: the dashboard's tab counts as counters (src/store/order-tabs.repository.ts):
 * - orders.tabs: the set of statuses the order's parts are in, a bit each (and 32 for "all");
 * - order_tab_counts: orders per (organisation, channel, status), in 16 shards.
 * Existing orders are counted from their parts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.alterTable('orders').addColumn('tabs', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  let counts = db.schema
    .createTable('order_tab_counts')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('backorder', 'open', 'processing', 'shipped', 'cancelled', 'all')`))
    .addColumn('shard', 'integer', (c) => c.notNull().check(sql`shard >= 0 and shard < 16`))
    .addColumn('orders', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_tab_counts_pk', ['org_id', 'channel_id', 'status', 'shard']);
  if (sqlite) counts = counts.modifyEnd(sql`without rowid`);
  await counts.execute();
  await rebuildTabCounts(db as Kysely<Database>, sqlite ? 'sqlite' : 'postgres');
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_tab_counts').execute();
  await db.schema.alterTable('orders').dropColumn('tabs').execute();
}
