/**
 * R11 and R12 (issue 5), the outbox under crashes and in parallel, with real `stockbridge worker`
 * processes (`node dist/cli/main.js worker`) on one database, a local HTTP receiver and an SMTP
 * server (smtp-server) in this process:
 * - crash safety, on SQLite and PostgreSQL: while workers are started and SIGKILLed at random
 *   moments (100 kills, several workers alive at a time), 1,000 events are written — 250
 *   backordered orders placed through the intake service (each a customer e-mail, R11) and 750
 *   product events; a last worker then runs to completion. Webhooks: every event received at
 *   least once, no (event id, attempt) reaches the receiver twice, every delivery ends
 *   `delivered`, copies of an event are identical so the receiver dedupes on the event id.
 *   E-mails: none reaches the SMTP server twice; a message whose worker died while the server
 *   was taking it is `unknown` with an alert naming its Message-ID, and the test does what the
 *   alert asks a person to do — looks the id up in the server's log (what this SMTP server
 *   received) and resends only those that are not there; after that every e-mail has been
 *   received exactly once;
 * - two workers on PostgreSQL deliver 10,000 events, both doing part of the work, with no
 *   attempt made twice.
 * The product events are rows written with appendEvents inside store.transact (what every
 * service does in its own transaction): it keeps the writing cheap, and the dispatcher reads
 * nothing but the event rows. Run `npm run build` first. OUTBOX_CRASH_SEED=<n> replays a run's
 * random choices (the kill timing still depends on the machine's speed).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllowList } from '../../src/domain/address-policy.js';
import type { Caller, Services } from '../../src/services/context.js';
import { createChannel } from '../../src/services/channels.service.js';
import { resendMessage } from '../../src/services/customer-messages.service.js';
import { createLocation } from '../../src/services/locations.service.js';
import { placeOrder } from '../../src/services/order-intake.service.js';
import { createOrganisation, updateSettings } from '../../src/services/organisations.service.js';
import { createProduct } from '../../src/services/products.service.js';
import { createPurchaseOrder, createSupplier } from '../../src/services/purchasing.service.js';
import { fanOutEvents } from '../../src/services/webhook-dispatcher.js';
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
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver.js';
import { sometimesSlow, startReceiver, type Receiver } from './webhook-receiver.js';
import { killHard, spawnWorker, stopGracefully, type Exit, type WorkerProcess } from './webhook-workers.js';

const PRODUCT_EVENT = 'product.created';
const ORDER_EVENT = 'order.backordered';
const SUBSCRIBED = [PRODUCT_EVENT, ORDER_EVENT];
const SEED = Number(process.env.OUTBOX_CRASH_SEED ?? Date.now() % 1_000_000);

// Crash safety.
const CRASH_EVENTS = 1_000;
/** Of them, backordered orders: one order.backordered event and one customer e-mail each. */
const CRASH_ORDERS = 250;
const KILLS = 100;
/** Workers alive at once, each killed and replaced. */
const KILLERS = 3;
/**
 * Wall-clock budget of the kill phase per database. A worker needs 0.3–0.8 s of CPU to start, so
 * on two busy cores 100 kills take 60–120 s; a run that cannot make them in the budget fails
 * (a machine so slow that workers barely start is not evidence of safety).
 */
const KILL_BUDGET_MS = 200_000;
const MIN_KILLS_WITH_WORK = 60;
/** WEBHOOK_LEASE_MS for the killed workers: a dead worker's deliveries and e-mails come back after this, not after the default 30 s. */
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
  /** The last event `setUp` wrote (its events are not the subscription's). */
  readonly setUpEventId: string;
}

