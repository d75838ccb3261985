import { recountOrders } from '../store/order-tabs.repository.js';
import { markOffersDirty } from '../store/offer-dirty.repository.js';
import { AppError } from '../domain/app-error.js';
import { isUnshipped, transition, type PartStatus } from '../domain/part-lifecycle.js';
import { appendEvents, type NewEvent } from '../store/events.repository.js';
import { addKpis } from '../store/kpi-daily.repository.js';
import { cancelledWaiting } from './kpi-steps.js';
import { getOrderRows, lockOrderParts, orderPlacement } from '../store/orders.repository.js';
import { changeReserved, lockLevels, lockProducts, recordMovements } from '../store/stock.repository.js';
import { fillWaitingBackorders } from './backorder-fill.js';
import { replanPromises } from './promise-replan.js';
import type { Caller, Services } from './context.js';
import { toOrderViews, type OrderView } from './order-view.js';
import { RetryableConflict } from './retryable-conflict.js';
import type { RecordResponse } from './idempotency.service.js';

/**
 * R19: cancelling a part releases its reservation and hands the freed units at once to waiting
 * backorders of the same SKU. Without `partId`, every unshipped part of the order is cancelled.
 */
export async function cancelOrder(
  services: Services,
  caller: Caller,
  orderId: string,
  partId?: string,
  reason?: string,
  record?: RecordResponse,
): Promise<OrderView> {
  const { store } = services;
  return store.transact(async (tx) => {
    const at = services.now().toISOString();
    const orgId = caller.orgId;
    // Lock order (PostgreSQL): the order's products, its parts, then levels — receipts and
    // adjustments take products first too, so they queue behind each other instead of deadlocking.
    const skus = await tx.selectFrom('order_lines').select('product_id').where('org_id', '=', orgId).where('order_id', '=', orderId).execute();
    await lockProducts(tx, store.dialect, skus.map((l) => l.product_id));
    const { parts, lines } = await lockOrderParts(tx, store.dialect, orgId, orderId);
    if (parts.length === 0) throw new AppError('NOT_FOUND', `No order with id '${orderId}'.`);
    const order = await orderPlacement(tx, orderId);
    let targets = parts;
    if (partId !== undefined) {
      targets = parts.filter((p) => p.id === partId);
      if (targets.length === 0) throw new AppError('NOT_FOUND', `Order '${orderId}' has no part '${partId}'.`);
    } else {
      targets = parts.filter((p) => isUnshipped(p.status as PartStatus));
      if (targets.length === 0) {
        throw new AppError('INVALID_TRANSITION', 'The order has no unshipped part left to cancel.', { orderId });
      }
    }

    const targetIds = new Set(targets.map((p) => p.id));
    const held = lines.filter((l) => targetIds.has(l.part_id) && l.location_id !== null);
    await lockLevels(tx, store.dialect, held.map((l) => l.product_id).sort(), held.map((l) => l.location_id!).sort());
    const events: NewEvent[] = [];
    const freedProducts: string[] = [];
    const freedLocations: string[] = [];
    for (const part of targets) {
      const next = transition(part.status as PartStatus, 'cancel');
      await tx.updateTable('order_parts').set({ status: next, updated_at: at }).where('id', '=', part.id).execute();
      const reservedLines = lines.filter((l) => l.part_id === part.id && l.location_id !== null);
      for (const l of reservedLines) {
        if (!(await changeReserved(tx, store.dialect, l.product_id, l.location_id!, -l.qty, at))) throw new RetryableConflict();
        freedProducts.push(l.product_id);
        freedLocations.push(l.location_id!);
      }
      await recordMovements(tx, store.dialect,
        orgId,
        at,
        reservedLines.map((l) => ({
          productId: l.product_id,
          locationId: l.location_id!,
          kind: 'release' as const,
          onHandDelta: 0,
          reservedDelta: -l.qty,
          orderId,
          partId: part.id,
          reason: reason ?? 'cancelled',
        })),
      );
      events.push({
        type: 'order.part_cancelled',
        subjectType: 'order',
        subjectId: orderId,
        payload: { orderId, partId: part.id, from: part.status, reason: reason ?? null },
      });
    }
    await tx.updateTable('orders').set({ updated_at: at }).where('id', '=', orderId).execute();
    await recountOrders(tx, store.dialect, orgId, [orderId]);
    const fill = await fillWaitingBackorders(tx, store.dialect, orgId, freedProducts, freedLocations, at, { allocatedAt: at, purchaseOrder: null });
    events.push(...fill.events);
    // R19: the cancelled parts' promises are released; others may take them.
    const products = lines.filter((l) => targetIds.has(l.part_id)).map((l) => l.product_id);
    events.push(...(await replanPromises(tx, store.dialect, orgId, products, at, { waiting: fill.waitingAfter })));
    await markOffersDirty(tx, store.dialect, orgId, [...products, ...freedProducts], at);
    await appendEvents(tx, store.dialect, orgId, at, events);
    // R18: the waiting units given up count on their order's day; the fill's on today's.
    await addKpis(tx, store.dialect, orgId, cancelledWaiting(order, targets.map((p) => p.id), lines).merge(fill.kpis));
    const [view] = toOrderViews(await getOrderRows(tx, orgId, [orderId]));
    if (record) await record(tx, view);
    return view!;
  });
}
