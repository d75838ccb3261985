import type { Kysely } from 'kysely';
import type { SpikeRule } from '../domain/demand-spike.js';
import type { Dialect } from './db.js';
import { EVENT_COLUMNS } from './events.repository.js';
import { placeholders, run, valueTuples } from './precompiled.js';
import { MOVEMENT_COLUMNS } from './stock.repository.js';
import type { CustomersTable, Database, OrderLinesTable, OrderPartsTable, OrdersTable, PartLinesTable, ProductsTable } from './schema.js';

/** Order intake's statements, precompiled: this is the path every order takes. */

export interface IntakeContext {
  readonly backordersEnabled: boolean;
  /** R6 rules (JSON text as stored) and R7's acceptance ratio: promises at intake follow them. */
  readonly allocationPolicy: string;
  readonly tierOrder: string;
  readonly channelId: string;
  readonly acceptsBackorders: boolean;
  /** The channel's locations in the order stock is taken from them. */
  readonly locations: readonly { id: string; code: string }[];
  /** R9: the organisation's spike rule, read with the rest (no extra statement). */
  readonly spikes: SpikeRule;
}

const CONTEXT = `select o.backorders_enabled, o.allocation_policy, o.tier_order,
 o.spike_detection, o.spike_baseline_days, o.spike_window_hours, o.spike_factor, o.spike_min_units, o.spike_pause_hours, c.id as channel_id, c.accepts_backorders, cl.location_id, l.code as location_code
 from organisations o
 left join channels c on c.org_id = o.id and c.code = ?
 left join channel_locations cl on cl.channel_id = c.id
 left join locations l on l.id = cl.location_id
 where o.id = ? order by cl.position`;

/** The channel an order comes in through, its locations in order, and the organisation switch. */
export async function readIntakeContext(tx: Kysely<Database>, dialect: Dialect, orgId: string, channelCode: string): Promise<IntakeContext | null> {
  const { rows } = await run<{
    backorders_enabled: number;
    allocation_policy: string;
    tier_order: string;
    channel_id: string | null;
    accepts_backorders: number | null;
    location_id: string | null;
    location_code: string | null;
    spike_detection: number;
    spike_baseline_days: number;
    spike_window_hours: number;
    spike_factor: number;
    spike_min_units: number;
    spike_pause_hours: number;
  }>(tx, dialect, CONTEXT, [channelCode, orgId]);
  const first = rows[0];
  if (!first || first.channel_id === null) return null;
  return {
    backordersEnabled: first.backorders_enabled === 1,
    allocationPolicy: first.allocation_policy,
    tierOrder: first.tier_order,
    channelId: first.channel_id,
    acceptsBackorders: first.accepts_backorders === 1,
    locations: rows.filter((r) => r.location_id !== null).map((r) => ({ id: r.location_id!, code: r.location_code! })),
    spikes: {
      enabled: first.spike_detection === 1,
      baselineDays: first.spike_baseline_days,
      windowHours: first.spike_window_hours,
      factor: Number(first.spike_factor),
      minUnits: first.spike_min_units,
      pauseHours: first.spike_pause_hours,
    },
  };
}

export type IntakeProduct = Pick<ProductsTable, 'id' | 'sku' | 'backorder_policy'>;

export async function readProducts(tx: Kysely<Database>, dialect: Dialect, orgId: string, skus: readonly string[]): Promise<IntakeProduct[]> {
  const text = `select id, sku, backorder_policy from products where org_id = ? and sku in (${placeholders(skus.length)})`;
  return (await run<IntakeProduct>(tx, dialect, text, [orgId, ...skus])).rows;
}

const CUSTOMER_COLUMNS = 'id, org_id, external_id, created_at, email, locale, tier, country, postcode, latitude, longitude, updated_at';
const CUSTOMER_CONFLICT = `on conflict (org_id, external_id) do update set email = excluded.email, locale = excluded.locale, tier = excluded.tier,
 country = excluded.country, postcode = excluded.postcode, latitude = excluded.latitude, longitude = excluded.longitude,
 updated_at = excluded.updated_at`;
// SQLite: rewrite the customer row only when something changed (most orders come from
// customers we know, unchanged); an unchanged customer returns no row and is looked up instead.
export const UPSERT_CUSTOMER = `insert into customers (${CUSTOMER_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${CUSTOMER_CONFLICT}
 where customers.email is not excluded.email or customers.locale is not excluded.locale or customers.tier is not excluded.tier
 or customers.country is not excluded.country or customers.postcode is not excluded.postcode
 or customers.latitude is not excluded.latitude or customers.longitude is not excluded.longitude
 returning id`;
