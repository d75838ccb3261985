/**
 * `npm run bench`: order intake on SQLite and PostgreSQL, three ways — over HTTP (autocannon →
 * real server process), in-process (placeOrder), and the raw-driver floor — plus a hot-SKU run
 * with a no-oversell check (non-zero exit on violation) and SQLite synchronous NORMAL vs FULL.
 *
 * Env: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (64), BENCH_PG_INFLIGHT (8),
 * BENCH_SEED (42), BENCH_ONLY (comma-separated run ids; `pg/*` = prefix), BENCH_REPEAT (1: runs of the list), BENCH_OUT (write JSON there),
 * BENCH_PG_URL (admin URL), BENCH_SERVER_NODE_ARGS (extra node flags for the server process).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { placeOrder } from '../src/services/order-intake.service.js';
import type { Dialect } from '../src/store/db.js';
import { setOutboxForBenchmark } from '../src/store/events.repository.js';
import { createDatabase, dropAll, openBenchServices, postgresVersion, PG_ADMIN_URL, sqliteFile, type BenchDatabase } from './databases.js';
import { loadOrders, startServer } from './http-load.js';
import { hotCatalogue, mainCatalogue, OrderGenerator, seedOrganisation, type Catalogue, type SeededOrg } from './intake-workload.js';
import { checkNoOversell, type InvariantReport } from './invariants.js';
import { envNumber, loadLine, revision } from './machine.js';
import { openPgRaw, openSqliteRaw, type RawIntake } from './raw-intake.js';
import { outboxOverhead } from './outbox-variants.js';
import { prepareSpikes, spikeOverhead, type SpikeVariant } from './spike-variants.js';
import { timedLoop, type RunStats } from './stats.js';

const SECONDS = envNumber('BENCH_SECONDS', 10);
const WARMUP = envNumber('BENCH_WARMUP_SECONDS', 2);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 64);
const PG_INFLIGHT = envNumber('BENCH_PG_INFLIGHT', 8);
const SEED = envNumber('BENCH_SEED', 42);
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const REPEAT = envNumber('BENCH_REPEAT', 1);

type Way = 'http' | 'hot-http' | 'in-process' | 'raw';
type Sync = 'NORMAL' | 'FULL';

interface Spec {
  readonly id: string;
  readonly dialect: Dialect;
  readonly way: Way;
  readonly inFlight: number;
  readonly sync?: Sync;
  /** R9 detection at intake (bench/spike-variants.ts); default: on, every busy SKU spiking. */
  readonly spikes?: SpikeVariant;
  /** false: no step writes event rows (setOutboxForBenchmark), to measure what the outbox costs (issue 5). */
  readonly outbox?: boolean;
}

interface Result extends RunStats {
  readonly id: string;
  readonly dialect: Dialect;
  readonly way: Way;
  readonly inFlight: number;
  readonly sync: Sync | null;
  readonly check: InvariantReport;
  /** 1-minute load average when the run started and ended (other work on the machine skews results). */
  readonly load: readonly [number, number];
  readonly extra?: Record<string, unknown>;
}

