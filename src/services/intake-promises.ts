import type { Kysely } from 'kysely';
import type { AllocationRule, Policy } from '../domain/allocation-policy.js';
import { groupBy } from '../collections.js';
import { activeSeason, windowEnd } from '../domain/channel-window.js';
import { addDays, isFifoOnly, linePromisedDate, partPromisedDate, planPromises, ranksAfter, type PlannedPromise } from '../domain/promise-plan.js';
import type { PlannedPartLine } from '../domain/split-order.js';
import type { Dialect } from '../store/db.js';
import type { IntakeContext } from '../store/order-intake.repository.js';
import { insertPromises, lastRankedPromise, readIncoming, readPromisedByChannel, takePromiseCapacity } from '../store/promises.repository.js';
import type { Database } from '../store/schema.js';
import { incomingCapacities, lineKey, readCapacityContext, type CapacityContext } from './capacity-context.js';
import { toIncomingLine, type PlannerLine } from './promise-replan.js';
import { RetryableConflict } from './retryable-conflict.js';

export interface IntakePromises {
  readonly promises: readonly PlannedPromise[];
  /** The purchase-order lines promised against, as read (revision and capacity), to take the capacity. */
  readonly lines: readonly PlannerLine[];
  /** Products whose promises must be re-planned as a whole, because the new units rank before promised ones. */
  readonly replan: readonly string[] | null;
  /** R7: per product, the latest arrival the new units may be promised against (the channel's window; null: any). */
  readonly latestArrival: ReadonlyMap<string, string | null>;
  /** Promised date of each waiting part line and each backorder part (null: not all promised). */
  readonly lineDates: ReadonlyMap<string, string | null>;
  readonly partDates: ReadonlyMap<string, string | null>;
}

type IntakePart = { id: string; status: 'open' | 'backorder'; lines: readonly (PlannedPartLine & { id: string })[] };

function withDates(parts: readonly IntakePart[], promises: readonly PlannedPromise[], rest: Pick<IntakePromises, 'lines' | 'replan' | 'latestArrival'>): IntakePromises {
  const byLine = groupBy(promises, (x) => x.partLineId);
  const lineDates = new Map<string, string | null>();
  const partDates = new Map<string, string | null>();
  for (const p of parts) {
    const waiting = p.lines.filter((l) => l.locationId === null);
    for (const l of waiting) lineDates.set(l.id, linePromisedDate(l.qty, byLine.get(l.id) ?? []));
    partDates.set(p.id, p.status === 'backorder' ? partPromisedDate(waiting.map((l) => lineDates.get(l.id)!)) : null);
  }
  return { promises, ...rest, lineDates, partDates };
}

/**
 * R7, R14: the latest arrival a new unit of the channel may be promised against: the end of the
 * channel's window (widened by a running season), or for a pre-order product the pre-order days.
 */
export function latestArrivals(ctx: CapacityContext, channelId: string, productIds: readonly string[]): Map<string, string | null> {
  const channel = ctx.channels.find((c) => c.id === channelId);
  const season = activeSeason(ctx.organisation.seasons, ctx.today);
  const ends = channel ? windowEnd(channel.window, ctx.today, season) : null;
  return new Map(productIds.map((id) => [id, ctx.products.get(id)?.policy === 'preorder' ? addDays(ctx.today, ctx.organisation.preorderDays) : ends]));
}

/**
 * R3: promises for the units of a new order that wait. A new unit is promised only within its
 * channel's share of each line and against lines arriving within the channel's window (R7),
 * exactly what the channel was offered; what falls outside stays unpromised (oversold). Under a fifo-only policy a new order
 * usually ranks after every promised unit of its SKU; then it is planned alone against the
 * capacity that is left, and the purchase-order lines' revisions guard that nothing changed
 * since they were read. Otherwise (another policy, a boosted or back-dated order) every promise
 * of the SKU is re-planned after the order is written, so the promises stay what the policy says.
 */
