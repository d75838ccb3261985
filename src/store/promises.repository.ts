import { sql, type Kysely } from 'kysely';
import type { Dialect } from './db.js';
import { setPartLinePromise } from './part-lines.repository.js';
import { placeholders, run, valueTuples } from './precompiled.js';
import type { Database, PromisesTable } from './schema.js';

/** Promises of waiting units against incoming purchase-order lines (R3, R5, R8). */

export interface IncomingRow {
  po_id: string;
  number: string;
  line_no: number;
  product_id: string;
  location_id: string;
  arrival_date: string;
  qty_ordered: number;
  qty_received: number;
  qty_damaged: number;
  qty_cancelled: number;
  qty_promised: number;
  revision: number;
  country: string;
  latitude: number | null;
  longitude: number | null;
  handling_days: number;
  location_code: string;
  supplier_id: string;
  supplier_name: string;
  expected_date: string;
}

const INCOMING = `select pl.po_id, po.number, pl.line_no, pl.product_id, po.location_id, po.arrival_date,
 pl.qty_ordered, pl.qty_received, pl.qty_damaged, pl.qty_cancelled, pl.qty_promised, pl.revision,
 l.country, l.latitude, l.longitude, l.handling_days, l.code as location_code,
 po.supplier_id, s.name as supplier_name, po.expected_date
 from purchase_order_lines pl
 join purchase_orders po on po.id = pl.po_id
 join locations l on l.id = po.location_id
 join suppliers s on s.id = po.supplier_id
 where pl.org_id = ? and po.status in ('open', 'partially_received')`;

/**
 * The open purchase-order lines of some products (optionally only at some locations). With
 * `lock` on PostgreSQL the lines are locked in (PO, line) order: a re-plan holds them while it
 * decides, and order intake's conditional update on a line waits for it.
 */
export async function readIncoming(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  productIds: readonly string[],
  opts: { locationIds?: readonly string[]; lock?: boolean } = {},
): Promise<IncomingRow[]> {
  if (productIds.length === 0) return [];
  let text = `${INCOMING} and pl.product_id in (${placeholders(productIds.length)})`;
  const params: unknown[] = [orgId, ...productIds];
  if (opts.locationIds) {
    if (opts.locationIds.length === 0) return [];
    text += ` and po.location_id in (${placeholders(opts.locationIds.length)})`;
    params.push(...opts.locationIds);
  }
  text += ' order by pl.po_id, pl.line_no';
  if (opts.lock && dialect === 'postgres') text += ' for no key update of pl';
  return (await run<IncomingRow>(tx, dialect, text, params)).rows;
}

/** Per PO line (`po|line`), the units promised to waiting orders of each channel (R7 shares). */
export async function readPromisedByChannel(tx: Kysely<Database>, productIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (productIds.length === 0) return out;
  const rows = await tx
    .selectFrom('promises as p')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .select(['p.po_id', 'p.po_line_no', 'o.channel_id', (eb) => eb.fn.sum<number>('p.qty').as('qty')])
    .where('p.product_id', 'in', [...productIds])
    .groupBy(['p.po_id', 'p.po_line_no', 'o.channel_id'])
    .execute();
  for (const r of rows) {
    const key = `${r.po_id}|${r.po_line_no}`;
    const map = out.get(key) ?? new Map<string, number>();
    map.set(r.channel_id, Number(r.qty));
    out.set(key, map);
  }
  return out;
}

export async function readPromises(tx: Kysely<Database>, productIds: readonly string[]): Promise<PromisesTable[]> {
  if (productIds.length === 0) return [];
  return tx.selectFrom('promises').selectAll().where('product_id', 'in', [...productIds]).execute();
}

export type PromiseKey = Pick<PromisesTable, 'priority' | 'placed_at' | 'part_id' | 'part_line_id'>;

const LAST_RANKED = `select priority, placed_at, part_id, part_line_id from promises where product_id = ?
 order by priority asc, placed_at desc, part_id desc, part_line_id desc limit 1`;

/** The promise of the product that a fifo-only policy serves last (R6), or undefined. */
export async function lastRankedPromise(tx: Kysely<Database>, dialect: Dialect, productId: string): Promise<PromiseKey | undefined> {
  return (await run<PromiseKey>(tx, dialect, LAST_RANKED, [productId])).rows[0];
}

