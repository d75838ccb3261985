import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';

/**
 * Set-based changes of many part lines at once. part_lines is keyed by (order_id, id): naming
 * rows by that pair as a row value keeps each statement on the key. (`order_id in (…) and
 * id in (…)` looks alike but made SQLite try every pair of the two lists: seconds per receipt.)
 */
const CHUNK = 500;

function keyed<T>(rows: readonly T[], tuple: (r: T) => RawBuilder<unknown>, statement: (values: RawBuilder<unknown>) => RawBuilder<unknown>) {
  const out: RawBuilder<unknown>[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(statement(sql.join(rows.slice(i, i + CHUNK).map(tuple))));
  return out;
}

export async function deletePartLines(tx: Kysely<Database>, rows: readonly { orderId: string; id: string }[]) {
  for (const q of keyed(
    rows,
    (r) => sql`(${r.orderId}, ${r.id})`,
    (values) => sql`with v(order_id, id) as (values ${values}) delete from part_lines where (order_id, id) in (select order_id, id from v)`,
  )) {
    await q.execute(tx);
  }
}

export async function setPartLineQty(tx: Kysely<Database>, rows: readonly { orderId: string; id: string; qty: number }[]) {
  for (const q of keyed(
    rows,
    (r) => sql`(${r.orderId}, ${r.id}, cast(${r.qty} as integer))`,
    (values) =>
      sql`with v(order_id, id, qty) as (values ${values}) update part_lines set qty = (select v.qty from v where v.order_id = part_lines.order_id and v.id = part_lines.id) where (order_id, id) in (select order_id, id from v)`,
  )) {
    await q.execute(tx);
  }
}

/** Oversold flag and promised date of waiting lines (R3); one statement per date and chunk. */
export async function setPartLinePromise(tx: Kysely<Database>, promisedDate: string | null, rows: readonly { orderId: string; id: string }[]) {
  for (const q of keyed(
    rows,
    (r) => sql`(${r.orderId}, ${r.id})`,
    (values) =>
      sql`with v(order_id, id) as (values ${values}) update part_lines set promised_date = ${promisedDate}, oversold = ${promisedDate === null ? 1 : 0} where (order_id, id) in (select order_id, id from v)`,
  )) {
    await q.execute(tx);
  }
}
