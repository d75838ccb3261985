/**
 * `npm run bench:offers`: offered stock (R7) for a large catalogue, on SQLite and PostgreSQL.
 *
 * (a) Full recompute — queueRecompute + runDueRecomputes, a first run (every value new) and a
 *     second (nothing changed), on a fresh copy of the seeded database per repetition; on SQLite,
 *     in the same run, the raw floor (offered-stock-raw.ts) on another copy, with a check that
 *     it left every offered value as the service did.
 * (b) Incremental — one order (placeOrder) on a SKU with incoming, one SKU per order: placeOrder
 *     whole; the order's refresh replayed and timed in its own transaction; the refresh alone in
 *     a transaction; on SQLite the raw floor of the same refresh (interleaved, same SKUs, same
 *     state), with a check that it wrote the same rows and events.
 *
 * Env: BENCH_OFFERS_PRODUCTS (100000), BENCH_OFFERS_LINES (20000 open PO lines),
 * BENCH_OFFERS_REPS (2 full-recompute repetitions per way), BENCH_OFFERS_ORDERS (2000 per kind
 * of incremental sample), BENCH_OFFERS_WARMUP (100), BENCH_ONLY (`sqlite`, `pg`, or both,
 * comma-separated), BENCH_SEED (42), BENCH_OFFERS_OUT (write JSON there), BENCH_OFFERS_TRACE (print
 * the time of the real full recomputes by statement), BENCH_OFFERS_PROFILE_DIR (a .cpuprofile of
 * every full recompute, real and raw), BENCH_PG_URL.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { sql } from 'kysely';
import type { Dialect } from '../src/store/db.js';
import { copyDatabase, createDatabase, dropAll, openBenchServices, PG_ADMIN_URL, postgresVersion, sqliteFile, type BenchDatabase } from './databases.js';
import { envInteger, loadLine, revision } from './machine.js';
import { RESTORE, realFullRecompute, timeOrderWithReplay, timePlaceOrder, timeRefreshAlone, type OrderSample, type Replay } from './offered-stock-measure.js';
import { openRaw, rawFullRecompute, RawSkuRefresh } from './offered-stock-raw.js';
import { distribution, f0, f3, fullTable, incrementalTable, targets, type DialectResult, type FullCell, type IncrementalResult } from './offered-stock-report.js';
import { seedCatalogue, type Seeded } from './offered-stock-seed.js';
import { CHANNELS, seedOfferOrg, type OfferOrg, type OfferWorkload } from './offered-stock-workload.js';
import { nowMs } from './stats.js';
import { look, prepareLooks } from './offered-stock-looks.js';

const SEED = envInteger('BENCH_SEED', 42);
const WORKLOAD: OfferWorkload = {
  products: envInteger('BENCH_OFFERS_PRODUCTS', 100_000),
  openLines: envInteger('BENCH_OFFERS_LINES', 20_000),
  linesPerPo: 20,
  suppliers: 20,
  suppliersWithHistory: 14,
  salesEvery: 4,
  seed: SEED,
};
const REPS = envInteger('BENCH_OFFERS_REPS', 2);
const ORDERS = envInteger('BENCH_OFFERS_ORDERS', 2000);
const WARMUP = envInteger('BENCH_OFFERS_WARMUP', 100, 0);
const ONLY = (process.env.BENCH_ONLY ?? 'sqlite,pg').split(',').filter(Boolean);

const label = (d: Dialect) => (d === 'sqlite' ? 'SQLite' : 'PostgreSQL');

interface Template {
  readonly db: BenchDatabase;
  readonly org: OfferOrg;
  readonly seeded: Seeded;
  readonly seconds: number;
}

async function seedTemplate(dialect: Dialect): Promise<Template> {
  const t0 = nowMs();
  const db = await createDatabase(dialect);
  const services = await openBenchServices(db.url);
  try {
    const org = await seedOfferOrg(services);
    const seeded = await seedCatalogue(services, org, WORKLOAD, services.now());
    // As in the receiving bench: autovacuum would have analysed the tables long before.
    if (dialect === 'postgres') await sql`vacuum analyze`.execute(services.store.db);
    return { db, org, seeded, seconds: (nowMs() - t0) / 1000 };
  } finally {
    await services.store.close();
  }
}

async function offerValues(url: string, orgId: string): Promise<string[]> {
  const services = await openBenchServices(url);
  try {
    const { rows } = await sql<{ k: string }>`select channel_id || '|' || product_id || '|' || offered || '|' || physical || '|' || incoming as k
      from offered_stock where org_id = ${orgId} order by channel_id, product_id`.execute(services.store.db);
    return rows.map((r) => r.k);
  } finally {
    await services.store.close();
  }
}

/** One repetition of (a); the real path's database is handed back for (b) when `keep`. */
async function fullCell(dialect: Dialect, t: Template, rep: number, keep: boolean): Promise<{ cell: FullCell; kept: BenchDatabase | null }> {
  const loadBefore = loadavg()[0]!;
  const orgId = t.org.orgId;
  const real = async () => {
    const db = await copyDatabase(t.db);
    const services = await openBenchServices(db.url);
    try {
      const first = await look(`${dialect}-real-first-${rep}`, () => realFullRecompute(services, orgId));
      return { db, first, second: await look(`${dialect}-real-second-${rep}`, () => realFullRecompute(services, orgId)) };
    } finally {
      await services.store.close();
    }
  };
  const raw = async () => {
    const db = await copyDatabase(t.db);
    const file = sqliteFile(db.url);
    const first = await look(`sqlite-raw-first-${rep}`, async () => rawFullRecompute(file, orgId, new Date().toISOString()), true);
    return { db, first, second: await look(`sqlite-raw-second-${rep}`, async () => rawFullRecompute(file, orgId, new Date().toISOString()), true) };
  };
  if (dialect !== 'sqlite') {
    const r = await real();
    if (!keep) await r.db.drop();
    return { cell: { rep, first: r.first, second: r.second, rawFirst: null, rawSecond: null, sameValues: null, load: [loadBefore, loadavg()[0]!] }, kept: keep ? r.db : null };
  }
  // Alternate which way goes first, so drift in the machine's speed hits both alike.
  let r: Awaited<ReturnType<typeof real>>;
  let w: Awaited<ReturnType<typeof raw>>;
  if (rep % 2 === 1) {
    r = await real();
    w = await raw();
  } else {
    w = await raw();
    r = await real();
  }
  const [a, b] = [await offerValues(r.db.url, orgId), await offerValues(w.db.url, orgId)];
  const sameValues = a.length === b.length && a.every((v, i) => v === b[i]);
  await w.db.drop();
  if (!keep) await r.db.drop();
  const cell: FullCell = { rep, first: r.first, second: r.second, rawFirst: w.first, rawSecond: w.second, sameValues, load: [loadBefore, loadavg()[0]!] };
  return { cell, kept: keep ? r.db : null };
}