const PROMISE_COLUMNS = 'org_id, product_id, part_line_id, part_id, order_id, po_id, po_line_no, qty, promised_date, priority, placed_at';
const CHUNK = 400;

export async function insertPromises(tx: Kysely<Database>, dialect: Dialect, rows: readonly PromisesTable[]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const batch = rows.slice(i, i + CHUNK);
    const params = batch.flatMap((r) => [r.org_id, r.product_id, r.part_line_id, r.part_id, r.order_id, r.po_id, r.po_line_no, r.qty, r.promised_date, r.priority, r.placed_at]);
    await run(tx, dialect, `insert into promises (${PROMISE_COLUMNS}) values ${valueTuples(batch.length, 11)}`, params);
  }
}

/** Removes every promise of the given waiting lines of one product. */
export async function deletePromisesOfLines(tx: Kysely<Database>, productId: string, partLineIds: readonly string[]) {
  for (let i = 0; i < partLineIds.length; i += CHUNK) {
    await tx
      .deleteFrom('promises')
      .where('product_id', '=', productId)
      .where('part_line_id', 'in', partLineIds.slice(i, i + CHUNK))
      .execute();
  }
}

const TAKE_CAPACITY = `update purchase_order_lines set qty_promised = qty_promised + ?, revision = revision + 1
 where po_id = ? and line_no = ? and revision = ? and qty_promised + ? <= ?`;

/**
 * Order intake: takes `qty` of a line's promise capacity, only if nothing changed the line since
 * it was read (same revision) and the capacity still holds it. It bumps the revision too: a
 * concurrent intake that read the same line (and its channel's allotment, R7) runs again rather
 * than give out the same allotment twice. false: the step must run again.
 */
export async function takePromiseCapacity(
  tx: Kysely<Database>,
  dialect: Dialect,
  line: { poId: string; lineNo: number; revision: number; capacity: number },
  qty: number,
): Promise<boolean> {
  const result = await run(tx, dialect, TAKE_CAPACITY, [qty, line.poId, line.lineNo, line.revision, qty, line.capacity]);
  return result.numAffectedRows === 1n;
}

/** A re-plan sets what is promised on a line and bumps its revision. */
export async function setPromisedOnLine(tx: Kysely<Database>, poId: string, lineNo: number, promised: number) {
  await tx
    .updateTable('purchase_order_lines')
    .set({ qty_promised: promised, revision: sql`revision + 1` })
    .where('po_id', '=', poId)
    .where('line_no', '=', lineNo)
    .execute();
}

/** Sets oversold and promised date on waiting part lines, one statement per distinct value. */
export async function setLinePromises(tx: Kysely<Database>, rows: readonly { id: string; orderId: string; promisedDate: string | null }[]) {
  for (const [date, group] of groupByDate(rows)) await setPartLinePromise(tx, date, group);
}

export async function setPartPromisedDates(tx: Kysely<Database>, rows: readonly { id: string; promisedDate: string | null }[], at: string) {
  for (const [date, group] of groupByDate(rows)) {
    for (let i = 0; i < group.length; i += CHUNK) {
      await tx
        .updateTable('order_parts')
        .set({ promised_date: date, updated_at: at })
        .where('id', 'in', group.slice(i, i + CHUNK).map((r) => r.id))
        .execute();
    }
  }
}

function groupByDate<T extends { promisedDate: string | null }>(rows: readonly T[]): Map<string | null, T[]> {
  const map = new Map<string | null, T[]>();
  for (const r of rows) {
    const list = map.get(r.promisedDate);
    if (list) list.push(r);
    else map.set(r.promisedDate, [r]);
  }
  return map;
}

/** Waiting lines of other products in these parts, with their promised dates (a part's date spans all its lines). */
export async function otherWaitingLineDates(tx: Kysely<Database>, parts: readonly { id: string; orderId: string }[], productIds: readonly string[]) {
  const out: { part_id: string; promised_date: string | null }[] = [];
  for (let i = 0; i < parts.length; i += CHUNK) {
    const batch = parts.slice(i, i + CHUNK);
    out.push(
      ...(await tx
        .selectFrom('part_lines')
        .select(['part_id', 'promised_date'])
        .where('order_id', 'in', [...new Set(batch.map((p) => p.orderId))])
        .where('part_id', 'in', batch.map((p) => p.id))
        .where('location_id', 'is', null)
        .where('product_id', 'not in', [...productIds])
        .execute()),
    );
  }
  return out;
}