/** `setUp` runs before the subscription exists, and its events are fanned out to nobody: the subscription sees only the events the test counts. */
async function openWorld(dialect: Dialect, delayMs?: () => number, setUp?: (services: Services, caller: Caller) => Promise<void>): Promise<World> {
  const db = await createTestDatabase(dialect);
  const store = openStore({ url: db.url });
  await migrateToLatest(store.db);
  const services: Services = { store, now: () => new Date(), webhooks: { allow: parseAllowList('127.0.0.1'), deadLetterAfterMs: 86_400_000 } };
  const org = await createOrganisation(store, `Outbox crash ${dialect}`);
  const caller: Caller = { orgId: org.orgId, role: 'admin', keyId: org.adminKey.id };
  if (setUp) {
    await setUp(services, caller);
    while ((await fanOutEvents(services)) > 0);
  }
  const lastEvent = await store.db.selectFrom('events').select('id').where('org_id', '=', org.orgId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const receiver = await startReceiver({ delayMs });
  const sub = await createSubscription(services, caller, { url: receiver.url, eventTypes: SUBSCRIBED });
  return { db, store, services, caller, subscriptionId: sub.id, receiver, live: new Set(), setUpEventId: lastEvent?.id ?? '' };
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
    type: PRODUCT_EVENT,
    subjectType: 'product',
    subjectId: `prd_crash_${from + i}`,
    payload: { sku: `CRASH-${from + i}`, name: `Crash test product ${from + i}`, seq: from + i },
  }));
  const at = w.services.now().toISOString();
  await w.store.transact(async (tx) => {
    for (let i = 0; i < events.length; i += 500) await appendEvents(tx, w.store.dialect, w.caller.orgId, at, events.slice(i, i + 500));
  });
}

/** A webshop (e-mail on by default) that takes backorders, one SKU with nothing on hand and a purchase order for the promised date. */
async function seedShop(services: Services, caller: Caller) {
  await updateSettings(services, caller, { backordersEnabled: true, cappedSalesDays: null });
  await createLocation(services, caller, { code: 'dc', name: 'DC', kind: 'warehouse', country: 'NL' });
  await createChannel(services, caller, { code: 'shop', name: 'Shop', kind: 'webshop', acceptsBackorders: true, locations: ['dc'] });
  await createProduct(services, caller, { sku: 'CASE-1', name: 'Case', price: 20, cost: 5 });
  const supplier = await createSupplier(services, caller, { name: 'Supplier', leadTimeDays: 7 });
  const expectedDate = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await createPurchaseOrder(services, caller, { number: 'PO-1', supplierId: supplier.id, location: 'dc', expectedDate, lines: [{ sku: 'CASE-1', qty: 10 * CRASH_ORDERS }] });
}

/** Orders `from`…`from + count - 1`: each waits for the purchase order (order.backordered, a backorder e-mail). */
async function placeBackorders(w: World, from: number, count: number) {
  for (let i = from; i < from + count; i++) {
    await placeOrder(w.services, w.caller, {
      channel: 'shop',
      externalId: `W-${i}`,
      customer: { id: `c-${i}`, email: `c${i}@example.com`, locale: 'en', country: 'NL' },
      lines: [{ sku: 'CASE-1', qty: 1, unitPrice: 20 }],
    });
  }
}

