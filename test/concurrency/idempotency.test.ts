/**
 * R2 under concurrency: the same Idempotency-Key, or the same channel order, arriving many times
 * at once stores exactly one order and answers every request consistently. Runs in-process
 * (describeEachStore) and across four real API processes on one database.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrganisation } from '../../src/services/organisations.service.js';
import { openStore, type Store } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import type { Database } from '../../src/store/schema.js';
import { DIALECTS, describeEachStore } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { errorSummary, request, seedCatalogue, startCluster, statusHistogram, type Cluster, type Response } from './processes.js';

interface Target {
  /** Request i goes to baseUrls[i % length]. */
  readonly baseUrls: string[];
  readonly key: string;
  readonly orgId: string;
  readonly db: Kysely<Database>;
  readonly logs: () => string;
}

let tagCounter = 0;
const nextTag = (prefix: string) => `${prefix}${++tagCounter}${Math.random().toString(36).slice(2, 6)}`;

function orderBody(channel: string, sku: string, externalId: string, qty = 2) {
  return {
    channel,
    externalId,
    customer: { id: `cust-${externalId}`, email: 'buyer@example.nl', locale: 'nl', country: 'NL' },
    lines: [{ sku, qty, unitPrice: 19.95 }],
  };
}

async function storedOrders(db: Kysely<Database>, orgId: string, externalId: string) {
  return db.selectFrom('orders').select(['id', 'channel_id']).where('org_id', '=', orgId).where('external_id', '=', externalId).execute();
}

async function reservedOf(t: Target, sku: string): Promise<number> {
  const res = await request(t.baseUrls[0]!, 'GET', `/v1/stock/${sku}`, { key: t.key });
  expect(res.status, res.text).toBe(200);
  return res.body.reserved;
}

/** Fires every request at once (all in flight together), request i at process i % n. */
function burst(t: Target, count: number, make: (i: number) => { body: unknown; headers?: Record<string, string> }): Promise<Response[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const r = make(i);
      return request(t.baseUrls[i % t.baseUrls.length]!, 'POST', '/v1/orders', { key: t.key, body: r.body, headers: r.headers });
    }),
  );
}

function describe500s(t: Target, responses: Response[]) {
  const errs = t
    .logs()
    .split('\n')
    .filter((l) => /"level":(5|6)\d|SQLITE_BUSY|Error/.test(l))
    .slice(-20)
    .join('\n');
  return `statuses ${JSON.stringify(statusHistogram(responses))}\n${errorSummary(responses)}${errs ? `\nserver log:\n${errs}` : ''}`;
}

