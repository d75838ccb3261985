import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import { placeholders, run, valueTuples } from './precompiled.js';
import type { Database } from './schema.js';

/**
 * SKUs whose offered stock a step may have changed (R7). A step marks them in its own
 * transaction, at the cost of one statement; the offer refresher recomputes them right after
 * (offer-refresh.service.ts), so a busy SKU's orders do not each pay for a recompute while they
 * hold its locks, and several orders of one SKU become one recompute and one event per channel.
 */
export async function markOffersDirty(tx: Kysely<Database>, dialect: Dialect, orgId: string, productIds: readonly string[], at: string) {
  const ids = [...new Set(productIds)].sort();
  if (ids.length === 0) return;
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const text = `insert into offer_dirty (product_id, org_id, marked_at) values ${valueTuples(batch.length, 3)} on conflict (product_id) do nothing`;
    await run(tx, dialect, text, batch.flatMap((id) => [id, orgId, at]));
  }
  dirtied(orgId);
}

/**
 * Takes up to `limit` marked SKUs off the list in the caller's transaction (PostgreSQL: skipping
 * those another refresher holds). If the transaction fails, they stay marked.
 */
export async function claimDirty(tx: Kysely<Database>, dialect: Dialect, limit: number, orgId?: string): Promise<{ org_id: string; product_id: string }[]> {
  const where = orgId ? 'where org_id = ?' : '';
  const params: unknown[] = orgId ? [orgId, limit] : [limit];
  if (dialect === 'postgres') {
    const text = `delete from offer_dirty where product_id in (select product_id from offer_dirty ${where} order by product_id limit ? for update skip locked) returning org_id, product_id`;
    return (await run<{ org_id: string; product_id: string }>(tx, dialect, text, params)).rows;
  }
  const rows = (await run<{ org_id: string; product_id: string }>(tx, dialect, `select org_id, product_id from offer_dirty ${where} order by product_id limit ?`, params)).rows;
  if (rows.length > 0) await run(tx, dialect, `delete from offer_dirty where product_id in (${placeholders(rows.length)})`, rows.map((r) => r.product_id));
  return rows;
}

type Listener = (orgId: string) => void;
const listeners = new Set<Listener>();

/** In-process wake-up for the refresher: it runs right after a step instead of at its next poll. */
export function onDirty(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function dirtied(orgId: string) {
  for (const l of listeners) l(orgId);
}