/** (b) on a database whose offers are current. */
async function incremental(dialect: Dialect, db: BenchDatabase, t: Template): Promise<IncrementalResult> {
  const loadBefore = loadavg()[0]!;
  const each = WARMUP + ORDERS;
  if (t.seeded.targets.length < 2 * each) throw new Error(`only ${t.seeded.targets.length} SKUs have incoming; ${2 * each} needed`);
  const services = await openBenchServices(db.url);
  const raw = dialect === 'sqlite' ? openRaw(sqliteFile(db.url)) : null;
  try {
    const placeOrder: number[] = [];
    for (let i = 0; i < each; i++) {
      const ms = await timePlaceOrder(services, t.org, t.seeded.targets[i]!, i, SEED);
      if (i >= WARMUP) placeOrder.push(ms);
    }
    const samples: OrderSample[] = [];
    for (let i = each; i < 2 * each; i++) samples.push(await timeOrderWithReplay(services, t.org, t.seeded.targets[i]!, i, SEED));
    const alone: Replay[] = [];
    const rawMs: number[] = [];
    let rawSame = raw ? true : null;
    const rawRefresh = raw ? new RawSkuRefresh(raw, t.org.orgId) : null;
    const restore = raw?.prepare(RESTORE);
    for (const [k, s] of samples.entries()) {
      const doRaw = () => {
        if (!raw || !rawRefresh || !restore) return;
        raw.exec('begin immediate');
        try {
          for (const r of s.before) restore.run(r.offered, r.physical, r.incoming, r.change_xid, r.updated_at, r.channel_id, r.product_id);
          const t0 = nowMs();
          const diff = rawRefresh.refresh(s.target.productId, new Date().toISOString());
          rawMs.push(nowMs() - t0);
          const events = diff.events.map((e) => JSON.stringify(e.payload));
          if (diff.rows.length !== s.replay.rowsWritten || events.join() !== s.replay.events.join()) {
            if (rawSame) console.error(`  ! raw floor differs for ${s.target.sku}: rows ${diff.rows.length} vs ${s.replay.rowsWritten}, events ${events.join(';')} vs ${s.replay.events.join(';')}`);
            rawSame = false;
          }
        } finally {
          raw.exec('rollback');
        }
      };
      if (k % 2 === 1) doRaw();
      alone.push(await timeRefreshAlone(services, t.org, s));
      if (k % 2 === 0) doRaw();
    }
    const counted = samples.slice(WARMUP);
    const aloneCounted = alone.slice(WARMUP);
    return {
      orders: ORDERS,
      placeOrder: distribution(placeOrder),
      step: distribution(counted.map((s) => s.stepMs)),
      refreshInOrder: distribution(counted.map((s) => s.replay.refreshMs)),
      refreshInOrderWithEvents: distribution(counted.map((s) => s.replay.refreshMs + s.replay.eventsMs)),
      refreshAlone: distribution(aloneCounted.map((r) => r.refreshMs)),
      refreshAloneWithEvents: distribution(aloneCounted.map((r) => r.refreshMs + r.eventsMs)),
      raw: raw ? distribution(rawMs.slice(WARMUP)) : null,
      rawSame,
      backorders: counted.filter((s) => s.status !== 'open').length,
      rowsWrittenPerRefresh: counted.reduce((a, s) => a + s.replay.rowsWritten, 0) / counted.length,
      eventsPerRefresh: counted.reduce((a, s) => a + s.replay.events.length, 0) / counted.length,
      load: [loadBefore, loadavg()[0]!],
    };
  } finally {
    raw?.close();
    await services.store.close();
  }
}

