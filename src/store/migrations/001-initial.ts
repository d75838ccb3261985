import { SqliteAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * The initial schema. Runs unchanged on SQLite and PostgreSQL. What must never break is a
 * constraint here, not only a check in code: stock never negative, reserved within on hand,
 * one order per (organisation, channel, external id), one key per hash.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Every order writes rows in a dozen tables, and an SQLite commit costs one WAL page per
  // b-tree page touched. A table keyed by its primary key alone (WITHOUT ROWID) is one b-tree
  // instead of two, and keys are chosen so the common lookups need no second index.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const clustered = <T extends string, C extends string>(t: CreateTableBuilder<T, C>) =>
    sqlite ? t.modifyEnd(sql`without rowid`) : t;

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('EUR'))
    .addColumn('backorders_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('acceptance_ratio', 'double precision', (c) => c.notNull().defaultTo(0.75))
    .addColumn('default_safety_buffer', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('organisations_flag', sql`backorders_enabled in (0, 1)`)
    .addCheckConstraint('organisations_ratio', sql`acceptance_ratio > 0 and acceptance_ratio <= 1`)
    .addCheckConstraint('organisations_buffer', sql`default_safety_buffer >= 0`)
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addCheckConstraint('api_keys_role', sql`role in ('admin', 'operator', 'read-only')`)
    .execute();
  await db.schema.createIndex('api_keys_org').on('api_keys').columns(['org_id', 'id']).execute();

  await clustered(
    db.schema
      .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('price_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('backorder_policy', 'text', (c) => c.notNull().defaultTo('inherit'))
    .addColumn('safety_buffer', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('products_org_sku', ['org_id', 'sku'])
    .addCheckConstraint('products_policy', sql`backorder_policy in ('inherit', 'allow', 'deny', 'preorder')`)
    .addCheckConstraint('products_money', sql`price_cents >= 0 and cost_cents >= 0`)
    .addCheckConstraint('products_buffer', sql`safety_buffer is null or safety_buffer >= 0`)
  ).execute();

  await db.schema
    .createTable('locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('locations_org_code', ['org_id', 'code'])
    .addCheckConstraint('locations_kind', sql`kind in ('warehouse', '3pl', 'amazon_fba', 'bol_lvb')`)
    .execute();

  await clustered(
    db.schema
      .createTable('stock_levels')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id'))
    .addColumn('on_hand', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_levels_pk', ['product_id', 'location_id'])
    // SPEC §2 invariants: on hand ≥ 0; 0 ≤ reserved ≤ on hand.
    .addCheckConstraint('stock_levels_on_hand', sql`on_hand >= 0`)
    .addCheckConstraint('stock_levels_reserved', sql`reserved >= 0 and reserved <= on_hand`)
  ).execute();

  await clustered(
    db.schema
      .createTable('stock_movements')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('on_hand_delta', 'integer', (c) => c.notNull())
    .addColumn('reserved_delta', 'integer', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('part_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The ledger of one product reads in id (time) order straight off the key.
    .addPrimaryKeyConstraint('stock_movements_pk', ['org_id', 'product_id', 'id'])
    .addCheckConstraint(
      'stock_movements_kind',
      sql`kind in ('receipt', 'adjustment', 'allocation', 'release', 'shipment', 'damage')`,
    )
  ).execute();

  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('accepts_backorders', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('channels_org_code', ['org_id', 'code'])
    .addCheckConstraint(
      'channels_kind',
      sql`kind in ('bol', 'amazon', 'shopify', 'woocommerce', 'webshop', 'b2b', 'manual')`,
    )
    .addCheckConstraint('channels_flag', sql`accepts_backorders in (0, 1)`)
    .execute();

  await db.schema
    .createTable('channel_locations')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_locations_pk', ['channel_id', 'location_id'])
    .addUniqueConstraint('channel_locations_position', ['channel_id', 'position'])
    .execute();

  await clustered(
    db.schema
      .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull().defaultTo('standard'))
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('postcode', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('customers_org_external', ['org_id', 'external_id'])
    .addCheckConstraint('customers_locale', sql`locale in ('nl', 'de', 'en')`)
  ).execute();

  await clustered(
    db.schema
      .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('shipping_preference', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // R2: import is idempotent on (organisation, channel, external id).
    .addUniqueConstraint('orders_org_channel_external', ['org_id', 'channel_id', 'external_id'])
    .addCheckConstraint('orders_shipping', sql`shipping_preference in ('partial', 'complete')`)
  ).execute();
  await db.schema.createIndex('orders_org_id').on('orders').columns(['org_id', 'id']).execute();

  await clustered(
    db.schema
      .createTable('order_lines')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('qty', 'integer', (c) => c.notNull())
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'line_no'])
    .addCheckConstraint('order_lines_qty', sql`qty > 0`)
    .addCheckConstraint('order_lines_price', sql`unit_price_cents >= 0`)
  ).execute();

  await clustered(
    db.schema
      .createTable('order_parts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'order_parts_status',
      sql`status in ('backorder', 'open', 'processing', 'shipped', 'cancelled')`,
    )
  ).execute();
  await db.schema.createIndex('order_parts_order').on('order_parts').columns(['order_id']).execute();
  await db.schema
    .createIndex('order_parts_status')
    .on('order_parts')
    .columns(['org_id', 'status', 'order_id'])
    .execute();

  await clustered(
    db.schema
      .createTable('part_lines')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('part_id', 'text', (c) => c.notNull().references('order_parts.id'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text')
    .addColumn('qty', 'integer', (c) => c.notNull())
    .addColumn('oversold', 'integer', (c) => c.notNull().defaultTo(0))
    // An order's units are read and changed together: keyed by order, no second index needed.
    .addPrimaryKeyConstraint('part_lines_pk', ['order_id', 'id'])
    .addCheckConstraint('part_lines_qty', sql`qty > 0`)
    .addCheckConstraint('part_lines_oversold', sql`oversold in (0, 1) and (location_id is null or oversold = 0)`)
  ).execute();
  // The waiting units of a product, found on every cancellation and receipt.
  await db.schema
    .createIndex('part_lines_waiting')
    .on('part_lines')
    .columns(['org_id', 'product_id'])
    .where(sql.ref('location_id'), 'is', null)
    .execute();

  await clustered(
    db.schema
      .createTable('idempotency_keys')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['org_id', 'key'])
    .addCheckConstraint('idempotency_keys_status', sql`status in ('running', 'done')`)
  ).execute();

  await clustered(
    db.schema
      .createTable('events')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['org_id', 'id'])
  ).execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addCheckConstraint('alerts_status', sql`status in ('open', 'acknowledged', 'resolved')`)
    .execute();
  // One unresolved alert per condition.
  await db.schema
    .createIndex('alerts_one_open')
    .on('alerts')
    .columns(['org_id', 'dedupe_key'])
    .unique()
    .where(sql.ref('status'), '<>', sql.lit('resolved'))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The initial migration cannot be reverted; restore a backup instead.');
}