export async function promiseAtIntake(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  context: IntakeContext,
  parts: readonly IntakePart[],
  priority: number,
  placedAt: string,
  at: string,
): Promise<IntakePromises> {
  const waiting = parts.flatMap((p) => p.lines.filter((l) => l.locationId === null).map((l) => ({ part: p, line: l })));
  const nothing = withDates(parts, [], { lines: [], replan: null, latestArrival: new Map() });
  if (waiting.length === 0) return nothing;
  const productIds = [...new Set(waiting.map((w) => w.line.productId))].sort();
  const rows = await readIncoming(tx, dialect, orgId, productIds, { locationIds: context.locations.map((l) => l.id) });
  if (rows.length === 0) return nothing;
  const today = at.slice(0, 10);
  const capacityContext = await readCapacityContext(tx, orgId, productIds, rows.map((r) => r.supplier_id), today);
  const latestArrival = latestArrivals(capacityContext, context.channelId, productIds);
  const none = { ...nothing, latestArrival };
  const policy: Policy = { rules: JSON.parse(context.allocationPolicy) as AllocationRule[], tierOrder: JSON.parse(context.tierOrder) as string[] };
  let append = isFifoOnly(policy);
  for (const productId of append ? productIds : []) {
    const last = await lastRankedPromise(tx, dialect, productId);
    const first = waiting.find((w) => w.line.productId === productId)!;
    if (last && !ranksAfter({ priority, placedAt, partId: first.part.id, partLineId: first.line.id }, { priority: last.priority, placedAt: last.placed_at, partId: last.part_id, partLineId: last.part_line_id })) {
      append = false;
    }
  }
  if (!append) return { ...none, replan: productIds };
  const capacities = incomingCapacities(capacityContext, rows);
  const byChannel = await readPromisedByChannel(tx, productIds);
  const lines = rows.map((r) => {
    const key = lineKey(r.po_id, r.line_no);
    return toIncomingLine(r, capacities.get(key), today, { total: r.qty_promised, byChannel: byChannel.get(key) ?? new Map() });
  });
  const eligible = context.locations.map((l) => l.id);
  // Only the fifo key decides under a fifo-only policy; the other ranking fields are unused.
  const promises = planPromises(
    lines,
    waiting.map(({ part, line }) => ({
      partLineId: line.id,
      partId: part.id,
      orderId: '',
      productId: line.productId,
      qty: line.qty,
      placedAt,
      priority,
      channelPriority: 0,
      marginCents: 0,
      customerTier: '',
      customer: { country: '', latitude: null, longitude: null },
      eligibleLocations: eligible,
      channelId: context.channelId,
      allotmentOnly: true,
      latestArrival: latestArrival.get(line.productId) ?? null,
    })),
    policy,
  );
  return withDates(parts, promises, { lines, replan: null, latestArrival });
}

/** Writes the promise rows of a new order and takes their capacity off the purchase-order lines. */
export async function writeIntakePromises(
  tx: Kysely<Database>,
  dialect: Dialect,
  order: { orgId: string; orderId: string; priority: number; placedAt: string },
  p: IntakePromises,
) {
  if (p.promises.length === 0) return;
  await insertPromises(
    tx,
    dialect,
    p.promises.map((x) => ({
      org_id: order.orgId,
      product_id: x.productId,
      part_line_id: x.partLineId,
      part_id: x.partId,
      order_id: order.orderId,
      po_id: x.poId,
      po_line_no: x.lineNo,
      qty: x.qty,
      promised_date: x.promisedDate,
      priority: order.priority,
      placed_at: order.placedAt,
    })),
  );
  const taken = new Map<string, number>();
  for (const x of p.promises) taken.set(`${x.poId}|${x.lineNo}`, (taken.get(`${x.poId}|${x.lineNo}`) ?? 0) + x.qty);
  // In (PO, line) order, the order a re-plan locks them in.
  for (const line of [...p.lines].sort((a, b) => (a.poId < b.poId ? -1 : a.poId > b.poId ? 1 : a.lineNo - b.lineNo))) {
    const qty = taken.get(`${line.poId}|${line.lineNo}`);
    if (qty === undefined) continue;
    if (!(await takePromiseCapacity(tx, dialect, { poId: line.poId, lineNo: line.lineNo, revision: line.revision, capacity: line.capacityTotal }, qty))) {
      throw new RetryableConflict();
    }
  }
}