function specs(dialect: Dialect): Spec[] {
  if (dialect === 'sqlite') {
    return [
      { id: 'sqlite/http', dialect, way: 'http', inFlight: CONNECTIONS, sync: 'NORMAL' },
      { id: 'sqlite/http-full', dialect, way: 'http', inFlight: CONNECTIONS, sync: 'FULL' },
      { id: 'sqlite/hot-http', dialect, way: 'hot-http', inFlight: CONNECTIONS, sync: 'NORMAL' },
      { id: 'sqlite/in-process', dialect, way: 'in-process', inFlight: 1, sync: 'NORMAL' },
      { id: 'sqlite/in-process-full', dialect, way: 'in-process', inFlight: 1, sync: 'FULL' },
      // Concurrent steps share one transaction (group commit, src/store/sqlite-group-commit.ts).
      { id: `sqlite/in-process-c${PG_INFLIGHT}`, dialect, way: 'in-process', inFlight: PG_INFLIGHT, sync: 'NORMAL' },
      { id: `sqlite/in-process-full-c${PG_INFLIGHT}`, dialect, way: 'in-process', inFlight: PG_INFLIGHT, sync: 'FULL' },
      { id: 'sqlite/in-process-spikes-off', dialect, way: 'in-process', inFlight: 1, sync: 'NORMAL', spikes: 'off' },
      { id: 'sqlite/in-process-spikes-quiet', dialect, way: 'in-process', inFlight: 1, sync: 'NORMAL', spikes: 'quiet' },
      { id: 'sqlite/in-process-no-outbox', dialect, way: 'in-process', inFlight: 1, sync: 'NORMAL', outbox: false },
      { id: `sqlite/in-process-c${PG_INFLIGHT}-no-outbox`, dialect, way: 'in-process', inFlight: PG_INFLIGHT, sync: 'NORMAL', outbox: false },
      { id: 'sqlite/raw', dialect, way: 'raw', inFlight: 1, sync: 'NORMAL' },
      { id: 'sqlite/raw-full', dialect, way: 'raw', inFlight: 1, sync: 'FULL' },
    ];
  }
  return [
    { id: 'pg/http', dialect, way: 'http', inFlight: CONNECTIONS },
    { id: 'pg/hot-http', dialect, way: 'hot-http', inFlight: CONNECTIONS },
    { id: 'pg/in-process', dialect, way: 'in-process', inFlight: 1 },
    { id: 'pg/in-process-spikes-off', dialect, way: 'in-process', inFlight: 1, spikes: 'off' },
    { id: 'pg/in-process-spikes-quiet', dialect, way: 'in-process', inFlight: 1, spikes: 'quiet' },
    { id: `pg/in-process-c${PG_INFLIGHT}`, dialect, way: 'in-process', inFlight: PG_INFLIGHT },
    { id: `pg/in-process-c${PG_INFLIGHT}-spikes-off`, dialect, way: 'in-process', inFlight: PG_INFLIGHT, spikes: 'off' },
    { id: `pg/in-process-c${PG_INFLIGHT}-spikes-quiet`, dialect, way: 'in-process', inFlight: PG_INFLIGHT, spikes: 'quiet' },
    { id: 'pg/in-process-no-outbox', dialect, way: 'in-process', inFlight: 1, outbox: false },
    { id: `pg/in-process-c${PG_INFLIGHT}-no-outbox`, dialect, way: 'in-process', inFlight: PG_INFLIGHT, outbox: false },
    { id: 'pg/raw', dialect, way: 'raw', inFlight: 1 },
    { id: `pg/raw-c${PG_INFLIGHT}`, dialect, way: 'raw', inFlight: PG_INFLIGHT },
  ];
}

async function measure(spec: Spec): Promise<Result> {
  const loadBefore = loadavg()[0]!;
  const db: BenchDatabase = await createDatabase(spec.dialect);
  const sync = spec.sync ?? 'NORMAL';
  const catalogue: Catalogue = spec.way === 'hot-http' ? hotCatalogue() : mainCatalogue();
  try {
    let services = await openBenchServices(db.url, { sqliteSynchronous: sync });
    const org: SeededOrg = await seedOrganisation(services, catalogue);
    await prepareSpikes(services, org, spec.spikes ?? 'spiking');
    const warm = new OrderGenerator(catalogue, SEED + 1, 'warm');
    const gen = new OrderGenerator(catalogue, SEED, 'run');
    let stats: RunStats;
    let acknowledged: number | undefined;
    let extra: Record<string, unknown> | undefined;
    if (spec.way === 'in-process') {
      const call = (g: OrderGenerator) => async () => void (await placeOrder(services, org.caller, g.next()));
      setOutboxForBenchmark(spec.outbox ?? true);
      try {
        await timedLoop(WARMUP, spec.inFlight, call(warm));
        stats = await timedLoop(SECONDS, spec.inFlight, call(gen));
      } finally {
        setOutboxForBenchmark(true);
      }
    } else if (spec.way === 'raw') {
      await services.store.close();
      const raw: RawIntake =
        spec.dialect === 'sqlite' ? openSqliteRaw(sqliteFile(db.url), sync, org.orgId) : openPgRaw(db.url, spec.inFlight, org.orgId);
      const call = (g: OrderGenerator) => () => raw.place(g.next());
      await timedLoop(WARMUP, spec.inFlight, call(warm));
      stats = await timedLoop(SECONDS, spec.inFlight, call(gen));
      await raw.close();
      services = await openBenchServices(db.url, { sqliteSynchronous: sync });
    } else {
      await services.store.close();
      const server = await startServer(db.url, { SQLITE_SYNCHRONOUS: sync });
      try {
        let warmOk = 0;
        if (spec.way === 'http') warmOk = (await loadOrders(server.url, org.apiKey, warm, WARMUP, spec.inFlight)).orders;
        const run = await loadOrders(server.url, org.apiKey, gen, SECONDS, spec.inFlight);
        acknowledged = warmOk + run.orders;
        stats = run;
        extra = { status: run.status, timeouts: run.timeouts, sampleErrors: run.sampleErrors };
        if (run.sampleErrors.length) console.error(`  ! non-2xx samples: ${run.sampleErrors.join(' | ')}`);
      } finally {
        await server.stop();
      }
      services = await openBenchServices(db.url, { sqliteSynchronous: sync });
    }
    const check = await checkNoOversell(services.store.db, org.orgId, acknowledged);
    await services.store.close();
    return { id: spec.id, dialect: spec.dialect, way: spec.way, inFlight: spec.inFlight, sync: spec.dialect === 'sqlite' ? sync : null, ...stats, check, load: [loadBefore, loadavg()[0]!], ...(extra ? { extra } : {}) };
  } finally {
    await db.drop();
  }
}

