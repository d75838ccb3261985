import type { Caller, Services } from '../services/context.js';
import { placeOrder } from '../services/order-intake.service.js';
import { advancePart } from '../services/part-fulfilment.service.js';
import { createPurchaseOrder } from '../services/purchasing.service.js';
import { receivePurchaseOrder } from '../services/receiving.service.js';

/**
 * The demo's past, played through the real services on a clock that walks from months ago to
 * today, so that KPIs (R18), supplier grades (R8), alerts (R10) and price suggestions (R13) have a
 * history to show on first start: orders every day, shipped the next; a reliable supplier
 * restocking every week; a late one whose rugged cases wait for it — one of its purchase
 * orders is overdue today.
 */
const DAY = 86_400_000;

export interface DemoClock {
  readonly services: Services;
  /** Moves the clock (never back). */
  at(ms: number): void;
}

export function demoClock(services: Services, startMs: number): DemoClock {
  let t = startMs;
  return {
    services: { ...services, now: () => new Date(t) },
    at: (ms) => {
      t = Math.max(t, ms);
    },
  };
}

export interface HistoryPlan {
  readonly caller: Caller;
  readonly today: number;
  readonly days: number;
  readonly random: () => number;
  /** Sold every day from the first day, restocked by `reliable`. */
  readonly steady: readonly string[];
  /** Sold every day, restocked (late) by `late`. */
  readonly lateSupplied: readonly string[];
  /** Sold only in the last `newFromDay` days: out of stock, waiting for their first delivery. */
  readonly waiting: readonly string[];
  readonly newFromDay: number;
  readonly reliable: string;
  readonly late: string;
  readonly customers: readonly { id: string; email: string; locale: 'nl' | 'de' | 'en'; country: string; postcode: string }[];
  /** Runs on the morning of a day before its orders (for purchase orders the story needs on that day). */
  readonly onDay?: (daysAgo: number) => Promise<void>;
}

const CHANNELS = ['bol', 'bol', 'amazon', 'amazon', 'webshop'];

export async function playHistory(clock: DemoClock, plan: HistoryPlan): Promise<void> {
  const { caller, random } = plan;
  const startOfDay = (daysAgo: number) => Math.floor(plan.today / DAY) * DAY - daysAgo * DAY;
  const sold = new Map<string, number>();
  const pending: { poId: string; receiveAt: number; lines: { sku: string; qty: number }[] }[] = [];
  let po = 10;
  let orderNo = 0;

  const order = async (at: number, skus: readonly string[]) => {
    const lines = 1 + Math.floor(random() * 2);
    const chosen = new Set<string>();
    while (chosen.size < Math.min(lines, skus.length)) chosen.add(skus[Math.floor(random() ** 2 * skus.length)]!);
    // Amazon's window ends at its next FBA shipment (R7): it offers nothing of what waits for a first delivery.
    const rotation = CHANNELS[orderNo % CHANNELS.length]!;
    const channel = rotation === 'amazon' && [...chosen].some((s) => plan.waiting.includes(s)) ? 'bol' : rotation;
    clock.at(at);
    const qty = () => 1 + Math.floor(random() * 2);
    const orderLines = [...chosen].map((sku) => ({ sku, qty: qty(), unitPrice: 19.95 }));
    for (const l of orderLines) sold.set(l.sku, (sold.get(l.sku) ?? 0) + l.qty);
    await placeOrder(clock.services, caller, {
      channel,
      externalId: `${channel.toUpperCase()}-${200000 + orderNo++}`,
      placedAt: new Date(at).toISOString(),
      customer: plan.customers[Math.floor(random() * plan.customers.length)]!,
      lines: orderLines,
    });
  };

  /** A purchase order today; received `lateDays` after its expected day, or (`receive` false) not yet. */
  const restock = async (daysAgo: number, supplierId: string, skus: readonly string[], leadDays: number, lateDays: number, receive = true) => {
    const lines = skus.map((sku) => ({ sku, qty: 5 + Math.ceil((sold.get(sku) ?? 0) * 1.3) }));
    for (const sku of skus) sold.set(sku, 0);
    const created = await createPurchaseOrder(clock.services, caller, {
      number: `PO-2026-${String(po++).padStart(4, '0')}`,
      supplierId,
      location: 'ams',
      expectedDate: new Date(startOfDay(daysAgo - leadDays)).toISOString().slice(0, 10),
      lines,
    });
    const receiveAt = startOfDay(daysAgo - leadDays - lateDays) + 9.5 * 3_600_000;
    if (receive) pending.push({ poId: created.id, receiveAt, lines });
  };

  const shipOpenParts = async (placedBefore: number) => {
    const open = await clock.services.store.db
      .selectFrom('order_parts')
      .select(['id', 'order_id'])
      .where('org_id', '=', caller.orgId)
      .where('status', '=', 'open')
      .where('placed_at', '<', new Date(placedBefore).toISOString())
      .orderBy('placed_at')
      .execute();
    for (const p of open) {
      await advancePart(clock.services, caller, p.order_id, p.id, 'start_processing');
      await advancePart(clock.services, caller, p.order_id, p.id, 'ship', { carrier: 'PostNL', trackingNumber: `3S${p.id.slice(-10).toUpperCase()}` });
    }
  };

  for (let daysAgo = plan.days; daysAgo >= 1; daysAgo--) {
    const morning = startOfDay(daysAgo) + 8 * 3_600_000;
    clock.at(morning);
    for (const due of pending.filter((p) => p.receiveAt <= morning + 2 * 3_600_000)) {
      clock.at(due.receiveAt);
      await receivePurchaseOrder(clock.services, caller, due.poId, { lines: due.lines.map((l) => ({ sku: l.sku, good: l.qty })) });
      pending.splice(pending.indexOf(due), 1);
    }
    // Yesterday's covered orders leave this morning; the last three days' stay open to show.
    if (daysAgo > 2) await shipOpenParts(startOfDay(daysAgo));
    await plan.onDay?.(daysAgo);
    const elapsed = plan.days - daysAgo;
    // The reliable supplier: every week, 10 days, now and then a day late — never past today.
    if (elapsed % 7 === 3) await restock(daysAgo, plan.reliable, plan.steady, 10, random() < 0.3 && daysAgo - 10 > 2 ? 1 : 0);
    // The late supplier: every three weeks, 14 days promised, 5–9 days late; the order expected
    // in the last week has not come (overdue today).
    if (elapsed % 21 === 0) await restock(daysAgo, plan.late, plan.lateSupplied, 14, 5 + Math.floor(random() * 5), daysAgo - 14 > 7);
    const orders = 6 + Math.floor(random() * 5);
    const sellable = daysAgo <= plan.newFromDay ? [...plan.steady, ...plan.lateSupplied, ...plan.waiting] : [...plan.steady, ...plan.lateSupplied];
    for (let i = 0; i < orders; i++) await order(morning + ((i + 1) / (orders + 1)) * 13 * 3_600_000, sellable);
  }
}
