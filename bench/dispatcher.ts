/**
 * R12 benchmark: webhook dispatcher throughput to a local HTTP receiver (issue 5).
 *
 * For each run: a fresh database (SQLite file / PostgreSQL `sb_bench_<random>`), migrated, one
 * organisation with one subscription (all event types) to a receiver in this process on
 * 127.0.0.1 that answers 204 at once and records (event id, attempt). BENCH_DISPATCH_EVENTS
 * (10,000) events are written beforehand with appendEvents in transactions of 500, then
 * `stockbridge worker` processes (1, or 2 on PostgreSQL) are started and the clock runs from the
 * first request the receiver gets until every delivery is `delivered`. Reported: events/s,
 * when 50/90/99 % of the events had arrived (seconds after the first), attempts per worker, and
 * duplicate attempts (must be none).
 *
 * Baseline in the same run: the same signed POSTs of the same bodies from this process, 200 at a
 * time over keep-alive (the dispatcher's batch), with no database: what the HTTP hop alone
 * allows on this machine.
 */
import { countPendingEvents } from '../src/store/outbox.repository.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseAllowList } from '../src/domain/address-policy.js';
import { signature } from '../src/domain/webhook-signature.js';
import type { Services } from '../src/services/context.js';
import { createOrganisation } from '../src/services/organisations.service.js';
import { createSubscription } from '../src/services/webhooks.service.js';
import { postWebhook } from '../src/services/webhook-target.js';
import { openStore, type Dialect } from '../src/store/db.js';
import { appendEvents } from '../src/store/events.repository.js';
import { migrateToLatest } from '../src/store/migrator.js';
import { createDatabase, dropAll, postgresVersion } from './databases.js';
import { loadLine, revision } from './machine.js';
import { percentile } from './stats.js';

const EVENTS = Number(process.env.BENCH_DISPATCH_EVENTS ?? 10_000);
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

interface Receiver {
  readonly server: Server;
  readonly url: string;
  readonly arrivals: { id: string; attempt: string; at: number }[];
}