export const CUSTOMER_ID = 'select id from customers where org_id = ? and external_id = ?';
const ORDER_COLUMNS = 'id, org_id, channel_id, external_id, placed_at, customer_id, shipping_preference, priority, request_hash, created_at, updated_at';
const INSERT_ORDER = `insert into orders (${ORDER_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
 on conflict (org_id, channel_id, external_id) do nothing returning id`;
// PostgreSQL: both in one round trip; the order takes the customer id the upsert returns.
export const UPSERT_CUSTOMER_INSERT_ORDER_PG = `with c as (
 insert into customers (${CUSTOMER_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${CUSTOMER_CONFLICT} returning id)
 insert into orders (${ORDER_COLUMNS})
 select ?, ?, ?, ?, ?, c.id, ?, ?::integer, ?, ?, ? from c
 on conflict (org_id, channel_id, external_id) do nothing returning id`;

type NewCustomer = Omit<CustomersTable, 'updated_at'>;
type NewOrder = Omit<OrdersTable, 'customer_id' | 'tabs'>;

/**
 * Creates or refreshes the customer by external id and inserts the order. false when the channel
 * order exists already (R2): the unique key decides, not a prior read.
 */
export async function insertCustomerAndOrder(tx: Kysely<Database>, dialect: Dialect, c: NewCustomer, o: NewOrder): Promise<boolean> {
  const customer = [c.id, c.org_id, c.external_id, c.created_at, c.email, c.locale, c.tier, c.country, c.postcode, c.latitude, c.longitude, c.created_at];
  if (dialect === 'postgres') {
    const order = [o.id, o.org_id, o.channel_id, o.external_id, o.placed_at, o.shipping_preference, o.priority, o.request_hash, o.created_at, o.updated_at];
    return (await run(tx, dialect, UPSERT_CUSTOMER_INSERT_ORDER_PG, [...customer, ...order])).rows.length === 1;
  }
  const customerId =
    (await run<{ id: string }>(tx, dialect, UPSERT_CUSTOMER, customer)).rows[0]?.id ??
    (await run<{ id: string }>(tx, dialect, CUSTOMER_ID, [c.org_id, c.external_id])).rows[0]!.id;
  const order = [o.id, o.org_id, o.channel_id, o.external_id, o.placed_at, customerId, o.shipping_preference, o.priority, o.request_hash, o.created_at, o.updated_at];
  return (await run(tx, dialect, INSERT_ORDER, order)).rows.length === 1;
}

export interface OrderRows {
  readonly lines: readonly OrderLinesTable[];
  readonly parts: readonly Omit<OrderPartsTable, 'shipped_at' | 'carrier' | 'tracking_number'>[];
  readonly partLines: readonly PartLinesTable[];
  readonly reservations: readonly { productId: string; locationId: string; qty: number }[];
  /** Ledger rows, as `movementParams` makes them. */
  readonly movementParams: readonly unknown[];
  /** Event rows, as `eventParams` makes them. */
  readonly eventParams: readonly unknown[];
  readonly at: string;
}

const LINE_COLUMNS = 'org_id, order_id, line_no, product_id, qty, unit_price_cents';
const PART_COLUMNS = 'id, org_id, order_id, status, placed_at, promised_date, created_at, updated_at';
const PART_LINE_COLUMNS = 'id, org_id, part_id, order_id, line_no, product_id, location_id, qty, oversold, promised_date';
const RESERVE_ONE = `update stock_levels set reserved = reserved + ?, updated_at = ? where product_id = ? and location_id = ? and on_hand - reserved >= ?`;

/**
 * Everything an order writes after its levels are locked: lines, parts, part lines, the
 * reservations (conditional: a level never goes over on hand), ledger rows and events.
 * Returns how many reservations took; the caller compares with how many it asked for.
 * SQLite runs the statements one by one (in-process, no round trips); PostgreSQL runs them as
 * one statement of data-modifying CTEs, one round trip instead of six.
 */
