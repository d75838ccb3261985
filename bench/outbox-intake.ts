/**
 * Issue 5: what the outbox adds to order intake, measured steadily. One process, one database
 * per dialect, the intake bench's workload (bench/intake-workload.ts) placed in blocks of
 * BENCH_OUTBOX_BLOCK orders, alternating with and without event rows (setOutboxForBenchmark), so
 * a noisy minute hits both alike. Then the raw-driver floor (bench/raw-intake.ts, which writes
 * the same rows, events included) on the same database. Target: the outbox adds ≤ 10 %.
 *
 *   npm run bench:outbox      (BENCH_ONLY=sqlite|postgres, BENCH_OUTBOX_ROUNDS, BENCH_OUTBOX_BLOCK)
 */
import { cpus, totalmem } from 'node:os';
import { placeOrder } from '../src/services/order-intake.service.js';
import type { Dialect } from '../src/store/db.js';
import { setOutboxForBenchmark } from '../src/store/events.repository.js';
import { createDatabase, dropAll, openBenchServices, postgresVersion, sqliteFile } from './databases.js';
import { mainCatalogue, OrderGenerator, seedOrganisation } from './intake-workload.js';
import { envInteger, loadLine, revision } from './machine.js';
import { openPgRaw, openSqliteRaw } from './raw-intake.js';
import { prepareSpikes } from './spike-variants.js';
import { LatencyRecorder, nowMs, percentile } from './stats.js';

const BLOCK = envInteger('BENCH_OUTBOX_BLOCK', 2_000);
const ROUNDS = envInteger('BENCH_OUTBOX_ROUNDS', 8);
const WARM = envInteger('BENCH_OUTBOX_WARM', 2_000);
const ONLY = process.env.BENCH_ONLY;

interface Mode {
  readonly name: string;
  readonly blockMs: number[];
  readonly latency: LatencyRecorder;
}

const mode = (name: string): Mode => ({ name, blockMs: [], latency: new LatencyRecorder() });
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function block(m: Mode, n: number, place: () => Promise<unknown> | unknown) {
  const start = nowMs();
  for (let i = 0; i < n; i++) {
    const t = nowMs();
    await place();
    m.latency.record(nowMs() - t);
  }
  m.blockMs.push((nowMs() - start) / n);
}

function describe(m: Mode): string {
  const s = m.latency.summarize(1);
  return (
    `${m.name.padEnd(16)} ${median(m.blockMs).toFixed(3)} ms/order (blocks in order: ${m.blockMs.map((x) => x.toFixed(2)).join(', ')}), ` +
    `${Math.round(1000 / median(m.blockMs))} orders/s; latency p50 ${s.p50Ms.toFixed(3)}, p90 ${m.latency.percentile(90).toFixed(3)}, p99 ${s.p99Ms.toFixed(3)} ms`
  );
}

async function measure(dialect: Dialect) {
  const db = await createDatabase(dialect);
  const services = await openBenchServices(db.url);
  const org = await seedOrganisation(services, mainCatalogue());
  await prepareSpikes(services, org, 'spiking');
  const gen = new OrderGenerator(mainCatalogue(), 42, 'run');
  const place = () => placeOrder(services, org.caller, gen.next());
  const on = mode('with outbox');
  const off = mode('without outbox');
  try {
    await block(mode('warm-up'), WARM, place);
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so neither always follows the other's growth of the tables.
      const order = r % 2 === 0 ? [on, off] : [off, on];
      for (const m of order) {
        setOutboxForBenchmark(m === on);
        await block(m, BLOCK, place);
      }
    }
  } finally {
    setOutboxForBenchmark(true);
  }
  await services.store.close();
  const raw = mode('raw floor');
  const driver = dialect === 'sqlite' ? openSqliteRaw(sqliteFile(db.url), 'NORMAL', org.orgId) : openPgRaw(db.url, 1, org.orgId);
  for (let r = 0; r < Math.max(2, ROUNDS / 2); r++) await block(raw, BLOCK, () => driver.place(gen.next()));
  await driver.close();

  const ratios = on.blockMs.map((ms, i) => ms / off.blockMs[i]! - 1);
  console.log(`\n${dialect}: ${ROUNDS} rounds of ${BLOCK} orders each way, after ${WARM} warm-up orders`);
  for (const m of [on, off, raw]) console.log(`  ${describe(m)}`);
  const extra = median(on.blockMs) / median(off.blockMs) - 1;
  console.log(`  per-round extra: ${ratios.map((x) => `${(x * 100).toFixed(0)} %`).join(', ')} (median ${(median(ratios) * 100).toFixed(1)} %)`);
  console.log(`  the outbox adds ${(extra * 100).toFixed(1)} % to intake time (medians; target ≤ 10 %) — ${extra <= 0.1 ? 'PASS' : 'FAIL'}`);
  console.log(`  in-process with the outbox / raw floor: ${(median(on.blockMs) / median(raw.blockMs)).toFixed(2)}× the raw time`);
}

async function main() {
  console.log(`Stockbridge outbox-at-intake benchmark — ${new Date().toISOString()} — commit ${revision()}`);
  console.log(`node ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(loadLine());
  const dialects: Dialect[] = [];
  if (!ONLY || ONLY === 'sqlite') dialects.push('sqlite');
  if (!ONLY || ONLY === 'postgres') {
    if (await postgresVersion()) dialects.push('postgres');
    else console.log('\n!!!!! PostgreSQL unreachable: SKIPPING the PostgreSQL run !!!!!\n');
  }
  for (const d of dialects) await measure(d);
  console.log(`\n${loadLine()}`);
}

main()
  .then(async () => {
    await dropAll();
    process.exit(0);
  })
  .catch(async (err: unknown) => {
    console.error(err);
    await dropAll();
    process.exit(2);
  });