/** The idempotency scenarios, against whatever `target()` points at. */
function idempotencyScenarios(target: () => Target) {
  it('the same Idempotency-Key 50 times at once stores one order; every answer is that order or 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const t = target();
    const tag = nextTag('k');
    const seeded = await seedCatalogue(t.baseUrls[0]!, t.key, { tag, channels: 1, stock: 100 });
    const body = orderBody(seeded.channels[0]!, seeded.sku, `EXT-${tag}`, 2);
    const key = `idem-${tag}`;
    const responses = await burst(t, 50, () => ({ body, headers: { 'idempotency-key': key } }));
    const info = describe500s(t, responses);
    console.info(`same key ×50 over ${t.baseUrls.length} process(es): ${JSON.stringify(statusHistogram(responses))}`);

    const created = responses.filter((r) => r.status === 201 || r.status === 200);
    const inProgress = responses.filter((r) => r.status === 409 && r.body?.code === 'IDEMPOTENCY_IN_PROGRESS');
    expect(created.length + inProgress.length, `every answer is 200/201 or 409 IDEMPOTENCY_IN_PROGRESS: ${info}`).toBe(50);
    expect(created.length, `at least the first request got the order: ${info}`).toBeGreaterThanOrEqual(1);
    const ids = new Set(created.map((r) => r.body?.id));
    expect(ids.size, `one order id in every success: ${[...ids].join(', ')}`).toBe(1);
    const orderId = [...ids][0] as string;
    expect(orderId).toMatch(/\S/);
    for (const r of created) expect(r.body, 'every replay is the stored response').toEqual(created[0]!.body);

    const stored = await storedOrders(t.db, t.orgId, `EXT-${tag}`);
    expect(stored.map((o) => o.id), 'exactly one order stored').toEqual([orderId]);
    expect(await reservedOf(t, seeded.sku), 'reserved once, not once per request').toBe(2);
    const keys = await t.db.selectFrom('idempotency_keys').selectAll().where('org_id', '=', t.orgId).where('key', '=', key).execute();
    expect(keys.map((k) => k.status), 'the key is recorded once, done').toEqual(['done']);

    // After all finished: the key answers with the stored response, from any process.
    for (const baseUrl of t.baseUrls) {
      const again = await request(baseUrl, 'POST', '/v1/orders', { key: t.key, body, headers: { 'idempotency-key': key } });
      expect([200, 201], again.text).toContain(again.status);
      expect(again.body?.id).toBe(orderId);
      expect(again.body, 'the stored response').toEqual(created[0]!.body);
    }
    expect(await storedOrders(t.db, t.orgId, `EXT-${tag}`)).toHaveLength(1);
    expect(await reservedOf(t, seeded.sku)).toBe(2);
  });

  it('the same channel order (no key) 10 times at once stores one order; all answers 200/201 with its id, exactly one 201', async () => {
    const t = target();
    const tag = nextTag('c');
    const seeded = await seedCatalogue(t.baseUrls[0]!, t.key, { tag, channels: 1, stock: 100 });
    const body = orderBody(seeded.channels[0]!, seeded.sku, `EXT-${tag}`, 3);
    const responses = await burst(t, 10, () => ({ body }));
    const info = describe500s(t, responses);

    expect(responses.every((r) => r.status === 200 || r.status === 201), `all 200/201: ${info}`).toBe(true);
    const ids = new Set(responses.map((r) => r.body?.id));
    expect(ids.size, `one order id in every answer: ${[...ids].join(', ')}`).toBe(1);
    const orderId = [...ids][0] as string;
    expect(statusHistogram(responses), 'R2: created once (201), returned as stored (200) after').toEqual({ '200': 9, '201': 1 });
    const stored = await storedOrders(t.db, t.orgId, `EXT-${tag}`);
    expect(stored.map((o) => o.id), 'exactly one order stored').toEqual([orderId]);
    expect(await reservedOf(t, seeded.sku), 'reserved once').toBe(3);
    const events = await t.db
      .selectFrom('events')
      .select('id')
      .where('org_id', '=', t.orgId)
      .where('type', '=', 'order.created')
      .where('subject_id', '=', orderId)
      .execute();
    expect(events, 'one order.created event').toHaveLength(1);
  });

  it('the same channel order under 10 different Idempotency-Keys at once stores one order', async () => {
    const t = target();
    const tag = nextTag('d');
    const seeded = await seedCatalogue(t.baseUrls[0]!, t.key, { tag, channels: 1, stock: 100 });
    const body = orderBody(seeded.channels[0]!, seeded.sku, `EXT-${tag}`, 1);
    const responses = await burst(t, 10, (i) => ({ body, headers: { 'idempotency-key': `idem-${tag}-${i}` } }));
    const info = describe500s(t, responses);

    expect(responses.every((r) => r.status === 200 || r.status === 201), `all 200/201: ${info}`).toBe(true);
    expect(new Set(responses.map((r) => r.body?.id)).size, 'one order id').toBe(1);
    expect(responses.filter((r) => r.status === 201), 'created once').toHaveLength(1);
    expect(await storedOrders(t.db, t.orgId, `EXT-${tag}`)).toHaveLength(1);
    expect(await reservedOf(t, seeded.sku)).toBe(1);
  });

  it('the same key with a different body gets 422 IDEMPOTENCY_KEY_REUSED and stores nothing', async () => {
    const t = target();
    const tag = nextTag('r');
    const seeded = await seedCatalogue(t.baseUrls[0]!, t.key, { tag, channels: 1, stock: 100 });
    const key = `idem-${tag}`;
    const first = await request(t.baseUrls[0]!, 'POST', '/v1/orders', {
      key: t.key,
      body: orderBody(seeded.channels[0]!, seeded.sku, `EXT-${tag}`, 1),
      headers: { 'idempotency-key': key },
    });
    expect(first.status, first.text).toBe(201);

    // Different body (another external id, another quantity), from every process.
    for (const [i, baseUrl] of t.baseUrls.entries()) {
      const other = await request(baseUrl, 'POST', '/v1/orders', {
        key: t.key,
        body: orderBody(seeded.channels[0]!, seeded.sku, `EXT-${tag}-other${i}`, 4),
        headers: { 'idempotency-key': key },
      });
      expect(other.status, other.text).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await storedOrders(t.db, t.orgId, `EXT-${tag}-other${i}`), 'nothing stored for the other body').toHaveLength(0);
    }
    // Same external id, changed quantity: also a different body.
    const changed = await request(t.baseUrls.at(-1)!, 'POST', '/v1/orders', {
      key: t.key,
      body: orderBody(seeded.channels[0]!, seeded.sku, `EXT-${tag}`, 5),
      headers: { 'idempotency-key': key },
    });
    expect(changed.status, changed.text).toBe(422);
    expect(changed.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await reservedOf(t, seeded.sku), 'only the first order reserved').toBe(1);
  });

  it('the same key with different bodies at once: one order for the winning body, every other answer 409 or 422', async () => {
    const t = target();
    const tag = nextTag('m');
    const seeded = await seedCatalogue(t.baseUrls[0]!, t.key, { tag, channels: 1, stock: 100 });
    const key = `idem-${tag}`;
    // 20 requests, two different bodies alternating.
    const bodies = [orderBody(seeded.channels[0]!, seeded.sku, `EXT-${tag}-x`, 1), orderBody(seeded.channels[0]!, seeded.sku, `EXT-${tag}-y`, 2)];
    const responses = await burst(t, 20, (i) => ({ body: bodies[i % 2], headers: { 'idempotency-key': key } }));
    const info = describe500s(t, responses);
    console.info(`same key, two bodies ×20 over ${t.baseUrls.length} process(es): ${JSON.stringify(statusHistogram(responses))}`);

    const success = responses.filter((r) => r.status === 200 || r.status === 201);
    const rest = responses.filter((r) => !(r.status === 200 || r.status === 201));
    expect(
      rest.every((r) => (r.status === 409 && r.body?.code === 'IDEMPOTENCY_IN_PROGRESS') || (r.status === 422 && r.body?.code === 'IDEMPOTENCY_KEY_REUSED')),
      `every other answer is 409 IDEMPOTENCY_IN_PROGRESS or 422 IDEMPOTENCY_KEY_REUSED: ${info}`,
    ).toBe(true);
    expect(success.length, info).toBeGreaterThanOrEqual(1);
    expect(new Set(success.map((r) => r.body?.id)).size, 'one order id among the successes').toBe(1);
    const winner = success[0]!.body.externalId as string;
    expect(success.every((r) => r.body.externalId === winner), 'every success is the winning body').toBe(true);
    const x = await storedOrders(t.db, t.orgId, `EXT-${tag}-x`);
    const y = await storedOrders(t.db, t.orgId, `EXT-${tag}-y`);
    expect(x.length + y.length, 'exactly one of the two bodies stored').toBe(1);
    expect(await reservedOf(t, seeded.sku)).toBe(winner.endsWith('-x') ? 1 : 2);
  });
}

