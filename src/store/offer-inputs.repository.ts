import type { Kysely } from 'kysely';
import type { ChannelWindow, Season } from '../domain/channel-window.js';
import type { OfferChannel, OfferOrganisation, OfferProduct } from '../domain/offered-stock.js';
import { addDays } from '../domain/promise-plan.js';
import { reliability, type SupplierGrade } from '../domain/supplier-reliability.js';
import type { Dialect } from './db.js';
import { run, valueTuples } from './precompiled.js';
import { HOUR_COLUMNS, type ChannelsTable, type Database } from './schema.js';

/** What the capacity of incoming stock and the offers depend on (R7, R8, R14, R15), read set-based. */

const CHUNK = 500;

export async function readOfferOrganisation(tx: Kysely<Database>, orgId: string): Promise<OfferOrganisation> {
  const o = await tx
    .selectFrom('organisations')
    .select(['backorders_enabled', 'acceptance_ratio', 'default_safety_buffer', 'preorder_days', 'erratic_ratio_factor', 'capped_sales_days'])
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  const seasons = await tx.selectFrom('seasons').selectAll().where('org_id', '=', orgId).orderBy('starts_on').execute();
  return {
    backordersEnabled: o.backorders_enabled === 1,
    acceptanceRatio: Number(o.acceptance_ratio),
    defaultSafetyBuffer: o.default_safety_buffer,
    preorderDays: o.preorder_days,
    erraticRatioFactor: Number(o.erratic_ratio_factor),
    cappedSalesDays: o.capped_sales_days === null ? null : Number(o.capped_sales_days),
    seasons: seasons.map(toSeason),
  };
}

export function toSeason(s: Database['seasons']): Season & { id: string } {
  return {
    id: s.id,
    name: s.name,
    startsOn: s.starts_on,
    endsOn: s.ends_on,
    acceptanceRatio: s.acceptance_ratio === null ? null : Number(s.acceptance_ratio),
    windowMultiplier: Number(s.window_multiplier),
  };
}

export function channelWindow(c: Pick<ChannelsTable, 'window_kind' | 'window_days' | 'shipment_days' | 'cutoff_days'>): ChannelWindow {
  if (c.window_kind === 'days') return { kind: 'days', days: c.window_days ?? 0 };
  if (c.window_kind === 'until_next_shipment') return { kind: 'until_next_shipment', shipmentDays: JSON.parse(c.shipment_days ?? '[]') as number[], cutoffDays: c.cutoff_days };
  return { kind: 'none' };
}

/** Every channel of the organisation, by code, with the locations that serve it. */
export async function readOfferChannels(tx: Kysely<Database>, orgId: string): Promise<(OfferChannel & { priority: number })[]> {
  const channels = await tx.selectFrom('channels').selectAll().where('org_id', '=', orgId).orderBy('code').execute();
  const links = await tx.selectFrom('channel_locations').select(['channel_id', 'location_id']).where('org_id', '=', orgId).orderBy('channel_id').orderBy('position').execute();
  return channels.map((c) => ({
    id: c.id,
    code: c.code,
    priority: c.priority,
    acceptsBackorders: c.accepts_backorders === 1,
    share: c.share === null ? null : Number(c.share),
    safetyBuffer: c.safety_buffer,
    window: channelWindow(c),
    locationIds: links.filter((l) => l.channel_id === c.id).map((l) => l.location_id),
  }));
}

export async function readOfferProducts(tx: Kysely<Database>, orgId: string, productIds: readonly string[]): Promise<Map<string, OfferProduct>> {
  const out = new Map<string, OfferProduct>();
  for (let i = 0; i < productIds.length; i += CHUNK) {
    const rows = await tx
      .selectFrom('products')
      .select(['id', 'sku', 'backorder_policy', 'safety_buffer', 'acceptance_ratio'])
      .where('org_id', '=', orgId)
      .where('id', 'in', productIds.slice(i, i + CHUNK))
      .execute();
    // R9: a demand spike pauses a SKU's incoming offer (rarely a row: one small query a batch).
    const pauses = await tx.selectFrom('offer_pauses').select(['product_id', 'reason', 'alert_id', 'until']).where('org_id', '=', orgId).where('product_id', 'in', productIds.slice(i, i + CHUNK)).execute();
    const pauseOf = new Map(pauses.map((x) => [x.product_id, { reason: x.reason, alertId: x.alert_id, until: x.until }]));
    for (const p of rows) {
      out.set(p.id, {
        id: p.id,
        sku: p.sku,
        policy: p.backorder_policy,
        safetyBuffer: p.safety_buffer,
        acceptanceRatio: p.acceptance_ratio === null ? null : Number(p.acceptance_ratio),
        incomingPause: pauseOf.get(p.id) ?? null,
      });
    }
  }
  return out;
}

