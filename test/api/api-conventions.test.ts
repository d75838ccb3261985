import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { describeEachStore } from '../support/harness.js';
import { ok, orderBody, seedWorld, setBackorders } from '../support/fixtures.js';

describeEachStore('API conventions a client relies on', (harness) => {
  it('the last active admin key of an organisation cannot be revoked (409 LAST_ADMIN_KEY); with a second one it can', async () => {
    const h = harness();
    const org = await h.newOrganisation('Lockout Ltd');
    const keys = await ok(h.api('GET', '/v1/api-keys', undefined, { key: org.key }));
    const own = keys.items[0].id;
    const refused = await h.api('DELETE', `/v1/api-keys/${own}`, undefined, { key: org.key });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('LAST_ADMIN_KEY');
    expect((await h.api('GET', '/v1/settings', undefined, { key: org.key })).status).toBe(200);
    const second = await ok(h.api('POST', '/v1/api-keys', { name: 'second', role: 'admin' }, { key: org.key }), 201);
    await ok(h.api('DELETE', `/v1/api-keys/${own}`, undefined, { key: second.key }), 200);
    expect((await h.api('GET', '/v1/settings', undefined, { key: org.key })).status).toBe(401);
  });

  it('R2: a re-import that writes the same instant differently is the same order (200), not a conflict', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[5]] });
    const body = orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }], { placedAt: '2026-11-20T10:00:00Z' });
    const first = await ok(h.api('POST', '/v1/orders', body), 201);
    for (const placedAt of ['2026-11-20T10:00:00.000Z', '2026-11-20T11:00:00+01:00']) {
      const again = await h.api('POST', '/v1/orders', { ...body, placedAt, customer: { ...body.customer, country: 'nl' } });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.id);
    }
  });

  it('a cursor from another list, or one we never issued, is 400 INVALID_CURSOR', async () => {
    const h = harness();
    await seedWorld(h, { stock: [[1], [1], [1]] });
    const products = await ok(h.api('GET', '/v1/products?limit=1'));
    expect(products.nextCursor).toBeTypeOf('string');
    for (const cursor of [products.nextCursor, Buffer.from('hello').toString('base64url')]) {
      const res = await h.api('GET', `/v1/orders?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_CURSOR');
    }
    expect((await h.api('GET', `/v1/products?limit=1&cursor=${products.nextCursor}`)).status).toBe(200);
  });

  it('a value outside a fixed list is refused naming the allowed values', async () => {
    const h = harness();
    const res = await h.api('GET', '/v1/orders?status=bogus');
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ in: 'querystring', allowed: ['backorder', 'open', 'processing', 'shipped', 'cancelled'] });
    expect(res.body.detail).toContain('must be one of: backorder, open, processing, shipped, cancelled');
  });

  it('an unknown property is named in the problem detail', async () => {
    const h = harness();
    const res = await h.api('POST', '/v1/products', { sku: 'X-1', name: 'x', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("unknown property 'colour'");
  });

  it('each schema error names its keyword and figures, for a client to word in its own language', async () => {
    const h = harness();
    const ratio = await h.api('PATCH', '/v1/settings', { acceptanceRatio: 1.5 });
    expect(ratio.status).toBe(400);
    expect(ratio.body.errors[0]).toMatchObject({ path: '/acceptanceRatio', keyword: 'maximum', params: { comparison: '<=', limit: 1 }, message: 'must be <= 1' });
    const nested = await h.api('PATCH', '/v1/settings', { demandSpikes: { windowHours: 0 } });
    expect(nested.body.errors[0]).toMatchObject({ path: '/demandSpikes/windowHours', keyword: 'minimum', params: { comparison: '>=', limit: 1 } });
    const missing = await h.api('POST', '/v1/products', { name: 'x' });
    expect(missing.body.errors[0]).toMatchObject({ path: '/', keyword: 'required', params: { missingProperty: 'sku' } });
  });

  it('GET /v1/stock pages by product: limit is a maximum, each item has totals and its locations', async () => {
    const h = harness();
    await seedWorld(h, { stock: [[3, 4], [1, 0], [0, 2]] });
    let cursor: string | null = null;
    const seen: string[] = [];
    do {
      const page: any = await ok(h.api('GET', `/v1/stock?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) {
        expect(item.onHand).toBe(item.locations.reduce((a: number, l: any) => a + l.onHand, 0));
        seen.push(item.sku);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('the movement ledger pages oldest first, or newest first with order=newest; a cursor belongs to one order', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[5]] });
    for (const delta of [1, 2, 3, 4]) await ok(h.api('POST', '/v1/stock/adjustments', { sku: w.skus[0], location: w.locations[0], delta, reason: `count ${delta}` }), 201);
    const walk = async (order: string) => {
      const reasons: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await ok(h.api('GET', `/v1/stock/${w.skus[0]}/movements?limit=2${order}${cursor ? `&cursor=${cursor}` : ''}`));
        expect(page.items.length).toBeLessThanOrEqual(2);
        reasons.push(...page.items.filter((m: any) => m.kind === 'adjustment' && m.reason.startsWith('count')).map((m: any) => m.reason));
        cursor = page.nextCursor;
      } while (cursor);
      return reasons;
    };
    expect(await walk('')).toEqual(['count 1', 'count 2', 'count 3', 'count 4']);
    expect(await walk('&order=oldest')).toEqual(['count 1', 'count 2', 'count 3', 'count 4']);
    expect(await walk('&order=newest')).toEqual(['count 4', 'count 3', 'count 2', 'count 1']);
    const newest = await ok(h.api('GET', `/v1/stock/${w.skus[0]}/movements?limit=1&order=newest`));
    expect(newest.items[0]).toMatchObject({ reason: 'count 4', onHandDelta: 4, orderId: null, orderNumber: null });
    // A movement of an order names it by its number on the channel.
    const placed = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 2 }])), 201);
    const allocation = (await ok(h.api('GET', `/v1/stock/${w.skus[0]}/movements?limit=1&order=newest`))).items[0];
    expect(allocation).toMatchObject({ kind: 'allocation', orderId: placed.id, orderNumber: placed.externalId });
    const mixed = await h.api('GET', `/v1/stock/${w.skus[0]}/movements?limit=1&cursor=${newest.nextCursor}`);
    expect([mixed.status, mixed.body.code]).toEqual([400, 'INVALID_CURSOR']);
    const unknownOrder = await h.api('GET', `/v1/stock/${w.skus[0]}/movements?order=latest`);
    expect([unknownOrder.status, unknownOrder.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('R3 strict: the 409 says per line how many units are available', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[3]], acceptsBackorders: false });
    await setBackorders(h, true);
    const res = await h.api('POST', '/v1/orders?mode=strict', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 5 }]));
    expect(res.status).toBe(409);
    expect(res.body.details.lines).toEqual([{ lineNo: 1, sku: w.skus[0], requested: 5, available: 3 }]);
  });
});

