import type { Kysely } from 'kysely';
import { oversoldWaitingLines } from '../store/alert-conditions.repository.js';
import { appendEvents } from '../store/events.repository.js';
import { markOffersDirty } from '../store/offer-dirty.repository.js';
import type { Dialect } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { replanPromises } from './promise-replan.js';

/**
 * R3 with R6, over time: units that wait without a promise (oversold) get one as soon as an open
 * purchase order can cover them, oldest first — not only when something else re-plans their SKU.
 * A line a channel's window (R7) kept out at intake comes within it as days pass; without this
 * check a newer order would be promised from it first (the dashboard review saw exactly that).
 * Runs with the scheduled checks; a SKU whose plan does not change writes nothing.
 */
export async function repromiseOversold(tx: Kysely<Database>, dialect: Dialect, orgId: string, at: string): Promise<{ products: number }> {
  const rows = await oversoldWaitingLines(tx, orgId)
    .select('pl.product_id')
    .distinct()
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('purchase_order_lines as l')
          .innerJoin('purchase_orders as po', 'po.id', 'l.po_id')
          .select('l.po_id')
          .whereRef('l.product_id', '=', 'pl.product_id')
          .where('po.org_id', '=', orgId)
          .where('po.status', 'in', ['open', 'partially_received'])
          .whereRef('l.qty_promised', '<', 'l.qty_ordered'),
      ),
    )
    .execute();
  const products = rows.map((r) => r.product_id).sort();
  if (products.length === 0) return { products: 0 };
  const events = await replanPromises(tx, dialect, orgId, products, at);
  await appendEvents(tx, dialect, orgId, at, events);
  await markOffersDirty(tx, dialect, orgId, products, at);
  return { products: products.length };
}