// In one process, through the shared harness.
describeEachStore('idempotency under concurrency, one API process', (harness) => {
  idempotencyScenarios(() => {
    const h = harness();
    return { baseUrls: [h.baseUrl], key: h.key, orgId: h.orgId, db: h.services.store.db, logs: () => '' };
  });
});

// Across four real API processes on one database.
for (const dialect of DIALECTS) {
  const run = dialect === 'sqlite' || inject('pgAvailable') ? describe : describe.skip;
  run(`idempotency under concurrency, 4 API processes [${dialect}]`, () => {
    let database: TestDatabase | undefined;
    let store: Store | undefined;
    let cluster: Cluster | undefined;
    let org: { orgId: string; key: string } | undefined;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      store = openStore({ url: database.url, pgPoolSize: 2 });
      await migrateToLatest(store.db);
      const made = await createOrganisation(store, `Idempotency ${dialect}`);
      org = { orgId: made.orgId, key: made.adminKey.key };
      cluster = await startCluster({ databaseUrl: database.url, count: 4 });
    }, 60_000);

    afterAll(async () => {
      const errors = cluster?.errorLines() ?? [];
      if (errors.length > 0) console.error(`[${dialect}] API process error output (last 60 lines):\n${errors.slice(-60).join('\n')}`);
      await cluster?.stop();
      await store?.close();
      await database?.drop();
    }, 30_000);

    idempotencyScenarios(() => {
      if (!cluster || !store || !org) throw new Error('cluster not started');
      return { baseUrls: cluster.baseUrls, key: org.key, orgId: org.orgId, db: store.db, logs: cluster.logs };
    });
  });
}