/** Messages a worker has still to send (or is sending). */
async function messagesInFlight(w: World): Promise<number> {
  const row = await w.store.db
    .selectFrom('customer_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', w.caller.orgId)
    .where('status', 'in', ['queued', 'sending', 'committing'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Polls until every written event is fanned out, its delivery delivered and no e-mail is in flight; returns when that happened, or throws with the state. */
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
    const mails = await messagesInFlight(w);
    if (delivered === expected && mails === 0 && (await outstandingWork(w.store, w.caller.orgId, w.subscriptionId)) === 0) return Date.now();
    const dead = workers.filter((p) => p.exit);
    if (Date.now() > deadline || dead.length > 0) {
      throw new Error(
        `not all ${expected} deliveries delivered (${JSON.stringify(rows)}, ${mails} e-mails in flight) after ${timeoutMs} ms; workers exited: ${JSON.stringify(dead.map((p) => p.exit))}\n` +
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

  run(`R11, R12 crash safety: stockbridge worker SIGKILLed at random moments [${dialect}]`, () => {
    let w: World | undefined;
    let smtp: SmtpReceiver | undefined;
    const random = prng(SEED + (dialect === 'sqlite' ? 1 : 2));
    beforeAll(async () => {
      w = await openWorld(dialect, sometimesSlow(random), seedShop);
      smtp = await startSmtpReceiver({ delayMs: () => Math.floor(random() * 40) });
    });
    afterAll(async () => {
      await closeWorld(w);
      await smtp?.close();
    });

    it(`R11, R12: ${CRASH_EVENTS} events and ${CRASH_ORDERS} e-mails, ${KILLS} kills: every event received, no attempt twice, every e-mail exactly once`, async () => {
      const world = w!;
      const server = smtp!;
      const env = { WEBHOOK_LEASE_MS: String(CRASH_LEASE_MS), SMTP_URL: server.url };
      const kills: { exit: Exit; outstanding: number; early: boolean; startMs: number | null }[] = [];
      let started = 0;
      const phaseStart = Date.now();
      const deadline = phaseStart + KILL_BUDGET_MS;
      // Each new worker brings the next 10 events (2 or 3 of them orders), so work keeps arriving through the kill phase.
      const slice = (i: number, total: number) => [Math.floor((i * total) / KILLS), Math.floor(((i + 1) * total) / KILLS)] as const;
      const killer = async () => {
        while (started < KILLS && Date.now() < deadline) {
          const i = started++;
          const [o0, o1] = slice(i, CRASH_ORDERS);
          const [e0, e1] = slice(i, CRASH_EVENTS);
          await placeBackorders(world, o0, o1 - o0);
          await writeEvents(world, e0 - o0, e1 - e0 - (o1 - o0));
          const p = spawnWorker(world.db.url, env);
          world.live.add(p);
          // Mostly while the dispatcher loop runs (claiming, posting, mailing, recording); now and
          // then while the process is still starting (opening, migrating).
          const early = random() < 0.15;
          let readyAt: number | null = null;
          if (early) await sleep(20 + random() * 400);
          else {
            readyAt = await Promise.race([p.ready.catch(() => null), sleep(20_000).then(() => null)]);
            await sleep(random() * 300);
          }
          const outstanding = (await outstandingWork(world.store, world.caller.orgId, world.subscriptionId)) + (await messagesInFlight(world));
          const exit = await killHard(p);
          world.live.delete(p);
          kills.push({ exit, outstanding, early, startMs: readyAt === null ? null : readyAt - p.spawnedAt });
        }
      };
      await Promise.all(Array.from({ length: KILLERS }, killer));
      const killPhaseMs = Date.now() - phaseStart;
      const receivedDuringKills = world.receiver.requests.length;
      const mailsDuringKills = server.total();

      const last = spawnWorker(world.db.url, env);
      world.live.add(last);
      await last.ready;
      const finalStart = Date.now();
      await waitAllDelivered(world, CRASH_EVENTS, 90_000, [last]);
      const finalMs = Date.now() - finalStart;

      // R11: the messages in doubt, each with its alert; the person looks each up in the server's log.
      const messages = () => world.store.db.selectFrom('customer_messages').select(['id', 'message_id', 'status', 'attempts']).where('org_id', '=', world.caller.orgId).execute();
      const settled = await messages();
      const doubtful = settled.filter((m) => m.status === 'unknown');
      const alerts = await world.store.db.selectFrom('alerts').select(['subject_id', 'message']).where('org_id', '=', world.caller.orgId).where('type', '=', 'message_unknown').execute();
      const unalerted = doubtful.filter((m) => !alerts.some((a) => a.subject_id === m.id && a.message.includes(m.message_id)));
      const notInLog = doubtful.filter((m) => (server.received.get(m.message_id) ?? 0) === 0);
      for (const m of notInLog) await resendMessage(world.services, world.caller, m.id);
      await waitAllDelivered(world, CRASH_EVENTS, 30_000, [last]);
      const lastExit = await stopGracefully(last);
      world.live.delete(last);

      const rows = await readOutbox(world.store, world.caller.orgId, world.subscriptionId, SUBSCRIBED, world.setUpEventId);
      const after = await messages();
      const dupes = duplicatesByEventId(world.receiver.requests);
      const unanswered = world.receiver.requests.filter((r) => !r.answered).length;
      const withWork = kills.filter((k) => k.outstanding > 0).length;
      const startTimes = kills.flatMap((k) => (k.startMs === null ? [] : [k.startMs])).sort((a, b) => a - b);
      console.log(
        `[outbox-crash ${dialect}] seed ${SEED}: ${kills.length} SIGKILLs in ${killPhaseMs} ms (${KILLERS} workers at a time, ${kills.filter((k) => k.early).length} during start-up, ` +
          `${withWork} with work outstanding, median start-up ${startTimes[startTimes.length >> 1] ?? '?'} ms); ${CRASH_EVENTS} events; ${receivedDuringKills} requests during the kills, ${world.receiver.requests.length} in all, ` +
          `${unanswered} cut off by a kill before the 204; ${dupes.extraCopies} extra copies of ${dupes.eventsReceivedMoreThanOnce} events (deduped by event id); ` +
          `attempts recorded ${rows.attempts.length}; e-mails: ${mailsDuringKills} of ${CRASH_ORDERS} accepted during the kills, ${settled.filter((m) => m.attempts > 1).length} needed more than one attempt, ` +
          `${doubtful.length} in doubt, ${notInLog.length} of them not in the server's log and resent; the last worker finished in ${finalMs} ms`,
      );

      expect.soft(kills.filter((k) => k.exit.signal !== 'SIGKILL').map((k) => k.exit), 'every worker ran until it was killed (none crashed or exited by itself)').toEqual([]);
      expect.soft(kills.length, `SIGKILLs within ${KILL_BUDGET_MS} ms`).toBe(KILLS);
      expect.soft(withWork, 'kills that found events, deliveries or e-mails outstanding').toBeGreaterThanOrEqual(MIN_KILLS_WITH_WORK);
      expect.soft(lastExit, 'the last worker stops cleanly on SIGTERM').toEqual({ code: 0, signal: null });
      expectDeliveryGuarantees(world, rows, CRASH_EVENTS, CRASH_LEASE_MS);

      expect.soft(after, `one e-mail per backorder`).toHaveLength(CRASH_ORDERS);
      expect.soft(unalerted.map((m) => m.id), 'an alert names each message in doubt').toEqual([]);
      expect.soft(settled.filter((m) => m.status !== 'sent' && m.status !== 'unknown').map((m) => `${m.id} ${m.status}`), 'every message ends sent or in doubt').toEqual([]);
      expect.soft(after.filter((m) => m.status !== 'sent' && !(m.status === 'unknown' && server.received.get(m.message_id) === 1)).map((m) => `${m.id} ${m.status}`), 'after the resends, all sent (or in doubt and in the log)').toEqual([]);
      expect.soft(after.filter((m) => (server.received.get(m.message_id) ?? 0) > 1).map((m) => m.message_id), 'no e-mail reached the SMTP server twice').toEqual([]);
      expect.soft(after.filter((m) => (server.received.get(m.message_id) ?? 0) === 0).map((m) => m.message_id), 'every e-mail reached the SMTP server').toEqual([]);
      expect.soft([...server.received.keys()].filter((id) => !after.some((m) => m.message_id === id)), 'nothing else was sent').toEqual([]);
    }, 420_000);
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

    const rows = await readOutbox(world.store, world.caller.orgId, world.subscriptionId, [PRODUCT_EVENT]);
    const perWorker = new Map<string, number>();
    for (const a of rows.attempts) perWorker.set(a.worker, (perWorker.get(a.worker) ?? 0) + 1);
    const dupes = duplicatesByEventId(world.receiver.requests);
    // From the later worker's banner (both running) to the last delivery seen delivered (polled every 100 ms).
    const seconds = (doneAt - Math.max(...readyAt)) / 1000;
    console.log(
      `[outbox-crash postgres, 2 workers] ${PARALLEL_EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(PARALLEL_EVENTS / seconds)} events/s ` +
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
