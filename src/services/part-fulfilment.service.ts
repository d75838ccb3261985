import { recountOrders } from '../store/order-tabs.repository.js';
import { AppError } from '../domain/app-error.js';
import { transition, type PartEvent, type PartStatus } from '../domain/part-lifecycle.js';
import { appendEvents } from '../store/events.repository.js';
import { addKpis } from '../store/kpi-daily.repository.js';
import { shipmentKpis } from './kpi-steps.js';
import { getOrderRows, lockOrderParts, orderPlacement } from '../store/orders.repository.js';
import { lockLevels, recordMovements, shipReserved } from '../store/stock.repository.js';
import type { Caller, Services } from './context.js';
import type { RecordResponse } from './idempotency.service.js';
import { toOrderViews, type OrderView } from './order-view.js';
import { RetryableConflict } from './retryable-conflict.js';

export interface Shipment {
  carrier?: string;
  trackingNumber?: string;
}

/**
 * R4: an open part goes to processing (picked at its location), a processing part is shipped:
 * its reserved units leave on hand with a `shipment` ledger row each. The transition table
 * decides what is allowed; a backorder part ships only once it is covered (open).
 */
export async function advancePart(
  services: Services,
  caller: Caller,
  orderId: string,
  partId: string,
  event: Extract<PartEvent, 'start_processing' | 'ship'>,
  shipment: Shipment = {},
  record?: RecordResponse,
): Promise<OrderView> {
  const { store } = services;
  return store.transact(async (tx) => {
    const at = services.now().toISOString();
    const { parts, lines } = await lockOrderParts(tx, store.dialect, caller.orgId, orderId);
    const part = parts.find((p) => p.id === partId);
    if (!part) throw new AppError('NOT_FOUND', `Order '${orderId}' has no part '${partId}'.`);
    const next = transition(part.status as PartStatus, event);
    const held = lines.filter((l) => l.part_id === partId && l.location_id !== null);

    if (event === 'ship') {
      await lockLevels(tx, store.dialect, held.map((l) => l.product_id).sort(), held.map((l) => l.location_id!).sort());
      for (const l of held) {
        if (!(await shipReserved(tx, store.dialect, l.product_id, l.location_id!, l.qty, at))) throw new RetryableConflict();
      }
      await recordMovements(
        tx,
        store.dialect,
        caller.orgId,
        at,
        held.map((l) => ({ productId: l.product_id, locationId: l.location_id!, kind: 'shipment' as const, onHandDelta: -l.qty, reservedDelta: -l.qty, orderId, partId })),
      );
    }
    await tx
      .updateTable('order_parts')
      .set({
        status: next,
        updated_at: at,
        ...(event === 'ship' ? { shipped_at: at, carrier: shipment.carrier ?? null, tracking_number: shipment.trackingNumber ?? null } : {}),
      })
      .where('id', '=', partId)
      .execute();
    await tx.updateTable('orders').set({ updated_at: at }).where('id', '=', orderId).execute();
    await recountOrders(tx, store.dialect, caller.orgId, [orderId]);
    const [view] = toOrderViews(await getOrderRows(tx, caller.orgId, [orderId]));
    const others = view!.parts.filter((p) => p.id !== partId && p.status !== 'cancelled' && p.status !== 'shipped');
    await appendEvents(tx, store.dialect, caller.orgId, at, [
      event === 'ship'
        ? {
            type: 'order.part_shipped',
            subjectType: 'order',
            subjectId: orderId,
            // A partial shipment says so (R11, R17): what follows is still in other parts.
            payload: { orderId, partId, carrier: shipment.carrier ?? null, trackingNumber: shipment.trackingNumber ?? null, partial: others.length > 0 },
          }
        : { type: 'order.part_processing', subjectType: 'order', subjectId: orderId, payload: { orderId, partId } },
    ]);
    if (event === 'ship') {
      // R17/R18: a shipment after the order's first has its shipping waived.
      const waived = parts.some((p) => p.id !== partId && p.status === 'shipped');
      await addKpis(tx, store.dialect, caller.orgId, shipmentKpis(await orderPlacement(tx, orderId), at, held.map((l) => l.product_id), waived));
    }
    if (record) await record(tx, view);
    return view!;
  });
}
