import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import { placeholders, run } from './precompiled.js';
import { HOUR_COLUMNS, type Database } from './schema.js';

/** R9: the sums the spike rule compares, from the daily sales rows and their hour columns. */

const HOURS = HOUR_COLUMNS.join(', ');

/** Units per product in the hours from `fromHour` (included) to `toHour` (excluded), both `YYYY-MM-DDTHH`. */
export async function readHourUnits(tx: Kysely<Database>, dialect: Dialect, productIds: readonly string[], fromHour: string, toHour: string): Promise<Map<string, number>> {
  const text = `select product_id, day, ${HOURS} from product_daily_sales where product_id in (${placeholders(productIds.length)}) and day >= ? and day <= ?`;
  const { rows } = await run<Record<string, string | number>>(tx, dialect, text, [...productIds, fromHour.slice(0, 10), toHour.slice(0, 10)]);
  const out = new Map<string, number>();
  for (const r of rows) {
    let sum = 0;
    HOUR_COLUMNS.forEach((h, i) => {
      const hour = `${r.day as string}T${String(i).padStart(2, '0')}`;
      if (hour >= fromHour && hour < toHour) sum += Number(r[h]);
    });
    out.set(r.product_id as string, (out.get(r.product_id as string) ?? 0) + sum);
  }
  return out;
}

/** Units per product on the days from `fromDay` (included) to `toDay` (excluded). */
export async function readBaselineUnits(tx: Kysely<Database>, dialect: Dialect, productIds: readonly string[], fromDay: string, toDay: string): Promise<Map<string, number>> {
  const text = `select product_id, sum(units) as units from product_daily_sales where product_id in (${placeholders(productIds.length)}) and day >= ? and day < ? group by product_id`;
  const { rows } = await run<{ product_id: string; units: number }>(tx, dialect, text, [...productIds, fromDay, toDay]);
  return new Map(rows.map((r) => [r.product_id, Number(r.units)]));
}
