import { groupBy } from '../collections.js';
import type { PartStatus } from '../domain/part-lifecycle.js';
import type { OrderRows } from '../store/orders.repository.js';
import type { OrderView } from './order-shape.js';

export type { OrderView, PartLineView } from './order-shape.js';

/**
 * The order's summary status: the least advanced state any of its live parts is in, so an
 * order with anything waiting reads `backorder`.
 */
export function summaryStatus(statuses: readonly PartStatus[]): PartStatus {
  for (const s of ['backorder', 'open', 'processing', 'shipped'] as const) if (statuses.includes(s)) return s;
  return 'cancelled';
}

export function toOrderViews(rows: OrderRows): OrderView[] {
  const linesBy = groupBy(rows.lines, (l) => l.order_id);
  const partsBy = groupBy(rows.parts, (p) => p.order_id);
  const partLinesBy = groupBy(rows.partLines, (l) => l.part_id);
  const promisesBy = groupBy(rows.promises, (p) => p.part_line_id);
  return rows.orders.map((o) => {
    const parts = (partsBy.get(o.id) ?? []).map((p) => ({
      id: p.id,
      status: p.status,
      promisedDate: p.promised_date,
      shipment: p.shipped_at ? { shippedAt: p.shipped_at, carrier: p.carrier, trackingNumber: p.tracking_number } : null,
      lines: (partLinesBy.get(p.id) ?? []).map((l) => ({
        lineNo: l.line_no,
        sku: l.sku,
        qty: l.qty,
        location: l.location,
        oversold: l.oversold === 1,
        promisedDate: l.promised_date,
        promises: (promisesBy.get(l.id) ?? []).map((x) => ({ purchaseOrder: x.number, qty: x.qty, promisedDate: x.promised_date })),
      })),
    }));
    const live = parts.filter((p) => p.status !== 'cancelled');
    return {
      id: o.id,
      channel: o.channel,
      externalId: o.external_id,
      placedAt: o.placed_at,
      status: summaryStatus(parts.map((p) => p.status)),
      shippingPreference: o.shipping_preference,
      priority: o.priority,
      customer: {
        id: o.customer_external_id,
        email: o.customer_email,
        locale: o.customer_locale,
        tier: o.customer_tier,
        country: o.customer_country,
        postcode: o.customer_postcode,
        latitude: o.customer_latitude,
        longitude: o.customer_longitude,
      },
      lines: (linesBy.get(o.id) ?? []).map((l) => {
        const ofLine = live.flatMap((p) => p.lines.filter((pl) => pl.lineNo === l.line_no));
        return {
          lineNo: l.line_no,
          sku: l.sku,
          qty: l.qty,
          unitPrice: l.unit_price_cents / 100,
          reserved: sum(ofLine.filter((pl) => pl.location !== null).map((pl) => pl.qty)),
          waiting: sum(ofLine.filter((pl) => pl.location === null).map((pl) => pl.qty)),
        };
      }),
      parts,
      createdAt: o.created_at,
      updatedAt: o.updated_at,
    };
  });
}


function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