describe('configuration', () => {
  it('refuses a DATABASE_URL that is neither sqlite: nor postgres://', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be/);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).databaseUrl).toBe('postgres://u@h/db');
    expect(loadConfig({}).databaseUrl).toBe('sqlite:./data/stockbridge.db');
  });
});

describeEachStore('Idempotency-Key on the other retry-prone writes', (harness) => {
  it('a stock adjustment retried with the same key counts once and replays the first response', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[5]] });
    const body = { sku: w.skus[0], location: w.locations[0], delta: 3, reason: 'found in aisle 4' };
    const headers = { 'idempotency-key': `adj-${w.skus[0]}` };
    const first = await h.api('POST', '/v1/stock/adjustments', body, { headers });
    const again = await h.api('POST', '/v1/stock/adjustments', body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await ok(h.api('GET', `/v1/stock/${w.skus[0]}`))).toMatchObject({ onHand: 8 });
    const other = await h.api('POST', '/v1/stock/adjustments', { ...body, delta: 4 }, { headers });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a cancellation retried with the same key replays its answer instead of 409', async () => {
    const h = harness();
    const w = await seedWorld(h, { stock: [[2]] });
    const order = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 2 }])), 201);
    const headers = { 'idempotency-key': `cancel-${order.id}` };
    const first = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'customer asked' }, { headers });
    const again = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'customer asked' }, { headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const releases = (await ok(h.api('GET', `/v1/stock/${w.skus[0]}/movements?limit=200`))).items.filter((m: any) => m.kind === 'release');
    expect(releases).toHaveLength(1);
  });
});
