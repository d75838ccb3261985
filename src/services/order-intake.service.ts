import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { backorderAllowed } from '../domain/backorder-permission.js';
import { splitOrder, type ShippingPreference, type SplitPlan } from '../domain/split-order.js';
import { newId } from '../ids.js';
import { raise } from './alerts.service.js';
import { countNewOrder } from '../store/order-tabs.repository.js';
import { appendEvents, eventIdFloor, eventParams, type NewEvent } from '../store/events.repository.js';
import { insertCustomerAndOrder, readIntakeContext, readProducts, writeOrderRows } from '../store/order-intake.repository.js';
import { getOrderRows } from '../store/orders.repository.js';
import type { Database } from '../store/schema.js';
import { lockLevels, movementParams } from '../store/stock.repository.js';
import type { Caller, Services } from './context.js';
import type { CompleteInTx } from './idempotency.service.js';
import { customerFields, type CustomerInput } from './customers.service.js';
import { toCents } from './money.js';
import { placedOrderView } from './placed-order-view.js';
import { promiseAtIntake, writeIntakePromises } from './intake-promises.js';
import { replanPromises } from './promise-replan.js';
import { markOffersDirty } from '../store/offer-dirty.repository.js';
import { detectSpikes } from './spike-detection.js';
import { addDailySales } from '../store/offer-inputs.repository.js';
import { addKpis } from '../store/kpi-daily.repository.js';
import { intakeKpis } from './kpi-steps.js';
import { toOrderViews, type OrderView } from './order-view.js';
import { requestHash } from './request-hash.js';
import { RetryableConflict } from './retryable-conflict.js';

export interface OrderInput {
  channel: string;
  externalId: string;
  placedAt?: string;
  shippingPreference?: ShippingPreference;
  priority?: number;
  customer: CustomerInput;
  lines: { sku: string; qty: number; unitPrice: number }[];
}

export interface PlaceOrderOptions {
  /** R3: a checkout may ask for 409 instead of a backorder R1 does not allow. */
  readonly strict?: boolean;
  readonly completeIdempotencyKey?: CompleteInTx;
}

export interface PlacedOrder {
  /** false when the same channel order was imported before (R2): the stored order is returned. */
  readonly created: boolean;
  readonly order: OrderView;
}

class DuplicateOrder extends Error {}

/**
 * The order as stored, for comparing a re-import with the first (R2): the same instant written
 * differently, a lower-case country or an omitted default is the same order.
 */
function normalised(input: OrderInput): unknown {
  return {
    ...input,
    placedAt: input.placedAt === undefined ? undefined : new Date(input.placedAt).toISOString(),
    shippingPreference: input.shippingPreference ?? 'partial',
    priority: input.priority ?? 0,
    customer: { id: input.customer.id, ...customerFields(input.customer) },
    lines: input.lines.map((l) => ({ ...l, unitPrice: Math.round(l.unitPrice * 100) })),
  };
}

/**
 * R2 + R3: imports one order and splits it on the spot, in one transaction with its ledger
 * rows and events. Idempotent on (organisation, channel, external id).
 */
export async function placeOrder(
  services: Services,
  caller: Caller,
  input: OrderInput,
  options: PlaceOrderOptions = {},
): Promise<PlacedOrder> {
  const hash = requestHash(normalised(input));
  const unitCents = input.lines.map((l, i) => toCents(l.unitPrice, `lines[${i}].unitPrice`));
  try {
    return await services.store.transact((tx) => insertOrder(services, tx, caller.orgId, input, unitCents, hash, options));
  } catch (err) {
    if (!(err instanceof DuplicateOrder)) throw err;
    return existingOrder(services, caller.orgId, input, hash, options);
  }
}

