import { groupBy } from '../collections.js';
import type { Kysely } from 'kysely';
import type { LineCapacity } from '../domain/offer-capacity.js';
import { addDays, linePromisedDate, partPromisedDate, planPromises, type IncomingLine, type PlannedPromise, type PromiseWaiting } from '../domain/promise-plan.js';
import { raise } from './alerts.service.js';
import type { Dialect } from '../store/db.js';
import type { NewEvent } from '../store/events.repository.js';
import {
  deletePromisesOfLines,
  insertPromises,
  otherWaitingLineDates,
  readIncoming,
  readPromises,
  setLinePromises,
  setPartPromisedDates,
  setPromisedOnLine,
  type IncomingRow,
} from '../store/promises.repository.js';
import type { Database, PromisesTable } from '../store/schema.js';
import { channelLocationMap, readPolicy, readWaitingLines, toWaiting, type WaitingRow } from '../store/waiting-lines.repository.js';
import { effectiveArrivalOf, incomingCapacities, lineKey, readCapacityContext } from './capacity-context.js';

export type PlannerLine = IncomingLine & { revision: number; capacityTotal: number; number: string };

/**
 * An incoming row as the promise planner sees it. A re-plan starts from the whole capacity and
 * every channel's whole allotment (R7); order intake passes what is promised already (`taken`),
 * and gets what is left of each allotment and no pool.
 */
export function toIncomingLine(r: IncomingRow, cap: LineCapacity | undefined, today: string, taken?: { total: number; byChannel: ReadonlyMap<string, number> }): PlannerLine {
  const arrivalDate = effectiveArrivalOf(r, today);
  const capacityTotal = cap?.capacity ?? 0;
  const allotments = new Map([...(cap?.allotments ?? [])].map(([channel, units]) => [channel, Math.max(0, units - (taken?.byChannel.get(channel) ?? 0))]));
  return {
    allotments,
    pool: taken ? 0 : (cap?.pool ?? 0),
    poId: r.po_id,
    number: r.number,
    lineNo: r.line_no,
    productId: r.product_id,
    locationId: r.location_id,
    place: { country: r.country, latitude: r.latitude, longitude: r.longitude },
    arrivalDate,
    promisedDate: addDays(arrivalDate, r.handling_days),
    capacity: Math.max(0, capacityTotal - (taken?.total ?? 0)),
    capacityTotal,
    revision: r.revision,
  };
}

export interface ReplanOptions {
  /** Orders whose promise changes are reported elsewhere (a new order reports its promise itself). */
  readonly quietOrders?: ReadonlySet<string>;
  /** The waiting lines of exactly these products as they stand in this step (a fill just read them). */
  readonly waiting?: { readonly productIds: readonly string[]; readonly rows: readonly WaitingRow[] };
  /**
   * A new order's waiting lines, re-planned with the others at intake: they take only their
   * channel's allotment of lines arriving by `latestArrival` (per product; null: any), R7.
   */
  readonly newOrder?: { readonly orderId: string; readonly latestArrival: ReadonlyMap<string, string | null> };
}

/**
 * R3, R5: re-plans every promise of the given products from scratch, inside the caller's
 * transaction, and writes only what changed: promise rows, what each purchase-order line has
 * promised (and its revision, so a concurrent order intake that read the old state runs again),
 * oversold flags and promised dates of waiting lines and backorder parts. Returns one
 * `order.promise_changed` event per backorder part whose promised date changed.
 *
 * Called after anything that changes incoming stock (a purchase order created, moved, changed,
 * cancelled or received) or the waiting units (a fill, a cancellation, a priority boost).
 */
