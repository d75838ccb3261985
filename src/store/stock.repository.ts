import { sql, type Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { Database, MovementKind } from './schema.js';
import type { Dialect } from './db.js';
import { placeholders, run, valueTuples } from './precompiled.js';

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
  const text =
    `select product_id, location_id, on_hand, reserved from stock_levels` +
    ` where product_id in (${placeholders(productIds.length)}) and location_id in (${placeholders(locationIds.length)})` +
    ` order by product_id, location_id${dialect === 'postgres' ? ' for update' : ''}`;
  return (await run<LevelRow>(tx, dialect, text, [...productIds, ...locationIds])).rows;
}

/**
 * PostgreSQL: locks product rows in id order. Every step that hands out or takes back units of a
 * SKU (receipts, cancellations, adjustments and the fills they run) takes these first, so such
 * steps on one SKU queue one after another instead of deadlocking over levels and parts.
 * `no key update`, not `update`: an order's rows reference the product, and the foreign-key check
 * of an insert (key share) must not wait for this lock, or intake and a fill would deadlock.
 */
export async function lockProducts(tx: Kysely<Database>, dialect: Dialect, productIds: readonly string[]) {
  if (dialect !== 'postgres' || productIds.length === 0) return;
  const ids = [...new Set(productIds)].sort();
  await run(tx, dialect, `select id from products where id in (${placeholders(ids.length)}) order by id for no key update`, ids);
}

const RESERVE = `update stock_levels set reserved = reserved + ?, updated_at = ? where product_id = ? and location_id = ? and on_hand - reserved >= ?`;
const RELEASE = `update stock_levels set reserved = reserved + ?, updated_at = ? where product_id = ? and location_id = ? and reserved >= ?`;

/**
 * Changes reserved by `delta` only if the result stays within 0..on hand; returns false
 * otherwise. The check constraint on stock_levels is the last line of defence.
 */
export async function changeReserved(
  tx: Kysely<Database>,
  dialect: Dialect,
  productId: string,
  locationId: string,
  delta: number,
  at: string,
): Promise<boolean> {
  const result = await run(tx, dialect, delta > 0 ? RESERVE : RELEASE, [delta, at, productId, locationId, Math.abs(delta)]);
  return result.numAffectedRows === 1n;
}

/** A shipment takes reserved units off the shelf: on hand and reserved both fall, never below 0. */
export async function shipReserved(tx: Kysely<Database>, dialect: Dialect, productId: string, locationId: string, qty: number, at: string) {
  const result = await run(
    tx,
    dialect,
    'update stock_levels set on_hand = on_hand - ?, reserved = reserved - ?, updated_at = ? where product_id = ? and location_id = ? and reserved >= ?',
    [qty, qty, at, productId, locationId, qty],
  );
  return result.numAffectedRows === 1n;
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

export const MOVEMENT_COLUMNS = 'id, org_id, product_id, location_id, kind, on_hand_delta, reserved_delta, order_id, part_id, reason, created_at';

export function movementParams(orgId: string, at: string, rows: readonly NewMovement[]): unknown[] {
  const params: unknown[] = [];
  for (const m of rows) {
    params.push(newId('mov'), orgId, m.productId, m.locationId, m.kind, m.onHandDelta, m.reservedDelta, m.orderId ?? null, m.partId ?? null, m.reason ?? null, at);
  }
  return params;
}

/** The ledger (SPEC §2): one row per change of on hand or reserved, in the same transaction. */
export async function recordMovements(tx: Kysely<Database>, dialect: Dialect, orgId: string, at: string, rows: readonly NewMovement[]) {
  if (rows.length === 0) return;
  await run(tx, dialect, `insert into stock_movements (${MOVEMENT_COLUMNS}) values ${valueTuples(rows.length, 11)}`, movementParams(orgId, at, rows));
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
