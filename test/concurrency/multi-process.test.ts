/**
 * Four real API processes (`node dist/cli/main.js serve --no-demo`) on ONE database, hammered
 * with concurrent orders for one SKU over three channels. Never promise the same unit twice,
 * never lose or duplicate an order, keep the ledger equal to the levels, and never let a lock
 * conflict (SQLITE_BUSY, deadlock, serialization failure) reach a client.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrganisation } from '../../src/services/organisations.service.js';
import { openStore, type Store } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { DIALECTS } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import {
  errorSummary,
  listAll,
  prng,
  request,
  runPool,
  seedCatalogue,
  startCluster,
  statusHistogram,
  type Cluster,
  type Response,
} from './processes.js';

const PROCESSES = 4;
const CHANNELS = 3;
const IN_FLIGHT = 96;

interface Outcome {
  readonly responses: Response[];
  readonly quantities: number[];
  readonly monitor: { samples: number; maxReserved: number; violations: string[]; errors: string[] };
  readonly ms: number;
}

/**
 * Sends one order per entry of `quantities` (qty of the one SKU), request i to process i % 4 and
 * channel i % 3, with IN_FLIGHT requests in flight; meanwhile polls the stock level through the
 * API and records every sample where reserved > on hand.
 */
async function placeConcurrently(cluster: Cluster, key: string, seeded: { sku: string; channels: string[] }, tag: string, quantities: number[]): Promise<Outcome> {
  const monitor = { samples: 0, maxReserved: 0, violations: [] as string[], errors: [] as string[] };
  let done = false;
  const poll = (async () => {
    for (let i = 0; !done; i++) {
      const res = await request(cluster.baseUrls[i % PROCESSES]!, 'GET', `/v1/stock/${seeded.sku}`, { key });
      if (res.status !== 200) monitor.errors.push(`${res.status} ${res.text.slice(0, 300)}`);
      else {
        monitor.samples++;
        monitor.maxReserved = Math.max(monitor.maxReserved, res.body.reserved);
        for (const l of res.body.locations) {
          if (l.reserved > l.onHand || l.reserved < 0) monitor.violations.push(JSON.stringify(l));
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const started = Date.now();
  const responses = await runPool(quantities.length, IN_FLIGHT, (i) =>
    request(cluster.baseUrls[i % PROCESSES]!, 'POST', '/v1/orders', {
      key,
      body: {
        channel: seeded.channels[i % CHANNELS],
        externalId: `${tag}-${i}`,
        customer: { id: `cust-${i % 97}`, email: `buyer${i % 97}@example.nl`, locale: 'nl', country: 'NL' },
        lines: [{ sku: seeded.sku, qty: quantities[i]!, unitPrice: 12.5 }],
      },
    }),
  );
  const ms = Date.now() - started;
  done = true;
  await poll;
  return { responses, quantities, monitor, ms };
}

/** Every check of one scenario; soft assertions so one run reports every broken property. */
async function verify(
  cluster: Cluster,
  store: Store,
  orgId: string,
  key: string,
  seeded: { sku: string; location: string; channels: string[] },
  tag: string,
  stock: number,
  outcome: Outcome,
) {
  const { responses, quantities, monitor } = outcome;
  const n = quantities.length;
  const demand = quantities.reduce((a, q) => a + q, 0);
  const allocatedExpected = Math.min(demand, stock);
  const waitingExpected = demand - allocatedExpected;
  const api = cluster.baseUrls[0]!;
  const serverErrors = () => `server error lines:\n${cluster.errorLines().slice(-40).join('\n')}`;

  // --- what the clients saw -------------------------------------------------------------
  const histogram = statusHistogram(responses);
  const failureInfo = `statuses ${JSON.stringify(histogram)}\n${errorSummary(responses)}\n${serverErrors()}`;
  expect.soft(responses.filter((r) => r.status >= 500).length, `no 5xx: ${failureInfo}`).toBe(0);
  expect.soft(responses.filter((r) => r.status === 0).length, `no transport failures: ${failureInfo}`).toBe(0);
  expect.soft(responses.filter((r) => /SQLITE_BUSY|database is locked|deadlock|could not serialize/i.test(r.text)).length, `no lock error text: ${failureInfo}`).toBe(0);
  expect.soft(histogram, `every order accepted with 201: ${failureInfo}`).toEqual({ '201': n });

  const ok = responses.map((r, i) => ({ r, i })).filter(({ r }) => r.status === 201);
  let reservedSeen = 0;
  let waitingSeen = 0;
  const badBodies: string[] = [];
  for (const { r, i } of ok) {
    const line = r.body?.lines?.[0];
    if (r.body?.externalId !== `${tag}-${i}` || !line || line.qty !== quantities[i] || line.reserved + line.waiting !== quantities[i]) {
      badBodies.push(`#${i}: ${r.text.slice(0, 300)}`);
      continue;
    }
    reservedSeen += line.reserved;
    waitingSeen += line.waiting;
  }
  expect.soft(badBodies, 'every 201 body describes the order that was sent').toEqual([]);
  expect.soft(new Set(ok.map(({ r }) => r.body?.id)).size, 'every 201 carries its own order id').toBe(ok.length);
  expect.soft(reservedSeen, 'units promised to clients (sum of lines[].reserved in 201 bodies)').toBe(allocatedExpected);
  expect.soft(waitingSeen, 'units told to wait (sum of lines[].waiting in 201 bodies)').toBe(waitingExpected);

  // --- reserved never above on hand while it ran ------------------------------------------
  expect.soft(monitor.samples, `the stock monitor took samples (errors: ${monitor.errors.slice(0, 5).join(' | ')})`).toBeGreaterThan(0);
  expect.soft(monitor.violations, 'no sample with reserved > on hand').toEqual([]);
  expect.soft(monitor.maxReserved, 'reserved never above the units on hand').toBeLessThanOrEqual(stock);
  expect.soft(monitor.errors, 'stock reads during the run succeed').toEqual([]);

  // --- final state through the API --------------------------------------------------------
  const level = await request(api, 'GET', `/v1/stock/${seeded.sku}`, { key });
  expect(level.status, level.text).toBe(200);
  expect.soft(level.body, 'GET /v1/stock/:sku after the run').toMatchObject({
    onHand: stock,
    reserved: allocatedExpected,
    available: stock - allocatedExpected,
  });

  // Small pages, so the cursor is followed several times even for a short ledger.
  const movements = await listAll(api, key, `/v1/stock/${seeded.sku}/movements`, 7);
  const ledgerOnHand = movements.items.reduce((a: number, m: any) => a + m.onHandDelta, 0);
  const ledgerReserved = movements.items.reduce((a: number, m: any) => a + m.reservedDelta, 0);
  expect.soft(ledgerOnHand, 'API ledger: sum of onHandDelta = on hand').toBe(level.body.onHand);
  expect.soft(ledgerReserved, 'API ledger: sum of reservedDelta = reserved').toBe(level.body.reserved);
  expect.soft(new Set(movements.items.map((m: any) => m.id)).size, 'the movement pages do not repeat rows').toBe(movements.items.length);

  let listed = 0;
  let openCount = 0;
  let backorderCount = 0;
  const listedIds = new Set<string>();
  const listedExternal = new Map<string, number>();
  for (const [c, channel] of seeded.channels.entries()) {
    const sentHere = quantities.filter((_, i) => i % CHANNELS === c).length;
    const all = await listAll(api, key, `/v1/orders?channel=${channel}`);
    const backorder = await listAll(api, key, `/v1/orders?status=backorder&channel=${channel}`);
    const open = await listAll(api, key, `/v1/orders?status=open&channel=${channel}`);
    expect.soft(all.items.length, `orders listed for channel ${channel}`).toBe(sentHere);
    expect.soft(all.first.counts.all, `counts.all for channel ${channel}`).toBe(sentHere);
    expect.soft(backorder.first.counts.backorder, `counts.backorder matches the backorder list of ${channel}`).toBe(backorder.items.length);
    expect.soft(open.first.counts.open, `counts.open matches the open list of ${channel}`).toBe(open.items.length);
    listed += all.items.length;
    openCount += open.items.length;
    backorderCount += backorder.items.length;
    for (const o of all.items as any[]) {
      listedIds.add(o.id);
      listedExternal.set(o.externalId, (listedExternal.get(o.externalId) ?? 0) + 1);
    }
  }
  expect.soft(listed, 'orders listed through the API over all channels').toBe(n);
  expect.soft(listedIds.size, 'distinct order ids listed').toBe(n);
  expect.soft([...listedExternal.values()].filter((v) => v > 1).length, 'external ids listed more than once').toBe(0);
  const missing = ok.filter(({ r }) => !listedIds.has(r.body?.id)).map(({ i }) => `${tag}-${i}`);
  expect.soft(missing, 'every order that got 201 is stored').toEqual([]);
  const withReserved = ok.filter(({ r }) => r.body?.lines?.[0]?.reserved > 0).length;
  const withWaiting = ok.filter(({ r }) => r.body?.lines?.[0]?.waiting > 0).length;
  expect.soft(openCount, 'orders with an open part = 201s that reserved units').toBe(withReserved);
  expect.soft(backorderCount, 'orders with a backorder part = 201s with waiting units').toBe(withWaiting);
  if (n === quantities.filter((q) => q === 1).length && stock <= n) {
    // All qty 1: `stock` orders are open, the rest wait; no order has both kinds of part.
    expect.soft(openCount, 'orders with an open part').toBe(stock);
    expect.soft(backorderCount, 'orders with a backorder part').toBe(n - stock);
  }

  // --- final state in the database --------------------------------------------------------
  const db = store.db;
  const product = await db.selectFrom('products').select('id').where('org_id', '=', orgId).where('sku', '=', seeded.sku).executeTakeFirstOrThrow();
  const orders = await db.selectFrom('orders').select(['id', 'external_id']).where('org_id', '=', orgId).execute();
  expect.soft(orders.length, 'orders stored').toBe(n);
  const dupes = await db
    .selectFrom('orders')
    .select(['external_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .groupBy(['channel_id', 'external_id'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  expect.soft(dupes, 'no (channel, external id) stored twice').toEqual([]);
  const sentExternal = new Set(quantities.map((_, i) => `${tag}-${i}`));
  expect.soft(orders.filter((o) => !sentExternal.has(o.external_id)).length, 'no order that was not sent').toBe(0);
  expect.soft(new Set(orders.map((o) => o.external_id)).size, 'distinct external ids stored').toBe(n);

  const lines = await db
    .selectFrom('order_lines')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('qty').as('qty')])
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  expect.soft(Number(lines.n), 'order lines stored').toBe(n);
  expect.soft(Number(lines.qty), 'units ordered').toBe(demand);

  const split = await db
    .selectFrom('part_lines as pl')
    .innerJoin('order_parts as p', 'p.id', 'pl.part_id')
    .select([
      sql<number>`coalesce(sum(case when pl.location_id is not null then pl.qty else 0 end), 0)`.as('allocated'),
      sql<number>`coalesce(sum(case when pl.location_id is null then pl.qty else 0 end), 0)`.as('waiting'),
      sql<number>`coalesce(sum(case when pl.location_id is null and p.status = 'backorder' then pl.qty else 0 end), 0)`.as('waitingInBackorder'),
    ])
    .where('pl.org_id', '=', orgId)
    .where('pl.product_id', '=', product.id)
    .executeTakeFirstOrThrow();
  expect.soft(Number(split.allocated), 'units allocated in part lines').toBe(allocatedExpected);
  expect.soft(Number(split.waiting), 'units waiting in part lines').toBe(waitingExpected);
  expect.soft(Number(split.waitingInBackorder), 'waiting units are in backorder parts').toBe(waitingExpected);

  const levels = await db
    .selectFrom('stock_levels')
    .select(['location_id', 'on_hand', 'reserved'])
    .where('org_id', '=', orgId)
    .where('product_id', '=', product.id)
    .execute();
  expect.soft(levels.map((l) => [l.on_hand, l.reserved]), 'stock_levels row').toEqual([[stock, allocatedExpected]]);
  for (const l of levels) expect.soft(l.reserved, 'reserved ≤ on hand in the table').toBeLessThanOrEqual(l.on_hand);

  const ledger = await db
    .selectFrom('stock_movements')
    .select([
      'location_id',
      (eb) => eb.fn.sum<number>('on_hand_delta').as('on_hand'),
      (eb) => eb.fn.sum<number>('reserved_delta').as('reserved'),
      (eb) => eb.fn.countAll<number>().as('rows'),
    ])
    .where('org_id', '=', orgId)
    .where('product_id', '=', product.id)
    .groupBy('location_id')
    .execute();
  expect.soft(
    ledger.map((l) => [l.location_id, Number(l.on_hand), Number(l.reserved)]),
    'DB ledger sums per location = stock_levels',
  ).toEqual(levels.map((l) => [l.location_id, l.on_hand, l.reserved]));
  expect.soft(ledger.reduce((a, l) => a + Number(l.rows), 0), 'API movement list has every ledger row').toBe(movements.items.length);

  const created = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where('type', '=', 'order.created')
    .executeTakeFirstOrThrow();
  expect.soft(Number(created.n), 'one order.created event per order').toBe(n);
}

for (const dialect of DIALECTS) {
  const run = dialect === 'sqlite' || inject('pgAvailable') ? describe : describe.skip;
  run(`${PROCESSES} API processes on one ${dialect} database`, () => {
    let database: TestDatabase | undefined;
    let store: Store | undefined;
    let cluster: Cluster | undefined;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      store = openStore({ url: database.url, pgPoolSize: 2 });
      await migrateToLatest(store.db);
      cluster = await startCluster({ databaseUrl: database.url, count: PROCESSES });
    }, 60_000);

    afterAll(async () => {
      const errors = cluster?.errorLines() ?? [];
      if (errors.length > 0) console.error(`[${dialect}] API process error output (last 60 lines):\n${errors.slice(-60).join('\n')}`);
      await cluster?.stop();
      await store?.close();
      await database?.drop();
    }, 30_000);

    it('A (issue acceptance): 1 unit, 1,000 concurrent orders of 1 over 4 processes and 3 channels → 1 allocated, 999 waiting, none lost or doubled', async () => {
      const org = await createOrganisation(store!, `Concurrency A ${dialect}`);
      const seeded = await seedCatalogue(cluster!.baseUrls[0]!, org.adminKey.key, { tag: 'a', channels: CHANNELS, stock: 1 });
      const quantities = Array.from({ length: 1000 }, () => 1);
      const outcome = await placeConcurrently(cluster!, org.adminKey.key, seeded, 'A', quantities);
      console.info(`[${dialect}] A: 1,000 orders in ${outcome.ms} ms, statuses ${JSON.stringify(statusHistogram(outcome.responses))}, ${outcome.monitor.samples} stock samples`);
      await verify(cluster!, store!, org.orgId, org.adminKey.key, seeded, 'A', 1, outcome);
    }, 90_000);

    it('B: 50 units, 500 concurrent orders of 1–3 → allocated = min(demand, 50), the rest waits', async () => {
      const org = await createOrganisation(store!, `Concurrency B ${dialect}`);
      const seeded = await seedCatalogue(cluster!.baseUrls[1]!, org.adminKey.key, { tag: 'b', channels: CHANNELS, stock: 50 });
      const random = prng(20240611);
      const quantities = Array.from({ length: 500 }, () => 1 + Math.floor(random() * 3));
      const outcome = await placeConcurrently(cluster!, org.adminKey.key, seeded, 'B', quantities);
      console.info(`[${dialect}] B: 500 orders (${quantities.reduce((a, q) => a + q, 0)} units) in ${outcome.ms} ms, statuses ${JSON.stringify(statusHistogram(outcome.responses))}`);
      await verify(cluster!, store!, org.orgId, org.adminKey.key, seeded, 'B', 50, outcome);
    }, 90_000);

    it('C: 20 units, 300 concurrent strict checkouts on channels that refuse backorders → 20 stored, 280 × 409 with nothing left behind', async () => {
      const org = await createOrganisation(store!, `Concurrency C ${dialect}`);
      const key = org.adminKey.key;
      const seeded = await seedCatalogue(cluster!.baseUrls[2]!, key, { tag: 'c', channels: CHANNELS, stock: 20, acceptsBackorders: false });
      const n = 300;
      // Every other request carries an Idempotency-Key: a refused request must release it.
      const responses = await runPool(n, IN_FLIGHT, (i) =>
        request(cluster!.baseUrls[i % PROCESSES]!, 'POST', '/v1/orders?mode=strict', {
          key,
          body: {
            channel: seeded.channels[i % CHANNELS],
            externalId: `C-${i}`,
            customer: { id: `cust-c-${i}`, email: `c${i}@example.nl`, locale: 'de', country: 'DE' },
            lines: [{ sku: seeded.sku, qty: 1, unitPrice: 9.5 }],
          },
          headers: i % 2 === 0 ? { 'idempotency-key': `idem-c-${i}` } : {},
        }),
      );
      const histogram = statusHistogram(responses);
      console.info(`[${dialect}] C: statuses ${JSON.stringify(histogram)}`);
      const info = `${JSON.stringify(histogram)}\n${errorSummary(responses)}\n${cluster!.errorLines().slice(-40).join('\n')}`;
      expect.soft(histogram, `20 accepted, the rest refused: ${info}`).toEqual({ '201': 20, '409': 280 });
      const refused = responses.map((r, i) => ({ r, i })).filter(({ r }) => r.status !== 201);
      expect.soft(refused.filter(({ r }) => r.body?.code !== 'INSUFFICIENT_STOCK').length, `every refusal is INSUFFICIENT_STOCK: ${info}`).toBe(0);
      const accepted = responses.map((r, i) => ({ r, i })).filter(({ r }) => r.status === 201);
      expect.soft(accepted.filter(({ r }) => r.body?.status !== 'open' || r.body?.lines?.[0]?.reserved !== 1).length, 'accepted orders are open with their unit reserved').toBe(0);

      const db = store!.db;
      const orders = await db.selectFrom('orders').select('external_id').where('org_id', '=', org.orgId).execute();
      expect.soft(orders.map((o) => o.external_id).sort(), 'exactly the accepted orders are stored').toEqual(accepted.map(({ i }) => `C-${i}`).sort());
      const refusedCustomers = refused.map(({ i }) => `cust-c-${i}`);
      const leftovers = await db.selectFrom('customers').select('external_id').where('org_id', '=', org.orgId).where('external_id', 'in', refusedCustomers).execute();
      expect.soft(leftovers.length, 'a refused checkout leaves no customer row behind').toBe(0);
      for (const table of ['order_lines', 'order_parts', 'part_lines'] as const) {
        const rows = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', org.orgId).executeTakeFirstOrThrow();
        expect.soft(Number(rows.n), `${table} rows only for accepted orders`).toBe(accepted.length);
      }
      const events = await db.selectFrom('events').select('type').where('org_id', '=', org.orgId).where('type', 'like', 'order.%').execute();
      expect.soft(events.length, 'order events only for accepted orders').toBe(accepted.length);

      const keys = await db.selectFrom('idempotency_keys').select(['key', 'status']).where('org_id', '=', org.orgId).execute();
      const expectedKeys = accepted.filter(({ i }) => i % 2 === 0).map(({ i }) => [`idem-c-${i}`, 'done']);
      expect.soft(keys.map((k) => [k.key, k.status]).sort(), 'keys of accepted requests are done; keys of refused ones are released').toEqual(expectedKeys.sort());

      const level = await db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('org_id', '=', org.orgId).executeTakeFirstOrThrow();
      expect.soft(level, 'stock level').toEqual({ on_hand: 20, reserved: accepted.length });
      const ledger = await db
        .selectFrom('stock_movements')
        .select([(eb) => eb.fn.sum<number>('on_hand_delta').as('on_hand'), (eb) => eb.fn.sum<number>('reserved_delta').as('reserved')])
        .where('org_id', '=', org.orgId)
        .executeTakeFirstOrThrow();
      expect.soft([Number(ledger.on_hand), Number(ledger.reserved)], 'ledger sums = level').toEqual([level.on_hand, level.reserved]);
    }, 90_000);
  });
}
