import { tallyCancelledWaiting, tallyIntake, tallyShipment } from '../domain/kpi-facts.js';
import { KpiTally } from '../domain/kpi-tally.js';
import type { OrderView } from './order-view.js';

/** R18: what intake, cancellation and shipping add to the KPI counters (fills: backorder-fill.ts). */

interface Placement {
  readonly channel_id: string;
  readonly placed_at: string;
}

/** Each line's reserved and oversold units as the order was split and promised at intake. */
export function intakeKpis(placement: Placement, productIds: readonly string[], order: OrderView): KpiTally {
  const parts = order.parts.flatMap((p) => p.lines);
  const lines = productIds.map((productId, i) => {
    const ofLine = parts.filter((l) => l.lineNo === i + 1);
    return {
      productId,
      qty: ofLine.reduce((a, l) => a + l.qty, 0),
      allocated: ofLine.filter((l) => l.location !== null).reduce((a, l) => a + l.qty, 0),
      oversold: ofLine.filter((l) => l.oversold).reduce((a, l) => a + l.qty, 0),
    };
  });
  const tally = new KpiTally();
  tallyIntake(tally, { placedAt: placement.placed_at, channelId: placement.channel_id, lines });
  return tally;
}

/** The units still waiting in the parts being cancelled (R19): backorders given up. */
export function cancelledWaiting(
  placement: Placement,
  partIds: readonly string[],
  lines: readonly { part_id: string; product_id: string; location_id: string | null; qty: number }[],
): KpiTally {
  const cancelled = new Set(partIds);
  const tally = new KpiTally();
  for (const l of lines) {
    if (!cancelled.has(l.part_id) || l.location_id !== null) continue;
    tallyCancelledWaiting(tally, { placedAt: placement.placed_at, channelId: placement.channel_id, productId: l.product_id, qty: l.qty });
  }
  return tally;
}

export function shipmentKpis(placement: Placement, shippedAt: string, productIds: readonly string[], waived: boolean): KpiTally {
  const tally = new KpiTally();
  tallyShipment(tally, { shippedAt, channelId: placement.channel_id, productIds, waived });
  return tally;
}