async function insertOrder(
  services: Services,
  tx: Kysely<Database>,
  orgId: string,
  input: OrderInput,
  unitCents: readonly number[],
  hash: string,
  options: PlaceOrderOptions,
): Promise<PlacedOrder> {
  const dialect = services.store.dialect;
  const at = services.now().toISOString();
  const placedAt = input.placedAt ? new Date(input.placedAt).toISOString() : at;
  const shipping = input.shippingPreference ?? 'partial';

  const context = await readIntakeContext(tx, dialect, orgId, input.channel);
  if (!context) throw new AppError('UNKNOWN_CHANNEL', `No channel with code '${input.channel}'.`, { channel: input.channel });
  const skus = [...new Set(input.lines.map((l) => l.sku))];
  const products = await readProducts(tx, dialect, orgId, skus);
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const unknown = skus.filter((s) => !bySku.has(s));
  if (unknown.length > 0) throw new AppError('UNKNOWN_SKU', `Unknown SKU: ${unknown.join(', ')}.`, { skus: unknown });

  const c = input.customer;
  const orderId = newId('ord');
  const inserted = await insertCustomerAndOrder(
    tx,
    dialect,
    { id: newId('cus'), org_id: orgId, external_id: c.id, created_at: at, ...customerFields(c) },
    {
      id: orderId,
      org_id: orgId,
      channel_id: context.channelId,
      external_id: input.externalId,
      placed_at: placedAt,
      shipping_preference: shipping,
      priority: input.priority ?? 0,
      request_hash: hash,
      created_at: at,
      updated_at: at,
    },
  );
  if (!inserted) throw new DuplicateOrder();

  const locationIds = context.locations.map((l) => l.id);
  const levels = await lockLevels(tx, dialect, products.map((p) => p.id).sort(), locationIds);
  const rank = new Map(locationIds.map((id, i) => [id, i]));
  const plan = splitOrder(
    input.lines.map((l, i) => {
      const product = bySku.get(l.sku)!;
      return {
        lineNo: i + 1,
        productId: product.id,
        qty: l.qty,
        backorderAllowed: backorderAllowed({
          organisationEnabled: context.backordersEnabled,
          productPolicy: product.backorder_policy,
          channelAccepts: context.acceptsBackorders,
        }),
      };
    }),
    levels.map((l) => ({ productId: l.product_id, locationId: l.location_id, rank: rank.get(l.location_id)!, available: l.on_hand - l.reserved })),
    shipping,
  );
  if (options.strict && plan.disallowedLines.length > 0) {
    const short = plan.disallowedLines.map((n) => {
      const reserved = plan.parts.flatMap((p) => p.lines).filter((l) => l.lineNo === n && l.locationId !== null);
      return { lineNo: n, sku: input.lines[n - 1]!.sku, requested: input.lines[n - 1]!.qty, available: reserved.reduce((a, l) => a + l.qty, 0) };
    });
    throw new AppError(
      'INSUFFICIENT_STOCK',
      `Not enough stock, and backorders are not allowed, for: ${short.map((s) => `${s.sku} (${s.available} of ${s.requested} available)`).join(', ')}.`,
      { skus: short.map((s) => s.sku), lines: short },
    );
  }

  const parts = plan.parts.map((p) => ({ id: newId('prt'), ...p, lines: p.lines.map((l) => ({ id: newId('pln'), ...l })) }));
  const preorderProducts = new Set(products.filter((p) => p.backorder_policy === 'preorder').map((p) => p.id));
  const promising = await promiseAtIntake(tx, dialect, orgId, context, parts, input.priority ?? 0, placedAt, at);
  let order = placedOrderView({ orderId, input, placedAt, shipping, at, parts, products, locations: context.locations, unitCents, promising });
  const reserved = await writeOrderRows(tx, dialect, {
    at,
    lines: input.lines.map((l, i) => ({ org_id: orgId, order_id: orderId, line_no: i + 1, product_id: bySku.get(l.sku)!.id, qty: l.qty, unit_price_cents: unitCents[i]! })),
    parts: parts.map((p) => ({
      id: p.id,
      org_id: orgId,
      order_id: orderId,
      status: p.status,
      placed_at: placedAt,
      promised_date: promising.partDates.get(p.id) ?? null,
      // R14: a backorder part waiting for a pre-order product is a pre-order.
      preorder: p.status === 'backorder' && p.lines.some((l) => l.locationId === null && preorderProducts.has(l.productId)) ? 1 : 0,
      created_at: at,
      updated_at: at,
    })),
    partLines: parts.flatMap((p) =>
      p.lines.map((l) => {
        const date = promising.lineDates.get(l.id) ?? null;
        return {
          id: l.id,
          org_id: orgId,
          part_id: p.id,
          order_id: orderId,
          line_no: l.lineNo,
          product_id: l.productId,
          location_id: l.locationId,
          qty: l.qty,
          // R3: waiting units no incoming purchase order covers are oversold.
          oversold: l.locationId === null && date === null ? 1 : 0,
          promised_date: date,
        };
      }),
    ),
    reservations: plan.reservations,
    movementParams: movementParams(orgId, at, allocations(orderId, parts, plan)),
    // When promises must be re-planned, the events follow the re-plan (they carry the promise).
    eventParams: promising.replan ? [] : eventParams(orgId, at, orderEvents(order), await eventIdFloor(tx, dialect, orgId)),
  });
  // Levels are locked (PostgreSQL) or the write lock is held (SQLite): a miss means a bug or a
  // concurrent change the locks did not cover; the whole step runs again rather than oversell.
  if (reserved !== plan.reservations.length) throw new RetryableConflict();
  // Issue 7: the order's tabs, counted with it.
  await countNewOrder(tx, dialect, orgId, { id: orderId, channelId: context.channelId, statuses: parts.map((p) => p.status) });
  await writeIntakePromises(tx, dialect, { orgId, orderId, priority: input.priority ?? 0, placedAt }, promising);
  if (promising.replan) {
    const others = await replanPromises(tx, dialect, orgId, promising.replan, at, {
      quietOrders: new Set([orderId]),
      newOrder: { orderId, latestArrival: promising.latestArrival },
    });
    [order] = toOrderViews(await getOrderRows(tx, orgId, [orderId])) as [OrderView];
    await appendEvents(tx, dialect, orgId, at, [...orderEvents(order), ...others]);
  }
  // R7/R8/R9: the day's and the hour's sales (grade caps and spikes count in them), then what every channel may sell now.
  const sold = input.lines.map((l) => ({ productId: bySku.get(l.sku)!.id, sku: l.sku, qty: l.qty }));
  const hourUnits = await addDailySales(tx, dialect, orgId, placedAt, sold);
  // R9: a spike pauses the SKU's incoming offer; the marks below make the refresher show it.
  await detectSpikes(tx, dialect, orgId, context.spikes, { placedAt, at, lines: sold, hourUnits });
  await markOffersDirty(tx, dialect, orgId, products.map((p) => p.id), at);
  for (const sku of new Set(order.parts.flatMap((p) => p.lines.filter((l) => l.oversold).map((l) => l.sku)))) {
    await raise(tx, dialect, orgId, at, {
      type: 'oversold',
      subjectType: 'product',
      subjectId: sku,
      message: `Units of ${sku} were ordered with no stock or incoming purchase order to cover them.`,
      details: { sku, cause: 'ordered_uncovered' },
    });
  }
  // R18: last, so the day's shared KPI rows stay locked (PostgreSQL) only until the commit.
  const productIds = input.lines.map((l) => bySku.get(l.sku)!.id);
  await addKpis(tx, dialect, orgId, intakeKpis({ channel_id: context.channelId, placed_at: placedAt }, productIds, order));
  if (options.completeIdempotencyKey) await options.completeIdempotencyKey(tx, 201, order);
  return { created: true, order };
}

