import { sql, type Kysely } from 'kysely';

/**
 * R5, R6, R8: suppliers, purchase orders with their lines, receipts with what was received per
 * line and where each received unit went (the cross-dock list), and the organisation's
 * allocation policy. Quantities are checked by the database: nothing negative, never more
 * cancelled than is still open on a line.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('allocation_policy', 'text', (c) => c.notNull().defaultTo('["fifo"]'))
    .execute();
  await db.schema
    .alterTable('organisations')
    .addColumn('tier_order', 'text', (c) => c.notNull().defaultTo('["vip","gold","silver","standard"]'))
    .execute();

  await db.schema
    .createTable('suppliers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lead_time_days', 'integer', (c) => c.notNull().defaultTo(7))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('suppliers_org_name', ['org_id', 'name'])
    .addCheckConstraint('suppliers_lead_time', sql`lead_time_days >= 0`)
    .execute();

  await db.schema
    .createTable('purchase_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('supplier_id', 'text', (c) => c.notNull().references('suppliers.id'))
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id'))
    .addColumn('expected_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // R8: set by the first receipt, in whole days (negative: early).
    .addColumn('first_received_at', 'text')
    .addColumn('delay_days', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('purchase_orders_org_number', ['org_id', 'number'])
    .addCheckConstraint('purchase_orders_status', sql`status in ('draft', 'open', 'partially_received', 'received', 'cancelled')`)
    .execute();
  await db.schema.createIndex('purchase_orders_org_id').on('purchase_orders').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('purchase_orders_supplier').on('purchase_orders').columns(['supplier_id']).execute();

  await db.schema
    .createTable('purchase_order_lines')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('po_id', 'text', (c) => c.notNull().references('purchase_orders.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('qty_ordered', 'integer', (c) => c.notNull())
    .addColumn('qty_received', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('qty_damaged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('qty_cancelled', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('purchase_order_lines_pk', ['po_id', 'line_no'])
    .addUniqueConstraint('purchase_order_lines_product', ['po_id', 'product_id'])
    .addCheckConstraint(
      'purchase_order_lines_qty',
      sql`qty_ordered > 0 and qty_received >= 0 and qty_damaged >= 0 and qty_cancelled >= 0 and qty_cancelled <= qty_ordered`,
    )
    .execute();
  await db.schema.createIndex('purchase_order_lines_product_idx').on('purchase_order_lines').columns(['org_id', 'product_id']).execute();

  await db.schema
    .createTable('receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('po_id', 'text', (c) => c.notNull().references('purchase_orders.id'))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('receipts_po').on('receipts').columns(['po_id', 'id']).execute();

  await db.schema
    .createTable('receipt_lines')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('receipt_id', 'text', (c) => c.notNull().references('receipts.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('good', 'integer', (c) => c.notNull())
    .addColumn('damaged', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('receipt_lines_pk', ['receipt_id', 'line_no'])
    .addCheckConstraint('receipt_lines_qty', sql`good >= 0 and damaged >= 0 and good + damaged > 0`)
    .execute();

  // The cross-dock list: received units that went straight to a waiting order part.
  await db.schema
    .createTable('receipt_allocations')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('receipt_id', 'text', (c) => c.notNull().references('receipts.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('part_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('qty', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('receipt_allocations_pk', ['receipt_id', 'seq'])
    .addCheckConstraint('receipt_allocations_qty', sql`qty > 0`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['receipt_allocations', 'receipt_lines', 'receipts', 'purchase_order_lines', 'purchase_orders', 'suppliers']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('organisations').dropColumn('tier_order').execute();
  await db.schema.alterTable('organisations').dropColumn('allocation_policy').execute();
}
