import type { Kysely } from 'kysely';
import type { PromiseRow } from '../domain/alert-conditions.js';
import type { Database } from './schema.js';

/** R10: the rows the scheduled checks decide on, one organisation at a time. */

const OPEN_PO = ['open', 'partially_received'] as const;

/** Open or partly received purchase orders whose expected date is before `today`. */
export async function overduePurchaseOrders(tx: Kysely<Database>, orgId: string, today: string) {
  return tx
    .selectFrom('purchase_orders as po')
    .innerJoin('suppliers as s', 's.id', 'po.supplier_id')
    .select(['po.id', 'po.number', 'po.expected_date', 'po.status', 's.name as supplier'])
    .where('po.org_id', '=', orgId)
    .where('po.status', 'in', [...OPEN_PO])
    .where('po.expected_date', '<', today)
    .orderBy('po.id')
    .execute();
}

/** Backorder parts placed before `placedBefore`, with their order and channel. */
export async function agingBackorderParts(tx: Kysely<Database>, orgId: string, placedBefore: string) {
  return tx
    .selectFrom('order_parts as p')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .innerJoin('channels as c', 'c.id', 'o.channel_id')
    .select(['p.id', 'p.order_id', 'p.placed_at', 'p.promised_date', 'o.external_id', 'c.code as channel'])
    .where('p.org_id', '=', orgId)
    .where('p.status', '=', 'backorder')
    .where('p.placed_at', '<', placedBefore)
    .orderBy('p.id')
    .execute();
}

/** Every promise against a purchase order still to come, with what decides whether it holds. */
export async function promisesOnOpenPurchaseOrders(tx: Kysely<Database>, orgId: string): Promise<PromiseRow[]> {
  const rows = await tx
    .selectFrom('promises as pr')
    .innerJoin('purchase_orders as po', 'po.id', 'pr.po_id')
    .innerJoin('locations as l', 'l.id', 'po.location_id')
    .innerJoin('orders as o', 'o.id', 'pr.order_id')
    .innerJoin('products as p', 'p.id', 'pr.product_id')
    .select(['pr.po_id', 'po.number', 'po.arrival_date', 'l.handling_days', 'pr.part_id', 'pr.order_id', 'o.external_id', 'p.sku', 'pr.qty', 'pr.promised_date'])
    .where('pr.org_id', '=', orgId)
    .where('po.status', 'in', [...OPEN_PO])
    .execute();
  return rows.map((r) => ({
    poId: r.po_id,
    poNumber: r.number,
    arrivalDate: r.arrival_date,
    handlingDays: r.handling_days,
    partId: r.part_id,
    orderId: r.order_id,
    externalId: r.external_id,
    sku: r.sku,
    qty: r.qty,
    promisedDate: r.promised_date,
  }));
}

/** Waiting part lines no incoming purchase order covers (R3's oversold lines), as a query to narrow and select from. */
export function oversoldWaitingLines(tx: Kysely<Database>, orgId: string) {
  return tx
    .selectFrom('part_lines as pl')
    .innerJoin('order_parts as op', 'op.id', 'pl.part_id')
    .where('pl.org_id', '=', orgId)
    .where('pl.oversold', '=', 1)
    .where('pl.location_id', 'is', null)
    .where('op.status', '=', 'backorder');
}

/** SKUs with waiting units no incoming purchase order covers. */
export async function oversoldSkus(tx: Kysely<Database>, orgId: string): Promise<Set<string>> {
  const rows = await oversoldWaitingLines(tx, orgId).innerJoin('products as p', 'p.id', 'pl.product_id').select('p.sku').distinct().execute();
  return new Set(rows.map((r) => r.sku));
}
