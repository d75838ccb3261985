/**
 * The timed parts of the offered-stock benchmark on the real code paths:
 * - a full recompute: queueRecompute + runDueRecomputes (batches of 500 SKUs, each a transaction);
 * - one order: the whole placeOrder (its own refreshOffers included);
 * - the same order with its refresh replayed and timed inside the order's transaction: after the
 *   order's step, a savepoint, the SKU's offered rows put back to what they were before the order,
 *   then refreshOffers + appendEvents for that SKU (timed), then a rollback to the savepoint.
 *   The replay finds the same changes the order's own refresh found and writes the same rows;
 *   the step's time minus the replay's is the order without its refresh;
 * - the refresh alone in a transaction of its own, the same way (what the raw floor repeats).
 */
import { sql, type Kysely } from 'kysely';
import { appendEvents } from '../src/store/events.repository.js';
import { run } from '../src/store/precompiled.js';
import type { Database } from '../src/store/schema.js';
import type { Dialect } from '../src/store/db.js';
import type { Services } from '../src/services/context.js';
import { queueRecompute, runDueRecomputes } from '../src/services/offer-recompute.service.js';
import { refreshOffers } from '../src/services/offered-stock.service.js';
import { placeOrder } from '../src/services/order-intake.service.js';
import { orderFor, type OfferOrg, type OrderTarget } from './offered-stock-workload.js';
import { nowMs } from './stats.js';

export interface FullRun {
  readonly ms: number;
  readonly skus: number;
  /** offered_stock rows whose value changed (written). */
  readonly rowsWritten: number;
  /** offered_stock.changed events. */
  readonly events: number;
}

async function maxStamp(db: Kysely<Database>, dialect: Dialect, orgId: string): Promise<number> {
  const { rows } = await run<{ m: number }>(db, dialect, 'select coalesce(max(change_xid), 0) as m from offered_stock where org_id = ?', [orgId]);
  return Number(rows[0]!.m);
}

/** One full recompute of the organisation, as a settings change or the daily run starts it. */
export async function realFullRecompute(services: Services, orgId: string): Promise<FullRun> {
  const { db, dialect } = services.store;
  const before = await maxStamp(db, dialect, orgId);
  const t0 = nowMs();
  const at = services.now().toISOString();
  await services.store.transact((tx) => queueRecompute(tx, orgId, 'bench', at));
  const ran = await runDueRecomputes(services);
  const ms = nowMs() - t0;
  if (ran.length !== 1 || ran[0]!.status !== 'done') throw new Error(`recompute did not finish: ${JSON.stringify(ran)}`);
  const { rows } = await run<{ n: number }>(db, dialect, 'select count(*) as n from offered_stock where org_id = ? and change_xid > ?', [orgId, before]);
  return { ms, skus: ran[0]!.done, rowsWritten: Number(rows[0]!.n), events: ran[0]!.changed };
}

export interface StoredOffer {
  channel_id: string;
  product_id: string;
  offered: number;
  physical: number;
  incoming: number;
  change_xid: number;
  updated_at: string;
}

export async function readOfferRows(db: Kysely<Database>, dialect: Dialect, orgId: string, productId: string): Promise<StoredOffer[]> {
  const text = 'select channel_id, product_id, offered, physical, incoming, change_xid, updated_at from offered_stock where org_id = ? and product_id = ? order by channel_id';
  return (await run<StoredOffer>(db, dialect, text, [orgId, productId])).rows;
}

const RESTORE = 'update offered_stock set offered = ?, physical = ?, incoming = ?, change_xid = ?, updated_at = ? where channel_id = ? and product_id = ?';

export interface Replay {
  readonly refreshMs: number;
  readonly eventsMs: number;
  readonly rowsWritten: number;
  /** Payloads of the events, for comparing with the raw floor. */
  readonly events: string[];
}

const differs = (a: StoredOffer, b: StoredOffer) => a.offered !== b.offered || a.physical !== b.physical || a.incoming !== b.incoming;

/** In `tx`: the SKU's offered rows back to `before`, the timed refresh + events, and a rollback to before all that. */
async function replayRefresh(tx: Kysely<Database>, dialect: Dialect, org: OfferOrg, productId: string, before: readonly StoredOffer[], at: string): Promise<Replay> {
  await sql`savepoint bench_replay`.execute(tx);
  try {
    for (const r of before) await run(tx, dialect, RESTORE, [r.offered, r.physical, r.incoming, r.change_xid, r.updated_at, r.channel_id, r.product_id]);
    const t0 = nowMs();
    const events = await refreshOffers(tx, dialect, org.orgId, [productId], at);
    const t1 = nowMs();
    await appendEvents(tx, dialect, org.orgId, at, events);
    const t2 = nowMs();
    const after = await readOfferRows(tx, dialect, org.orgId, productId);
    const rowsWritten = after.filter((a, k) => differs(a, before[k]!)).length;
    return { refreshMs: t1 - t0, eventsMs: t2 - t1, rowsWritten, events: events.map((e) => JSON.stringify(e.payload)) };
  } finally {
    await sql`rollback to savepoint bench_replay`.execute(tx);
    await sql`release savepoint bench_replay`.execute(tx);
  }
}

export interface OrderSample {
  readonly target: OrderTarget;
  /** Offered rows before the order (what the replays put back). */
  readonly before: StoredOffer[];
  /** placeOrder as the caller sees it. */
  readonly wholeMs: number;
  /** The order's step inside its transaction (its own refresh included). */
  readonly stepMs: number;
  readonly replay: Replay;
  readonly status: string;
}

/** placeOrder as it is: the caller's time. */
export async function timePlaceOrder(services: Services, org: OfferOrg, target: OrderTarget, i: number, seed: number): Promise<number> {
  const t0 = nowMs();
  const placed = await placeOrder(services, org.caller, orderFor(target, i, seed));
  const ms = nowMs() - t0;
  if (!placed.created) throw new Error(`order ${i} was not created`);
  return ms;
}

/** placeOrder with its refresh replayed and timed in the same transaction, after the step. */
export async function timeOrderWithReplay(services: Services, org: OfferOrg, target: OrderTarget, i: number, seed: number): Promise<OrderSample> {
  const { dialect } = services.store;
  const before = await readOfferRows(services.store.db, dialect, org.orgId, target.productId);
  let stepMs = 0;
  let replay: Replay | null = null;
  const store = {
    ...services.store,
    transact: <T>(fn: (tx: Kysely<Database>) => Promise<T>) =>
      services.store.transact(async (tx) => {
        const t0 = nowMs();
        const value = await fn(tx);
        stepMs = nowMs() - t0;
        replay = await replayRefresh(tx, dialect, org, target.productId, before, services.now().toISOString());
        return value;
      }),
  };
  const t0 = nowMs();
  const placed = await placeOrder({ ...services, store }, org.caller, orderFor(target, i, seed));
  const wholeMs = nowMs() - t0;
  if (!placed.created || !replay) throw new Error(`order ${i} was not created`);
  return { target, before, wholeMs, stepMs, replay, status: placed.order.status };
}

/** The SKU's refresh alone, in a transaction of its own, from the offered values before its order. */
export async function timeRefreshAlone(services: Services, org: OfferOrg, s: OrderSample): Promise<Replay> {
  return services.store.transact((tx) => replayRefresh(tx, services.store.dialect, org, s.target.productId, s.before, services.now().toISOString()));
}

export { RESTORE };
