/**
 * `npm run bench:orders`: the dashboard's Backorder tab (issue 7) on 1,000,000 orders — the first
 * page of orders with a backorder part and the counts of every tab — on SQLite and PostgreSQL:
 * - `service`: listOrders, what GET /v1/orders runs, in-process;
 * - `http`: GET /v1/orders?status=backorder&limit=50 against `stockbridge serve` on the same
 *   database, one request at a time (server time plus loopback);
 * - `raw`: the same statements by hand through the driver, rows left unshaped: the floor.
 * Each also with `channel=` (the tab filtered to one channel). Target: < 300 ms.
 *
 * Env: BENCH_TAB_ORDERS (1000000), BENCH_TAB_REPS (40), BENCH_SEED (42), BENCH_ONLY (sqlite,postgres), BENCH_PG_URL.
 */
import { cpus, totalmem } from 'node:os';
import { sql } from 'kysely';
import type { Caller } from '../src/services/context.js';
import { listOrders } from '../src/services/order-query.service.js';
import type { Dialect } from '../src/store/db.js';
import { createDatabase, dropAll, openBenchServices, postgresVersion } from './databases.js';
import { startServer } from './http-load.js';
import { envNumber, loadLine, revision } from './machine.js';
import { seedOrders } from './orders-tab-seed.js';
import { nowMs } from './stats.js';
import { rawDriver, timeIt, type RawQuery, type Timing } from './query-timing.js';

const ORDERS = envNumber('BENCH_TAB_ORDERS', 1_000_000);
const REPS = envNumber('BENCH_TAB_REPS', 40);
const SEED = envNumber('BENCH_SEED', 42);
const WARMUP = 3;
const LIMIT = 50;
const TARGET_MS = 300;
const ONLY = (process.env.BENCH_ONLY ?? 'sqlite,postgres').split(',').filter(Boolean) as Dialect[];


const list = (n: number) => Array(n).fill('?').join(', ');
const PAGE = (channel: boolean) =>
  `select distinct p.order_id from order_parts p join orders o on o.id = p.order_id where p.org_id = ? and p.status = 'backorder'${channel ? ' and o.channel_id = ?' : ''} order by p.order_id desc limit ${LIMIT + 1}`;
const ROWS = (n: number) => [
  `select o.*, c.code, cu.external_id as customer, cu.email from orders o join channels c on c.id = o.channel_id join customers cu on cu.id = o.customer_id where o.org_id = ? and o.id in (${list(n)})`,
  `select ol.order_id, ol.line_no, p.sku, ol.qty, ol.unit_price_cents from order_lines ol join products p on p.id = ol.product_id where ol.org_id = ? and ol.order_id in (${list(n)}) order by ol.line_no`,
  `select * from order_parts where org_id = ? and order_id in (${list(n)}) order by id`,
  `select pl.*, p.sku, l.code as location from part_lines pl join products p on p.id = pl.product_id left join locations l on l.id = pl.location_id where pl.org_id = ? and pl.order_id in (${list(n)}) order by pl.line_no, pl.id`,
  `select pr.part_line_id, po.number, pr.qty, pr.promised_date from promises pr join purchase_orders po on po.id = pr.po_id where pr.org_id = ? and pr.order_id in (${list(n)}) order by pr.promised_date, po.number`,
];
const COUNTS = (channel: boolean) => [`select status, sum(orders) as orders from order_tab_counts where org_id = ?${channel ? ' and channel_id = ?' : ''} group by status`];

async function rawTab(query: RawQuery, orgId: string, channelId: string | null) {
  const scope = channelId ? [orgId, channelId] : [orgId];
  const [ids] = await Promise.all([query(PAGE(channelId !== null), scope), ...COUNTS(channelId !== null).map((t) => query(t, scope))]);
  const page = ids.slice(0, LIMIT).map((r) => String(r.order_id));
  if (page.length) await Promise.all(ROWS(page.length).map((t) => query(t, [orgId, ...page])));
}

interface Row {
  readonly dialect: Dialect;
  readonly filter: string;
  readonly service: Timing;
  readonly http: Timing;
  readonly raw: Timing;
  readonly backorders: number;
}

