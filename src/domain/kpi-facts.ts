import type { KpiCounters, KpiTally } from './kpi-tally.js';

/**
 * R18: what each business fact adds to the KPI counters, and on which day. Used by the steps as
 * they happen and by the rebuild from history, so the two can never count differently.
 * Days are UTC calendar days (the first ten characters of an ISO-8601 UTC timestamp).
 */

const SECOND_MS = 1000;
export const DAY_SECONDS = 86_400;

export const dayOf = (isoUtc: string): string => isoUtc.slice(0, 10);

/** Whole seconds from placed to allocated, never negative (a back-dated receipt can precede an order). */
export function waitSeconds(placedAt: string, allocatedAt: string): number {
  return Math.max(0, Math.floor((Date.parse(allocatedAt) - Date.parse(placedAt)) / SECOND_MS));
}

/** One order line as split at intake: units reserved from stock and units stored oversold (R3). */
export interface IntakeLine {
  readonly productId: string;
  readonly qty: number;
  readonly allocated: number;
  readonly oversold: number;
}

/** Line figures count on the day the order was placed on its channel (`placedAt`). */
export function tallyIntake(tally: KpiTally, order: { placedAt: string; channelId: string; lines: readonly IntakeLine[] }): void {
  const day = dayOf(order.placedAt);
  for (const l of order.lines) {
    tally.add(
      day,
      { channel: order.channelId, sku: l.productId },
      {
        lines: 1,
        lines_backordered: l.allocated < l.qty ? 1 : 0,
        units_ordered: l.qty,
        units_allocated_at_intake: l.allocated,
        units_oversold: l.oversold,
      },
    );
  }
}

/** Backordered units handed to a waiting part after intake (a receipt, freed or adjusted stock). */
export interface FillPiece {
  readonly placedAt: string;
  readonly allocatedAt: string;
  readonly channelId: string;
  readonly productId: string;
  /** The supplier of the purchase order whose receipt brought the units; '' for any other stock. */
  readonly supplierId: string;
  readonly qty: number;
}

/** Waits count on the day the units were allocated (when the wait ended). */
export function tallyFill(tally: KpiTally, piece: FillPiece): void {
  const seconds = waitSeconds(piece.placedAt, piece.allocatedAt);
  const day = dayOf(piece.allocatedAt);
  const keys = { channel: piece.channelId, supplier: piece.supplierId, sku: piece.productId };
  tally.add(day, keys, { units_filled: piece.qty, wait_seconds: seconds * piece.qty });
  tally.addWait(day, keys, Math.floor(seconds / DAY_SECONDS), piece.qty);
}

/**
 * A backorder part with a promised date whose last waiting units were just allocated: the
 * promise is kept when that happened on or before the promised day. Counted on the allocation
 * day, per SKU of the units that completed it and the supplier that brought them.
 */
export function tallyPromise(
  tally: KpiTally,
  judged: { allocatedAt: string; promisedDate: string; channelId: string; supplierId: string; productIds: readonly string[] },
): void {
  const day = dayOf(judged.allocatedAt);
  const kept = day <= judged.promisedDate ? 1 : 0;
  tally.add(day, { channel: judged.channelId, supplier: judged.supplierId }, { promises_judged: 1, promises_kept: kept });
  for (const sku of new Set(judged.productIds)) tallySkuOnly(tally, day, sku, { promises_judged: 1, promises_kept: kept });
}

/** A part-level figure counts once overall but once for each SKU in the part. */
function tallySkuOnly(tally: KpiTally, day: string, sku: string, counts: Partial<KpiCounters>) {
  tally.addTo({ day, dim: 'sku', key: sku }, counts);
}

/** Waiting units of a cancelled part, on the day their order was placed (a line figure). */
export function tallyCancelledWaiting(tally: KpiTally, line: { placedAt: string; channelId: string; productId: string; qty: number }): void {
  tally.add(dayOf(line.placedAt), { channel: line.channelId, sku: line.productId }, { units_cancelled_waiting: line.qty });
}

/**
 * A shipped part on its shipping day. R17: every shipment of an order after its first is one
 * whose shipping is waived. Per SKU, a part counts once for each SKU it carries.
 */
export function tallyShipment(tally: KpiTally, shipment: { shippedAt: string; channelId: string; productIds: readonly string[]; waived: boolean }): void {
  const day = dayOf(shipment.shippedAt);
  const counts = { shipments: 1, shipments_waived: shipment.waived ? 1 : 0 };
  tally.add(day, { channel: shipment.channelId }, counts);
  for (const sku of new Set(shipment.productIds)) tallySkuOnly(tally, day, sku, counts);
}