const f0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');

function table(results: Result[]): string {
  const head = ['run', 'database', 'way', 'sync', 'in flight', 'orders', 'orders/s', 'p50 ms', 'p99 ms', 'errors', 'no-oversell', 'load 1m'];
  const rows = results.map((r) => [
    r.id,
    r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL',
    r.way,
    r.sync ?? '–',
    String(r.inFlight),
    f0(r.orders),
    f0(r.ordersPerSec),
    f2(r.p50Ms),
    f2(r.p99Ms),
    String(r.errors),
    r.check.ok ? 'ok' : 'VIOLATED',
    `${r.load[0].toFixed(1)}→${r.load[1].toFixed(1)}`,
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

interface Target {
  readonly name: string;
  readonly met: boolean | null;
  readonly detail: string;
}

function targets(results: Result[]): Target[] {
  const by = (id: string) => results.find((r) => r.id === id);
  const ratio = (name: string, a: string, b: string): Target => {
    const x = by(a);
    const y = by(b);
    if (!x || !y) return { name, met: null, detail: 'not run' };
    const r = x.ordersPerSec / y.ordersPerSec;
    return { name, met: r >= 0.5, detail: `${f0(x.ordersPerSec)} / ${f0(y.ordersPerSec)} orders/s = ${(r * 100).toFixed(0)} % of raw` };
  };
  const sh = by('sqlite/http');
  const ph = by('pg/http');
  return [
    ratio('SQLite in-process ≥ 50 % of raw (sequential)', 'sqlite/in-process', 'sqlite/raw'),
    ratio('PostgreSQL in-process ≥ 50 % of raw (sequential)', 'pg/in-process', 'pg/raw'),
    ratio(`PostgreSQL in-process ≥ 50 % of raw (${PG_INFLIGHT} in flight)`, `pg/in-process-c${PG_INFLIGHT}`, `pg/raw-c${PG_INFLIGHT}`),
    sh
      ? { name: `SQLite over HTTP ≥ 3,000 orders/s, p99 < 50 ms (${CONNECTIONS} conns)`, met: sh.ordersPerSec >= 3000 && sh.p99Ms < 50, detail: `${f0(sh.ordersPerSec)} orders/s, p99 ${f2(sh.p99Ms)} ms` }
      : { name: 'SQLite over HTTP ≥ 3,000 orders/s, p99 < 50 ms', met: null, detail: 'not run' },
    ph
      ? { name: `PostgreSQL over HTTP ≥ 1,200 orders/s (${CONNECTIONS} conns)`, met: ph.ordersPerSec >= 1200, detail: `${f0(ph.ordersPerSec)} orders/s, p99 ${f2(ph.p99Ms)} ms` }
      : { name: 'PostgreSQL over HTTP ≥ 1,200 orders/s', met: null, detail: 'not run' },
  ];
}

function durability(results: Result[]): string[] {
  const out: string[] = [];
  for (const [way, normalId, fullId] of [
    [`http, ${CONNECTIONS} connections`, 'sqlite/http', 'sqlite/http-full'],
    ['in-process', 'sqlite/in-process', 'sqlite/in-process-full'],
    [`in-process, ${PG_INFLIGHT} in flight`, `sqlite/in-process-c${PG_INFLIGHT}`, `sqlite/in-process-full-c${PG_INFLIGHT}`],
    ['raw', 'sqlite/raw', 'sqlite/raw-full'],
  ] as const) {
    const normal = results.find((r) => r.id === normalId);
    const full = results.find((r) => r.id === fullId);
    if (!normal || !full) continue;
    const drop = 1 - full.ordersPerSec / normal.ordersPerSec;
    out.push(
      `SQLite ${way}: FULL ${f0(full.ordersPerSec)} vs NORMAL ${f0(normal.ordersPerSec)} orders/s (${(drop * 100).toFixed(0)} % fewer); ` +
        `p50 ${f2(full.p50Ms)} vs ${f2(normal.p50Ms)} ms, p99 ${f2(full.p99Ms)} vs ${f2(normal.p99Ms)} ms`,
    );
  }
  return out;
}

async function main() {
  const cores = cpus().length;
  const rev = revision();
  const pgVersion = await postgresVersion();
  console.log(`Stockbridge order-intake benchmark — ${new Date().toISOString()} — commit ${rev}`);
  console.log(`node ${process.version}, ${cores} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${SECONDS} s per run (+${WARMUP} s warm-up), seed ${SEED}`);
  console.log(loadLine());
  console.log(`NOTE: ${cores} cores — over HTTP the load generator (autocannon, this process) competes with the server process for CPU.`);
  const dialects: Dialect[] = ['sqlite'];
  if (pgVersion) {
    console.log(`PostgreSQL: ${pgVersion}`);
    dialects.push('postgres');
  } else {
    console.log(`\n!!!!! PostgreSQL unreachable at ${PG_ADMIN_URL}: SKIPPING every PostgreSQL run !!!!!\n`);
  }
  const chosen = dialects.flatMap(specs).filter((s) => ONLY.length === 0 || ONLY.some((o) => (o.endsWith('*') ? s.id.startsWith(o.slice(0, -1)) : s.id === o)));
  // BENCH_REPEAT: the whole list again, interleaved, so a noisy minute hits every variant alike.
  const todo = Array.from({ length: REPEAT }, () => chosen).flat();
  const results: Result[] = [];
  for (const spec of todo) {
    process.stdout.write(`running ${spec.id} …`);
    const r = await measure(spec);
    results.push(r);
    process.stdout.write(
      ` ${f0(r.ordersPerSec)} orders/s, p50 ${f2(r.p50Ms)} ms, p99 ${f2(r.p99Ms)} ms, errors ${r.errors}; ` +
        `check ${r.check.ok ? 'ok' : 'VIOLATED'} (orders ${r.check.orders}, demand ${r.check.demand}, stock ${r.check.stock}, reserved ${r.check.reserved})\n`,
    );
    for (const v of r.check.violations) console.error(`  ! ${v}`);
  }

  console.log(`\n${table(results)}\n`);
  const ratios = [
    ['SQLite', 'sqlite/in-process', 'sqlite/raw'],
    ['PostgreSQL', 'pg/in-process', 'pg/raw'],
    [`PostgreSQL ${PG_INFLIGHT} in flight`, `pg/in-process-c${PG_INFLIGHT}`, `pg/raw-c${PG_INFLIGHT}`],
  ] as const;
  for (const [name, a, b] of ratios) {
    const x = results.find((r) => r.id === a);
    const y = results.find((r) => r.id === b);
    if (x && y) console.log(`in-process / raw, ${name}: ${(x.ordersPerSec / y.ordersPerSec).toFixed(2)}`);
  }
  for (const line of durability(results)) console.log(line);
  for (const line of outboxOverhead(results)) console.log(line);
  const spikes = spikeOverhead(results);
  if (spikes.length) console.log(`\nR9 spike detection at intake (orders/s; target: ≤ 5 % fewer than off):\n  ${spikes.join('\n  ')}`);
  console.log('\nTargets (reported, not enforced):');
  const t = targets(results);
  for (const x of t) console.log(`  [${x.met === null ? 'n/a ' : x.met ? 'PASS' : 'FAIL'}] ${x.name}: ${x.detail}`);

  const violated = results.filter((r) => !r.check.ok);
  console.log(violated.length ? `\nNO-OVERSELL CHECK VIOLATED in: ${violated.map((r) => r.id).join(', ')}` : '\nNo-oversell check: ok in every run.');
  if (process.env.BENCH_OUT) {
    const machine = { revision: rev, cores, memGiB: totalmem() / 2 ** 30, node: process.version, postgres: pgVersion };
    const settings = { seconds: SECONDS, warmupSeconds: WARMUP, connections: CONNECTIONS, pgInFlight: PG_INFLIGHT, seed: SEED };
    writeFileSync(process.env.BENCH_OUT, JSON.stringify({ date: new Date().toISOString(), machine, settings, results, targets: t }, null, 2));
    console.log(`wrote ${process.env.BENCH_OUT}`);
  }
  return violated.length ? 1 : 0;
}

main()
  .then(async (code) => {
    await dropAll();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    console.error(err);
    await dropAll();
    process.exit(2);
  });
