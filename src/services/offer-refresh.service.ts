import { groupBy } from '../collections.js';
import { appendEvents } from '../store/events.repository.js';
import { claimDirty, onDirty } from '../store/offer-dirty.repository.js';
import type { Services } from './context.js';
import { refreshOffers } from './offered-stock.service.js';

/**
 * The offer refresher (R7): recomputes the offered stock of the SKUs steps marked, 500 a
 * transaction, with their `offered_stock.changed` events in the same transaction. Inside `serve`
 * it runs right after a step in this process marks a SKU, and polls for marks from other
 * processes; the offered-stock list runs it for the caller's organisation before it reads, so a
 * client always reads what its own last step changed.
 */
const BATCH = 500;

export async function refreshDirtyOffers(services: Services, opts: { orgId?: string } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const at = services.now().toISOString();
    const done = await services.store.transact(async (tx) => {
      const claimed = await claimDirty(tx, services.store.dialect, BATCH, opts.orgId);
      for (const [orgId, rows] of groupBy(claimed, (r) => r.org_id)) {
        const events = await refreshOffers(tx, services.store.dialect, orgId, rows.map((r) => r.product_id), at);
        await appendEvents(tx, services.store.dialect, orgId, at, events);
      }
      return claimed.length;
    });
    total += done;
    if (done < BATCH) return total;
  }
}

export function startOfferRefresher(services: Services, pollMs = 500, settleMs = 20): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let pending: NodeJS.Timeout | null = null;
  const run = () => {
    pending = null;
    if (stopped) return;
    running = running.then(() => refreshDirtyOffers(services)).catch(() => {});
  };
  // A mark is made inside a transaction: wait a moment so the refresher reads it committed.
  const unsubscribe = onDirty(() => {
    if (!pending && !stopped) pending = setTimeout(run, settleMs);
  });
  const poll = setInterval(run, pollMs);
  poll.unref();
  return {
    stop: async () => {
      stopped = true;
      unsubscribe();
      clearInterval(poll);
      if (pending) clearTimeout(pending);
      await running;
    },
  };
}