async function runDialect(dialect: Dialect): Promise<DialectResult> {
  console.log(`seeding ${label(dialect)}: ${f0(WORKLOAD.products)} products, ${f0(WORKLOAD.openLines)} open PO lines …`);
  const t = await seedTemplate(dialect);
  const catalogue = { ...t.seeded.counts, channels: CHANNELS.length };
  console.log(`  seeded in ${t.seconds.toFixed(1)} s: ${Object.entries(catalogue).map(([k, v]) => `${k} ${f0(v)}`).join(', ')}`);
  try {
    const full: FullCell[] = [];
    let kept: BenchDatabase | null = null;
    for (let rep = 1; rep <= REPS; rep++) {
      process.stdout.write(`  full recompute, repetition ${rep} …`);
      const r = await fullCell(dialect, t, rep, rep === REPS);
      full.push(r.cell);
      kept = r.kept ?? kept;
      const c = r.cell;
      process.stdout.write(
        ` first ${(c.first.ms / 1000).toFixed(2)} s (${f0(c.first.rowsWritten)} rows, ${f0(c.first.events)} events), second ${(c.second.ms / 1000).toFixed(2)} s` +
          (c.rawFirst ? `; raw ${(c.rawFirst.ms / 1000).toFixed(2)} / ${(c.rawSecond!.ms / 1000).toFixed(2)} s, same values ${c.sameValues ? 'yes' : 'NO'}` : '') +
          '\n',
      );
    }
    process.stdout.write(`  incremental: ${f0(ORDERS)} orders (+${WARMUP} warm-up) of each kind …`);
    const inc = await incremental(dialect, kept!, t);
    process.stdout.write(
      ` placeOrder median ${f3(inc.placeOrder.medianMs)} ms; refresh in the order ${f3(inc.refreshInOrderWithEvents.medianMs)} ms, alone ${f3(inc.refreshAloneWithEvents.medianMs)} ms` +
        (inc.raw ? `, raw ${f3(inc.raw.medianMs)} ms (same writes: ${inc.rawSame ? 'yes' : 'NO'})` : '') +
        '\n',
    );
    await kept!.drop();
    return { dialect: label(dialect), catalogue, seedSeconds: t.seconds, full, incremental: inc };
  } finally {
    await t.db.drop();
  }
}

