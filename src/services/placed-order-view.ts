import type { IntakePromises } from './intake-promises.js';
import type { PlannedPart, PlannedPartLine } from '../domain/split-order.js';
import type { IntakeProduct } from '../store/order-intake.repository.js';
import type { OrderInput } from './order-intake.service.js';
import { customerFields } from './customers.service.js';
import type { OrderView } from './order-view.js';

/**
 * The view of an order just placed, built from what intake wrote, so the response needs no
 * second read. It must equal what GET /v1/orders/{id} returns (tested).
 */
export function placedOrderView(args: {
  orderId: string;
  input: OrderInput;
  placedAt: string;
  shipping: 'partial' | 'complete';
  at: string;
  parts: readonly ({ id: string; lines: readonly (PlannedPartLine & { id: string })[] } & Omit<PlannedPart, 'lines'>)[];
  /** Promises made at intake (R3), with their dates and the purchase orders they count on. */
  promising: IntakePromises;
  products: readonly IntakeProduct[];
  locations: readonly { id: string; code: string }[];
  unitCents: readonly number[];
}): OrderView {
  const { orderId, input, at } = args;
  const skuOf = new Map(args.products.map((p) => [p.id, p.sku]));
  const codeOf = new Map(args.locations.map((l) => [l.id, l.code]));
  const { promising } = args;
  const numberOf = new Map(promising.lines.map((l) => [l.poId, l.number]));
  const parts = args.parts.map((p) => {
    const lines = p.lines.map((l) => {
      const promises = promising.promises.filter((x) => x.partLineId === l.id);
      const promisedDate = promising.lineDates.get(l.id) ?? null;
      return {
        lineNo: l.lineNo,
        sku: skuOf.get(l.productId)!,
        qty: l.qty,
        location: l.locationId ? codeOf.get(l.locationId)! : null,
        oversold: l.locationId === null && promisedDate === null,
        promisedDate,
        promises: [...promises]
          .sort((a, b) => cmp(a.promisedDate, b.promisedDate) || cmp(numberOf.get(a.poId)!, numberOf.get(b.poId)!))
          .map((x) => ({ purchaseOrder: numberOf.get(x.poId)!, qty: x.qty, promisedDate: x.promisedDate })),
      };
    });
    return { id: p.id, status: p.status, promisedDate: promising.partDates.get(p.id) ?? null, shipment: null, lines };
  });
  const c = input.customer;
  return {
    id: orderId,
    channel: input.channel,
    externalId: input.externalId,
    placedAt: args.placedAt,
    status: parts.some((p) => p.status === 'backorder') ? 'backorder' : 'open',
    shippingPreference: args.shipping,
    priority: input.priority ?? 0,
    customer: { id: c.id, ...customerFields(c) },
    lines: input.lines.map((l, i) => {
      const ofLine = parts.flatMap((p) => p.lines.filter((pl) => pl.lineNo === i + 1));
      return {
        lineNo: i + 1,
        sku: l.sku,
        qty: l.qty,
        unitPrice: args.unitCents[i]! / 100,
        reserved: ofLine.filter((pl) => pl.location !== null).reduce((a, pl) => a + pl.qty, 0),
        waiting: ofLine.filter((pl) => pl.location === null).reduce((a, pl) => a + pl.qty, 0),
      };
    }),
    parts,
    createdAt: at,
    updatedAt: at,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
