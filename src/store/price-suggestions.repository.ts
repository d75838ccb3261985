import type { Kysely, Selectable } from 'kysely';
import type { Database, PriceSuggestionsTable } from './schema.js';

/** R13: the rows price suggestions are decided on, and the suggestions themselves. */

/** Offers a price rule may apply to: sold from incoming only, or stock on offer while a purchase order arrives by `arrivesBy`. */
export async function priceCandidates(tx: Kysely<Database>, orgId: string, arrivesBy: string) {
  return tx
    .selectFrom('offered_stock as os')
    .innerJoin('products as p', 'p.id', 'os.product_id')
    .select(['os.channel_id', 'os.product_id', 'os.offered', 'os.physical', 'p.sku', 'p.price_cents'])
    .where('os.org_id', '=', orgId)
    .where((eb) =>
      eb.or([
        eb.and([eb('os.physical', '=', 0), eb('os.offered', '>', 0)]),
        eb.and([
          eb('os.physical', '>', 0),
          eb(
            'os.product_id',
            'in',
            eb
              .selectFrom('purchase_order_lines as pl')
              .innerJoin('purchase_orders as po', 'po.id', 'pl.po_id')
              .select('pl.product_id')
              .where('pl.org_id', '=', orgId)
              .where('po.status', 'in', ['open', 'partially_received'])
              .where('po.arrival_date', '<=', arrivesBy),
          ),
        ]),
      ]),
    )
    .orderBy('os.channel_id')
    .orderBy('os.product_id')
    .execute();
}

export type PriceSuggestionRow = Selectable<PriceSuggestionsTable>;

export async function liveSuggestions(tx: Kysely<Database>, orgId: string): Promise<PriceSuggestionRow[]> {
  return tx.selectFrom('price_suggestions').selectAll().where('org_id', '=', orgId).where('ended_at', 'is', null).execute();
}

export async function insertSuggestion(tx: Kysely<Database>, row: PriceSuggestionRow): Promise<void> {
  await tx.insertInto('price_suggestions').values(row).execute();
}

/** The condition cleared: the suggestion ends (withdrawn if nobody decided it). */
export async function endSuggestion(tx: Kysely<Database>, s: PriceSuggestionRow, at: string): Promise<void> {
  await tx
    .updateTable('price_suggestions')
    .set({ ended_at: at, updated_at: at, ...(s.status === 'open' ? { status: 'withdrawn' as const } : {}) })
    .where('id', '=', s.id)
    .execute();
}

export async function updateSuggestionFigures(tx: Kysely<Database>, id: string, set: Pick<PriceSuggestionRow, 'reason' | 'figures' | 'price_cents' | 'suggested_price_cents'>, at: string) {
  await tx.updateTable('price_suggestions').set({ ...set, updated_at: at }).where('id', '=', id).where('status', '=', 'open').execute();
}

/** Open → accepted | dismissed, conditionally: false when it was not open any more. */
export async function decideSuggestion(tx: Kysely<Database>, id: string, status: 'accepted' | 'dismissed', at: string, by: string): Promise<boolean> {
  const r = await tx.updateTable('price_suggestions').set({ status, decided_at: at, decided_by: by, updated_at: at }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export async function getSuggestion(db: Kysely<Database>, orgId: string, id: string): Promise<PriceSuggestionRow | undefined> {
  return db.selectFrom('price_suggestions').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

export async function listSuggestions(db: Kysely<Database>, orgId: string, q: { after: string | null; limit: number; status?: PriceSuggestionRow['status']; id?: string }) {
  let query = db
    .selectFrom('price_suggestions as s')
    .innerJoin('channels as c', 'c.id', 's.channel_id')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .selectAll('s')
    .select(['c.code as channel', 'p.sku'])
    .where('s.org_id', '=', orgId);
  if (q.after) query = query.where('s.id', '>', q.after);
  if (q.status) query = query.where('s.status', '=', q.status);
  if (q.id) query = query.where('s.id', '=', q.id);
  return query.orderBy('s.id').limit(q.limit).execute();
}
