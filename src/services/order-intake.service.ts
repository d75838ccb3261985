import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { backorderAllowed, type BackorderPolicy } from '../domain/backorder-permission.js';
import { splitOrder, type ShippingPreference } from '../domain/split-order.js';
import { newId } from '../ids.js';
import { raiseAlert } from '../store/alerts.repository.js';
import { appendEvents, type NewEvent } from '../store/events.repository.js';
import { getIntakeContext, getOrderRows, getProductsBySku } from '../store/orders.repository.js';
import type { Database } from '../store/schema.js';
import { changeReserved, lockLevels, recordMovements } from '../store/stock.repository.js';
import type { Caller, Services } from './context.js';
import type { CompleteInTx } from './idempotency.service.js';
import { toOrderViews, type OrderView } from './order-view.js';
import { requestHash } from './request-hash.js';
import { toCents } from './money.js';
import { RetryableConflict } from './retryable-conflict.js';

export interface OrderInput {
  channel: string;
  externalId: string;
  placedAt?: string;
  shippingPreference?: ShippingPreference;
  priority?: number;
  customer: {
    id: string;
    email: string;
    locale: 'nl' | 'de' | 'en';
    tier?: string;
    country: string;
    postcode?: string;
    latitude?: number;
    longitude?: number;
  };
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
 * R2 + R3: imports one order and splits it on the spot, in one transaction with its ledger
 * rows and events. Idempotent on (organisation, channel, external id).
 */
export async function placeOrder(
  services: Services,
  caller: Caller,
  input: OrderInput,
  options: PlaceOrderOptions = {},
): Promise<PlacedOrder> {
  const hash = requestHash(input);
  const { store } = services;
  input.lines.forEach((l, i) => toCents(l.unitPrice, `lines[${i}].unitPrice`));
  try {
    return await store.transact((tx) => insertOrder(services, tx, caller.orgId, input, hash, options));
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
  hash: string,
  options: PlaceOrderOptions,
): Promise<PlacedOrder> {
  const at = services.now().toISOString();
  const placedAt = input.placedAt ? new Date(input.placedAt).toISOString() : at;
  const shipping = input.shippingPreference ?? 'partial';

  const context = await getIntakeContext(tx, orgId, input.channel);
  if (!context) throw new AppError('UNKNOWN_CHANNEL', `No channel with code '${input.channel}'.`, { channel: input.channel });
  const skus = [...new Set(input.lines.map((l) => l.sku))];
  const products = await getProductsBySku(tx, orgId, skus);
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const unknown = skus.filter((s) => !bySku.has(s));
  if (unknown.length > 0) {
    throw new AppError('UNKNOWN_SKU', `Unknown SKU: ${unknown.join(', ')}.`, { skus: unknown });
  }

  const customerId = await upsertCustomer(tx, orgId, input.customer, at);
  const orderId = newId('ord');
  const inserted = await tx
    .insertInto('orders')
    .values({
      id: orderId,
      org_id: orgId,
      channel_id: context.channelId,
      external_id: input.externalId,
      placed_at: placedAt,
      customer_id: customerId,
      shipping_preference: shipping,
      priority: input.priority ?? 0,
      request_hash: hash,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['org_id', 'channel_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new DuplicateOrder();

  const productIds = products.map((p) => p.id).sort();
  const levels = await lockLevels(tx, services.store.dialect, productIds, context.locationIds);
  const rank = new Map(context.locationIds.map((id, i) => [id, i]));
  const lines = input.lines.map((l, i) => {
    const product = bySku.get(l.sku)!;
    return {
      lineNo: i + 1,
      productId: product.id,
      qty: l.qty,
      backorderAllowed: backorderAllowed({
        organisationEnabled: context.backordersEnabled,
        productPolicy: product.backorder_policy as BackorderPolicy,
        channelAccepts: context.acceptsBackorders,
      }),
    };
  });
  const plan = splitOrder(
    lines,
    levels.map((l) => ({
      productId: l.product_id,
      locationId: l.location_id,
      rank: rank.get(l.location_id)!,
      available: l.on_hand - l.reserved,
    })),
    shipping,
  );
  if (options.strict && plan.disallowedLines.length > 0) {
    const skusShort = plan.disallowedLines.map((n) => input.lines[n - 1]!.sku);
    throw new AppError('INSUFFICIENT_STOCK', `Not enough stock and backorders are not allowed for: ${skusShort.join(', ')}.`, {
      skus: skusShort,
    });
  }

  await tx
    .insertInto('order_lines')
    .values(
      input.lines.map((l, i) => ({
        org_id: orgId,
        order_id: orderId,
        line_no: i + 1,
        product_id: bySku.get(l.sku)!.id,
        qty: l.qty,
        unit_price_cents: toCents(l.unitPrice, `lines[${i}].unitPrice`),
      })),
    )
    .execute();
  const parts = plan.parts.map((p) => ({ id: newId('prt'), ...p }));
  await tx
    .insertInto('order_parts')
    .values(parts.map((p) => ({ id: p.id, org_id: orgId, order_id: orderId, status: p.status, placed_at: placedAt, created_at: at, updated_at: at })))
    .execute();
  await tx
    .insertInto('part_lines')
    .values(
      parts.flatMap((p) =>
        p.lines.map((l) => ({
          id: newId('pln'),
          org_id: orgId,
          part_id: p.id,
          order_id: orderId,
          line_no: l.lineNo,
          product_id: l.productId,
          location_id: l.locationId,
          qty: l.qty,
          // Until purchase orders exist nothing can be promised: every waiting unit is oversold (R3).
          oversold: l.locationId === null ? 1 : 0,
        })),
      ),
    )
    .execute();

  const partOf = new Map<string, string>();
  for (const p of parts) for (const l of p.lines) if (l.locationId) partOf.set(`${l.productId}|${l.locationId}`, p.id);
  for (const r of plan.reservations) {
    // Levels are locked (PostgreSQL) or the write lock is held (SQLite): this cannot miss.
    if (!(await changeReserved(tx, r.productId, r.locationId, r.qty, at))) throw new RetryableConflict();
  }
  await recordMovements(
    tx,
    orgId,
    at,
    plan.reservations.map((r) => ({
      productId: r.productId,
      locationId: r.locationId,
      kind: 'allocation' as const,
      onHandDelta: 0,
      reservedDelta: r.qty,
      orderId,
      partId: partOf.get(`${r.productId}|${r.locationId}`) ?? null,
    })),
  );

  const skuOf = new Map(products.map((p) => [p.id, p.sku]));
  const codeOf = new Map(context.locations.map((l) => [l.id, l.code]));
  const partViews = parts.map((p) => ({
    id: p.id,
    status: p.status,
    lines: p.lines.map((l) => ({
      lineNo: l.lineNo,
      sku: skuOf.get(l.productId)!,
      qty: l.qty,
      location: l.locationId ? codeOf.get(l.locationId)! : null,
      oversold: l.locationId === null,
    })),
  }));
  const events: NewEvent[] = [
    {
      type: 'order.created',
      subjectType: 'order',
      subjectId: orderId,
      payload: { orderId, channel: input.channel, externalId: input.externalId, parts: partViews },
    },
  ];
  const backorderPart = partViews.find((p) => p.status === 'backorder');
  if (backorderPart) {
    events.push({
      type: 'order.backordered',
      subjectType: 'order',
      subjectId: orderId,
      payload: { orderId, partId: backorderPart.id, lines: backorderPart.lines.filter((l) => l.location === null) },
    });
    for (const l of backorderPart.lines) {
      if (l.location !== null) continue;
      await raiseAlert(tx, orgId, at, {
        type: 'oversold',
        severity: 'warning',
        subjectType: 'product',
        subjectId: l.sku,
        message: `Units of ${l.sku} were ordered with no stock or incoming purchase order to cover them.`,
      });
    }
  }
  await appendEvents(tx, orgId, at, events);

  const order: OrderView = {
    id: orderId,
    channel: input.channel,
    externalId: input.externalId,
    placedAt,
    status: backorderPart ? 'backorder' : 'open',
    shippingPreference: shipping,
    priority: input.priority ?? 0,
    customer: {
      id: input.customer.id,
      email: input.customer.email,
      locale: input.customer.locale,
      tier: input.customer.tier ?? 'standard',
      country: input.customer.country,
      postcode: input.customer.postcode ?? null,
      latitude: input.customer.latitude ?? null,
      longitude: input.customer.longitude ?? null,
    },
    lines: input.lines.map((l, i) => {
      const ofLine = partViews.flatMap((p) => p.lines.filter((pl) => pl.lineNo === i + 1));
      return {
        lineNo: i + 1,
        sku: l.sku,
        qty: l.qty,
        unitPrice: Math.round(l.unitPrice * 100) / 100,
        reserved: ofLine.filter((pl) => pl.location !== null).reduce((a, pl) => a + pl.qty, 0),
        waiting: ofLine.filter((pl) => pl.location === null).reduce((a, pl) => a + pl.qty, 0),
      };
    }),
    parts: partViews,
    createdAt: at,
    updatedAt: at,
  };
  if (options.completeIdempotencyKey) await options.completeIdempotencyKey(tx, 201, order);
  return { created: true, order };
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

async function upsertCustomer(tx: Kysely<Database>, orgId: string, c: OrderInput['customer'], at: string): Promise<string> {
  const fields = {
    email: c.email,
    locale: c.locale,
    tier: c.tier ?? 'standard',
    country: c.country.toUpperCase(),
    postcode: c.postcode ?? null,
    latitude: c.latitude ?? null,
    longitude: c.longitude ?? null,
    updated_at: at,
  };
  const row = await tx
    .insertInto('customers')
    .values({ id: newId('cus'), org_id: orgId, external_id: c.id, created_at: at, ...fields })
    .onConflict((oc) => oc.columns(['org_id', 'external_id']).doUpdateSet(fields))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
