/**
 * `npm run bench:kpis`: GET /v1/kpis's query (kpiReport, in-process) over one year of history
 * with 1,000,000 order lines, overall, by channel and by SKU, on SQLite and PostgreSQL, next to
 * the raw-driver floor of the same statements in the same run. Target: ≤ 200 ms per query.
 *
 * Env: BENCH_KPI_LINES (1000000), BENCH_KPI_SKUS (2000), BENCH_KPI_CHANNELS (5),
 * BENCH_KPI_SUPPLIERS (20), BENCH_KPI_REPS (40), BENCH_SEED (42), BENCH_ONLY (sqlite,postgres),
 * BENCH_PG_URL (admin URL).
 */
import { cpus, totalmem } from 'node:os';
import { sql } from 'kysely';
import { KPI_COUNTERS } from '../src/domain/kpi-tally.js';
import type { Caller } from '../src/services/context.js';
import { kpiReport, type KpiGrouping } from '../src/services/kpi-report.service.js';
import type { Dialect } from '../src/store/db.js';
import { createDatabase, dropAll, openBenchServices, postgresVersion } from './databases.js';
import { seedKpis, type KpiSeedShape, type SeededKpis } from './kpis-seed.js';
import { envNumber, loadLine, revision } from './machine.js';
import { nowMs } from './stats.js';
import { rawDriver, timeIt, type RawQuery, type Timing } from './query-timing.js';

const SHAPE: KpiSeedShape = {
  lines: envNumber('BENCH_KPI_LINES', 1_000_000),
  days: 365,
  channels: envNumber('BENCH_KPI_CHANNELS', 5),
  skus: envNumber('BENCH_KPI_SKUS', 2000),
  suppliers: envNumber('BENCH_KPI_SUPPLIERS', 20),
  seed: envNumber('BENCH_SEED', 42),
};
const REPS = envNumber('BENCH_KPI_REPS', 40);
const WARMUP = 3;
const LIMIT = 50;
const TARGET_MS = 200;
const ONLY = (process.env.BENCH_ONLY ?? 'sqlite,postgres').split(',').filter(Boolean) as Dialect[];

type Query = 'overall' | KpiGrouping;
const QUERIES: Query[] = ['overall', 'channel', 'sku'];

const list = (n: number) => Array(n).fill('?').join(', ');
const DAYS = (keys: number) => `select key, day, wait_p90, ${KPI_COUNTERS.join(', ')} from kpi_daily where org_id = ? and dim = ? and key in (${list(keys)}) and day >= ? and day <= ? order by key, day`;
const WAITS_WHERE = (keys: number) => `from kpi_wait_days where org_id = ? and dim = ? and key in (${list(keys)}) and day >= ? and day <= ?`;
const WAIT_TOTALS = (keys: number) => `select key, wait_days, sum(units) as units ${WAITS_WHERE(keys)} group by key, wait_days`;
const KEYS = 'select key from kpi_daily where org_id = ? and dim = ? and day >= ? and day <= ? group by key order by key limit ?';

async function rawReport(query: RawQuery, s: SeededKpis, by: Query) {
  const series = (dim: string, keys: string[]) =>
    Promise.all([DAYS, WAIT_TOTALS].map((text) => query(text(keys.length), [s.orgId, dim, ...keys, s.from, s.to])));
  await series('all', ['']);
  if (by === 'overall') return;
  const keys = (await query(KEYS, [s.orgId, by, s.from, s.to, LIMIT + 1])).map((r) => String(r.key)).slice(0, LIMIT);
  await series(by, keys);
}


interface Row {
  readonly dialect: Dialect;
  readonly query: Query;
  readonly service: Timing;
  readonly raw: Timing;
  readonly groups: number;
  readonly days: number;
}

async function measure(dialect: Dialect): Promise<{ rows: Row[]; seeded: SeededKpis; seedSeconds: number }> {
  const db = await createDatabase(dialect);
  const services = await openBenchServices(db.url);
  try {
    const t0 = nowMs();
    const seeded = await seedKpis(services, SHAPE);
    await sql`analyze`.execute(services.store.db);
    const seedSeconds = (nowMs() - t0) / 1000;
    console.log(`  ${dialect}: seeded ${SHAPE.lines.toLocaleString('en')} lines as ${seeded.dailyRows.toLocaleString('en')} daily rows + ${seeded.waitRows.toLocaleString('en')} wait rows in ${seedSeconds.toFixed(1)} s`);
    const caller: Caller = { orgId: seeded.orgId, role: 'read-only', keyId: 'bench' };
    const raw = await rawDriver(dialect, db.url);
    const rows: Row[] = [];
    try {
      for (const query of QUERIES) {
        const call = () => kpiReport(services, caller, { from: seeded.from, to: seeded.to, by: query === 'overall' ? undefined : query, after: null, limit: LIMIT });
        const sample = await call();
        const service = await timeIt(call, REPS, WARMUP);
        const floor = await timeIt(() => rawReport(raw.query, seeded, query), REPS, WARMUP);
        const groups = sample.groups?.length ?? 1;
        const days = (sample.groups ?? [sample]).reduce((a, g) => a + g.series.length, 0);
        rows.push({ dialect, query, service, raw: floor, groups, days });
        console.log(`  ${dialect}/${query}: p50 ${service.p50.toFixed(1)} ms, p99 ${service.p99.toFixed(1)} ms (raw p50 ${floor.p50.toFixed(1)} ms)`);
      }
    } finally {
      await raw.close();
    }
    return { rows, seeded, seedSeconds };
  } finally {
    await services.store.close();
    await db.drop();
  }
}

async function main() {
  console.log(`Stockbridge KPI benchmark (R18) — ${new Date().toISOString()} — commit ${revision()}`);
  console.log(`node ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(loadLine());
  console.log(
    `history: ${SHAPE.lines.toLocaleString('en')} order lines over ${SHAPE.days} days, ${SHAPE.channels} channels, ${SHAPE.skus} SKUs, ${SHAPE.suppliers} suppliers (seed ${SHAPE.seed}); ` +
      `a year's range per query, by channel/sku: first page of ${LIMIT} groups; ${REPS} timed runs after ${WARMUP} warm-up`,
  );
  const pgVersion = ONLY.includes('postgres') ? await postgresVersion() : null;
  if (pgVersion) console.log(`PostgreSQL: ${pgVersion}`);
  const all: Row[] = [];
  for (const dialect of ONLY) {
    if (dialect === 'postgres' && !pgVersion) {
      console.log('  postgres: not reachable, skipped');
      continue;
    }
    all.push(...(await measure(dialect)).rows);
  }
  console.log(`\n${loadLine()}\n`);
  console.log('| database | query | groups | series days | p50 ms | p95 ms | p99 ms | raw floor p50 / p99 ms | target ≤ 200 ms (p99) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of all) {
    const f = (v: number) => v.toFixed(1);
    console.log(
      `| ${r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${r.query} | ${r.groups} | ${r.days.toLocaleString('en')} | ${f(r.service.p50)} | ${f(r.service.p95)} | ${f(r.service.p99)} | ${f(r.raw.p50)} / ${f(r.raw.p99)} | ${r.service.p99 <= TARGET_MS ? 'met' : 'MISSED'} |`,
    );
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => dropAll());
