/**
 * R12 (issue 5), the outbox dispatcher under crashes and in parallel, with real
 * `stockbridge worker` processes (`node dist/cli/main.js worker`) on one database and a local
 * HTTP receiver in this process:
 * - crash safety, on SQLite and PostgreSQL: 1,000 events are written while workers are started
 *   and SIGKILLed at random moments, several at a time; a last worker then runs to completion.
 *   Every event is received at least once, no (event id, attempt) reaches the receiver twice,
 *   every delivery ends `delivered`, and copies of an event are identical, so the receiver can
 *   dedupe on the event id;
 * - two workers on PostgreSQL deliver 10,000 events, both doing part of the work, with no
 *   attempt made twice.
 * The events are rows written with appendEvents inside store.transact (what every service does
 * in its own transaction), not products created through the API: it keeps the writing cheap, and
 * the dispatcher reads nothing but the event rows.
 * Run `npm run build` first. WEBHOOK_CRASH_SEED=<n> replays a run's random choices (the kill
 * timing still depends on the machine's speed).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllowList } from '../../src/domain/address-policy.js';
import type { Caller, Services } from '../../src/services/context.js';
import { createOrganisation } from '../../src/services/organisations.service.js';
import { createSubscription } from '../../src/services/webhooks.service.js';
import { openStore, type Dialect, type Store } from '../../src/store/db.js';
import { appendEvents, type NewEvent } from '../../src/store/events.repository.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { DIALECTS } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { prng } from './processes.js';
import {
  attemptHistoryViolations,
  attemptsMadeTwice,
  attemptsUnknownToTheDatabase,
  copiesThatDiffer,
  duplicatesByEventId,
  lostAndUnknownEvents,
  outstandingWork,
  readOutbox,
  type OutboxRows,
} from './webhook-checks.js';
import { sometimesSlow, startReceiver, type Receiver } from './webhook-receiver.js';
import { killHard, spawnWorker, stopGracefully, type Exit, type WorkerProcess } from './webhook-workers.js';

const EVENT_TYPE = 'product.created';
const SEED = Number(process.env.WEBHOOK_CRASH_SEED ?? Date.now() % 1_000_000);

// Crash safety.
const CRASH_EVENTS = 1_000;
const KILLS_WANTED = 100;
/** Workers alive at once, each killed and replaced. */
const KILLERS = 3;
/** Wall-clock budget of the kill phase per database; kills that do not fit are not made (the count is printed). */
const KILL_BUDGET_MS = 45_000;
/**
 * Below this many kills, or this many kills that found work outstanding, the run proves too
 * little and fails: a machine so slow that workers barely start is not evidence of safety. (A
 * worker needs about 0.8 s of CPU to start, most of it loading the API modules, so on two busy
 * cores the budget buys 40–50 kills, not 100; the count is printed.)
 */
const MIN_KILLS = 25;
const MIN_KILLS_WITH_WORK = 20;
/** WEBHOOK_LEASE_MS for the killed workers: a dead worker's deliveries come back after this, not after the default 30 s. */
const CRASH_LEASE_MS = 1_500;

// Two workers.
const PARALLEL_EVENTS = 10_000;
const DEFAULT_LEASE_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface World {
  readonly db: TestDatabase;
  readonly store: Store;
  readonly services: Services;
  readonly caller: Caller;
  readonly subscriptionId: string;
  readonly receiver: Receiver;
  readonly live: Set<WorkerProcess>;
}

async function openWorld(dialect: Dialect, delayMs?: () => number): Promise<World> {
  const db = await createTestDatabase(dialect);
  const store = openStore({ url: db.url });
  await migrateToLatest(store.db);
  const services: Services = { store, now: () => new Date(), webhooks: { allow: parseAllowList('127.0.0.1'), deadLetterAfterMs: 86_400_000 } };
  const org = await createOrganisation(store, `Webhook crash ${dialect}`);
  const caller: Caller = { orgId: org.orgId, role: 'admin', keyId: org.adminKey.id };
  const receiver = await startReceiver({ delayMs });
  const sub = await createSubscription(services, caller, { url: receiver.url, eventTypes: [EVENT_TYPE] });
  return { db, store, services, caller, subscriptionId: sub.id, receiver, live: new Set() };
}

async function closeWorld(w: World | undefined) {
  if (!w) return;
  await Promise.all([...w.live].map((p) => killHard(p)));
  await w.receiver.close();
  await w.store.close();
  await w.db.drop();
}

/** `count` product.created events in one transaction, numbered from `from`. */
async function writeEvents(w: World, from: number, count: number) {
  const events: NewEvent[] = Array.from({ length: count }, (_, i) => ({
    type: EVENT_TYPE,
    subjectType: 'product',
    subjectId: `prd_crash_${from + i}`,
    payload: { sku: `CRASH-${from + i}`, name: `Crash test product ${from + i}`, seq: from + i },
  }));
  const at = w.services.now().toISOString();
  await w.store.transact(async (tx) => {
    for (let i = 0; i < events.length; i += 500) await appendEvents(tx, w.store.dialect, w.caller.orgId, at, events.slice(i, i + 500));
  });
}

