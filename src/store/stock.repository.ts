import { sql, type Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { Database, MovementKind } from './schema.js';
import type { Dialect } from './db.js';

export interface LevelRow {
  product_id: string;
  location_id: string;
  on_hand: number;
  reserved: number;
}

/**
 * Reads the levels a step will change and, on PostgreSQL, locks them in (product, location)
 * order so that concurrent steps queue instead of deadlocking. On SQLite the step already
 * holds the write lock (BEGIN IMMEDIATE).
 */
export async function lockLevels(
  tx: Kysely<Database>,
  dialect: Dialect,
  productIds: readonly string[],
  locationIds: readonly string[],
): Promise<LevelRow[]> {
  if (productIds.length === 0 || locationIds.length === 0) return [];
  const q = tx
    .selectFrom('stock_levels')
    .select(['product_id', 'location_id', 'on_hand', 'reserved'])
    .where('product_id', 'in', productIds)
    .where('location_id', 'in', locationIds)
    .orderBy('product_id')
    .orderBy('location_id');
  return dialect === 'postgres' ? q.forUpdate().execute() : q.execute();
}

/**
 * Changes reserved by `delta` only if the result stays within 0..on hand; returns false
 * otherwise. The check constraint on stock_levels is the last line of defence.
 */
export async function changeReserved(
  tx: Kysely<Database>,
  productId: string,
  locationId: string,
  delta: number,
  at: string,
): Promise<boolean> {
  let q = tx
    .updateTable('stock_levels')
    .set({ reserved: sql`reserved + ${delta}`, updated_at: at })
    .where('product_id', '=', productId)
    .where('location_id', '=', locationId);
  q = delta > 0 ? q.where(sql<boolean>`on_hand - reserved >= ${delta}`) : q.where('reserved', '>=', -delta);
  const result = await q.executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Changes on hand by `delta` only if on hand stays ≥ reserved (and so ≥ 0). */
export async function changeOnHand(
  tx: Kysely<Database>,
  orgId: string,
  productId: string,
  locationId: string,
  delta: number,
  at: string,
): Promise<boolean> {
  if (delta > 0) {
    await tx
      .insertInto('stock_levels')
      .values({ org_id: orgId, product_id: productId, location_id: locationId, on_hand: delta, reserved: 0, updated_at: at })
      .onConflict((oc) =>
        oc.columns(['product_id', 'location_id']).doUpdateSet({ on_hand: sql`stock_levels.on_hand + ${delta}`, updated_at: at }),
      )
      .execute();
    return true;
  }
  const result = await tx
    .updateTable('stock_levels')
    .set({ on_hand: sql`on_hand + ${delta}`, updated_at: at })
    .where('product_id', '=', productId)
    .where('location_id', '=', locationId)
    .where(sql<boolean>`on_hand - reserved >= ${-delta}`)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export interface NewMovement {
  readonly productId: string;
  readonly locationId: string;
  readonly kind: MovementKind;
  readonly onHandDelta: number;
  readonly reservedDelta: number;
  readonly orderId?: string | null;
  readonly partId?: string | null;
  readonly reason?: string | null;
}

/** The ledger (SPEC §2): one row per change of on hand or reserved, in the same transaction. */
export async function recordMovements(tx: Kysely<Database>, orgId: string, at: string, rows: readonly NewMovement[]) {
  if (rows.length === 0) return;
  await tx
    .insertInto('stock_movements')
    .values(
      rows.map((m) => ({
        id: newId('mov'),
        org_id: orgId,
        product_id: m.productId,
        location_id: m.locationId,
        kind: m.kind,
        on_hand_delta: m.onHandDelta,
        reserved_delta: m.reservedDelta,
        order_id: m.orderId ?? null,
        part_id: m.partId ?? null,
        reason: m.reason ?? null,
        created_at: at,
      })),
    )
    .execute();
}

export async function levelsForProducts(db: Kysely<Database>, orgId: string, productIds: readonly string[]) {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('stock_levels as s')
    .innerJoin('locations as l', 'l.id', 's.location_id')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .select(['p.sku', 's.product_id', 'l.code as location', 's.location_id', 's.on_hand', 's.reserved', 's.updated_at'])
    .where('s.org_id', '=', orgId)
    .where('s.product_id', 'in', productIds)
    .orderBy('p.sku')
    .orderBy('l.code')
    .execute();
}

/** One page of a catalogue's products by SKU, for listing their levels. */
export async function listProductsPage(db: Kysely<Database>, orgId: string, afterSku: string | null, limit: number) {
  let q = db.selectFrom('products').select(['id', 'sku']).where('org_id', '=', orgId);
  if (afterSku) q = q.where('sku', '>', afterSku);
  return q.orderBy('sku').limit(limit).execute();
}