/** One allocation movement per level reserved (the ledger, SPEC §2). */
function allocations(orderId: string, parts: readonly ({ id: string } & SplitPlan['parts'][number])[], plan: SplitPlan) {
  const partOf = new Map<string, string>();
  for (const p of parts) for (const l of p.lines) if (l.locationId) partOf.set(`${l.productId}|${l.locationId}`, p.id);
  return plan.reservations.map((r) => ({
    productId: r.productId,
    locationId: r.locationId,
    kind: 'allocation' as const,
    onHandDelta: 0,
    reservedDelta: r.qty,
    orderId,
    partId: partOf.get(`${r.productId}|${r.locationId}`) ?? null,
  }));
}

function orderEvents(order: OrderView): NewEvent[] {
  const events: NewEvent[] = [
    {
      type: 'order.created',
      subjectType: 'order',
      subjectId: order.id,
      payload: { orderId: order.id, channel: order.channel, externalId: order.externalId, parts: order.parts },
    },
  ];
  const waiting = order.parts.find((p) => p.status === 'backorder');
  if (waiting) {
    events.push({
      type: 'order.backordered',
      subjectType: 'order',
      subjectId: order.id,
      // R3/R11: the customer is told the promised date (null: nothing incoming covers it yet).
      payload: { orderId: order.id, partId: waiting.id, promisedDate: waiting.promisedDate, lines: waiting.lines.filter((l) => l.location === null) },
    });
  }
  return events;
}

async function existingOrder(
  services: Services,
  orgId: string,
  input: OrderInput,
  hash: string,
  options: PlaceOrderOptions,
): Promise<PlacedOrder> {
  return services.store.transact(async (tx) => {
    const found = await tx
      .selectFrom('orders as o')
      .innerJoin('channels as c', 'c.id', 'o.channel_id')
      .select(['o.id', 'o.request_hash'])
      .where('o.org_id', '=', orgId)
      .where('c.code', '=', input.channel)
      .where('o.external_id', '=', input.externalId)
      .executeTakeFirstOrThrow();
    if (found.request_hash !== hash) {
      throw new AppError(
        'ORDER_CONFLICT',
        `Order '${input.externalId}' from channel '${input.channel}' was already imported with different contents.`,
        { orderId: found.id },
      );
    }
    const [order] = toOrderViews(await getOrderRows(tx, orgId, [found.id]));
    if (options.completeIdempotencyKey) await options.completeIdempotencyKey(tx, 200, order);
    return { created: false, order: order! };
  });
}
