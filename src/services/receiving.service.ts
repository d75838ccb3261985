import { markOffersDirty } from '../store/offer-dirty.repository.js';
import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { canReceive, outstanding, purchaseOrderTransition, receiptEvent } from '../domain/purchase-order-lifecycle.js';
import { arrivalDate } from '../domain/promise-plan.js';
import { delayDays, reliability, type Reliability, type SupplierGrade } from '../domain/supplier-reliability.js';
import { supplierGradeChanged } from './supplier-grade-alert.js';
import { newId } from '../ids.js';
import { appendEvents, type NewEvent } from '../store/events.repository.js';
import { addKpis } from '../store/kpi-daily.repository.js';
import type { Database } from '../store/schema.js';
import { changeOnHand, lockLevels, lockProducts, recordMovements } from '../store/stock.repository.js';
import { fillWaitingBackorders } from './backorder-fill.js';
import type { Caller, Services } from './context.js';
import type { RecordResponse } from './idempotency.service.js';
import type { ReceiptView } from './purchasing-shape.js';
import { replanPromises } from './promise-replan.js';
import { lockPurchaseOrder, lockSupplierOf } from './purchasing.service.js';

export interface ReceiptInput {
  lines: { sku: string; good: number; damaged?: number }[];
  /** Accept more than is still to come on a line (an over-delivery the merchant keeps). */
  force?: boolean;
  /** When the goods arrived; defaults to now. */
  receivedAt?: string;
}

/**
 * R5: a receipt, in one transaction: the purchase order's lines and status, on hand up by the
 * good units (with ledger rows), the received units handed to waiting backorder parts by the
 * allocation policy (R6), the cross-dock list stored with the receipt, and events. The first
 * receipt of a purchase order records its delay (R8).
 */