export async function writeOrderRows(tx: Kysely<Database>, dialect: Dialect, rows: OrderRows): Promise<number> {
  const lineParams = rows.lines.flatMap((l) => [l.org_id, l.order_id, l.line_no, l.product_id, l.qty, l.unit_price_cents]);
  const partParams = rows.parts.flatMap((p) => [p.id, p.org_id, p.order_id, p.status, p.placed_at, p.promised_date, p.created_at, p.updated_at]);
  const partLineParams = rows.partLines.flatMap((l) => [l.id, l.org_id, l.part_id, l.order_id, l.line_no, l.product_id, l.location_id, l.qty, l.oversold, l.promised_date]);
  const movements = rows.movementParams.length / 11;
  const events = rows.eventParams.length / 7;
  const insertLines = `insert into order_lines (${LINE_COLUMNS}) values ${valueTuples(rows.lines.length, 6)}`;
  const insertParts = `insert into order_parts (${PART_COLUMNS}) values ${valueTuples(rows.parts.length, 8)}`;
  const insertPartLines = `insert into part_lines (${PART_LINE_COLUMNS}) values ${valueTuples(rows.partLines.length, 10)}`;
  const insertMovements = `insert into stock_movements (${MOVEMENT_COLUMNS}) values ${valueTuples(movements, 11)}`;
  const insertEvents = `insert into events (${EVENT_COLUMNS}) values ${valueTuples(events, 7)}`;

  if (dialect === 'sqlite') {
    await run(tx, dialect, insertLines, lineParams);
    await run(tx, dialect, insertParts, partParams);
    await run(tx, dialect, insertPartLines, partLineParams);
    let reserved = 0;
    for (const r of rows.reservations) {
      const result = await run(tx, dialect, RESERVE_ONE, [r.qty, rows.at, r.productId, r.locationId, r.qty]);
      if (result.numAffectedRows === 1n) reserved += 1;
    }
    if (movements > 0) await run(tx, dialect, insertMovements, rows.movementParams);
    if (events > 0) await run(tx, dialect, insertEvents, rows.eventParams);
    await markPreorders(tx, rows.parts);
    return reserved;
  }

  const statement = pgOrderWrites({
    lines: [rows.lines.length, lineParams],
    parts: [rows.parts.length, partParams],
    partLines: [rows.partLines.length, partLineParams],
    movements: rows.movementParams,
    events: rows.eventParams,
    reservations: rows.reservations.map((r) => [r.productId, r.locationId, r.qty] as const),
    at: rows.at,
  });
  const { rows: result } = await run<{ reserved: number }>(tx, dialect, statement.text, statement.params);
  await markPreorders(tx, rows.parts);
  return Number(result[0]!.reserved);
}

/**
 * R14: flags the backorder parts that are pre-orders. A statement of its own, only when there
 * are any, so the multi-row part insert keeps the column list the raw-driver benchmark shares.
 */
async function markPreorders(tx: Kysely<Database>, parts: OrderRows['parts']) {
  const ids = parts.filter((p) => p.preorder === 1).map((p) => p.id);
  if (ids.length > 0) await tx.updateTable('order_parts').set({ preorder: 1 }).where('id', 'in', ids).execute();
}

/** Row counts with their flat parameters, in the column orders above. */
export interface OrderWrites {
  readonly lines: readonly [count: number, params: readonly unknown[]];
  readonly parts: readonly [count: number, params: readonly unknown[]];
  readonly partLines: readonly [count: number, params: readonly unknown[]];
  readonly movements: readonly unknown[];
  readonly events: readonly unknown[];
  readonly reservations: readonly (readonly [productId: string, locationId: string, qty: number])[];
  readonly at: string;
}

/**
 * PostgreSQL: an order's writes as one statement of data-modifying CTEs (`?` placeholders).
 * Data-modifying CTEs run exactly once and to completion whether or not the query reads them;
 * the statement returns how many reservations took. Shared with the raw-driver benchmark.
 */
export function pgOrderWrites(w: OrderWrites): { text: string; params: unknown[] } {
  const movements = w.movements.length / 11;
  const events = w.events.length / 7;
  const ctes = [
    `ol as (insert into order_lines (${LINE_COLUMNS}) values ${valueTuples(w.lines[0], 6)} returning 1)`,
    `op as (insert into order_parts (${PART_COLUMNS}) values ${valueTuples(w.parts[0], 8)} returning 1)`,
    `pl as (insert into part_lines (${PART_LINE_COLUMNS}) values ${valueTuples(w.partLines[0], 10)} returning 1)`,
  ];
  const params: unknown[] = [...w.lines[1], ...w.parts[1], ...w.partLines[1]];
  if (movements > 0) {
    ctes.push(`mv as (insert into stock_movements (${MOVEMENT_COLUMNS}) values ${valueTuples(movements, 11)} returning 1)`);
    params.push(...w.movements);
  }
  if (events > 0) {
    ctes.push(`ev as (insert into events (${EVENT_COLUMNS}) values ${valueTuples(events, 7)} returning 1)`);
    params.push(...w.events);
  }
  let count = '0';
  if (w.reservations.length > 0) {
    const values = Array(w.reservations.length).fill('(?, ?, ?::integer)').join(', ');
    ctes.push(
      `rs as (update stock_levels s set reserved = s.reserved + v.qty, updated_at = ? from (values ${values}) as v(product_id, location_id, qty)` +
        ` where s.product_id = v.product_id and s.location_id = v.location_id and s.on_hand - s.reserved >= v.qty returning 1)`,
    );
    params.push(w.at, ...w.reservations.flat());
    count = '(select count(*) from rs)';
  }
  return { text: `with ${ctes.join(', ')} select ${count} as reserved`, params };
}