export const SALES_DAYS = 28;

/** R8 sales velocity: units a day over the 28 days before `today` (today itself does not count, so it holds all day). */
export async function readDailySales(tx: Kysely<Database>, productIds: readonly string[], today: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < productIds.length; i += CHUNK) {
    const rows = await tx
      .selectFrom('product_daily_sales')
      .select(['product_id', (eb) => eb.fn.sum<number>('units').as('units')])
      .where('product_id', 'in', productIds.slice(i, i + CHUNK))
      .where('day', '>=', addDays(today, -SALES_DAYS))
      .where('day', '<', today)
      .groupBy('product_id')
      .execute();
    for (const r of rows) out.set(r.product_id, Number(r.units) / SALES_DAYS);
  }
  return out;
}

/** R8: each supplier's grade from the delays of its first receipts. */
export async function readSupplierGrades(tx: Kysely<Database>, orgId: string, supplierIds: readonly string[]): Promise<Map<string, SupplierGrade>> {
  const ids = [...new Set(supplierIds)];
  const delays = new Map<string, number[]>(ids.map((id) => [id, []]));
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await tx
      .selectFrom('purchase_orders')
      .select(['supplier_id', 'delay_days'])
      .where('org_id', '=', orgId)
      .where('supplier_id', 'in', ids.slice(i, i + CHUNK))
      .where('first_received_at', 'is not', null)
      .execute();
    for (const r of rows) delays.get(r.supplier_id)!.push(r.delay_days!);
  }
  return new Map([...delays].map(([id, d]) => [id, reliability(d).grade]));
}

/** Available (on hand − reserved) of the products at every location that has a level row. */
export async function readAvailable(tx: Kysely<Database>, productIds: readonly string[]) {
  const out: { product_id: string; location_id: string; code: string; available: number }[] = [];
  for (let i = 0; i < productIds.length; i += CHUNK) {
    out.push(
      ...(await tx
        .selectFrom('stock_levels as s')
        .innerJoin('locations as l', 'l.id', 's.location_id')
        .select(['s.product_id', 's.location_id', 'l.code', (eb) => eb('s.on_hand', '-', eb.ref('s.reserved')).as('available')])
        .where('s.product_id', 'in', productIds.slice(i, i + CHUNK))
        .orderBy('l.code')
        .execute()),
    );
  }
  return out;
}

/**
 * R8, R9: the units sold per product on the day and in the hour of placedAt (column hNN), one
 * multi-row upsert in the order's transaction; returns each product's units in that hour now,
 * this order included (the spike rule's current hour, at no extra statement).
 */
export async function addDailySales(tx: Kysely<Database>, dialect: Dialect, orgId: string, placedAt: string, lines: readonly { productId: string; qty: number }[]): Promise<Map<string, number>> {
  const units = new Map<string, number>();
  for (const l of lines) units.set(l.productId, (units.get(l.productId) ?? 0) + l.qty);
  if (units.size === 0) return new Map();
  const h = HOUR_COLUMNS[Number(placedAt.slice(11, 13))]!;
  // Product order: concurrent orders of the same products take the rows' locks in one order.
  const rows = [...units].sort(([a], [b]) => (a < b ? -1 : 1));
  const text =
    `insert into product_daily_sales (org_id, product_id, day, units, ${h}) values ${valueTuples(rows.length, 5)} ` +
    `on conflict (product_id, day) do update set units = product_daily_sales.units + excluded.units, ${h} = product_daily_sales.${h} + excluded.${h} returning product_id, ${h} as hour_units`;
  const day = placedAt.slice(0, 10);
  const result = await run<{ product_id: string; hour_units: number }>(tx, dialect, text, rows.flatMap(([productId, qty]) => [orgId, productId, day, qty, qty]));
  return new Map(result.rows.map((r) => [r.product_id, Number(r.hour_units)]));
}