export async function receivePurchaseOrder(services: Services, caller: Caller, poId: string, input: ReceiptInput, record?: RecordResponse): Promise<ReceiptView> {
  const { store } = services;
  const skus = input.lines.map((l) => l.sku);
  if (new Set(skus).size !== skus.length) throw new AppError('VALIDATION_FAILED', 'Each SKU may appear on one line of a receipt.', { field: 'lines' });
  for (const [i, l] of input.lines.entries()) {
    if (l.good + (l.damaged ?? 0) <= 0) throw new AppError('VALIDATION_FAILED', `lines[${i}]: receive at least one unit, good or damaged.`, { field: `lines[${i}]` });
  }
  const receivedAt = input.receivedAt ? new Date(input.receivedAt).toISOString() : undefined;
  return store.transact(async (tx) => {
    const at = services.now().toISOString();
    await lockSupplierOf(tx, store.dialect, caller.orgId, poId);
    const po = await lockPurchaseOrder(tx, store.dialect, caller.orgId, poId);
    if (!canReceive(po.status)) {
      throw new AppError('PURCHASE_ORDER_NOT_RECEIVABLE', `Purchase order ${po.number} is ${po.status}; only open or partially received orders can be received.`, {
        purchaseOrder: po.number,
        status: po.status,
      });
    }
    const lines = await tx
      .selectFrom('purchase_order_lines as pl')
      .innerJoin('products as p', 'p.id', 'pl.product_id')
      .selectAll('pl')
      .select('p.sku')
      .where('pl.po_id', '=', po.id)
      .orderBy('pl.line_no')
      .execute();
    const bySku = new Map(lines.map((l) => [l.sku, l]));
    const missing = skus.filter((s) => !bySku.has(s));
    if (missing.length > 0) {
      throw new AppError('SKU_NOT_ON_PURCHASE_ORDER', `Not on purchase order ${po.number}: ${missing.join(', ')}.`, { skus: missing, purchaseOrder: po.number });
    }
    const over = input.lines.filter((l) => l.good + (l.damaged ?? 0) > outstanding(bySku.get(l.sku)!));
    if (over.length > 0 && !input.force) {
      throw new AppError(
        'OVER_RECEIPT',
        `More received than is still to come on ${po.number}: ${over.map((l) => `${l.sku} (${l.good + (l.damaged ?? 0)} of ${outstanding(bySku.get(l.sku)!)})`).join(', ')}. Send force: true to accept it.`,
        { lines: over.map((l) => ({ sku: l.sku, received: l.good + (l.damaged ?? 0), outstanding: outstanding(bySku.get(l.sku)!) })) },
      );
    }

    const when = receivedAt ?? at;
    // Good units enter stock at the destination; damaged units never do (they stay on the receipt).
    // Lock order: products, levels, then the purchase-order lines (as cancellations and intake).
    const good = input.lines.filter((l) => l.good > 0);
    const productIds = good.map((l) => bySku.get(l.sku)!.product_id);
    await lockProducts(tx, store.dialect, lines.map((l) => l.product_id));
    await lockLevels(tx, store.dialect, [...productIds].sort(), [po.location_id]);
    const after = lines.map((l) => {
      const r = input.lines.find((x) => x.sku === l.sku);
      return r ? { ...l, qty_received: l.qty_received + r.good, qty_damaged: l.qty_damaged + (r.damaged ?? 0) } : l;
    });
    for (const l of after) {
      if (!input.lines.some((x) => x.sku === l.sku)) continue;
      await tx
        .updateTable('purchase_order_lines')
        .set({ qty_received: l.qty_received, qty_damaged: l.qty_damaged })
        .where('po_id', '=', po.id)
        .where('line_no', '=', l.line_no)
        .execute();
    }
    const status = purchaseOrderTransition(po.status, receiptEvent(after));
    const first = po.first_received_at === null;
    await tx
      .updateTable('purchase_orders')
      .set({ status, updated_at: at, ...(first ? { first_received_at: when, delay_days: delayDays(po.expected_date, when) } : {}) })
      .where('id', '=', po.id)
      .execute();

    const receiptId = newId('rcp');
    await tx.insertInto('receipts').values({ id: receiptId, org_id: caller.orgId, po_id: po.id, received_at: when, created_at: at }).execute();
    await tx
      .insertInto('receipt_lines')
      .values(input.lines.map((l) => ({ org_id: caller.orgId, receipt_id: receiptId, line_no: bySku.get(l.sku)!.line_no, product_id: bySku.get(l.sku)!.product_id, good: l.good, damaged: l.damaged ?? 0 })))
      .execute();

    for (const l of good) await changeOnHand(tx, caller.orgId, bySku.get(l.sku)!.product_id, po.location_id, l.good, at);
    await recordMovements(
      tx,
      store.dialect,
      caller.orgId,
      at,
      good.map((l) => ({ productId: bySku.get(l.sku)!.product_id, locationId: po.location_id, kind: 'receipt' as const, onHandDelta: l.good, reservedDelta: 0, reason: `purchase order ${po.number}` })),
    );

    const fill = await fillWaitingBackorders(tx, store.dialect, caller.orgId, productIds, [po.location_id], at, {
      allocatedAt: when,
      purchaseOrder: { number: po.number, supplierId: po.supplier_id },
    });
    for (let i = 0; i < fill.filled.length; i += 500) {
      await tx
        .insertInto('receipt_allocations')
        .values(
          fill.filled.slice(i, i + 500).map((f, j) => ({
            org_id: caller.orgId,
            receipt_id: receiptId,
            seq: i + j + 1,
            order_id: f.orderId,
            part_id: f.partId,
            product_id: f.productId,
            location_id: f.locationId,
            qty: f.qty,
          })),
        )
        .execute();
    }
    // R5, R8: what is still to come changed, and maybe the supplier's p80 delay with it: re-plan
    // the promises of this order's SKUs and of every SKU the supplier's other open orders bring.
    const replanned = new Set(lines.map((l) => l.product_id));
    if (first) {
      const moved = await moveSupplierArrivals(tx, caller.orgId, po.supplier_id, po.id, at);
      for (const pid of moved.products) replanned.add(pid);
      // R8, R10: a worse grade alerts; a better one resolves the alert.
      await supplierGradeChanged(tx, store.dialect, caller.orgId, at, { id: po.supplier_id, purchaseOrder: po.number }, moved.before, moved.after);
    }
    const promiseEvents = await replanPromises(tx, store.dialect, caller.orgId, [...replanned], at, { waiting: fill.waitingAfter });
    // The answer is built from what this step wrote; GET …/receipts/{id} reads the same back.
    const location = await tx.selectFrom('locations').select('code').where('id', '=', po.location_id).executeTakeFirstOrThrow();
    const view = toReceiptView({
      id: receiptId,
      po: { id: po.id, number: po.number, status },
      location: location.code,
      receivedAt: when,
      lines: [...input.lines].sort((a, b) => bySku.get(a.sku)!.line_no - bySku.get(b.sku)!.line_no).map((l) => ({ sku: l.sku, good: l.good, damaged: l.damaged ?? 0 })),
      crossDock: fill.filled.map((f) => ({ orderId: f.orderId, externalId: f.externalId, channel: f.channel, customer: f.customer, partId: f.partId, sku: f.sku, qty: f.qty })),
    });
    const events: NewEvent[] = [
      {
        type: 'purchase_order.received',
        subjectType: 'purchase_order',
        subjectId: po.id,
        payload: { purchaseOrderId: po.id, number: po.number, receiptId, status, lines: view.lines, crossDockUnits: fill.filled.reduce((a, f) => a + f.qty, 0) },
      },
      ...fill.events,
      ...promiseEvents,
    ];
    // R7: stock arrived, incoming shrank, promises moved: what the channels may sell.
    await markOffersDirty(tx, store.dialect, caller.orgId, [...replanned], at);
    await appendEvents(tx, store.dialect, caller.orgId, at, events);
    // R18: waits ended and promises judged on the day the goods arrived.
    await addKpis(tx, store.dialect, caller.orgId, fill.kpis);
    if (record) await record(tx, view);
    return view;
  });
}

