import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import { placeholders, run, valueTuples } from './precompiled.js';
import type { Database } from './schema.js';

/** R9: units sold per product per hour of placedAt, and the sums the spike rule compares. */

const ADD = 'on conflict (product_id, hour) do update set units = product_hourly_sales.units + excluded.units returning product_id, units';

/**
 * The order's units in its hour, one multi-row upsert in the order's transaction (products in id
 * order, as daily sales); returns each product's units in that hour now, this order included.
 */
export async function addHourlySales(tx: Kysely<Database>, dialect: Dialect, orgId: string, hour: string, units: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  if (units.size === 0) return new Map();
  const rows = [...units].sort(([a], [b]) => (a < b ? -1 : 1));
  const text = `insert into product_hourly_sales (org_id, product_id, hour, units) values ${valueTuples(rows.length, 4)} ${ADD}`;
  const result = await run<{ product_id: string; units: number }>(tx, dialect, text, rows.flatMap(([productId, qty]) => [orgId, productId, hour, qty]));
  return new Map(result.rows.map((r) => [r.product_id, Number(r.units)]));
}

const ADD_DAILY = 'on conflict (product_id, day) do update set units = product_daily_sales.units + excluded.units';

/**
 * PostgreSQL: the day's and the hour's units in one statement (one round trip instead of two),
 * returning each product's units in the hour as addHourlySales does.
 */
export async function addDailyAndHourlySalesPg(tx: Kysely<Database>, orgId: string, day: string, hour: string, units: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  if (units.size === 0) return new Map();
  const rows = [...units].sort(([a], [b]) => (a < b ? -1 : 1));
  const tuples = valueTuples(rows.length, 4);
  const text = `with daily as (insert into product_daily_sales (org_id, product_id, day, units) values ${tuples} ${ADD_DAILY})
 insert into product_hourly_sales (org_id, product_id, hour, units) values ${tuples} ${ADD}`;
  const params = [...rows.flatMap(([productId, qty]) => [orgId, productId, day, qty]), ...rows.flatMap(([productId, qty]) => [orgId, productId, hour, qty])];
  const result = await run<{ product_id: string; units: number }>(tx, 'postgres', text, params);
  return new Map(result.rows.map((r) => [r.product_id, Number(r.units)]));
}

/** Units per product in the hours from `fromHour` (included) to `toHour` (excluded). */
export async function readHourUnits(tx: Kysely<Database>, dialect: Dialect, productIds: readonly string[], fromHour: string, toHour: string): Promise<Map<string, number>> {
  const text = `select product_id, sum(units) as units from product_hourly_sales where product_id in (${placeholders(productIds.length)}) and hour >= ? and hour < ? group by product_id`;
  const { rows } = await run<{ product_id: string; units: number }>(tx, dialect, text, [...productIds, fromHour, toHour]);
  return new Map(rows.map((r) => [r.product_id, Number(r.units)]));
}

/** Units per product on the days from `fromDay` (included) to `toDay` (excluded), from the daily sales. */
export async function readBaselineUnits(tx: Kysely<Database>, dialect: Dialect, productIds: readonly string[], fromDay: string, toDay: string): Promise<Map<string, number>> {
  const text = `select product_id, sum(units) as units from product_daily_sales where product_id in (${placeholders(productIds.length)}) and day >= ? and day < ? group by product_id`;
  const { rows } = await run<{ product_id: string; units: number }>(tx, dialect, text, [...productIds, fromDay, toDay]);
  return new Map(rows.map((r) => [r.product_id, Number(r.units)]));
}

/** Hours older than any window needs (windows are at most 48 hours). */
export async function pruneHourlySales(tx: Kysely<Database>, beforeHour: string): Promise<number> {
  const r = await tx.deleteFrom('product_hourly_sales').where('hour', '<', beforeHour).executeTakeFirst();
  return Number(r.numDeletedRows);
}