async function receiver(): Promise<Receiver> {
  const arrivals: Receiver['arrivals'] = [];
  const server = createServer((req, res) => {
    arrivals.push({ id: String(req.headers['stockbridge-event-id']), attempt: String(req.headers['stockbridge-delivery-attempt']), at: performance.now() });
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return { server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`, arrivals };
}

async function seed(url: string, hook: string): Promise<{ services: Services; orgId: string; secret: string }> {
  const store = openStore({ url });
  await migrateToLatest(store.db);
  const services: Services = { store, now: () => new Date(), webhooks: { allow: parseAllowList('127.0.0.1'), deadLetterAfterMs: 86_400_000 } };
  const org = await createOrganisation(store, 'Dispatch bench');
  const caller = { orgId: org.orgId, role: 'admin' as const, keyId: org.adminKey.id };
  // The organisation's own first events go out too; the subscription comes first so all count.
  const sub = await createSubscription(services, caller, { url: hook, eventTypes: ['*'] });
  for (let i = 0; i < EVENTS; i += 500) {
    const n = Math.min(500, EVENTS - i);
    await store.transact((tx) =>
      appendEvents(
        tx,
        store.dialect,
        org.orgId,
        new Date().toISOString(),
        Array.from({ length: n }, (_, k) => ({ type: 'stock.adjusted', subjectType: 'product', subjectId: `SKU-${i + k}`, payload: { sku: `SKU-${i + k}`, location: 'dc', delta: 1, kind: 'receipt', reason: null } })),
      ),
    );
  }
  return { services, orgId: org.orgId, secret: sub.secret };
}

function startWorker(url: string): ChildProcess {
  return spawn(process.execPath, [CLI, 'worker'], { env: { ...process.env, DATABASE_URL: url, WEBHOOK_ALLOW: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function delivered(services: Services): Promise<{ pending: number; total: number }> {
  const rows = await services.store.db.selectFrom('webhook_deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  const undispatched = await countPendingEvents(services.store.db, services.store.dialect);
  return { pending: count('pending') + undispatched, total: count('pending') + count('delivered') + count('dead') };
}

interface Result {
  id: string;
  events: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  duplicates: number;
  perWorker: Record<string, number>;
  baselinePerSecond: number;
  load: string;
}

async function baseline(hook: string, secret: string, n: number): Promise<number> {
  const body = (i: number) => JSON.stringify({ id: `evt_${i}`, type: 'stock.adjusted', payload: { sku: `SKU-${i}` } });
  const started = performance.now();
  for (let i = 0; i < n; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, (_, k) => {
        const b = body(i + k);
        return postWebhook(hook, b, { 'stockbridge-signature': signature(secret, b, Math.floor(Date.now() / 1000)), 'stockbridge-event-id': `evt_${i + k}`, 'stockbridge-delivery-attempt': '1' }, { allow: parseAllowList('127.0.0.1'), timeoutMs: 10_000 });
      }),
    );
  }
  return n / ((performance.now() - started) / 1000);
}

async function run(id: string, dialect: Dialect, workers: number): Promise<Result> {
  const db = await createDatabase(dialect);
  const rcv = await receiver();
  try {
    const { services, secret } = await seed(db.url, rcv.url);
    const expected = (await delivered(services)).total;
    const procs = Array.from({ length: workers }, () => startWorker(db.url));
    const deadline = Date.now() + 600_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const d = await delivered(services);
      if (rcv.arrivals.length > 0 && d.pending === 0 && d.total >= expected) break;
      if (Date.now() > deadline) throw new Error(`${id}: not delivered within 10 minutes (${d.pending} pending)`);
    }
    for (const p of procs) p.kill('SIGTERM');
    // The baseline below posts to the same receiver: count the dispatcher's arrivals first.
    const arrivals = rcv.arrivals.splice(0);
    const first = arrivals[0]!.at;
    const last = arrivals[arrivals.length - 1]!.at;
    const seconds = (last - first) / 1000;
    const latencies = arrivals.map((a) => a.at - first).sort((a, b) => a - b);
    const pairs = new Set(arrivals.map((a) => `${a.id}|${a.attempt}`));
    const attempts = await services.store.db.selectFrom('webhook_attempts').select(['worker', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('worker').execute();
    const events = new Set(arrivals.map((a) => a.id)).size;
    const baselinePerSecond = await baseline(rcv.url, secret, Math.min(events, 10_000));
    await services.store.close();
    return {
      id,
      events,
      seconds,
      perSecond: events / seconds,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      duplicates: arrivals.length - pairs.size,
      perWorker: Object.fromEntries(attempts.map((a, i) => [`w${i + 1}`, Number(a.n)])),
      baselinePerSecond,
      load: loadLine(),
    };
  } finally {
    await new Promise<void>((r) => rcv.server.close(() => r()));
    rcv.server.closeAllConnections();
    await db.drop();
  }
}

async function main() {
  const runs: [string, Dialect, number][] = [
    ['sqlite/1-worker', 'sqlite', 1],
    ['pg/1-worker', 'postgres', 1],
    ['pg/2-workers', 'postgres', 2],
  ];
  const pgUp = (await postgresVersion()) !== null;
  if (!pgUp) console.log('!!! PostgreSQL unreachable: the PostgreSQL dispatcher runs are SKIPPED');
  console.log(`Dispatcher bench: ${EVENTS.toLocaleString('en')} events, commit ${revision()}, ${new Date().toISOString()}`);
  const results: Result[] = [];
  for (const [id, dialect, workers] of runs) {
    if (ONLY.length && !ONLY.some((o) => (o.endsWith('*') ? id.startsWith(o.slice(0, -1)) : o === id))) continue;
    if (dialect === 'postgres' && !pgUp) continue;
    results.push(await run(id, dialect, workers));
  }
  console.log('\n| run | events | s | events/s | 50 / 90 / 99 % delivered after s | duplicates | attempts per worker | HTTP-only baseline events/s | dispatcher / baseline |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    console.log(
      `| ${r.id} | ${r.events.toLocaleString('en')} | ${r.seconds.toFixed(2)} | ${Math.round(r.perSecond).toLocaleString('en')} | ${(r.p50 / 1000).toFixed(2)} / ${(r.p90 / 1000).toFixed(2)} / ${(r.p99 / 1000).toFixed(2)} | ${r.duplicates} | ${JSON.stringify(r.perWorker)} | ${Math.round(r.baselinePerSecond).toLocaleString('en')} | ${(r.perSecond / r.baselinePerSecond).toFixed(2)} |`,
    );
  }
  console.log(`\n${loadLine()}`);
  const failed = results.filter((r) => r.duplicates > 0);
  if (failed.length) {
    console.log(`FAILED: duplicate attempts in ${failed.map((r) => r.id).join(', ')}`);
    process.exitCode = 1;
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => dropAll());