/**
 * R8: after a first receipt the supplier's p80 delay may have changed; every open purchase order
 * of the supplier gets its arrival date again. Returns the products of those whose date moved,
 * or of all of them when the supplier's grade changed (R7: ratio and cap follow the grade),
 * and the grade before and the reliability after this receipt.
 */
async function moveSupplierArrivals(tx: Kysely<Database>, orgId: string, supplierId: string, poId: string, at: string): Promise<{ products: string[]; before: SupplierGrade; after: Reliability }> {
  // One read of the supplier's first receipts gives both: its p80 now, and whether this one changed its grade.
  const delivered = await tx
    .selectFrom('purchase_orders')
    .select(['id', 'delay_days'])
    .where('org_id', '=', orgId)
    .where('supplier_id', '=', supplierId)
    .where('first_received_at', 'is not', null)
    .execute();
  const now = reliability(delivered.map((r) => r.delay_days!));
  const p80 = now.p80DelayDays;
  const before = reliability(delivered.filter((r) => r.id !== poId).map((r) => r.delay_days!)).grade;
  const gradeChanged = now.grade !== before;
  const open = await tx
    .selectFrom('purchase_orders')
    .select(['id', 'expected_date', 'arrival_date'])
    .where('org_id', '=', orgId)
    .where('supplier_id', '=', supplierId)
    .where('status', 'in', ['draft', 'open', 'partially_received'])
    .execute();
  const moved = open.filter((po) => arrivalDate(po.expected_date, p80) !== po.arrival_date);
  for (const po of moved) {
    await tx.updateTable('purchase_orders').set({ arrival_date: arrivalDate(po.expected_date, p80), updated_at: at }).where('id', '=', po.id).execute();
  }
  // R7/R8: a new grade changes the capacity of every open line of the supplier (ratio, cap).
  const affected = gradeChanged ? open : moved;
  if (affected.length === 0) return { products: [], before, after: now };
  const lines = await tx.selectFrom('purchase_order_lines').select('product_id').where('po_id', 'in', affected.map((po) => po.id)).execute();
  return { products: lines.map((l) => l.product_id), before, after: now };
}

