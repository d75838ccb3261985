import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import { placeholders, run } from './precompiled.js';
import type { Database, OfferedStockTable } from './schema.js';

/**
 * The offered value last computed for each (channel, SKU) (R7), and the change sequence
 * connectors read from.
 *
 * Every write stamps `change_xid`. On SQLite, writers take turns (BEGIN IMMEDIATE), so one more
 * than the largest stamp so far is in commit order. On PostgreSQL, writers overlap and commit
 * out of order, so the stamp is the writing transaction's id, and a reader's cursor moves only
 * past rows written by transactions older than every one still running (the snapshot's xmin):
 * a row it has not seen can then never appear behind its cursor later. Newer rows are returned
 * at once too, and again on the next poll (a value, so reading it twice does no harm).
 */

export type OfferRow = Pick<OfferedStockTable, 'channel_id' | 'product_id' | 'offered' | 'physical' | 'incoming'>;

/**
 * The stored offers of some SKUs; on PostgreSQL locked, in key order. Every step recomputes
 * offers last, after all its other locks, so holding these rows while it reads what the offers
 * depend on serialises the steps that recompute one SKU: none writes a value computed before
 * another's change. Each (channel, SKU) has a row from the moment both exist (see ensureOfferRows).
 */
export async function readStoredOffers(tx: Kysely<Database>, dialect: Dialect, orgId: string, productIds: readonly string[]): Promise<OfferRow[]> {
  const out: OfferRow[] = [];
  const ids = [...productIds].sort();
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    let text = `select channel_id, product_id, offered, physical, incoming from offered_stock where org_id = ? and product_id in (${placeholders(batch.length)})`;
    if (dialect === 'postgres') text += ' order by product_id, channel_id for update';
    out.push(...(await run<OfferRow>(tx, dialect, text, [orgId, ...batch])).rows);
  }
  return out;
}

const CHUNK = 400;

/** Rows of 0 for every (channel, product) pair of the organisation that has none: after a product or a channel is created. */
export async function ensureOfferRows(tx: Kysely<Database>, dialect: Dialect, orgId: string, at: string, only: { productId?: string; channelId?: string } = {}) {
  const params: unknown[] = [at, orgId];
  let text =
    'insert into offered_stock (org_id, channel_id, product_id, offered, physical, incoming, change_xid, updated_at)' +
    ` select p.org_id, c.id, p.id, 0, 0, 0, 0, ? from products p join channels c on c.org_id = p.org_id where p.org_id = ?`;
  if (only.productId) {
    text += ' and p.id = ?';
    params.push(only.productId);
  }
  if (only.channelId) {
    text += ' and c.id = ?';
    params.push(only.channelId);
  }
  text += ' on conflict (channel_id, product_id) do nothing';
  await run(tx, dialect, text, params);
}

export async function writeOffers(tx: Kysely<Database>, dialect: Dialect, orgId: string, rows: readonly OfferRow[], at: string) {
  if (rows.length === 0) return;
  let stamp: unknown;
  if (dialect === 'sqlite') {
    const { rows: found } = await run<{ next: number }>(tx, dialect, 'select coalesce(max(change_xid), 0) + 1 as next from offered_stock where org_id = ?', [orgId]);
    stamp = found[0]!.next;
  }
  const xid = dialect === 'postgres' ? 'pg_current_xact_id()::text::bigint' : '?';
  const tuple = `(?, ?, ?, ?, ?, ?, ${xid}, ?)`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const batch = rows.slice(i, i + CHUNK);
    const params: unknown[] = [];
    for (const r of batch) {
      params.push(orgId, r.channel_id, r.product_id, r.offered, r.physical, r.incoming);
      if (dialect === 'sqlite') params.push(stamp);
      params.push(at);
    }
    const text =
      `insert into offered_stock (org_id, channel_id, product_id, offered, physical, incoming, change_xid, updated_at) values ${Array(batch.length).fill(tuple).join(',')}` +
      ' on conflict (channel_id, product_id) do update set offered = excluded.offered, physical = excluded.physical, incoming = excluded.incoming,' +
      ' change_xid = excluded.change_xid, updated_at = excluded.updated_at';
    await run(tx, dialect, text, params);
  }
}

export interface OfferListRow extends OfferedStockTable {
  channel: string;
  sku: string;
  /** PostgreSQL: the writing transaction is older than every one still running; a cursor may pass only settled rows. */
  settled: boolean;
}

export interface OfferFilter {
  readonly channelId?: string;
  readonly productId?: string;
  /** Keyset position: (channel id, product id) for the catalogue order, (xid, channel id, product id) for changes. */
  readonly after?: readonly [string, string];
  readonly changesAfter?: readonly [number, string, string];
  readonly changes?: boolean;
  readonly limit: number;
}

export async function listStoredOffers(db: Kysely<Database>, dialect: Dialect, orgId: string, f: OfferFilter): Promise<OfferListRow[]> {
  const where = ['o.org_id = ?'];
  const params: unknown[] = [orgId];
  if (f.channelId) {
    where.push('o.channel_id = ?');
    params.push(f.channelId);
  }
  if (f.productId) {
    where.push('o.product_id = ?');
    params.push(f.productId);
  }
  let order: string;
  if (f.changes) {
    if (f.changesAfter) {
      where.push('(o.change_xid, o.channel_id, o.product_id) > (?, ?, ?)');
      params.push(...f.changesAfter);
    }
    order = 'o.change_xid, o.channel_id, o.product_id';
  } else {
    if (f.after) {
      where.push('(o.channel_id, o.product_id) > (?, ?)');
      params.push(...f.after);
    }
    order = 'o.channel_id, o.product_id';
  }
  const horizon = dialect === 'postgres' ? ', pg_snapshot_xmin(pg_current_snapshot())::text::bigint as horizon' : '';
  const text =
    `select o.*, c.code as channel, p.sku${horizon} from offered_stock o join channels c on c.id = o.channel_id join products p on p.id = o.product_id` +
    ` where ${where.join(' and ')} order by ${order} limit ?`;
  params.push(f.limit);
  return (await run<OfferListRow & { horizon?: number | string }>(db, dialect, text, params)).rows.map(({ horizon, ...r }) => ({
    ...r,
    change_xid: Number(r.change_xid),
    settled: horizon === undefined || BigInt(r.change_xid) < BigInt(horizon),
  }));
}

/** Product ids of the organisation after `after`, in id order: the batches of a full recompute. */
export async function productIdsAfter(db: Kysely<Database>, orgId: string, after: string | null, limit: number): Promise<string[]> {
  let q = db.selectFrom('products').select('id').where('org_id', '=', orgId);
  if (after) q = q.where('id', '>', after);
  return (await q.orderBy('id').limit(limit).execute()).map((r) => r.id);
}