/** Polls until every written event is fanned out and its delivery delivered; returns when that happened, or throws with the state. */
async function waitAllDelivered(w: World, expected: number, timeoutMs: number, workers: WorkerProcess[]): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await w.store.db
      .selectFrom('webhook_deliveries')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('subscription_id', '=', w.subscriptionId)
      .groupBy('status')
      .execute();
    const delivered = Number(rows.find((r) => r.status === 'delivered')?.n ?? 0);
    if (delivered === expected && (await outstandingWork(w.store.db, w.caller.orgId, w.subscriptionId)) === 0) return Date.now();
    const dead = workers.filter((p) => p.exit);
    if (Date.now() > deadline || dead.length > 0) {
      throw new Error(
        `not all ${expected} deliveries delivered (${JSON.stringify(rows)}) after ${timeoutMs} ms; workers exited: ${JSON.stringify(dead.map((p) => p.exit))}\n` +
          workers.flatMap((p) => p.output.slice(-20)).join('\n'),
      );
    }
    await sleep(100);
  }
}

/** Every R12 delivery guarantee at once (soft, so one run reports each broken one). */
function expectDeliveryGuarantees(w: World, rows: OutboxRows, expectedEvents: number, leaseMs: number) {
  const requests = w.receiver.requests;
  expect.soft(rows.eventIds.length, 'events written').toBe(expectedEvents);
  expect.soft(rows.undispatched, 'events never fanned out').toBe(0);
  expect.soft(rows.deliveries.length, 'one delivery per event').toBe(expectedEvents);
  expect.soft(new Set(rows.deliveries.map((d) => d.event_id)), 'deliveries are for the written events').toEqual(new Set(rows.eventIds));
  expect.soft(rows.deliveries.filter((d) => d.status !== 'delivered').map((d) => `${d.id} ${d.status}`), 'every delivery delivered').toEqual([]);
  const { lost, unknown } = lostAndUnknownEvents(requests, rows.eventIds);
  expect.soft(lost, 'every event received at least once (by event id)').toEqual([]);
  expect.soft(unknown, 'no event the database does not hold').toEqual([]);
  expect.soft(attemptsMadeTwice(requests), 'no (event id, attempt) received twice: no attempt delivered twice').toEqual([]);
  expect.soft(attemptsUnknownToTheDatabase(requests, rows), 'every request received is an attempt the database recorded').toEqual([]);
  expect.soft(attemptHistoryViolations(rows, leaseMs), 'attempts 1..n, the last one 2xx, each after a failure or a lapsed lease').toEqual([]);
  expect.soft(copiesThatDiffer(requests), 'copies of one event are identical: the event id dedupes them').toEqual([]);
}