export async function replanPromises(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  productIds: readonly string[],
  at: string,
  options: ReplanOptions = {},
): Promise<NewEvent[]> {
  const products = [...new Set(productIds)].sort();
  if (products.length === 0) return [];
  // Lock order (PostgreSQL): the purchase-order lines first; intake's conditional update on a
  // line waits for this step, and this step reads the waiting lines only once it holds them.
  const incomingRows = await readIncoming(tx, dialect, orgId, products, { lock: true });
  const existing = await readPromises(tx, products);
  if (incomingRows.length === 0 && existing.length === 0) return [];

  const { policy } = await readPolicy(tx, orgId);
  const known = options.waiting;
  const sameProducts = known !== undefined && known.productIds.length === products.length && [...known.productIds].sort().every((id, i) => id === products[i]);
  const waitingRows = sameProducts ? known.rows : await readWaitingLines(tx, orgId, products);
  const served = await channelLocationMap(tx, waitingRows.map((w) => w.channel_id));
  const today = at.slice(0, 10);
  const context = await readCapacityContext(tx, orgId, products, incomingRows.map((r) => r.supplier_id), today);
  const capacities = incomingCapacities(context, incomingRows);
  const incoming = incomingRows.map((r) => toIncomingLine(r, capacities.get(lineKey(r.po_id, r.line_no)), today));
  const fresh = options.newOrder;
  const plan = planPromises(
    incoming,
    waitingRows.map((w): PromiseWaiting => {
      const base = { ...toWaiting(w, served.get(w.channel_id) ?? []), channelId: w.channel_id };
      return fresh?.orderId === w.order_id ? { ...base, allotmentOnly: true, latestArrival: fresh.latestArrival.get(w.product_id) ?? null } : base;
    }),
    policy,
  );

  await writePromiseRows(tx, dialect, orgId, waitingRows, existing, plan);
  // What each line has promised is the sum of its promise rows; lines of orders that closed
  // (received, cancelled) lose theirs.
  const promisedOn = new Map<string, number>();
  for (const p of plan) promisedOn.set(`${p.poId}|${p.lineNo}`, (promisedOn.get(`${p.poId}|${p.lineNo}`) ?? 0) + p.qty);
  const open = new Set(incomingRows.map((l) => `${l.po_id}|${l.line_no}`));
  const closed = new Map(existing.filter((r) => !open.has(`${r.po_id}|${r.po_line_no}`)).map((r) => [`${r.po_id}|${r.po_line_no}`, r]));
  for (const line of incomingRows) await setPromisedOnLine(tx, line.po_id, line.line_no, promisedOn.get(`${line.po_id}|${line.line_no}`) ?? 0);
  for (const r of closed.values()) await setPromisedOnLine(tx, r.po_id, r.po_line_no, 0);
  return writeDates(tx, dialect, orgId, products, waitingRows, plan, at, options);
}

/** Rewrites the promises of every waiting line whose promises changed, and drops those of lines that no longer wait. */
async function writePromiseRows(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  waitingRows: readonly WaitingRow[],
  existing: readonly PromisesTable[],
  plan: readonly PlannedPromise[],
) {
  const lineOf = new Map(waitingRows.map((w) => [w.id, w]));
  const planned = groupBy(
    plan.map((p): PromisesTable => {
      const w = lineOf.get(p.partLineId)!;
      return {
        org_id: orgId,
        product_id: p.productId,
        part_line_id: p.partLineId,
        part_id: p.partId,
        order_id: p.orderId,
        po_id: p.poId,
        po_line_no: p.lineNo,
        qty: p.qty,
        promised_date: p.promisedDate,
        priority: w.priority,
        placed_at: w.placed_at,
      };
    }),
    (r) => r.part_line_id,
  );
  const stored = groupBy(existing, (r) => r.part_line_id);
  const changedByProduct = new Map<string, string[]>();
  const inserts: PromisesTable[] = [];
  for (const lineId of new Set([...planned.keys(), ...stored.keys()])) {
    const want = planned.get(lineId) ?? [];
    const have = stored.get(lineId) ?? [];
    if (signature(want) === signature(have)) continue;
    const productId = (want[0] ?? have[0])!.product_id;
    if (have.length > 0) changedByProduct.set(productId, [...(changedByProduct.get(productId) ?? []), lineId]);
    inserts.push(...want);
  }
  for (const [productId, lineIds] of changedByProduct) await deletePromisesOfLines(tx, productId, lineIds);
  await insertPromises(tx, dialect, inserts);
}

function signature(rows: readonly PromisesTable[]): string {
  return rows
    .map((r) => `${r.po_id}|${r.po_line_no}|${r.qty}|${r.promised_date}|${r.priority}|${r.placed_at}|${r.part_id}`)
    .sort()
    .join(';');
}