async function measure(dialect: Dialect): Promise<Row[]> {
  const db = await createDatabase(dialect);
  const services = await openBenchServices(db.url);
  try {
    const t0 = nowMs();
    const seeded = await seedOrders(services, ORDERS, SEED);
    await sql`analyze`.execute(services.store.db);
    console.log(`  ${dialect}: seeded ${seeded.orders.toLocaleString('en')} orders, parts ${JSON.stringify(seeded.parts)} in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
    const key = await services.store.db.selectFrom('channels').select(['id', 'code']).where('org_id', '=', seeded.orgId).where('code', '=', 'bol').executeTakeFirstOrThrow();
    const caller: Caller = { orgId: seeded.orgId, role: 'read-only', keyId: 'bench' };
    const raw = await rawDriver(dialect, db.url);
    const rows: Row[] = [];
    const server = await startServer(db.url);
    try {
      for (const channel of [null, key.code] as const) {
        const call = () => listOrders(services, caller, { status: 'backorder', channel: channel ?? undefined, before: null, limit: LIMIT });
        const sample = await call();
        if (sample.items.length !== LIMIT) throw new Error(`the first page has ${sample.items.length} orders, not ${LIMIT}`);
        const service = await timeIt(call, REPS, WARMUP);
        const url = `${server.url}/v1/orders?status=backorder&limit=${LIMIT}${channel ? `&channel=${channel}` : ''}`;
        const http = await timeIt(async () => {
          const res = await fetch(url, { headers: { authorization: `Bearer ${seeded.apiKey}` } });
          if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        }, REPS, WARMUP);
        const floor = await timeIt(() => rawTab(raw.query, seeded.orgId, channel ? key.id : null), REPS, WARMUP);
        const filter = channel ? `channel=${channel}` : 'all channels';
        rows.push({ dialect, filter, service, http, raw: floor, backorders: Number(sample.counts.backorder) });
        console.log(`  ${dialect}/${filter}: service p50 ${service.p50.toFixed(1)} ms p99 ${service.p99.toFixed(1)} ms; http p50 ${http.p50.toFixed(1)} ms p99 ${http.p99.toFixed(1)} ms; raw p50 ${floor.p50.toFixed(1)} ms`);
      }
    } finally {
      await server.stop();
      await raw.close();
    }
    return rows;
  } finally {
    await services.store.close();
    await db.drop();
  }
}

async function main() {
  console.log(`Stockbridge Backorder-tab benchmark (issue 7) — ${new Date().toISOString()} — commit ${revision()}`);
  console.log(`node ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(loadLine());
  console.log(`${ORDERS.toLocaleString('en')} orders; the first page of ${LIMIT} with a backorder part and every tab's count; ${REPS} timed runs after ${WARMUP} warm-up`);
  const pgVersion = ONLY.includes('postgres') ? await postgresVersion() : null;
  if (pgVersion) console.log(`PostgreSQL: ${pgVersion}`);
  const all: Row[] = [];
  for (const dialect of ONLY) {
    if (dialect === 'postgres' && !pgVersion) {
      console.log('\n!!!!! PostgreSQL unreachable: SKIPPING the PostgreSQL runs !!!!!\n');
      continue;
    }
    all.push(...(await measure(dialect)));
  }
  console.log(`\n${loadLine()}\n`);
  console.log('| database | tab | backorder orders | service p50 / p95 / p99 ms | HTTP p50 / p95 / p99 ms | raw floor p50 / p99 ms | target < 300 ms (HTTP p99) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const f = (t: Timing) => `${t.p50.toFixed(1)} / ${t.p95.toFixed(1)} / ${t.p99.toFixed(1)}`;
  for (const r of all) {
    console.log(
      `| ${r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${r.filter} | ${r.backorders.toLocaleString('en')} | ${f(r.service)} | ${f(r.http)} | ${r.raw.p50.toFixed(1)} / ${r.raw.p99.toFixed(1)} | ${r.http.p99 < TARGET_MS ? 'met' : 'MISSED'} |`,
    );
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => dropAll());
