import type { Kysely } from 'kysely';
import { allocateFreedStock } from '../domain/allocate-freed-stock.js';
import { transition } from '../domain/part-lifecycle.js';
import { newId } from '../ids.js';
import type { Dialect } from '../store/db.js';
import type { NewEvent } from '../store/events.repository.js';
import type { Database } from '../store/schema.js';
import { changeReserved, lockLevels, recordMovements } from '../store/stock.repository.js';
import { RetryableConflict } from './retryable-conflict.js';

/**
 * R19 (and R4's split): gives available units of the given products at the given locations to
 * waiting backorder parts, oldest first. Runs inside the caller's transaction and returns the
 * events it caused. A part whose waiting units are all covered becomes open; under partial
 * shipping a part covered only in part splits, the covered units forming a new open part.
 */
export async function fillWaitingBackorders(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  productIds: readonly string[],
  locationIds: readonly string[],
  at: string,
): Promise<NewEvent[]> {
  const products = [...new Set(productIds)].sort();
  const locations = [...new Set(locationIds)].sort();
  if (products.length === 0 || locations.length === 0) return [];
  // Serialise fills per product (PostgreSQL): two fills for one SKU must not both see the same
  // waiting units. Then the levels, then the waiting parts, always in this order.
  if (dialect === 'postgres') {
    await tx.selectFrom('products').select('id').where('id', 'in', products).orderBy('id').forUpdate().execute();
  }
  const levels = await lockLevels(tx, dialect, products, locations);
  let waitingQuery = tx
    .selectFrom('part_lines as pl')
    .innerJoin('order_parts as p', 'p.id', 'pl.part_id')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .select(['pl.id', 'pl.part_id', 'pl.order_id', 'pl.product_id', 'pl.qty', 'pl.line_no', 'p.placed_at', 'o.channel_id', 'o.shipping_preference'])
    .where('pl.org_id', '=', orgId)
    .where('pl.product_id', 'in', products)
    .where('pl.location_id', 'is', null)
    .where('p.status', '=', 'backorder')
    .orderBy('p.id');
  if (dialect === 'postgres') waitingQuery = waitingQuery.forUpdate(['p']);
  const waiting = await waitingQuery.execute();
  if (waiting.length === 0) return [];

  const channelIds = [...new Set(waiting.map((w) => w.channel_id))];
  const channelLocations = await tx
    .selectFrom('channel_locations')
    .select(['channel_id', 'location_id', 'position'])
    .where('channel_id', 'in', channelIds)
    .orderBy('channel_id')
    .orderBy('position')
    .execute();
  const eligible = new Map<string, string[]>();
  for (const cl of channelLocations) {
    if (!locations.includes(cl.location_id)) continue;
    const list = eligible.get(cl.channel_id) ?? [];
    list.push(cl.location_id);
    eligible.set(cl.channel_id, list);
  }

  const plan = allocateFreedStock(
    levels.map((l) => ({ productId: l.product_id, locationId: l.location_id, qty: l.on_hand - l.reserved })),
    waiting.map((w) => ({
      partLineId: w.id,
      partId: w.part_id,
      productId: w.product_id,
      qty: w.qty,
      placedAt: w.placed_at,
      eligibleLocations: eligible.get(w.channel_id) ?? [],
    })),
  );
  if (plan.length === 0) return [];

  const lineById = new Map(waiting.map((w) => [w.id, w]));
  const coveredByLine = new Map<string, number>();
  for (const c of plan) coveredByLine.set(c.partLineId, (coveredByLine.get(c.partLineId) ?? 0) + c.qty);

  // Waiting units left per touched part, counting its lines not in this batch of products too.
  const touchedParts = [...new Set(plan.map((c) => c.partId))];
  const stillWaiting = await tx
    .selectFrom('part_lines')
    .select(['part_id', 'id', 'qty'])
    .where('order_id', 'in', [...new Set(plan.map((c) => lineById.get(c.partLineId)!.order_id))])
    .where('part_id', 'in', touchedParts)
    .where('location_id', 'is', null)
    .execute();
  const leftByPart = new Map<string, number>();
  for (const l of stillWaiting) {
    const left = l.qty - (coveredByLine.get(l.id) ?? 0);
    leftByPart.set(l.part_id, (leftByPart.get(l.part_id) ?? 0) + left);
  }

  const targetPart = new Map<string, string>();
  const events: NewEvent[] = [];
  for (const partId of touchedParts) {
    const sample = waiting.find((w) => w.part_id === partId)!;
    const fullyCovered = (leftByPart.get(partId) ?? 0) === 0;
    if (fullyCovered) {
      await tx
        .updateTable('order_parts')
        .set({ status: transition('backorder', 'cover'), updated_at: at })
        .where('id', '=', partId)
        .execute();
      targetPart.set(partId, partId);
    } else if (sample.shipping_preference === 'partial') {
      const newPartId = newId('prt');
      await tx
        .insertInto('order_parts')
        .values({ id: newPartId, org_id: orgId, order_id: sample.order_id, status: 'open', placed_at: sample.placed_at, created_at: at, updated_at: at })
        .execute();
      targetPart.set(partId, newPartId);
    } else {
      targetPart.set(partId, partId);
    }
  }

  for (const [lineId, covered] of coveredByLine) {
    const line = lineById.get(lineId)!;
    if (covered === line.qty) {
      await tx.deleteFrom('part_lines').where('order_id', '=', line.order_id).where('id', '=', lineId).execute();
    } else {
      await tx
        .updateTable('part_lines')
        .set({ qty: line.qty - covered })
        .where('order_id', '=', line.order_id)
        .where('id', '=', lineId)
        .execute();
    }
  }
  await tx
    .insertInto('part_lines')
    .values(
      plan.map((c) => {
        const line = lineById.get(c.partLineId)!;
        return {
          id: newId('pln'),
          org_id: orgId,
          part_id: targetPart.get(c.partId)!,
          order_id: line.order_id,
          line_no: line.line_no,
          product_id: c.productId,
          location_id: c.locationId,
          qty: c.qty,
          oversold: 0,
        };
      }),
    )
    .execute();

  const reserveBy = new Map<string, { productId: string; locationId: string; qty: number }>();
  for (const c of plan) {
    const key = `${c.productId}|${c.locationId}`;
    const cur = reserveBy.get(key);
    if (cur) cur.qty += c.qty;
    else reserveBy.set(key, { productId: c.productId, locationId: c.locationId, qty: c.qty });
  }
  for (const r of reserveBy.values()) {
    if (!(await changeReserved(tx, dialect, r.productId, r.locationId, r.qty, at))) throw new RetryableConflict();
  }
  await recordMovements(tx, dialect,
    orgId,
    at,
    plan.map((c) => ({
      productId: c.productId,
      locationId: c.locationId,
      kind: 'allocation' as const,
      onHandDelta: 0,
      reservedDelta: c.qty,
      orderId: lineById.get(c.partLineId)!.order_id,
      partId: targetPart.get(c.partId)!,
    })),
  );
  const touchedOrders = [...new Set(plan.map((c) => lineById.get(c.partLineId)!.order_id))];
  await tx.updateTable('orders').set({ updated_at: at }).where('id', 'in', touchedOrders).execute();
  for (const partId of touchedParts) {
    const orderId = waiting.find((w) => w.part_id === partId)!.order_id;
    events.push({
      type: 'order.part_allocated',
      subjectType: 'order',
      subjectId: orderId,
      payload: {
        orderId,
        backorderPartId: partId,
        openPartId: targetPart.get(partId),
        split: targetPart.get(partId) !== partId,
        complete: (leftByPart.get(partId) ?? 0) === 0,
        units: plan.filter((c) => c.partId === partId).map((c) => ({ productId: c.productId, locationId: c.locationId, qty: c.qty })),
      },
    });
  }
  return events;
}
