import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * Issue 7: the dashboard finds orders by order number, customer or SKU, and shows one order's
 * events. Each lookup starts from an index instead of scanning the organisation's orders:
 * - orders by external id, exactly or by prefix (a range on the byte order: SQLite compares
 *   text bytewise already, PostgreSQL's index is in the "C" collation the query uses);
 * - customers by e-mail (by external id the unique key serves), then their orders;
 * - order lines by product, for a SKU;
 * - events by subject.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite) await db.schema.createIndex('orders_external_prefix').on('orders').columns(['org_id', 'external_id']).execute();
  else await sql`create index orders_external_prefix on orders (org_id, external_id collate "C")`.execute(db);
  await db.schema.createIndex('orders_customer').on('orders').columns(['org_id', 'customer_id', 'id']).execute();
  await db.schema.createIndex('customers_email').on('customers').columns(['org_id', 'email']).execute();
  await db.schema.createIndex('order_lines_product').on('order_lines').columns(['org_id', 'product_id', 'order_id']).execute();
  await db.schema.createIndex('events_subject').on('events').columns(['org_id', 'subject_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['events_subject', 'order_lines_product', 'customers_email', 'orders_customer', 'orders_external_prefix']) {
    await db.schema.dropIndex(name).execute();
  }
}
