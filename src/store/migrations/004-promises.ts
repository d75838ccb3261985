import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * R3, R5, R8: promises of waiting units against incoming purchase-order lines.
 * - `promises`: one row per (waiting part line, PO line) with the units and the date promised.
 * - purchase-order lines count what is promised against them (`qty_promised`) and carry a
 *   `revision` that every re-plan of their SKU bumps: order intake promises against a line with
 *   a conditional update on both, so two processes never give out the same capacity twice.
 * - purchase orders keep their effective arrival (expected date + the supplier's p80 delay).
 * - waiting part lines and backorder parts keep their promised date (null: not promised).
 * - locations have handling days: the time from the dock to the customer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .alterTable('locations')
    .addColumn('handling_days', 'integer', (c) => c.notNull().defaultTo(1).check(sql`handling_days >= 0`))
    .execute();
  await db.schema.alterTable('purchase_orders').addColumn('arrival_date', 'text').execute();
  await sql`update purchase_orders set arrival_date = expected_date`.execute(db);
  await db.schema
    .alterTable('purchase_order_lines')
    .addColumn('qty_promised', 'integer', (c) => c.notNull().defaultTo(0).check(sql`qty_promised >= 0`))
    .execute();
  await db.schema.alterTable('purchase_order_lines').addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('part_lines').addColumn('promised_date', 'text').execute();
  await db.schema.alterTable('order_parts').addColumn('promised_date', 'text').execute();

  let promises = db.schema
    .createTable('promises')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('part_line_id', 'text', (c) => c.notNull())
    .addColumn('part_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('po_id', 'text', (c) => c.notNull().references('purchase_orders.id'))
    .addColumn('po_line_no', 'integer', (c) => c.notNull())
    .addColumn('qty', 'integer', (c) => c.notNull())
    .addColumn('promised_date', 'text', (c) => c.notNull())
    // The fifo rank of the waiting line (R6): order intake finds the last-ranked promise by key.
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('promises_pk', ['product_id', 'part_line_id', 'po_id', 'po_line_no'])
    .addCheckConstraint('promises_qty', sql`qty > 0`);
  if (sqlite) promises = promises.modifyEnd(sql`without rowid`);
  await promises.execute();
  await db.schema.createIndex('promises_rank').on('promises').columns(['product_id', 'priority', 'placed_at', 'part_id', 'part_line_id']).execute();
  await db.schema.createIndex('promises_order').on('promises').columns(['order_id']).execute();
  await db.schema.createIndex('promises_po').on('promises').columns(['po_id', 'po_line_no']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('promises').execute();
  await db.schema.alterTable('order_parts').dropColumn('promised_date').execute();
  await db.schema.alterTable('part_lines').dropColumn('promised_date').execute();
  await db.schema.alterTable('purchase_order_lines').dropColumn('revision').execute();
  await db.schema.alterTable('purchase_order_lines').dropColumn('qty_promised').execute();
  await db.schema.alterTable('purchase_orders').dropColumn('arrival_date').execute();
  await db.schema.alterTable('locations').dropColumn('handling_days').execute();
}
