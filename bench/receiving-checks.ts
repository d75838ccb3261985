/**
 * Checks after every receipt (real path and raw floor), straight from the tables; the bench
 * exits non-zero if any fails:
 *  - exactly min(received, waiting) units were handed out, and reserved rose by as many;
 *  - no order was given more than it waited for, and none lost a waiting unit
 *    (waiting after + handed out = waiting before, per order);
 *  - on hand rose by the units received; 0 ≤ reserved ≤ on hand; the ledger sums to the level;
 *  - one order.part_allocated event per part handed units, one purchase_order.received;
 *  - the whole no-oversell check of the intake bench (bench/invariants.ts).
 * The row counts it returns are compared between the real path and the raw floor.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../src/store/schema.js';
import { checkNoOversell } from './invariants.js';

export interface WaitingSnapshot {
  readonly units: number;
  readonly byOrder: ReadonlyMap<string, number>;
  readonly onHand: number;
  readonly reserved: number;
}

export interface ReceiptRowCounts {
  readonly allocatedUnits: number;
  readonly receiptAllocations: number;
  readonly allocationMovements: number;
  readonly partAllocatedEvents: number;
  /** Characters of JSON in those events: the raw floor's payloads must be as big as the service's. */
  readonly partAllocatedPayloadChars: number;
  readonly receivedEvents: number;
  readonly openParts: number;
  readonly placedLines: number;
  readonly waitingLines: number;
  readonly touchedOrders: number;
}

export interface ReceiptCheck {
  readonly ok: boolean;
  readonly violations: string[];
  readonly counts: ReceiptRowCounts;
}

const n = (v: unknown) => Number(v ?? 0);

async function level(db: Kysely<Database>, productId: string, locationId: string) {
  const row = (
    await sql<{ on_hand: number; reserved: number }>`select on_hand, reserved from stock_levels where product_id = ${productId} and location_id = ${locationId}`.execute(db)
  ).rows[0];
  return { onHand: n(row?.on_hand), reserved: n(row?.reserved) };
}

async function waitingByOrder(db: Kysely<Database>, orgId: string, productId: string): Promise<Map<string, number>> {
  const rows = (
    await sql<{ order_id: string; qty: number }>`
      select order_id, sum(qty) as qty from part_lines
      where org_id = ${orgId} and product_id = ${productId} and location_id is null group by order_id`.execute(db)
  ).rows;
  return new Map(rows.map((r) => [r.order_id, n(r.qty)]));
}

export async function waitingSnapshot(db: Kysely<Database>, orgId: string, productId: string, locationId: string): Promise<WaitingSnapshot> {
  const byOrder = await waitingByOrder(db, orgId, productId);
  let units = 0;
  for (const q of byOrder.values()) units += q;
  return { units, byOrder, ...(await level(db, productId, locationId)) };
}

async function count(db: Kysely<Database>, query: RawBuilder<{ c: number }>): Promise<number> {
  return n((await query.execute(db)).rows[0]?.c);
}

export async function checkReceipt(
  db: Kysely<Database>,
  orgId: string,
  r: { productId: string; locationId: string; received: number; before: WaitingSnapshot },
): Promise<ReceiptCheck> {
  const violations: string[] = [];
  const handed = new Map(
    (
      await sql<{ order_id: string; qty: number }>`
        select order_id, sum(qty) as qty from receipt_allocations where org_id = ${orgId} group by order_id`.execute(db)
    ).rows.map((x) => [x.order_id, n(x.qty)]),
  );
  let allocatedUnits = 0;
  for (const q of handed.values()) allocatedUnits += q;
  const expected = Math.min(r.received, r.before.units);
  if (allocatedUnits !== expected) violations.push(`handed out ${allocatedUnits} units, expected min(received ${r.received}, waiting ${r.before.units}) = ${expected}`);

  const after = await waitingByOrder(db, orgId, r.productId);
  for (const [orderId, waited] of r.before.byOrder) {
    const got = handed.get(orderId) ?? 0;
    if (got > waited) violations.push(`order ${orderId}: given ${got}, waited for ${waited}`);
    if ((after.get(orderId) ?? 0) + got !== waited) violations.push(`order ${orderId}: waiting ${after.get(orderId) ?? 0} + given ${got} ≠ waited ${waited}`);
  }
  for (const orderId of handed.keys()) if (!r.before.byOrder.has(orderId)) violations.push(`order ${orderId} was given units but was not waiting`);

  const now = await level(db, r.productId, r.locationId);
  if (now.onHand !== r.before.onHand + r.received) violations.push(`on hand ${now.onHand}, expected ${r.before.onHand} + ${r.received}`);
  if (now.reserved - r.before.reserved !== allocatedUnits) violations.push(`reserved rose by ${now.reserved - r.before.reserved}, ${allocatedUnits} units handed out`);
  if (now.reserved > now.onHand) violations.push(`reserved ${now.reserved} > on hand ${now.onHand}`);
  const ledger = await count(db, sql<{ c: number }>`select sum(on_hand_delta) as c from stock_movements where product_id = ${r.productId} and location_id = ${r.locationId}`);
  if (ledger !== now.onHand) violations.push(`Σ on_hand_delta ${ledger} ≠ on hand ${now.onHand}`);

  const counts: ReceiptRowCounts = {
    allocatedUnits,
    receiptAllocations: await count(db, sql<{ c: number }>`select count(*) as c from receipt_allocations where org_id = ${orgId}`),
    allocationMovements: await count(db, sql<{ c: number }>`select count(*) as c from stock_movements where org_id = ${orgId} and kind = 'allocation'`),
    partAllocatedEvents: await count(db, sql<{ c: number }>`select count(*) as c from events where org_id = ${orgId} and type = 'order.part_allocated'`),
    partAllocatedPayloadChars: await count(db, sql<{ c: number }>`select sum(length(payload)) as c from events where org_id = ${orgId} and type = 'order.part_allocated'`),
    receivedEvents: await count(db, sql<{ c: number }>`select count(*) as c from events where org_id = ${orgId} and type = 'purchase_order.received'`),
    openParts: await count(db, sql<{ c: number }>`select count(*) as c from order_parts where org_id = ${orgId} and status = 'open'`),
    placedLines: await count(db, sql<{ c: number }>`select count(*) as c from part_lines where org_id = ${orgId} and location_id is not null`),
    waitingLines: await count(db, sql<{ c: number }>`select count(*) as c from part_lines where org_id = ${orgId} and location_id is null`),
    touchedOrders: await count(db, sql<{ c: number }>`select count(*) as c from orders where org_id = ${orgId} and updated_at <> created_at`),
  };
  const partsHanded = n(
    (await sql<{ c: number }>`select count(distinct part_id) as c from receipt_allocations where org_id = ${orgId}`.execute(db)).rows[0]?.c,
  );
  if (counts.partAllocatedEvents !== partsHanded) violations.push(`${counts.partAllocatedEvents} order.part_allocated events for ${partsHanded} parts`);
  if (counts.receivedEvents !== 1) violations.push(`${counts.receivedEvents} purchase_order.received events, expected 1`);

  const oversell = await checkNoOversell(db, orgId);
  violations.push(...oversell.violations);
  return { ok: violations.length === 0, violations: violations.slice(0, 20), counts };
}
