import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { newId } from '../ids.js';
import { appendEvents } from '../store/events.repository.js';
import { productIdsAfter } from '../store/offered-stock.repository.js';
import type { Database, OfferRecomputesTable } from '../store/schema.js';
import type { Caller, Services } from './context.js';
import { refreshOffers } from './offered-stock.service.js';

/**
 * A full recompute of the offered stock of every SKU of an organisation (R7): after a change of
 * settings, channels or seasons, and once a day (windows count from today). It runs in the
 * background in batches, each its own transaction, and records its progress; any process may
 * run it, and one that stops half-way is taken over from the last finished batch. A step that
 * touches a SKU meanwhile recomputes that SKU itself, so nothing waits for the recompute to be
 * correct for the SKUs that matter now.
 */
const BATCH = 500;
/** A running recompute not heard from for this long is taken over by another process. */
const STALE_MS = 60_000;

export interface RecomputeView {
  id: string;
  status: OfferRecomputesTable['status'];
  reason: string;
  total: number;
  done: number;
  changed: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const toView = (r: OfferRecomputesTable): RecomputeView => ({
  id: r.id,
  status: r.status,
  reason: r.reason,
  total: r.total,
  done: r.done,
  changed: r.changed,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** Queues a full recompute in the caller's transaction, unless one is queued already (it will see this change too). */
export async function queueRecompute(tx: Kysely<Database>, orgId: string, reason: string, at: string): Promise<string> {
  const queued = await tx.selectFrom('offer_recomputes').select('id').where('org_id', '=', orgId).where('status', '=', 'queued').executeTakeFirst();
  if (queued) return queued.id;
  const id = newId('rcp');
  const { count } = await tx.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('count')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
  await tx.insertInto('offer_recomputes').values({ id, org_id: orgId, status: 'queued', reason, total: Number(count), done: 0, changed: 0, after_product: null, claimed_at: null, error: null, created_at: at, finished_at: null }).execute();
  return id;
}

export async function requestRecompute(services: Services, caller: Caller, reason = 'requested'): Promise<RecomputeView> {
  const at = services.now().toISOString();
  const id = await services.store.transact((tx) => queueRecompute(tx, caller.orgId, reason, at));
  return getRecompute(services, caller, id);
}

export async function getRecompute(services: Services, caller: Caller, id: string): Promise<RecomputeView> {
  const row = await services.store.db.selectFrom('offer_recomputes').selectAll().where('org_id', '=', caller.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `No recompute ${id}.`);
  return toView(row);
}

export async function listRecomputes(services: Services, caller: Caller, limit = 20): Promise<RecomputeView[]> {
  const rows = await services.store.db.selectFrom('offer_recomputes').selectAll().where('org_id', '=', caller.orgId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toView);
}

/** Claims one due recompute (queued, or running but abandoned) with a conditional update; null when there is none. */
async function claim(services: Services): Promise<OfferRecomputesTable | null> {
  const now = services.now();
  const stale = new Date(now.getTime() - STALE_MS).toISOString();
  const candidates = await services.store.db
    .selectFrom('offer_recomputes')
    .selectAll()
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('claimed_at', '<', stale)])]))
    .orderBy('created_at')
    .limit(5)
    .execute();
  for (const c of candidates) {
    const result = await services.store.db
      .updateTable('offer_recomputes')
      .set({ status: 'running', claimed_at: now.toISOString() })
      .where('id', '=', c.id)
      .where('status', '=', c.status)
      .where((eb) => (c.claimed_at === null ? eb('claimed_at', 'is', null) : eb('claimed_at', '=', c.claimed_at)))
      .executeTakeFirst();
    if (result.numUpdatedRows === 1n) return { ...c, status: 'running', claimed_at: now.toISOString() };
  }
  return null;
}

/** Runs one claimed recompute to the end, batch by batch; `onProgress` after each batch. */
async function runClaimed(services: Services, job: OfferRecomputesTable, onProgress?: (v: RecomputeView) => void): Promise<RecomputeView> {
  let after = job.after_product;
  let { done, changed } = job;
  try {
    for (;;) {
      const at = services.now().toISOString();
      const step = await services.store.transact(async (tx) => {
        const ids = await productIdsAfter(tx, job.org_id, after, BATCH);
        if (ids.length === 0) return null;
        const events = await refreshOffers(tx, services.store.dialect, job.org_id, ids, at);
        await appendEvents(tx, services.store.dialect, job.org_id, at, events);
        const progress = { after_product: ids[ids.length - 1]!, done: done + ids.length, changed: changed + events.length, claimed_at: at };
        await tx.updateTable('offer_recomputes').set(progress).where('id', '=', job.id).execute();
        return progress;
      });
      if (!step) break;
      ({ after_product: after, done, changed } = step);
      onProgress?.(toView({ ...job, ...step, status: 'running' }));
    }
    const finished = { status: 'done' as const, finished_at: services.now().toISOString(), total: done };
    await services.store.db.updateTable('offer_recomputes').set(finished).where('id', '=', job.id).execute();
    return toView({ ...job, done, changed, after_product: after, ...finished });
  } catch (err) {
    const failed = { status: 'failed' as const, error: err instanceof Error ? err.message : String(err), finished_at: services.now().toISOString() };
    await services.store.db.updateTable('offer_recomputes').set(failed).where('id', '=', job.id).execute();
    return toView({ ...job, done, changed, ...failed });
  }
}

/** Runs every due recompute; returns what ran. */
export async function runDueRecomputes(services: Services, onProgress?: (v: RecomputeView) => void): Promise<RecomputeView[]> {
  const ran: RecomputeView[] = [];
  for (let job = await claim(services); job; job = await claim(services)) ran.push(await runClaimed(services, job, onProgress));
  return ran;
}

/** Queues the day's recompute of every organisation that has none since midnight (UTC): windows count from today. */
export async function queueDailyRecomputes(services: Services): Promise<number> {
  const at = services.now().toISOString();
  const midnight = `${at.slice(0, 10)}T00:00:00.000Z`;
  const orgs = await services.store.db.selectFrom('organisations').select('id').execute();
  let queued = 0;
  for (const { id } of orgs) {
    const recent = await services.store.db.selectFrom('offer_recomputes').select('id').where('org_id', '=', id).where('created_at', '>=', midnight).executeTakeFirst();
    if (recent) continue;
    await services.store.transact((tx) => queueRecompute(tx, id, 'daily', at));
    queued++;
  }
  return queued;
}

/** The background runner inside `serve`: polls for due recomputes; `stop` waits for the batch in hand. */
export function startRecomputeRunner(services: Services, intervalMs = 500): { stop(): Promise<void> } {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let lastDay = '';
  const tick = async () => {
    const day = services.now().toISOString().slice(0, 10);
    if (day !== lastDay) {
      await queueDailyRecomputes(services);
      lastDay = day;
    }
    await runDueRecomputes(services);
  };
  const timer = setInterval(() => {
    if (stopped) return;
    current = current.then(tick).catch(() => {});
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