async function main(): Promise<number> {
  prepareLooks();
  const rev = revision();
  const pgVersion = ONLY.includes('pg') ? await postgresVersion() : null;
  console.log(`Stockbridge offered-stock benchmark — ${new Date().toISOString()} — commit ${rev}`);
  console.log(
    `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ` +
      `${f0(WORKLOAD.products)} SKUs × ${CHANNELS.length} channels, ${f0(WORKLOAD.openLines)} open PO lines; ${REPS} full-recompute repetitions; ${f0(ORDERS)} orders (+${WARMUP}) per incremental kind; seed ${SEED}`,
  );
  console.log(loadLine());
  const dialects: Dialect[] = [];
  if (ONLY.includes('sqlite')) dialects.push('sqlite');
  if (ONLY.includes('pg')) {
    if (pgVersion) {
      console.log(`PostgreSQL: ${pgVersion}`);
      dialects.push('postgres');
    } else {
      console.log(`\n!!!!! PostgreSQL unreachable at ${PG_ADMIN_URL}: SKIPPING the PostgreSQL offered-stock runs !!!!!\n`);
    }
  }
  const results: DialectResult[] = [];
  for (const d of dialects) results.push(await runDialect(d));

  console.log(`\nFull recompute (queueRecompute + runDueRecomputes, batches of 500 SKUs):\n\n${fullTable(results)}\n`);
  console.log(`Incremental (one order of one unit on a SKU with incoming, one SKU per order):\n\n${incrementalTable(results)}\n`);
  for (const r of results) {
    const x = r.incremental;
    console.log(
      `${r.dialect}: ${f0(x.backorders)} of ${f0(x.orders)} replayed orders became (part) backorders; a refresh wrote ${x.rowsWrittenPerRefresh.toFixed(2)} rows and ${x.eventsPerRefresh.toFixed(2)} events on average` +
        (x.rawSame === null ? '' : `; raw floor wrote the same: ${x.rawSame ? 'yes' : 'NO'}`),
    );
  }
  console.log('\nTargets (reported, not enforced):');
  const t = targets(results);
  for (const x of t) console.log(`  [${x.met ? 'PASS' : 'FAIL'}] ${x.name}: ${x.detail}`);
  console.log(loadLine());
  const broken = results.some((r) => r.full.some((c) => c.sameValues === false) || r.incremental.rawSame === false);
  if (broken) console.log('\nCHECK FAILED: the raw floor did not write what the service wrote.');
  if (process.env.BENCH_OFFERS_OUT) {
    const machine = { revision: rev, cores: cpus().length, cpu: cpus()[0]?.model, memGiB: totalmem() / 2 ** 30, node: process.version, postgres: pgVersion };
    const settings = { workload: WORKLOAD, reps: REPS, orders: ORDERS, warmup: WARMUP };
    writeFileSync(process.env.BENCH_OFFERS_OUT, JSON.stringify({ date: new Date().toISOString(), machine, settings, results, targets: t }, null, 2));
    console.log(`wrote ${process.env.BENCH_OFFERS_OUT}`);
  }
  return broken ? 1 : 0;
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
