import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * R18: the stored history the KPI rebuild reads. Every query is one organisation's, set-based.
 *
 * Allocation ledger rows tell intake from later fills: intake's carry no reason and the order's
 * own timestamp; a fill's carry `FILL_REASON` or, after a receipt, the purchase order
 * (`purchase order <number>`). Rows written before fills carried a reason (reason null, later
 * timestamp) are told apart by the receipt allocations stored with every receipt.
 */
export const FILL_REASON = 'backorder fill';

export interface HistoryLine {
  order_id: string;
  placed_at: string;
  channel_id: string;
  line_no: number;
  product_id: string;
  qty: number;
}

/** Order lines of a page of orders (keyset on order id). */
export async function readOrderLinesPage(db: Kysely<Database>, orgId: string, afterOrderId: string | null, orders: number) {
  let page = db.selectFrom('orders').select('id').where('org_id', '=', orgId);
  if (afterOrderId !== null) page = page.where('id', '>', afterOrderId);
  const ids = (await page.orderBy('id').limit(orders).execute()).map((o) => o.id);
  if (ids.length === 0) return { lines: [] as HistoryLine[], lastOrderId: null };
  const lines: HistoryLine[] = await db
    .selectFrom('orders as o')
    .innerJoin('order_lines as ol', 'ol.order_id', 'o.id')
    .select(['o.id as order_id', 'o.placed_at', 'o.channel_id', 'ol.line_no', 'ol.product_id', 'ol.qty'])
    .where('o.id', 'in', ids)
    .orderBy('o.id')
    .orderBy('ol.line_no')
    .execute();
  return { lines, lastOrderId: ids[ids.length - 1]! };
}

/** Units reserved at intake per order and product (the ledger's intake allocation rows). */
export async function readIntakeAllocations(db: Kysely<Database>, orgId: string) {
  return db
    .selectFrom('stock_movements as m')
    .innerJoin('orders as o', 'o.id', 'm.order_id')
    .select(['m.order_id', 'm.product_id', (eb) => eb.fn.sum<number>('m.reserved_delta').as('qty')])
    .where('m.org_id', '=', orgId)
    .where('m.kind', '=', 'allocation')
    .where('m.reason', 'is', null)
    .whereRef('m.created_at', '=', 'o.created_at')
    .groupBy(['m.order_id', 'm.product_id'])
    .execute();
}

/** The intake view of orders with oversold units: their `order.created` payloads (R3). */
export async function readOversoldIntakes(db: Kysely<Database>, orgId: string) {
  return db
    .selectFrom('events')
    .select(['subject_id', 'payload'])
    .where('org_id', '=', orgId)
    .where('type', '=', 'order.created')
    .where('payload', 'like', '%"oversold":true%')
    .execute();
}

export interface HistoryFill {
  order_id: string;
  part_id: string;
  product_id: string;
  qty: number;
  placed_at: string;
  channel_id: string;
  /** When the units were allocated: the receipt's receivedAt, else the step's time. */
  allocated_at: string;
  /** The step's own time: the latest step that filled a part is the one that completed it. */
  step_at: string;
  supplier_id: string;
}

/** Units handed to waiting parts by receipts, with the supplier of the purchase order. */
export async function readReceiptFills(db: Kysely<Database>, orgId: string): Promise<HistoryFill[]> {
  return db
    .selectFrom('receipt_allocations as ra')
    .innerJoin('receipts as r', 'r.id', 'ra.receipt_id')
    .innerJoin('purchase_orders as po', 'po.id', 'r.po_id')
    .innerJoin('orders as o', 'o.id', 'ra.order_id')
    .select([
      'ra.order_id',
      'ra.part_id',
      'ra.product_id',
      'ra.qty',
      'o.placed_at',
      'o.channel_id',
      'r.received_at as allocated_at',
      'r.created_at as step_at',
      'po.supplier_id',
    ])
    .where('ra.org_id', '=', orgId)
    .orderBy('ra.receipt_id')
    .orderBy('ra.seq')
    .execute();
}