async function writeDates(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  products: readonly string[],
  waitingRows: readonly WaitingRow[],
  plan: readonly PlannedPromise[],
  at: string,
  options: ReplanOptions,
): Promise<NewEvent[]> {
  const byLine = groupBy(plan, (p) => p.partLineId);
  const lineDate = new Map<string, string | null>();
  const lineUpdates: { id: string; orderId: string; promisedDate: string | null }[] = [];
  const newlyOversold = new Set<string>();
  for (const w of waitingRows) {
    const date = linePromisedDate(w.qty, byLine.get(w.id) ?? []);
    lineDate.set(w.id, date);
    if (date !== w.promised_date || (date === null) !== (w.oversold === 1)) {
      lineUpdates.push({ id: w.id, orderId: w.order_id, promisedDate: date });
      if (date === null && w.oversold === 0) newlyOversold.add(w.product_id);
    }
  }
  await setLinePromises(tx, lineUpdates);

  // A part's date spans all its waiting lines. Parts with a changed line, or whose lines of
  // these products give another date than the stored one, also read their other products' lines.
  const parts = new Map<string, { orderId: string; before: string | null; dates: (string | null)[]; changed: boolean }>();
  const changedLines = new Set(lineUpdates.map((l) => l.id));
  for (const w of waitingRows) {
    const part = parts.get(w.part_id) ?? { orderId: w.order_id, before: w.part_promised_date, dates: [], changed: false };
    part.dates.push(lineDate.get(w.id)!);
    part.changed ||= changedLines.has(w.id);
    parts.set(w.part_id, part);
  }
  const candidates = [...parts.entries()].filter(([, p]) => p.changed || partPromisedDate(p.dates) !== p.before);
  for (const other of await otherWaitingLineDates(tx, candidates.map(([id, p]) => ({ id, orderId: p.orderId })), products)) {
    parts.get(other.part_id)!.dates.push(other.promised_date);
  }

  const partUpdates: { id: string; promisedDate: string | null }[] = [];
  const events: NewEvent[] = [];
  for (const [partId, p] of candidates) {
    const date = partPromisedDate(p.dates);
    if (date === p.before) continue;
    partUpdates.push({ id: partId, promisedDate: date });
    if (options.quietOrders?.has(p.orderId)) continue;
    events.push({
      type: 'order.promise_changed',
      subjectType: 'order',
      subjectId: p.orderId,
      payload: { orderId: p.orderId, partId, previousDate: p.before, promisedDate: date, later: p.before !== null && (date === null || date > p.before) },
    });
  }
  await setPartPromisedDates(tx, partUpdates, at);
  for (const productId of newlyOversold) {
    const { sku } = await tx.selectFrom('products').select('sku').where('id', '=', productId).executeTakeFirstOrThrow();
    await raise(tx, dialect, orgId, at, {
      type: 'oversold',
      subjectType: 'product',
      subjectId: sku,
      message: `Waiting units of ${sku} lost their promise: incoming purchase orders no longer cover them.`,
      details: { sku, cause: 'promise_lost' },
    });
  }
  return events;
}


/**
 * Re-plans every product of the organisation that has waiting units or incoming stock: after a
 * change of the allocation policy, its tier order or the acceptance ratio. Its cost grows with
 * the waiting units of the whole organisation.
 */
export async function replanOrganisation(tx: Kysely<Database>, dialect: Dialect, orgId: string, at: string): Promise<NewEvent[]> {
  const waiting = await tx.selectFrom('part_lines').select('product_id').distinct().where('org_id', '=', orgId).where('location_id', 'is', null).execute();
  const incoming = await tx.selectFrom('purchase_order_lines').select('product_id').distinct().where('org_id', '=', orgId).execute();
  return replanInBatches(tx, dialect, orgId, [...waiting, ...incoming].map((r) => r.product_id), at);
}

/** Re-plans the products a channel's orders wait for (its priority or its locations changed, R3/R6). */
export async function replanChannel(tx: Kysely<Database>, dialect: Dialect, orgId: string, channelId: string, at: string): Promise<NewEvent[]> {
  const rows = await tx
    .selectFrom('part_lines as pl')
    .innerJoin('orders as o', 'o.id', 'pl.order_id')
    .select('pl.product_id')
    .distinct()
    .where('o.org_id', '=', orgId)
    .where('o.channel_id', '=', channelId)
    .where('pl.location_id', 'is', null)
    .execute();
  return replanInBatches(tx, dialect, orgId, rows.map((r) => r.product_id), at);
}

/** Re-plans the products on their way to a location (its handling days or coordinates changed). */
export async function replanLocation(tx: Kysely<Database>, dialect: Dialect, orgId: string, locationId: string, at: string): Promise<NewEvent[]> {
  const rows = await tx
    .selectFrom('purchase_order_lines as pl')
    .innerJoin('purchase_orders as po', 'po.id', 'pl.po_id')
    .select('pl.product_id')
    .distinct()
    .where('po.org_id', '=', orgId)
    .where('po.location_id', '=', locationId)
    .where('po.status', 'in', ['open', 'partially_received'])
    .execute();
  return replanInBatches(tx, dialect, orgId, rows.map((r) => r.product_id), at);
}

/** A few hundred products a step keeps each statement's IN list bounded. */
async function replanInBatches(tx: Kysely<Database>, dialect: Dialect, orgId: string, productIds: readonly string[], at: string): Promise<NewEvent[]> {
  const products = [...new Set(productIds)].sort();
  const events: NewEvent[] = [];
  for (let i = 0; i < products.length; i += 200) events.push(...(await replanPromises(tx, dialect, orgId, products.slice(i, i + 200), at)));
  return events;
}

/** Re-plans the products an order waits for (its manual priority changed, R6). */
export async function replanOrder(tx: Kysely<Database>, dialect: Dialect, orgId: string, orderId: string, at: string): Promise<NewEvent[]> {
  const rows = await tx.selectFrom('part_lines').select('product_id').distinct().where('order_id', '=', orderId).where('location_id', 'is', null).execute();
  return replanPromises(tx, dialect, orgId, rows.map((r) => r.product_id), at);
}
