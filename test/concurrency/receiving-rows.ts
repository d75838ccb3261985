/**
 * Every row of one organisation that the receiving concurrency checks read, straight from the
 * database (not through the API that is under test), and small sums over them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';

export async function loadRows(db: Kysely<Database>, orgId: string) {
  const [levels, movements, orders, orderLines, parts, partLines, purchaseOrders, poLines, receipts, receiptLines, allocations, receivedEvents, keys, promises, organisation] = await Promise.all([
    db.selectFrom('stock_levels').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('stock_movements').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('orders').select(['id', 'external_id']).where('org_id', '=', orgId).execute(),
    db.selectFrom('order_lines').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('order_parts').select(['id', 'order_id', 'status']).where('org_id', '=', orgId).execute(),
    db.selectFrom('part_lines').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('purchase_orders').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('purchase_order_lines').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('receipts').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('receipt_lines').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('receipt_allocations').selectAll().where('org_id', '=', orgId).orderBy('receipt_id').orderBy('seq').execute(),
    db.selectFrom('events').select(['subject_id', 'payload']).where('org_id', '=', orgId).where('type', '=', 'purchase_order.received').execute(),
    db.selectFrom('idempotency_keys').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('promises').selectAll().where('org_id', '=', orgId).execute(),
    db.selectFrom('organisations').select('acceptance_ratio').where('id', '=', orgId).executeTakeFirstOrThrow(),
  ]);
  return { levels, movements, orders, orderLines, parts, partLines, purchaseOrders, poLines, receipts, receiptLines, allocations, receivedEvents, keys, promises, organisation };
}

export type Rows = Awaited<ReturnType<typeof loadRows>>;

export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** key → Σ value over the rows. */
export function sumBy<T>(rows: readonly T[], key: (r: T) => string, value: (r: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + value(r));
  return out;
}

/** Part status in which units are still held or awaited (R4: not shipped, not cancelled). */
export const isLive = (status: string) => status === 'open' || status === 'backorder' || status === 'processing';
