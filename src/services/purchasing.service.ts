import { markOffersDirty } from '../store/offer-dirty.repository.js';
import { sql, type Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { outstanding, purchaseOrderTransition } from '../domain/purchase-order-lifecycle.js';
import { arrivalDate } from '../domain/promise-plan.js';
import { reliability } from '../domain/supplier-reliability.js';
import { newId } from '../ids.js';
import { isUniqueViolation } from '../store/db.js';
import { appendEvents } from '../store/events.repository.js';
import type { Database, PurchaseOrderLinesTable, PurchaseOrdersTable, PurchaseOrderStatus } from '../store/schema.js';
import type { Caller, Services } from './context.js';
import type { PurchaseOrderView, SupplierView } from './purchasing-shape.js';
import { requireLocation, requireProduct } from './lookups.js';
import { replanPromises } from './promise-replan.js';

/** Suppliers and purchase orders (R5, R8): the stock that is on its way. */

export async function createSupplier(services: Services, caller: Caller, input: { name: string; leadTimeDays?: number }): Promise<SupplierView> {
  const at = services.now().toISOString();
  const id = newId('sup');
  try {
    await services.store.transact(async (tx) => {
      await tx
        .insertInto('suppliers')
        .values({ id, org_id: caller.orgId, name: input.name, lead_time_days: input.leadTimeDays ?? 7, created_at: at, updated_at: at })
        .execute();
      await appendEvents(tx, services.store.dialect, caller.orgId, at, [
        { type: 'supplier.created', subjectType: 'supplier', subjectId: id, payload: { id, name: input.name } },
      ]);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE_SUPPLIER', `A supplier named '${input.name}' exists already.`, { name: input.name });
    throw err;
  }
  return getSupplier(services, caller, id);
}

export async function listSuppliers(services: Services, caller: Caller): Promise<SupplierView[]> {
  const rows = await services.store.db.selectFrom('suppliers').select('id').where('org_id', '=', caller.orgId).orderBy('name').execute();
  return Promise.all(rows.map((r) => getSupplier(services, caller, r.id)));
}

export async function getSupplier(services: Services, caller: Caller, id: string): Promise<SupplierView> {
  const db = services.store.db;
  const s = await db.selectFrom('suppliers').selectAll().where('org_id', '=', caller.orgId).where('id', '=', id).executeTakeFirst();
  if (!s) throw new AppError('NOT_FOUND', `No supplier with id '${id}'.`, { id });
  const delivered = await supplierDeliveries(db, caller.orgId, id);
  return {
    id: s.id,
    name: s.name,
    leadTimeDays: s.lead_time_days,
    reliability: reliability(delivered.map((d) => d.delayDays)),
    deliveries: delivered,
    createdAt: s.created_at,
  };
}

/** R8: the supplier's p80 delay in days, what an expected date is moved by for promises. */
export async function supplierP80(db: Kysely<Database>, orgId: string, supplierId: string): Promise<number> {
  return reliability((await supplierDeliveries(db, orgId, supplierId)).map((d) => d.delayDays)).p80DelayDays;
}

async function supplierDeliveries(db: Kysely<Database>, orgId: string, supplierId: string) {
  const rows = await db
    .selectFrom('purchase_orders')
    .select(['number', 'expected_date', 'first_received_at', 'delay_days'])
    .where('org_id', '=', orgId)
    .where('supplier_id', '=', supplierId)
    .where('first_received_at', 'is not', null)
    .orderBy('first_received_at')
    .execute();
  return rows.map((r) => ({ purchaseOrder: r.number, expectedDate: r.expected_date, firstReceivedAt: r.first_received_at!, delayDays: r.delay_days! }));
}

export interface PurchaseOrderInput {
  number: string;
  supplierId: string;
  location: string;
  expectedDate: string;
  status?: 'draft' | 'open';
  lines: { sku: string; qty: number }[];
}

export async function createPurchaseOrder(services: Services, caller: Caller, input: PurchaseOrderInput): Promise<PurchaseOrderView> {
  const at = services.now().toISOString();
  const id = newId('po');
  requireDate(input.expectedDate);
  const skus = input.lines.map((l) => l.sku);
  if (new Set(skus).size !== skus.length) throw new AppError('VALIDATION_FAILED', 'Each SKU may appear on one line of a purchase order.', { field: 'lines' });
  try {
    await services.store.transact(async (tx) => {
      const supplier = await tx.selectFrom('suppliers').select('id').where('org_id', '=', caller.orgId).where('id', '=', input.supplierId).executeTakeFirst();
      if (!supplier) throw new AppError('UNKNOWN_SUPPLIER', `Unknown supplier: ${input.supplierId}.`, { supplierId: input.supplierId });
      const location = await requireLocation(tx, caller.orgId, input.location);
      const products: { id: string }[] = [];
      for (const l of input.lines) products.push(await requireProduct(tx, caller.orgId, l.sku));
      await tx
        .insertInto('purchase_orders')
        .values({
          id,
          org_id: caller.orgId,
          number: input.number,
          supplier_id: supplier.id,
          location_id: location.id,
          expected_date: input.expectedDate,
          arrival_date: arrivalDate(input.expectedDate, await supplierP80(tx, caller.orgId, supplier.id)),
          status: input.status ?? 'open',
          first_received_at: null,
          delay_days: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await tx
        .insertInto('purchase_order_lines')
        .values(
          input.lines.map((l, i) => ({
            org_id: caller.orgId,
            po_id: id,
            line_no: i + 1,
            product_id: products[i]!.id,
            qty_ordered: l.qty,
            qty_received: 0,
            qty_damaged: 0,
            qty_cancelled: 0,
            qty_promised: 0,
            revision: 0,
          })),
        )
        .execute();
      // R3: a new open purchase order is stock on its way; waiting units can be promised against it.
      const productIds = products.map((p) => p.id);
      const promiseEvents = input.status === 'draft' ? [] : await replanPromises(tx, services.store.dialect, caller.orgId, productIds, at);
      await appendEvents(tx, services.store.dialect, caller.orgId, at, [
        { type: 'purchase_order.created', subjectType: 'purchase_order', subjectId: id, payload: { id, number: input.number, expectedDate: input.expectedDate, lines: input.lines } },
        ...promiseEvents,
      ]);
      if (input.status !== 'draft') await markOffersDirty(tx, services.store.dialect, caller.orgId, productIds, at);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE_PO_NUMBER', `Purchase order number '${input.number}' is taken.`, { number: input.number });
    throw err;
  }
  return getPurchaseOrder(services, caller, id);
}

export interface PurchaseOrderPatch {
  expectedDate?: string;
  status?: 'open';
  lines?: { sku: string; qty: number }[];
}

/**
 * Moves the expected date, submits a draft, or changes ordered quantities (never below what
 * was received or cancelled already); a SKU not on the order yet adds a line.
 */
export async function updatePurchaseOrder(services: Services, caller: Caller, id: string, patch: PurchaseOrderPatch): Promise<PurchaseOrderView> {
  const at = services.now().toISOString();
  if (patch.expectedDate !== undefined) requireDate(patch.expectedDate);
  await services.store.transact(async (tx) => {
    const po = await lockPurchaseOrder(tx, services.store.dialect, caller.orgId, id);
    if (po.status === 'received' || po.status === 'cancelled') {
      throw new AppError('INVALID_TRANSITION', `A purchase order in status '${po.status}' cannot be changed.`, { from: po.status });
    }
    const status = patch.status === 'open' && po.status === 'draft' ? purchaseOrderTransition(po.status, 'submit') : po.status;
    const moved = patch.expectedDate ? { expected_date: patch.expectedDate, arrival_date: arrivalDate(patch.expectedDate, await supplierP80(tx, caller.orgId, po.supplier_id)) } : {};
    await tx.updateTable('purchase_orders').set({ status, ...moved, updated_at: at }).where('id', '=', po.id).execute();
    const lines = await tx.selectFrom('purchase_order_lines').selectAll().where('po_id', '=', po.id).orderBy('line_no').execute();
    for (const change of patch.lines ?? []) {
      const product = await requireProduct(tx, caller.orgId, change.sku);
      const line = lines.find((l) => l.product_id === product.id);
      if (!line) {
        const lineNo = Math.max(0, ...lines.map((l) => l.line_no)) + 1;
        const row = { org_id: caller.orgId, po_id: po.id, line_no: lineNo, product_id: product.id, qty_ordered: change.qty, qty_received: 0, qty_damaged: 0, qty_cancelled: 0, qty_promised: 0, revision: 0 };
        await tx.insertInto('purchase_order_lines').values(row).execute();
        lines.push(row);
        continue;
      }
      const floor = line.qty_received + line.qty_damaged + line.qty_cancelled;
      if (change.qty < floor) {
        throw new AppError('VALIDATION_FAILED', `Line ${change.sku} cannot go below ${floor}: that many were received or cancelled already.`, {
          field: 'lines',
          sku: change.sku,
          minimum: floor,
        });
      }
      await tx.updateTable('purchase_order_lines').set({ qty_ordered: change.qty }).where('po_id', '=', po.id).where('line_no', '=', line.line_no).execute();
    }
    // R3: a moved date or a changed quantity re-plans the promises of the order's SKUs.
    const promiseEvents = status === 'draft' ? [] : await replanPromises(tx, services.store.dialect, caller.orgId, lines.map((l) => l.product_id), at);
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [
      { type: 'purchase_order.updated', subjectType: 'purchase_order', subjectId: po.id, payload: { id: po.id, number: po.number, ...patch } },
      ...promiseEvents,
    ]);
    if (status !== 'draft') await markOffersDirty(tx, services.store.dialect, caller.orgId, lines.map((l) => l.product_id), at);
  });
  return getPurchaseOrder(services, caller, id);
}

/** Cancels what is still to come, on the given lines (by SKU) or on all. */
export async function cancelPurchaseOrder(services: Services, caller: Caller, id: string, skus?: string[]): Promise<PurchaseOrderView> {
  const at = services.now().toISOString();
  await services.store.transact(async (tx) => {
    const po = await lockPurchaseOrder(tx, services.store.dialect, caller.orgId, id);
    const lines = await tx.selectFrom('purchase_order_lines').selectAll().where('po_id', '=', po.id).orderBy('line_no').execute();
    const productIds = skus ? [] : lines.map((l) => l.product_id);
    // One statement at a time on the step's connection.
    for (const sku of skus ?? []) productIds.push((await requireProduct(tx, caller.orgId, sku)).id);
    for (const pid of productIds) {
      if (!lines.some((l) => l.product_id === pid)) {
        throw new AppError('SKU_NOT_ON_PURCHASE_ORDER', `That SKU is not on purchase order ${po.number}.`, { purchaseOrder: po.number });
      }
    }
    // Every line with nothing left to come: the whole order is cancelled (received units stay).
    const after = lines.map((l) => (productIds.includes(l.product_id) ? { ...l, qty_cancelled: l.qty_cancelled + outstanding(l) } : l));
    const status = after.every((l) => outstanding(l) === 0) ? purchaseOrderTransition(po.status, 'cancel') : po.status;
    for (const l of after) {
      await tx.updateTable('purchase_order_lines').set({ qty_cancelled: l.qty_cancelled }).where('po_id', '=', po.id).where('line_no', '=', l.line_no).execute();
    }
    await tx.updateTable('purchase_orders').set({ status, updated_at: at }).where('id', '=', po.id).execute();
    // R19's counterpart for incoming stock: promises on what will not come move elsewhere or lapse.
    const promiseEvents = await replanPromises(tx, services.store.dialect, caller.orgId, productIds, at);
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [
      { type: 'purchase_order.cancelled', subjectType: 'purchase_order', subjectId: po.id, payload: { id: po.id, number: po.number, skus: skus ?? null, status } },
      ...promiseEvents,
    ]);
    await markOffersDirty(tx, services.store.dialect, caller.orgId, productIds, at);
  });
  return getPurchaseOrder(services, caller, id);
}

/**
 * PostgreSQL: locks the supplier of a purchase order. A receipt takes it before the order itself:
 * a first receipt may move the arrival of every open order of the supplier (R8), so two receipts
 * of one supplier queue here instead of deadlocking over each other's orders.
 */
export async function lockSupplierOf(tx: Kysely<Database>, dialect: string, orgId: string, poId: string) {
  if (dialect !== 'postgres') return;
  await sql`select id from suppliers where id = (select supplier_id from purchase_orders where org_id = ${orgId} and id = ${poId}) for no key update`.execute(tx);
}

/** The purchase order row, locked for the step on PostgreSQL (SQLite holds the write lock). */
export async function lockPurchaseOrder(tx: Kysely<Database>, dialect: string, orgId: string, id: string): Promise<PurchaseOrdersTable> {
  let q = tx.selectFrom('purchase_orders').selectAll().where('org_id', '=', orgId).where('id', '=', id);
  if (dialect === 'postgres') q = q.forNoKeyUpdate();
  const po = await q.executeTakeFirst();
  if (!po) throw new AppError('NOT_FOUND', `No purchase order with id '${id}'.`, { id });
  return po;
}

export async function getPurchaseOrder(services: Services, caller: Caller, id: string, db: Kysely<Database> = services.store.db): Promise<PurchaseOrderView> {
  const [view] = await purchaseOrderViews(db, caller.orgId, [id]);
  if (!view) throw new AppError('NOT_FOUND', `No purchase order with id '${id}'.`, { id });
  return view;
}

export async function listPurchaseOrders(
  services: Services,
  caller: Caller,
  q: { status?: PurchaseOrderStatus; supplierId?: string; before: string | null; limit: number },
): Promise<{ items: PurchaseOrderView[]; next: string | null }> {
  let query = services.store.db.selectFrom('purchase_orders').select('id').where('org_id', '=', caller.orgId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.supplierId) query = query.where('supplier_id', '=', q.supplierId);
  if (q.before) query = query.where('id', '<', q.before);
  const ids = (await query.orderBy('id', 'desc').limit(q.limit + 1).execute()).map((r) => r.id);
  const page = ids.slice(0, q.limit);
  const views = await purchaseOrderViews(services.store.db, caller.orgId, page);
  return { items: views, next: ids.length > q.limit ? page[page.length - 1]! : null };
}

async function purchaseOrderViews(db: Kysely<Database>, orgId: string, ids: readonly string[]): Promise<PurchaseOrderView[]> {
  if (ids.length === 0) return [];
  const pos = await db
    .selectFrom('purchase_orders as po')
    .innerJoin('suppliers as s', 's.id', 'po.supplier_id')
    .innerJoin('locations as l', 'l.id', 'po.location_id')
    .selectAll('po')
    .select(['s.name as supplier_name', 'l.code as location_code'])
    .where('po.org_id', '=', orgId)
    .where('po.id', 'in', ids)
    .execute();
  const lines = await db
    .selectFrom('purchase_order_lines as pl')
    .innerJoin('products as p', 'p.id', 'pl.product_id')
    .selectAll('pl')
    .select('p.sku')
    .where('pl.po_id', 'in', ids)
    .orderBy('pl.line_no')
    .execute();
  const byId = new Map(pos.map((po) => [po.id, po]));
  return ids
    .filter((id) => byId.has(id))
    .map((id) => {
      const po = byId.get(id)!;
      return {
        id: po.id,
        number: po.number,
        supplier: { id: po.supplier_id, name: po.supplier_name },
        location: po.location_code,
        expectedDate: po.expected_date,
        arrivalDate: po.arrival_date,
        status: po.status,
        lines: lines.filter((l) => l.po_id === po.id).map((l) => lineView(l, l.sku)),
        delayDays: po.delay_days,
        createdAt: po.created_at,
        updatedAt: po.updated_at,
      };
    });
}

function lineView(l: PurchaseOrderLinesTable, sku: string) {
  return {
    lineNo: l.line_no,
    sku,
    ordered: l.qty_ordered,
    received: l.qty_received,
    damaged: l.qty_damaged,
    cancelled: l.qty_cancelled,
    incoming: outstanding(l),
    promised: l.qty_promised,
  };
}

function requireDate(date: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new AppError('VALIDATION_FAILED', `expectedDate must be a calendar date YYYY-MM-DD, not '${date}'.`, { field: 'expectedDate' });
  }
}
