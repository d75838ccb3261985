import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import { placeholders, run, valueTuples } from './precompiled.js';
import type { CustomersTable, Database, OrderLinesTable, OrderPartsTable, OrdersTable, PartLinesTable, ProductsTable } from './schema.js';

/** Order intake's statements, precompiled: this is the path every order takes. */

export interface IntakeContext {
  readonly backordersEnabled: boolean;
  readonly channelId: string;
  readonly acceptsBackorders: boolean;
  /** The channel's locations in the order stock is taken from them. */
  readonly locations: readonly { id: string; code: string }[];
}

const CONTEXT = `select o.backorders_enabled, c.id as channel_id, c.accepts_backorders, cl.location_id, l.code as location_code
 from organisations o
 left join channels c on c.org_id = o.id and c.code = ?
 left join channel_locations cl on cl.channel_id = c.id
 left join locations l on l.id = cl.location_id
 where o.id = ? order by cl.position`;

/** The channel an order comes in through, its locations in order, and the organisation switch. */
export async function readIntakeContext(tx: Kysely<Database>, dialect: Dialect, orgId: string, channelCode: string): Promise<IntakeContext | null> {
  const { rows } = await run<{
    backorders_enabled: number;
    channel_id: string | null;
    accepts_backorders: number | null;
    location_id: string | null;
    location_code: string | null;
  }>(tx, dialect, CONTEXT, [channelCode, orgId]);
  const first = rows[0];
  if (!first || first.channel_id === null) return null;
  return {
    backordersEnabled: first.backorders_enabled === 1,
    channelId: first.channel_id,
    acceptsBackorders: first.accepts_backorders === 1,
    locations: rows.filter((r) => r.location_id !== null).map((r) => ({ id: r.location_id!, code: r.location_code! })),
  };
}

export type IntakeProduct = Pick<ProductsTable, 'id' | 'sku' | 'backorder_policy'>;

export async function readProducts(tx: Kysely<Database>, dialect: Dialect, orgId: string, skus: readonly string[]): Promise<IntakeProduct[]> {
  const text = `select id, sku, backorder_policy from products where org_id = ? and sku in (${placeholders(skus.length)})`;
  return (await run<IntakeProduct>(tx, dialect, text, [orgId, ...skus])).rows;
}

const UPSERT_CUSTOMER = `insert into customers (id, org_id, external_id, created_at, email, locale, tier, country, postcode, latitude, longitude, updated_at)
 values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
 on conflict (org_id, external_id) do update set email = excluded.email, locale = excluded.locale, tier = excluded.tier,
 country = excluded.country, postcode = excluded.postcode, latitude = excluded.latitude, longitude = excluded.longitude,
 updated_at = excluded.updated_at
 returning id`;

/** Creates or refreshes the customer by external id; returns our id. */
export async function upsertCustomerRow(tx: Kysely<Database>, dialect: Dialect, c: Omit<CustomersTable, 'updated_at'>): Promise<string> {
  const { rows } = await run<{ id: string }>(tx, dialect, UPSERT_CUSTOMER, [
    c.id, c.org_id, c.external_id, c.created_at, c.email, c.locale, c.tier, c.country, c.postcode, c.latitude, c.longitude, c.created_at,
  ]);
  return rows[0]!.id;
}

const INSERT_ORDER = `insert into orders (id, org_id, channel_id, external_id, placed_at, customer_id, shipping_preference, priority, request_hash, created_at, updated_at)
 values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
 on conflict (org_id, channel_id, external_id) do nothing
 returning id`;

/** false when the channel order exists already (R2): the unique key decides, not a prior read. */
export async function insertOrderRow(tx: Kysely<Database>, dialect: Dialect, o: OrdersTable): Promise<boolean> {
  const { rows } = await run(tx, dialect, INSERT_ORDER, [
    o.id, o.org_id, o.channel_id, o.external_id, o.placed_at, o.customer_id, o.shipping_preference, o.priority, o.request_hash, o.created_at, o.updated_at,
  ]);
  return rows.length === 1;
}

export async function insertOrderLines(tx: Kysely<Database>, dialect: Dialect, lines: readonly OrderLinesTable[]) {
  const params = lines.flatMap((l) => [l.org_id, l.order_id, l.line_no, l.product_id, l.qty, l.unit_price_cents]);
  await run(tx, dialect, `insert into order_lines (org_id, order_id, line_no, product_id, qty, unit_price_cents) values ${valueTuples(lines.length, 6)}`, params);
}

export async function insertParts(tx: Kysely<Database>, dialect: Dialect, parts: readonly OrderPartsTable[]) {
  const params = parts.flatMap((p) => [p.id, p.org_id, p.order_id, p.status, p.placed_at, p.created_at, p.updated_at]);
  await run(tx, dialect, `insert into order_parts (id, org_id, order_id, status, placed_at, created_at, updated_at) values ${valueTuples(parts.length, 7)}`, params);
}

export async function insertPartLines(tx: Kysely<Database>, dialect: Dialect, lines: readonly PartLinesTable[]) {
  const params = lines.flatMap((l) => [l.id, l.org_id, l.part_id, l.order_id, l.line_no, l.product_id, l.location_id, l.qty, l.oversold]);
  await run(
    tx,
    dialect,
    `insert into part_lines (id, org_id, part_id, order_id, line_no, product_id, location_id, qty, oversold) values ${valueTuples(lines.length, 9)}`,
    params,
  );
}
