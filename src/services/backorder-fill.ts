import { recountOrders } from '../store/order-tabs.repository.js';
import type { Kysely } from 'kysely';
import { allocate, type Allocation } from '../domain/allocation-policy.js';
import { tallyFill, tallyPromise } from '../domain/kpi-facts.js';
import { KpiTally } from '../domain/kpi-tally.js';
import { transition } from '../domain/part-lifecycle.js';
import { newId } from '../ids.js';
import type { Dialect } from '../store/db.js';
import type { NewEvent } from '../store/events.repository.js';
import { FILL_REASON } from '../store/kpi-history.repository.js';
import type { Database } from '../store/schema.js';
import { deletePartLines, setPartLineQty } from '../store/part-lines.repository.js';
import { changeReserved, lockLevels, lockProducts, recordMovements } from '../store/stock.repository.js';
import { channelLocationMap, readPolicy, readWaitingLines, toWaiting, type WaitingRow } from '../store/waiting-lines.repository.js';
import { RetryableConflict } from './retryable-conflict.js';

/** Rows per statement when a fill writes thousands of parts: few round trips, bounded statements. */
const CHUNK = 500;

const chunks = <T>(rows: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
};

/** Units handed to one waiting part: `partId` is the open part that now holds them. */
export interface FilledUnits {
  readonly orderId: string;
  /** The order's id at its channel, the channel's code, the customer and the SKU: what the dock team reads. */
  readonly externalId: string;
  readonly channel: string;
  readonly customer: { readonly id: string; readonly email: string };
  readonly sku: string;
  readonly partId: string;
  readonly productId: string;
  readonly locationId: string;
  readonly qty: number;
}

/** Where the units of a fill come from (R18 counts waits and promises by it). */
export interface FillSource {
  /** When the units count as allocated: a receipt's receivedAt, else the step's time. */
  readonly allocatedAt: string;
  /** The receipt's purchase order; null for freed or adjusted stock. */
  readonly purchaseOrder: { readonly number: string; readonly supplierId: string } | null;
}

export interface FillResult {
  readonly events: NewEvent[];
  /** R18: the waits ended and promises judged by this fill, for the step to add with its other figures. */
  readonly kpis: KpiTally;
  /** In the order the policy handed them out (the cross-dock list of a receipt). */
  readonly filled: FilledUnits[];
  /**
   * The waiting lines of the fill's products after it, when the fill read them: a re-plan of the
   * same products in the same step can start from these instead of reading them again.
   */
  readonly waitingAfter?: { readonly productIds: readonly string[]; readonly rows: readonly WaitingRow[] };
}

/**
 * R5, R19 (and R4's split): gives available units of the given products at the given locations
 * to waiting backorder parts, in the order of the organisation's allocation policy (R6). Runs
 * inside the caller's transaction and returns the events it caused and the units it handed out.
 * A part whose waiting units are all covered becomes open; under partial shipping a part covered
 * only in part splits, the covered units forming a new open part. Writes are set-based (a few
 * statements per 500 parts), so a receipt that fills 10,000 parts is not 10,000 round trips.
 */
