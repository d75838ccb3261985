import type { Kysely } from 'kysely';
import { markOffersDirty } from '../store/offer-dirty.repository.js';
import type { Database } from '../store/schema.js';
import { AppError } from '../domain/app-error.js';
import type { PartStatus } from '../domain/part-lifecycle.js';
import { countSearchedOrders, getOrderRows, listOrderIds } from '../store/orders.repository.js';
import { readTabCounts } from '../store/order-tabs.repository.js';
import { appendEvents } from '../store/events.repository.js';
import type { Caller, Services } from './context.js';
import { requireChannel } from './lookups.js';
import { replanOrder } from './promise-replan.js';
import { toOrderViews, type OrderView } from './order-view.js';

export async function getOrder(services: Services, caller: Caller, orderId: string): Promise<OrderView> {
  const [view] = toOrderViews(await getOrderRows(services.store.db, caller.orgId, [orderId]));
  if (!view) throw new AppError('NOT_FOUND', `No order with id '${orderId}'.`);
  return view;
}

async function waitingProducts(tx: Kysely<Database>, orderId: string): Promise<string[]> {
  const rows = await tx.selectFrom('part_lines').select('product_id').distinct().where('order_id', '=', orderId).where('location_id', 'is', null).execute();
  return rows.map((r) => r.product_id);
}

/** R6: the manual boost — a higher priority is served first when received or freed units arrive. */
export async function setOrderPriority(services: Services, caller: Caller, orderId: string, priority: number): Promise<OrderView> {
  const at = services.now().toISOString();
  await services.store.transact(async (tx) => {
    const r = await tx.updateTable('orders').set({ priority, updated_at: at }).where('org_id', '=', caller.orgId).where('id', '=', orderId).executeTakeFirst();
    if (r.numUpdatedRows !== 1n) throw new AppError('NOT_FOUND', `No order with id '${orderId}'.`);
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [
      { type: 'order.priority_changed', subjectType: 'order', subjectId: orderId, payload: { orderId, priority } },
      // R3, R6: the boost also moves the order ahead for promises of incoming stock.
      ...(await replanOrder(tx, services.store.dialect, caller.orgId, orderId, at)),
    ]);
    // R7: who is promised what moved between channels' allotments.
    await markOffersDirty(tx, services.store.dialect, caller.orgId, await waitingProducts(tx, orderId), at);
  });
  return getOrder(services, caller, orderId);
}

/** The dashboard's tabs: orders with a part in `status`, newest first, with counts per status. */
export async function listOrders(
  services: Services,
  caller: Caller,
  query: { status?: PartStatus; channel?: string; externalId?: string; q?: string; before: string | null; limit: number },
) {
  const db = services.store.db;
  const channelId = query.channel ? (await requireChannel(db, caller.orgId, query.channel)).id : undefined;
  const q = query.q?.trim() || undefined;
  const ids = await listOrderIds(db, services.store.dialect, caller.orgId, {
    status: query.status,
    channelId,
    externalId: query.externalId,
    q,
    before: query.before,
    limit: query.limit + 1,
  });
  const page = ids.slice(0, query.limit);
  const views = toOrderViews(await getOrderRows(db, caller.orgId, page));
  views.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return {
    items: views,
    next: ids.length > query.limit ? page[page.length - 1]! : null,
    // Issue 7: the tabs' counters (a million orders read in a few dozen rows); a search's own counts.
    counts: q ? await countSearchedOrders(db, services.store.dialect, caller.orgId, q, channelId) : await readTabCounts(db, caller.orgId, channelId),
  };
}