export async function getReceipt(services: Services, caller: Caller, poId: string, receiptId: string): Promise<ReceiptView> {
  const view = await receiptView(services.store.db, caller.orgId, receiptId);
  if (view.purchaseOrder.id !== poId) throw new AppError('NOT_FOUND', `No receipt '${receiptId}' on purchase order '${poId}'.`, { receiptId });
  return view;
}

export async function listReceipts(services: Services, caller: Caller, poId: string): Promise<ReceiptView[]> {
  const po = await services.store.db.selectFrom('purchase_orders').select('id').where('org_id', '=', caller.orgId).where('id', '=', poId).executeTakeFirst();
  if (!po) throw new AppError('NOT_FOUND', `No purchase order with id '${poId}'.`, { id: poId });
  const rows = await services.store.db.selectFrom('receipts').select('id').where('org_id', '=', caller.orgId).where('po_id', '=', poId).orderBy('id').execute();
  return Promise.all(rows.map((r) => receiptView(services.store.db, caller.orgId, r.id)));
}

async function receiptView(db: Kysely<Database>, orgId: string, receiptId: string): Promise<ReceiptView> {
  const r = await db
    .selectFrom('receipts as r')
    .innerJoin('purchase_orders as po', 'po.id', 'r.po_id')
    .innerJoin('locations as l', 'l.id', 'po.location_id')
    .select(['r.id', 'r.received_at', 'po.id as po_id', 'po.number', 'po.status', 'l.code'])
    .where('r.org_id', '=', orgId)
    .where('r.id', '=', receiptId)
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', `No receipt with id '${receiptId}'.`, { receiptId });
  const lines = await db
    .selectFrom('receipt_lines as rl')
    .innerJoin('products as p', 'p.id', 'rl.product_id')
    .select(['p.sku', 'rl.good', 'rl.damaged'])
    .where('rl.receipt_id', '=', receiptId)
    .orderBy('rl.line_no')
    .execute();
  const crossDock = await db
    .selectFrom('receipt_allocations as ra')
    .innerJoin('orders as o', 'o.id', 'ra.order_id')
    .innerJoin('channels as c', 'c.id', 'o.channel_id')
    .innerJoin('customers as cu', 'cu.id', 'o.customer_id')
    .innerJoin('products as p', 'p.id', 'ra.product_id')
    .select(['ra.order_id', 'o.external_id', 'c.code as channel', 'cu.external_id as customer_id', 'cu.email as customer_email', 'ra.part_id', 'p.sku', 'ra.qty'])
    .where('ra.receipt_id', '=', receiptId)
    .orderBy('ra.seq')
    .execute();
  return toReceiptView({
    id: r.id,
    po: { id: r.po_id, number: r.number, status: r.status },
    location: r.code,
    receivedAt: r.received_at,
    lines: lines.map((l) => ({ sku: l.sku, good: l.good, damaged: l.damaged })),
    crossDock: crossDock.map((c) => ({
      orderId: c.order_id,
      externalId: c.external_id,
      channel: c.channel,
      customer: { id: c.customer_id, email: c.customer_email },
      partId: c.part_id,
      sku: c.sku,
      qty: c.qty,
    })),
  });
}

/** A receipt as answered and as read back; what no waiting part took is put away. */
function toReceiptView(r: {
  id: string;
  po: ReceiptView['purchaseOrder'];
  location: string;
  receivedAt: string;
  lines: ReceiptView['lines'];
  crossDock: ReceiptView['crossDock'];
}): ReceiptView {
  const handed = new Map<string, number>();
  for (const c of r.crossDock) handed.set(c.sku, (handed.get(c.sku) ?? 0) + c.qty);
  return {
    id: r.id,
    purchaseOrder: r.po,
    location: r.location,
    receivedAt: r.receivedAt,
    lines: r.lines,
    crossDock: r.crossDock,
    putAway: r.lines.map((l) => ({ sku: l.sku, qty: l.good - (handed.get(l.sku) ?? 0) })).filter((p) => p.qty > 0),
  };
}