for (const dialect of DIALECTS) {
  const run = dialect === 'sqlite' || inject('pgAvailable') ? describe : describe.skip;

  run(`R12 crash safety: stockbridge worker SIGKILLed at random moments [${dialect}]`, () => {
    let w: World | undefined;
    const random = prng(SEED + (dialect === 'sqlite' ? 1 : 2));
    beforeAll(async () => {
      w = await openWorld(dialect, sometimesSlow(random));
    });
    afterAll(() => closeWorld(w));

    it(`R12: ${CRASH_EVENTS} events, up to ${KILLS_WANTED} kills: every event received, no attempt twice, every delivery delivered`, async () => {
      const world = w!;
      const env = { WEBHOOK_LEASE_MS: String(CRASH_LEASE_MS) };
      const kills: { exit: Exit; outstanding: number; early: boolean; startMs: number | null }[] = [];
      let started = 0;
      let written = 0;
      const phaseStart = Date.now();
      const deadline = phaseStart + KILL_BUDGET_MS;
      // Each new worker brings the next 10 events, so events keep arriving through the kill phase.
      const perWorker = Math.ceil(CRASH_EVENTS / KILLS_WANTED);
      const killer = async () => {
        while (started < KILLS_WANTED && Date.now() < deadline) {
          started++;
          if (written < CRASH_EVENTS) {
            const n = Math.min(perWorker, CRASH_EVENTS - written);
            written += n;
            await writeEvents(world, written - n, n);
          }
          const p = spawnWorker(world.db.url, env);
          world.live.add(p);
          // Mostly while the dispatcher loop runs (claiming, posting, recording); now and then
          // while the process is still starting (opening, migrating).
          const early = random() < 0.15;
          let readyAt: number | null = null;
          if (early) await sleep(20 + random() * 400);
          else {
            readyAt = await Promise.race([p.ready.catch(() => null), sleep(20_000).then(() => null)]);
            await sleep(random() * 300);
          }
          const outstanding = await outstandingWork(world.store.db, world.caller.orgId, world.subscriptionId);
          const exit = await killHard(p);
          world.live.delete(p);
          kills.push({ exit, outstanding, early, startMs: readyAt === null ? null : readyAt - p.spawnedAt });
        }
      };
      await Promise.all(Array.from({ length: KILLERS }, killer));
      const killPhaseMs = Date.now() - phaseStart;
      if (written < CRASH_EVENTS) await writeEvents(world, written, CRASH_EVENTS - written);
      const receivedDuringKills = world.receiver.requests.length;

      const last = spawnWorker(world.db.url, env);
      world.live.add(last);
      await last.ready;
      const finalStart = Date.now();
      await waitAllDelivered(world, CRASH_EVENTS, 90_000, [last]);
      const finalMs = Date.now() - finalStart;
      const lastExit = await stopGracefully(last);
      world.live.delete(last);

      const rows = await readOutbox(world.store.db, world.caller.orgId, world.subscriptionId, EVENT_TYPE);
      const dupes = duplicatesByEventId(world.receiver.requests);
      const unanswered = world.receiver.requests.filter((r) => !r.answered).length;
      const withWork = kills.filter((k) => k.outstanding > 0).length;
      const startTimes = kills.flatMap((k) => (k.startMs === null ? [] : [k.startMs])).sort((a, b) => a - b);
      console.log(
        `[webhook-crash ${dialect}] seed ${SEED}: ${kills.length} SIGKILLs in ${killPhaseMs} ms (${KILLERS} workers at a time, ${kills.filter((k) => k.early).length} during start-up, ` +
          `${withWork} with work outstanding, median start-up ${startTimes[startTimes.length >> 1] ?? '?'} ms); ${CRASH_EVENTS} events; ${receivedDuringKills} requests during the kills, ${world.receiver.requests.length} in all, ` +
          `${unanswered} cut off by a kill before the 204; ${dupes.extraCopies} extra copies of ${dupes.eventsReceivedMoreThanOnce} events (deduped by event id); ` +
          `attempts recorded ${rows.attempts.length}; the last worker finished in ${finalMs} ms`,
      );

      expect.soft(kills.filter((k) => k.exit.signal !== 'SIGKILL').map((k) => k.exit), 'every worker ran until it was killed (none crashed or exited by itself)').toEqual([]);
      expect.soft(kills.length, `SIGKILLs within ${KILL_BUDGET_MS} ms`).toBeGreaterThanOrEqual(MIN_KILLS);
      expect.soft(withWork, 'kills that found events or deliveries outstanding').toBeGreaterThanOrEqual(MIN_KILLS_WITH_WORK);
      expect.soft(lastExit, 'the last worker stops cleanly on SIGTERM').toEqual({ code: 0, signal: null });
      expectDeliveryGuarantees(world, rows, CRASH_EVENTS, CRASH_LEASE_MS);
    }, 180_000);
  });
}

(inject('pgAvailable') ? describe : describe.skip)('R12 two stockbridge workers on PostgreSQL', () => {
  let w: World | undefined;
  beforeAll(async () => {
    w = await openWorld('postgres');
  });
  afterAll(() => closeWorld(w));

  it(`R12: two workers deliver ${PARALLEL_EVENTS} events, both working, no attempt made twice`, async () => {
    const world = w!;
    for (let i = 0; i < PARALLEL_EVENTS; i += 2_000) await writeEvents(world, i, Math.min(2_000, PARALLEL_EVENTS - i));
    const workers = [spawnWorker(world.db.url), spawnWorker(world.db.url)];
    for (const p of workers) world.live.add(p);
    const readyAt = await Promise.all(workers.map((p) => p.ready));
    const doneAt = await waitAllDelivered(world, PARALLEL_EVENTS, 120_000, workers);
    const exits = await Promise.all(workers.map((p) => stopGracefully(p)));
    for (const p of workers) world.live.delete(p);

    const rows = await readOutbox(world.store.db, world.caller.orgId, world.subscriptionId, EVENT_TYPE);
    const perWorker = new Map<string, number>();
    for (const a of rows.attempts) perWorker.set(a.worker, (perWorker.get(a.worker) ?? 0) + 1);
    const dupes = duplicatesByEventId(world.receiver.requests);
    // From the later worker's banner (both running) to the last delivery seen delivered (polled every 100 ms).
    const seconds = (doneAt - Math.max(...readyAt)) / 1000;
    console.log(
      `[webhook-crash postgres, 2 workers] ${PARALLEL_EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(PARALLEL_EVENTS / seconds)} events/s ` +
        `(first worker up ${Math.abs(readyAt[1]! - readyAt[0]!)} ms before the other); attempts per worker ${JSON.stringify([...perWorker.values()])}; ` +
        `${world.receiver.requests.length} requests received, ${dupes.extraCopies} extra copies`,
    );

    expect.soft(exits, 'both workers stop cleanly on SIGTERM').toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    expect.soft(perWorker.size, `attempts came from both workers: ${JSON.stringify([...perWorker])}`).toBe(2);
    for (const [worker, n] of perWorker) expect.soft(n, `worker ${worker} made attempts`).toBeGreaterThan(0);
    expectDeliveryGuarantees(world, rows, PARALLEL_EVENTS, DEFAULT_LEASE_MS);
  }, 180_000);
});