/** Units handed to waiting parts from freed or adjusted stock (no supplier). */
export async function readOtherFills(db: Kysely<Database>, orgId: string): Promise<HistoryFill[]> {
  const rows = await db
    .selectFrom('stock_movements as m')
    .innerJoin('orders as o', 'o.id', 'm.order_id')
    .select(['m.order_id', 'm.part_id', 'm.product_id', 'm.reserved_delta as qty', 'o.placed_at', 'o.channel_id', 'm.created_at as allocated_at', 'm.created_at as step_at'])
    .where('m.org_id', '=', orgId)
    .where('m.kind', '=', 'allocation')
    .where((eb) =>
      eb.or([
        eb('m.reason', '=', FILL_REASON),
        eb.and([
          eb('m.reason', 'is', null),
          eb('m.created_at', '<>', eb.ref('o.created_at')),
          eb.not(
            eb.exists(
              eb
                .selectFrom('receipt_allocations as ra')
                .innerJoin('receipts as r', 'r.id', 'ra.receipt_id')
                .select(sql.lit(1).as('one'))
                .whereRef('r.org_id', '=', 'm.org_id')
                .whereRef('r.created_at', '=', 'm.created_at')
                .whereRef('ra.part_id', '=', 'm.part_id')
                .whereRef('ra.product_id', '=', 'm.product_id')
                .whereRef('ra.location_id', '=', 'm.location_id'),
            ),
          ),
        ]),
      ]),
    )
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  return rows.map((r) => ({ ...r, part_id: r.part_id!, order_id: r.order_id!, supplier_id: '' }));
}

/**
 * Backorder parts whose promise has been judged: they carry a promised date and no waiting
 * units any more (cancelling leaves a waiting part's lines in place, so a part cancelled while
 * it waited is not among them).
 */
export async function readCompletedPromises(db: Kysely<Database>, orgId: string) {
  return db
    .selectFrom('order_parts as p')
    .select(['p.id', 'p.promised_date'])
    .where('p.org_id', '=', orgId)
    .where('p.promised_date', 'is not', null)
    .where('p.status', '<>', 'backorder')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('part_lines as pl')
            .select(sql.lit(1).as('one'))
            .whereRef('pl.order_id', '=', 'p.order_id')
            .whereRef('pl.part_id', '=', 'p.id')
            .where('pl.location_id', 'is', null),
        ),
      ),
    )
    .execute();
}

/** Waiting units of cancelled parts (cancelling leaves the lines as they were). */
export async function readCancelledWaiting(db: Kysely<Database>, orgId: string) {
  return db
    .selectFrom('part_lines as pl')
    .innerJoin('order_parts as p', 'p.id', 'pl.part_id')
    .innerJoin('orders as o', 'o.id', 'pl.order_id')
    .select(['o.placed_at', 'o.channel_id', 'pl.product_id', 'pl.qty'])
    .where('pl.org_id', '=', orgId)
    .where('pl.location_id', 'is', null)
    .where('p.status', '=', 'cancelled')
    .execute();
}

/** Shipped parts with their SKUs, in shipping order per order. */
export async function readShipments(db: Kysely<Database>, orgId: string) {
  const parts = await db
    .selectFrom('order_parts as p')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .select(['p.id', 'p.order_id', 'p.shipped_at', 'o.channel_id'])
    .where('p.org_id', '=', orgId)
    .where('p.status', '=', 'shipped')
    .orderBy('p.order_id')
    .orderBy('p.shipped_at')
    .orderBy('p.id')
    .execute();
  const skus = await db
    .selectFrom('part_lines as pl')
    .innerJoin('order_parts as p', 'p.id', 'pl.part_id')
    .select(['pl.part_id', 'pl.product_id'])
    .where('pl.org_id', '=', orgId)
    .where('p.status', '=', 'shipped')
    .groupBy(['pl.part_id', 'pl.product_id'])
    .execute();
  return { parts, skus };
}
