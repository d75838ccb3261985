import type { Kysely } from 'kysely';

/**
 * Products of one organisation in id order. Without it, `org_id = ? and id > ? order by id`
 * (the batches of a full offer recompute) and `org_id = ? and id in (…)` (the products of a
 * batch) are planned on SQLite through the (org_id, sku) key: every organisation product read and
 * sorted per batch of 500, so a full recompute grew with the square of the catalogue. Orders and
 * purchase orders have the same (org_id, id) index for the same reason.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('products_org_id').on('products').columns(['org_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('products_org_id').execute();
}