export async function fillWaitingBackorders(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  productIds: readonly string[],
  locationIds: readonly string[],
  at: string,
  source: FillSource,
): Promise<FillResult> {
  const products = [...new Set(productIds)].sort();
  const locations = [...new Set(locationIds)].sort();
  const none: FillResult = { events: [], filled: [], kpis: new KpiTally() };
  if (products.length === 0 || locations.length === 0) return none;
  // Serialise fills per product (PostgreSQL): two fills for one SKU must not both see the same
  // waiting units. Then the levels; the waiting parts need no lock of their own (below).
  await lockProducts(tx, dialect, products);
  const levels = await lockLevels(tx, dialect, products, locations);
  if (!levels.some((l) => l.on_hand > l.reserved)) return none;

  // The products' locks cover the waiting parts: every step that changes a waiting part of
  // these products (a fill, a cancellation) takes them first, so the parts need no lock of their own.
  const waiting = await readWaitingLines(tx, orgId, products);
  if (waiting.length === 0) return none;

  const { policy } = await readPolicy(tx, orgId);
  const places = await tx.selectFrom('locations').select(['id', 'country', 'latitude', 'longitude']).where('id', 'in', locations).execute();
  const served = await channelLocationMap(tx, waiting.map((w) => w.channel_id));
  const placeOf = new Map(places.map((p) => [p.id, { country: p.country, latitude: p.latitude, longitude: p.longitude }]));

  const plan: Allocation[] = allocate(
    levels.map((l) => ({ productId: l.product_id, locationId: l.location_id, qty: l.on_hand - l.reserved, place: placeOf.get(l.location_id)! })),
    waiting.map((w) => toWaiting(w, (served.get(w.channel_id) ?? []).filter((l) => locations.includes(l)))),
    policy,
  );
  if (plan.length === 0) return none;

  const lineById = new Map(waiting.map((w) => [w.id, w]));
  const coveredByLine = new Map<string, number>();
  for (const c of plan) coveredByLine.set(c.partLineId, (coveredByLine.get(c.partLineId) ?? 0) + c.qty);

  // Waiting units left per touched part, counting its lines of products not in this fill too.
  const touchedParts = [...new Set(plan.map((c) => c.partId))];
  const touchedOrders = [...new Set(plan.map((c) => c.orderId))];
  const leftByPart = new Map<string, number>();
  for (const orders of chunks(touchedOrders)) {
    const rows = await tx
      .selectFrom('part_lines')
      .select(['part_id', 'id', 'qty'])
      .where('order_id', 'in', orders)
      .where('location_id', 'is', null)
      .execute();
    for (const l of rows) leftByPart.set(l.part_id, (leftByPart.get(l.part_id) ?? 0) + l.qty - (coveredByLine.get(l.id) ?? 0));
  }

  const firstLine = new Map<string, (typeof waiting)[number]>();
  for (const c of plan) if (!firstLine.has(c.partId)) firstLine.set(c.partId, lineById.get(c.partLineId)!);
  const targetPart = new Map<string, string>();
  const opened: string[] = [];
  const newParts: { id: string; org_id: string; order_id: string; status: 'open'; placed_at: string; promised_date: null; preorder: number; created_at: string; updated_at: string }[] = [];
  for (const partId of touchedParts) {
    const sample = firstLine.get(partId)!;
    if ((leftByPart.get(partId) ?? 0) === 0) {
      opened.push(partId);
      targetPart.set(partId, partId);
    } else if (sample.shipping_preference === 'partial') {
      const id = newId('prt');
      newParts.push({ id, org_id: orgId, order_id: sample.order_id, status: 'open', placed_at: sample.placed_at, promised_date: null, preorder: 0, created_at: at, updated_at: at });
      targetPart.set(partId, id);
    } else {
      targetPart.set(partId, partId);
    }
  }
  for (const ids of chunks(opened)) {
    await tx.updateTable('order_parts').set({ status: transition('backorder', 'cover'), updated_at: at }).where('id', 'in', ids).execute();
  }
  for (const rows of chunks(newParts)) await tx.insertInto('order_parts').values(rows).execute();
  await recountOrders(tx, dialect, orgId, touchedOrders);

  const gone: { id: string; orderId: string }[] = [];
  const shrunk: { id: string; orderId: string; qty: number }[] = [];
  for (const [lineId, covered] of coveredByLine) {
    const line = lineById.get(lineId)!;
    if (covered === line.qty) gone.push({ id: lineId, orderId: line.order_id });
    else shrunk.push({ id: lineId, orderId: line.order_id, qty: line.qty - covered });
  }
  await deletePartLines(tx, gone);
  await setPartLineQty(tx, shrunk);
  const filled: FilledUnits[] = plan.map((c) => {
    const line = lineById.get(c.partLineId)!;
    return {
      orderId: c.orderId,
      externalId: line.external_id,
      channel: line.channel_code,
      customer: { id: line.customer_external_id, email: line.customer_email },
      sku: line.sku,
      partId: targetPart.get(c.partId)!,
      productId: c.productId,
      locationId: c.locationId,
      qty: c.qty,
    };
  });
  const newLines = plan.map((c) => ({
    id: newId('pln'),
    org_id: orgId,
    part_id: targetPart.get(c.partId)!,
    order_id: c.orderId,
    line_no: lineById.get(c.partLineId)!.line_no,
    product_id: c.productId,
    location_id: c.locationId,
    qty: c.qty,
    oversold: 0,
    promised_date: null,
  }));
  for (const rows of chunks(newLines)) await tx.insertInto('part_lines').values(rows).execute();

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
  // The reason tells a fill's ledger rows from intake's (kpi-history.repository reads it back).
  const reason = source.purchaseOrder ? `purchase order ${source.purchaseOrder.number}` : FILL_REASON;
  for (const rows of chunks(filled)) {
    await recordMovements(
      tx,
      dialect,
      orgId,
      at,
      rows.map((f) => ({ productId: f.productId, locationId: f.locationId, kind: 'allocation' as const, onHandDelta: 0, reservedDelta: f.qty, orderId: f.orderId, partId: f.partId, reason })),
    );
  }
  for (const ids of chunks(touchedOrders)) await tx.updateTable('orders').set({ updated_at: at }).where('id', 'in', ids).execute();

  const unitsByPart = new Map<string, { productId: string; locationId: string; qty: number }[]>();
  for (const c of plan) {
    const units = unitsByPart.get(c.partId) ?? [];
    units.push({ productId: c.productId, locationId: c.locationId, qty: c.qty });
    unitsByPart.set(c.partId, units);
  }
  const events: NewEvent[] = touchedParts.map((partId) => {
    const orderId = firstLine.get(partId)!.order_id;
    return {
      type: 'order.part_allocated',
      subjectType: 'order',
      subjectId: orderId,
      payload: {
        orderId,
        backorderPartId: partId,
        openPartId: targetPart.get(partId),
        split: targetPart.get(partId) !== partId,
        complete: (leftByPart.get(partId) ?? 0) === 0,
        units: unitsByPart.get(partId),
      },
    };
  });
  const shrunkQty = new Map(shrunk.map((r) => [r.id, r.qty]));
  const goneIds = new Set(gone.map((r) => r.id));
  const rows = waiting.filter((w) => !goneIds.has(w.id)).map((w) => (shrunkQty.has(w.id) ? { ...w, qty: shrunkQty.get(w.id)! } : w));
  return { events, filled, kpis: fillKpis(plan, lineById, opened, source), waitingAfter: { productIds: products, rows } };
}

/** R18: every piece handed out ends a wait; every part it opened has its promise judged. */
function fillKpis(plan: readonly Allocation[], lineById: ReadonlyMap<string, WaitingRow>, opened: readonly string[], source: FillSource): KpiTally {
  const tally = new KpiTally();
  const supplierId = source.purchaseOrder?.supplierId ?? '';
  const byPart = new Map<string, Allocation[]>();
  for (const c of plan) {
    const line = lineById.get(c.partLineId)!;
    tallyFill(tally, { placedAt: line.placed_at, allocatedAt: source.allocatedAt, channelId: line.channel_id, productId: c.productId, supplierId, qty: c.qty });
    byPart.set(c.partId, [...(byPart.get(c.partId) ?? []), c]);
  }
  for (const partId of opened) {
    const pieces = byPart.get(partId)!;
    const line = lineById.get(pieces[0]!.partLineId)!;
    if (line.part_promised_date === null) continue;
    tallyPromise(tally, { allocatedAt: source.allocatedAt, promisedDate: line.part_promised_date, channelId: line.channel_id, supplierId, productIds: pieces.map((c) => c.productId) });
  }
  return tally;
}
