import { sql, type Kysely } from 'kysely';
import type { Dialect } from './db.js';
import { run, valueTuples } from './precompiled.js';
import type { Database, OrderPartsTable } from './schema.js';

/**
 * The dashboard's tab counts (issue 7): how many orders have a part in each status, kept as
 * counters so that a million orders are counted by reading a few dozen rows. Each order stores
 * the set of statuses its parts are in (`orders.tabs`, a bit per status, and one bit every order
 * has, for "all"); every step that changes parts refreshes the sets of the orders it touched and
 * adds the difference to `order_tab_counts` in the same transaction. The counters are split into
 * shards by order id, so concurrent orders on PostgreSQL rarely wait for the same row. A step's
 * differences, up and down, go in one upsert with its rows in key order, so two steps lock shared
 * rows in the same order. (No check keeps a row at or above zero: SQLite checks the row an upsert
 * would insert before it finds the conflict, so a decrement could not be written that way.)
 */
export type TabStatus = OrderPartsTable['status'] | 'all';

export const TAB_BITS: Readonly<Record<TabStatus, number>> = { backorder: 1, open: 2, processing: 4, shipped: 8, cancelled: 16, all: 32 };
const TABS = Object.entries(TAB_BITS) as [TabStatus, number][];
export const SHARDS = 16;

export function tabsOf(statuses: Iterable<OrderPartsTable['status']>): number {
  let mask = TAB_BITS.all;
  for (const s of statuses) mask |= TAB_BITS[s];
  return mask;
}

export function shardOf(orderId: string): number {
  let h = 0;
  for (let i = 0; i < orderId.length; i++) h = (h * 31 + orderId.charCodeAt(i)) >>> 0;
  return h % SHARDS;
}

interface Change {
  readonly orderId: string;
  readonly channelId: string;
  readonly before: number;
  readonly after: number;
}

const ADD = 'on conflict (org_id, channel_id, status, shard) do update set orders = order_tab_counts.orders + excluded.orders';

type Deltas = Map<string, { channelId: string; status: TabStatus; shard: number; n: number }>;

function addChanges(delta: Deltas, changes: readonly Change[]): Deltas {
  for (const c of changes) {
    const shard = shardOf(c.orderId);
    for (const [status, bit] of TABS) {
      const d = (c.after & bit ? 1 : 0) - (c.before & bit ? 1 : 0);
      if (d === 0) continue;
      const k = `${c.channelId}|${status}|${String(shard).padStart(2, '0')}`;
      const row = delta.get(k) ?? { channelId: c.channelId, status, shard, n: 0 };
      row.n += d;
      delta.set(k, row);
    }
  }
  return delta;
}

/** Adds the counters' differences in one statement, rows in key order (PostgreSQL locks them in that order). */
async function writeDeltas(tx: Kysely<Database>, dialect: Dialect, orgId: string, delta: Deltas): Promise<void> {
  const rows = [...delta].filter(([, r]) => r.n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const text = `insert into order_tab_counts (org_id, channel_id, status, shard, orders) values ${valueTuples(chunk.length, 5)} ${ADD}`;
    await run(tx, dialect, text, chunk.flatMap((r) => [orgId, r.channelId, r.status, r.shard, r.n]));
  }
}

/** A new order's parts, at intake: its set and the counters, without reading the parts back. */
export async function countNewOrder(tx: Kysely<Database>, dialect: Dialect, orgId: string, order: { id: string; channelId: string; statuses: Iterable<OrderPartsTable['status']> }): Promise<void> {
  const after = tabsOf(order.statuses);
  await run(tx, dialect, 'update orders set tabs = ? where id = ?', [after, order.id]);
  await writeDeltas(tx, dialect, orgId, addChanges(new Map(), [{ orderId: order.id, channelId: order.channelId, before: 0, after }]));
}

/**
 * After a step changed parts of these orders: reads their parts, stores each changed set and adds
 * the differences. On PostgreSQL the orders' rows are locked first (in id order), so two steps on
 * one order count one after the other, each from the other's committed parts.
 */
export async function recountOrders(tx: Kysely<Database>, dialect: Dialect, orgId: string, orderIds: readonly string[]): Promise<void> {
  const ids = [...new Set(orderIds)].sort();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    let orders = tx.selectFrom('orders').select(['id', 'channel_id', 'tabs']).where('org_id', '=', orgId).where('id', 'in', chunk).orderBy('id');
    if (dialect === 'postgres') orders = orders.forNoKeyUpdate();
    const stored = await orders.execute();
    const parts = await tx.selectFrom('order_parts').select(['order_id', 'status']).where('org_id', '=', orgId).where('order_id', 'in', chunk).execute();
    const statuses = new Map<string, OrderPartsTable['status'][]>();
    for (const p of parts) statuses.set(p.order_id, [...(statuses.get(p.order_id) ?? []), p.status]);
    const changes = stored
      .map((o) => ({ orderId: o.id, channelId: o.channel_id, before: Number(o.tabs), after: tabsOf(statuses.get(o.id) ?? []) }))
      .filter((c) => c.before !== c.after);
    if (changes.length === 0) continue;
    const bySet = new Map<number, string[]>();
    for (const c of changes) bySet.set(c.after, [...(bySet.get(c.after) ?? []), c.orderId]);
    for (const [mask, group] of bySet) await tx.updateTable('orders').set({ tabs: mask }).where('id', 'in', group).execute();
    await writeDeltas(tx, dialect, orgId, addChanges(new Map(), changes));
  }
}

/** Orders per tab, from the counters: an order with an open and a backorder part counts in both. */
export async function readTabCounts(db: Kysely<Database>, orgId: string, channelId?: string): Promise<Record<TabStatus, number>> {
  let q = db
    .selectFrom('order_tab_counts')
    .select(['status', sql<number>`sum(orders)`.as('orders')])
    .where('org_id', '=', orgId)
    .groupBy('status');
  if (channelId) q = q.where('channel_id', '=', channelId);
  const counts: Record<TabStatus, number> = { backorder: 0, open: 0, processing: 0, shipped: 0, cancelled: 0, all: 0 };
  for (const r of await q.execute()) counts[r.status as TabStatus] = Number(r.orders);
  return counts;
}

/**
 * Every order's set and the counters recomputed from the parts (migration 014's backfill; tests
 * compare it with what the steps kept). Orders are read a page at a time.
 */
export async function rebuildTabCounts(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const has = (status: TabStatus) => `(case when exists (select 1 from order_parts p where p.order_id = orders.id and p.status = '${status}') then ${TAB_BITS[status]} else 0 end)`;
  const mask = [String(TAB_BITS.all), ...TABS.filter(([s]) => s !== 'all').map(([s]) => has(s))].join(' + ');
  await sql.raw(`update orders set tabs = ${mask}`).execute(db);
  await db.deleteFrom('order_tab_counts').execute();
  const byOrg = new Map<string, Deltas>();
  let after = '';
  for (;;) {
    const page = await db.selectFrom('orders').select(['id', 'org_id', 'channel_id', 'tabs']).where('id', '>', after).orderBy('id').limit(10_000).execute();
    if (page.length === 0) break;
    for (const o of page) byOrg.set(o.org_id, addChanges(byOrg.get(o.org_id) ?? new Map(), [{ orderId: o.id, channelId: o.channel_id, before: 0, after: Number(o.tabs) }]));
    after = page[page.length - 1]!.id;
  }
  for (const [orgId, delta] of byOrg) await writeDeltas(db, dialect, orgId, delta);
}
