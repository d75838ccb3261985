import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore, type ApiResponse, type Harness } from '../support/harness.js';
import { ok, orderBody, seedWorld, setBackorders, unique, type World } from '../support/fixtures.js';

/**
 * Bad input is refused with a 4xx problem+json carrying a stable `code`, without a stack
 * trace, and without changing anything: every table is byte-for-byte what it was before.
 */

interface DbSnapshot {
  counts: Record<string, number>;
  onHand: number;
  reserved: number;
  digests: Record<string, string>;
}

/** Every table in the database (read from the catalogue, so tables added later are covered too). */
async function tableNames(h: Harness): Promise<string[]> {
  const db = h.services.store.db;
  const rows =
    h.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db)).rows
      : (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(db)).rows;
  return rows.map((r) => r.name);
}

/** Row count and a digest of the contents of every table, plus Σ on hand and Σ reserved. */
async function snapshot(h: Harness): Promise<DbSnapshot> {
  const db = h.services.store.db;
  const counts: Record<string, number> = {};
  const digests: Record<string, string> = {};
  for (const table of await tableNames(h)) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
    counts[table] = rows.length;
    digests[table] = createHash('sha256')
      .update(rows.map((r) => JSON.stringify(r)).sort().join('\n'))
      .digest('hex');
  }
  const sums = (
    await sql<{ on_hand: unknown; reserved: unknown }>`select coalesce(sum(on_hand), 0) as on_hand, coalesce(sum(reserved), 0) as reserved from stock_levels`.execute(db)
  ).rows[0]!;
  return { counts, onHand: Number(sums.on_hand), reserved: Number(sums.reserved), digests };
}

const PROBLEM_FIELDS = ['type', 'title', 'status', 'code', 'detail', 'instance'];

/** A 4xx problem document with the given code and nothing that looks like a stack trace. */
function expectProblem(res: ApiResponse, status: number, code: string) {
  expect.soft(res.status, JSON.stringify(res.body)).toBe(status);
  expect.soft(res.headers.get('content-type') ?? '').toContain('application/problem+json');
  expect.soft(res.body?.code, JSON.stringify(res.body)).toBe(code);
  expect.soft(res.body?.status).toBe(res.status);
  for (const field of PROBLEM_FIELDS) expect.soft(res.body, `problem field ${field}`).toHaveProperty(field);
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  expect.soft(res.body).not.toHaveProperty('stack');
  expect.soft(text).not.toMatch(/\bat \S+ \(|node_modules|\.[jt]s:\d+|\/src\/|\/dist\//);
}

/** Sends the request and checks it is refused with `status` + `code` and that the database is unchanged. */
async function refused(h: Harness, send: () => Promise<ApiResponse>, status: number, code: string): Promise<ApiResponse> {
  const before = await snapshot(h);
  const res = await send();
  const after = await snapshot(h);
  expectProblem(res, status, code);
  expect(after, 'the database changed although the request was refused').toEqual(before);
  return res;
}

function line(sku: string, qty: unknown = 1, unitPrice: unknown = 12.5) {
  return { sku, qty, unitPrice };
}

describeEachStore('bad input is refused with a problem and changes nothing', (harness) => {
  let w: World;
  /** A valid order body for the seeded channel and SKU. */
  const valid = (extra: Record<string, unknown> = {}) => orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }], extra);

  beforeAll(async () => {
    const h = harness();
    await setBackorders(h, true);
    w = await seedWorld(h, { stock: [[5, 2], [3, 0]] });
    // Some history, so "unchanged" is checked against tables that are not empty.
    await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 9 }])), 201);
  });

  describe('POST /v1/orders (R2)', () => {
    it('an unknown SKU → 422 UNKNOWN_SKU naming the SKU', async () => {
      const h = harness();
      const res = await refused(h, () => h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: 'NO-SUCH-SKU', qty: 1 }])), 422, 'UNKNOWN_SKU');
      expect(res.body.details?.skus).toEqual(['NO-SUCH-SKU']);
    });

    it('one unknown SKU among known ones → 422 UNKNOWN_SKU, and the known lines are not stored either', async () => {
      const h = harness();
      const body = orderBody(w.channel, [
        { sku: w.skus[0]!, qty: 1 },
        { sku: 'NO-SUCH-SKU', qty: 1 },
      ]);
      await refused(h, () => h.api('POST', '/v1/orders', body), 422, 'UNKNOWN_SKU');
    });

    it('an unknown channel → 422 UNKNOWN_CHANNEL', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders', orderBody('no-such-channel', [{ sku: w.skus[0]!, qty: 1 }])), 422, 'UNKNOWN_CHANNEL');
    });

    it.each([
      ['0', 0],
      ['negative', -1],
      ['fractional (1.5)', 1.5],
      ['absurdly large (1e9)', 1e9],
      ['a string "5" (bodies are not coerced)', '5'],
      ['null', null],
    ])('qty %s → 400 VALIDATION_FAILED', async (_name, qty) => {
      const h = harness();
      const body = { ...valid(), lines: [line(w.skus[0]!, qty)] };
      const res = await refused(h, () => h.api('POST', '/v1/orders', body), 400, 'VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.path).toBe('/lines/0/qty');
    });

    it.each(['channel', 'externalId', 'customer', 'lines'])('a missing %s → 400 VALIDATION_FAILED', async (field) => {
      const h = harness();
      const body: Record<string, unknown> = valid();
      delete body[field];
      await refused(h, () => h.api('POST', '/v1/orders', body), 400, 'VALIDATION_FAILED');
    });

    it.each(['sku', 'qty', 'unitPrice'])('a line without %s → 400 VALIDATION_FAILED', async (field) => {
      const h = harness();
      const l: Record<string, unknown> = line(w.skus[0]!);
      delete l[field];
      await refused(h, () => h.api('POST', '/v1/orders', { ...valid(), lines: [l] }), 400, 'VALIDATION_FAILED');
    });

    it.each(['id', 'email', 'locale', 'country'])('a customer without %s → 400 VALIDATION_FAILED', async (field) => {
      const h = harness();
      const body = valid();
      const customer: Record<string, unknown> = { ...body.customer };
      delete customer[field];
      await refused(h, () => h.api('POST', '/v1/orders', { ...body, customer }), 400, 'VALIDATION_FAILED');
    });

    it('no lines at all → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders', { ...valid(), lines: [] }), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['unitPrice as a string', { lines: [line('X', 1, '12.50')] }],
      ['lines as an object', { lines: { sku: 'X', qty: 1, unitPrice: 1 } }],
      ['externalId as a number', { externalId: 12345 }],
      ['priority as a string', { priority: '5' }],
      ['shippingPreference not partial/complete', { shippingPreference: 'whenever' }],
      ['placedAt not a date-time', { placedAt: 'yesterday' }],
    ])('wrong type or value: %s → 400 VALIDATION_FAILED', async (_name, patch) => {
      const h = harness();
      const body = { ...valid(), ...patch } as Record<string, unknown>;
      if (Array.isArray(body.lines)) body.lines = (body.lines as { sku: string }[]).map((l) => ({ ...l, sku: w.skus[0]! }));
      await refused(h, () => h.api('POST', '/v1/orders', body), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['e-mail that is not one', { email: 'not-an-email' }],
      ['locale fr', { locale: 'fr' }],
      ['country of three letters', { country: 'NLD' }],
    ])('a customer with a bad %s → 400 VALIDATION_FAILED', async (_name, patch) => {
      const h = harness();
      const body = valid();
      await refused(h, () => h.api('POST', '/v1/orders', { ...body, customer: { ...body.customer, ...patch } }), 400, 'VALIDATION_FAILED');
    });

    it('an unknown top-level property is rejected, not stripped → 400 VALIDATION_FAILED naming it', async () => {
      const h = harness();
      const res = await refused(h, () => h.api('POST', '/v1/orders', { ...valid(), discount: 5 }), 400, 'VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.property).toBe('discount');
    });

    it('an unknown property in a line is rejected → 400 VALIDATION_FAILED naming it', async () => {
      const h = harness();
      const res = await refused(h, () => h.api('POST', '/v1/orders', { ...valid(), lines: [{ ...line(w.skus[0]!), location: w.locations[0] }] }), 400, 'VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.property).toBe('location');
    });

    it('an unknown property in the customer is rejected → 400 VALIDATION_FAILED naming it', async () => {
      const h = harness();
      const body = valid();
      const res = await refused(h, () => h.api('POST', '/v1/orders', { ...body, customer: { ...body.customer, vip: true } }), 400, 'VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.property).toBe('vip');
    });

    it('a unit price with three decimals (12.345) → 400 VALIDATION_FAILED (money has at most two decimals)', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders', { ...valid(), lines: [line(w.skus[0]!, 1, 12.345)] }), 400, 'VALIDATION_FAILED');
    });

    it('a negative unit price → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders', { ...valid(), lines: [line(w.skus[0]!, 1, -1)] }), 400, 'VALIDATION_FAILED');
    });

    it('R3: the same SKU on two lines is not bad input: a channel order is never dropped, both lines draw on one stock', async () => {
      const h = harness();
      const own = await seedWorld(h, { stock: [[2]] });
      const body = orderBody(own.channel, [
        { sku: own.skus[0]!, qty: 1 },
        { sku: own.skus[0]!, qty: 2 },
      ]);
      const order = await ok(h.api('POST', '/v1/orders', body), 201);
      expect(order.lines.map((l: any) => [l.lineNo, l.reserved, l.waiting])).toEqual([
        [1, 1, 0],
        [2, 1, 1],
      ]);
      expect(await ok(h.api('GET', `/v1/stock/${own.skus[0]}`))).toMatchObject({ onHand: 2, reserved: 2 });
    });

    it('R2: the same channel external id with a different body → 409 ORDER_CONFLICT, the stored order untouched', async () => {
      const h = harness();
      const body = valid();
      const first = await ok(h.api('POST', '/v1/orders', body), 201);
      const changed = { ...body, lines: [line(w.skus[0]!, 2)], customer: { ...body.customer, email: 'someone-else@example.nl' } };
      const res = await refused(h, () => h.api('POST', '/v1/orders', changed), 409, 'ORDER_CONFLICT');
      expect(res.body.details?.orderId).toBe(first.id);
      const stored = await ok(h.api('GET', `/v1/orders/${first.id}`));
      expect(stored.lines[0].qty).toBe(1);
      expect(stored.customer.email).toBe(body.customer.email);
    });

    it('R2: an Idempotency-Key reused with a different body → 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const h = harness();
      const headers = { 'idempotency-key': unique('idem') };
      await ok(h.api('POST', '/v1/orders', valid(), { headers }), 201);
      await refused(h, () => h.api('POST', '/v1/orders', valid(), { headers }), 422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('an Idempotency-Key longer than 255 characters → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders', valid(), { headers: { 'idempotency-key': 'k'.repeat(256) } }), 400, 'VALIDATION_FAILED');
    });

    it('an unknown mode → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders?mode=lenient', valid()), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['an array', [1, 2]],
      ['null', 'null'],
      ['a number', '42'],
      ['a string', '"order"'],
    ])('a JSON body that is %s → 400 VALIDATION_FAILED', async (_name, body) => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders', body), 400, 'VALIDATION_FAILED');
    });

    it('invalid JSON → 400 INVALID_JSON', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders', '{"channel": "x", "lines": ['), 400, 'INVALID_JSON');
    });

    it('an empty body sent as JSON → 400 INVALID_JSON', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders', ''), 400, 'INVALID_JSON');
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
      'a JSON body sent as %s → 415 UNSUPPORTED_MEDIA_TYPE',
      async (contentType) => {
        const h = harness();
        await refused(h, () => h.api('POST', '/v1/orders', JSON.stringify(valid()), { headers: { 'content-type': contentType } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      },
    );

    it('a body over the 1 MiB limit → 413 BODY_TOO_LARGE', async () => {
      const h = harness();
      const body = { ...valid(), externalId: 'x'.repeat(1024 * 1024 + 10) };
      await refused(h, () => h.api('POST', '/v1/orders', body), 413, 'BODY_TOO_LARGE');
    });
  });

  describe('products', () => {
    const product = (extra: Record<string, unknown> = {}) => ({ sku: unique('P').toUpperCase(), name: 'A product', price: 10, ...extra });

    it('a price with three decimals → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/products', product({ price: 9.995 })), 400, 'VALIDATION_FAILED');
    });

    it('a cost with three decimals → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/products', product({ cost: 1.001 })), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['a negative price', { price: -1 }],
      ['a price as a string', { price: '10.00' }],
      ['an unknown backorderPolicy', { backorderPolicy: 'sometimes' }],
      ['a fractional safetyBuffer', { safetyBuffer: 1.5 }],
      ['a SKU with a space', { sku: 'BAD SKU' }],
      ['a SKU of 65 characters', { sku: 'A'.repeat(65) }],
      ['an empty name', { name: '' }],
      ['an unknown property', { colour: 'red' }],
    ])('%s → 400 VALIDATION_FAILED', async (_name, patch) => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/products', product(patch)), 400, 'VALIDATION_FAILED');
    });

    it.each(['sku', 'name'])('a missing %s → 400 VALIDATION_FAILED', async (field) => {
      const h = harness();
      const body: Record<string, unknown> = product();
      delete body[field];
      await refused(h, () => h.api('POST', '/v1/products', body), 400, 'VALIDATION_FAILED');
    });

    it('an existing SKU → 409 DUPLICATE_SKU', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/products', { sku: w.skus[0], name: 'Again' }), 409, 'DUPLICATE_SKU');
    });

    it('PATCH with a price of three decimals → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('PATCH', `/v1/products/${w.skus[0]}`, { name: 'Renamed', price: 1.234 }), 400, 'VALIDATION_FAILED');
    });

    it('PATCH with an empty body → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('PATCH', `/v1/products/${w.skus[0]}`, {}), 400, 'VALIDATION_FAILED');
    });

    it('PATCH trying to change the SKU (unknown property) → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('PATCH', `/v1/products/${w.skus[0]}`, { sku: 'OTHER' }), 400, 'VALIDATION_FAILED');
    });

    it('PATCH of an unknown SKU → 404 (the path names no product)', async () => {
      const h = harness();
      const before = await snapshot(h);
      const res = await h.api('PATCH', '/v1/products/NO-SUCH-SKU', { name: 'x' });
      expect(await snapshot(h)).toEqual(before);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.status, JSON.stringify(res.body)).toBe(404);
    });

    it('invalid JSON → 400 INVALID_JSON', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/products', '{"sku": "A", '), 400, 'INVALID_JSON');
    });

    it('text/plain → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/products', JSON.stringify(product()), { headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('locations', () => {
    const location = (extra: Record<string, unknown> = {}) => ({ code: unique('l').toLowerCase(), name: 'Somewhere', kind: 'warehouse', country: 'NL', ...extra });

    it.each([
      ['an unknown kind', { kind: 'garage' }],
      ['an upper-case code', { code: 'MAIN' }],
      ['a country of three letters', { country: 'NLD' }],
      ['a latitude of 91', { latitude: 91 }],
      ['a longitude as a string', { longitude: '4.9' }],
      ['an unknown property', { capacity: 100 }],
    ])('%s → 400 VALIDATION_FAILED', async (_name, patch) => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/locations', location(patch)), 400, 'VALIDATION_FAILED');
    });

    it.each(['code', 'name', 'kind', 'country'])('a missing %s → 400 VALIDATION_FAILED', async (field) => {
      const h = harness();
      const body: Record<string, unknown> = location();
      delete body[field];
      await refused(h, () => h.api('POST', '/v1/locations', body), 400, 'VALIDATION_FAILED');
    });

    it('an existing code → 409 DUPLICATE_CODE', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/locations', location({ code: w.locations[0] })), 409, 'DUPLICATE_CODE');
    });
  });

  describe('channels', () => {
    const channel = (extra: Record<string, unknown> = {}) => ({ code: unique('c').toLowerCase(), name: 'A channel', kind: 'webshop', locations: [w.locations[0]], ...extra });

    it('an unknown location → 422 UNKNOWN_LOCATION, and no channel is created', async () => {
      const h = harness();
      const body = channel({ locations: [w.locations[0], 'no-such-location'] });
      await refused(h, () => h.api('POST', '/v1/channels', body), 422, 'UNKNOWN_LOCATION');
      const get = await h.api('GET', `/v1/channels/${body.code}`);
      expect(get.status).toBeGreaterThanOrEqual(400);
    });

    it('the same location twice → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/channels', channel({ locations: [w.locations[0], w.locations[0]] })), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['an unknown kind', { kind: 'ebay' }],
      ['acceptsBackorders as a string', { acceptsBackorders: 'yes' }],
      ['a fractional priority', { priority: 1.5 }],
      ['a priority of 1001', { priority: 1001 }],
      ['locations not a list', { locations: 'main' }],
      ['an unknown property', { apiToken: 'secret' }],
    ])('%s → 400 VALIDATION_FAILED', async (_name, patch) => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/channels', channel(patch)), 400, 'VALIDATION_FAILED');
    });

    it.each(['code', 'name', 'kind', 'locations'])('a missing %s → 400 VALIDATION_FAILED', async (field) => {
      const h = harness();
      const body: Record<string, unknown> = channel();
      delete body[field];
      await refused(h, () => h.api('POST', '/v1/channels', body), 400, 'VALIDATION_FAILED');
    });

    it('an existing code → 409 DUPLICATE_CODE', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/channels', channel({ code: w.channel })), 409, 'DUPLICATE_CODE');
    });

    it('PATCH with an unknown location → 422 UNKNOWN_LOCATION, and the name change in the same request is not applied', async () => {
      const h = harness();
      await refused(h, () => h.api('PATCH', `/v1/channels/${w.channel}`, { name: 'Renamed', locations: ['no-such-location'] }), 422, 'UNKNOWN_LOCATION');
      const now = await ok(h.api('GET', `/v1/channels/${w.channel}`));
      expect(now.name).toBe(w.channel);
      expect(now.locations).toEqual(w.locations);
    });

    it('PATCH trying to change the kind → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('PATCH', `/v1/channels/${w.channel}`, { kind: 'amazon' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('PUT /v1/customers', () => {
    const customer = (extra: Record<string, unknown> = {}) => ({ id: unique('cust'), email: 'a@example.nl', locale: 'nl', country: 'NL', ...extra });

    it.each([
      ['an e-mail that is not one', { email: 'nope' }],
      ['locale fr', { locale: 'fr' }],
      ['an empty id', { id: '' }],
      ['a latitude as a string', { latitude: '52.1' }],
      ['an unknown property', { password: 'hunter2' }],
    ])('%s → 400 VALIDATION_FAILED', async (_name, patch) => {
      const h = harness();
      await refused(h, () => h.api('PUT', '/v1/customers', customer(patch)), 400, 'VALIDATION_FAILED');
    });

    it.each(['id', 'email', 'locale', 'country'])('a missing %s → 400 VALIDATION_FAILED', async (field) => {
      const h = harness();
      const body: Record<string, unknown> = customer();
      delete body[field];
      await refused(h, () => h.api('PUT', '/v1/customers', body), 400, 'VALIDATION_FAILED');
    });

    it('an update of an existing customer with a bad field changes nothing of the stored customer', async () => {
      const h = harness();
      const c = customer();
      await ok(h.api('PUT', '/v1/customers', c));
      await refused(h, () => h.api('PUT', '/v1/customers', { ...c, email: 'new@example.nl', locale: 'xx' }), 400, 'VALIDATION_FAILED');
      expect(await ok(h.api('GET', `/v1/customers/${c.id}`))).toMatchObject({ email: c.email, locale: 'nl' });
    });
  });

  describe('POST /v1/stock/adjustments', () => {
    const adjustment = (extra: Record<string, unknown> = {}) => ({ sku: w.skus[0], location: w.locations[0], delta: 1, ...extra });

    it('an unknown SKU → 422 UNKNOWN_SKU', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/stock/adjustments', adjustment({ sku: 'NO-SUCH-SKU' })), 422, 'UNKNOWN_SKU');
    });

    it('an unknown location → 422 UNKNOWN_LOCATION', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/stock/adjustments', adjustment({ location: 'no-such-location' })), 422, 'UNKNOWN_LOCATION');
    });

    it.each([
      ['delta 0', { delta: 0 }],
      ['a fractional delta (1.5)', { delta: 1.5 }],
      ['an absurdly large delta (1e9)', { delta: 1e9 }],
      ['delta as a string "5"', { delta: '5' }],
      ['an unknown kind', { kind: 'theft' }],
      ['a kind the ledger keeps for orders (allocation)', { kind: 'allocation' }],
      ['an unknown property', { onHand: 100 }],
    ])('%s → 400 VALIDATION_FAILED', async (_name, patch) => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/stock/adjustments', adjustment(patch)), 400, 'VALIDATION_FAILED');
    });

    it.each(['sku', 'location', 'delta'])('a missing %s → 400 VALIDATION_FAILED', async (field) => {
      const h = harness();
      const body: Record<string, unknown> = adjustment();
      delete body[field];
      await refused(h, () => h.api('POST', '/v1/stock/adjustments', body), 400, 'VALIDATION_FAILED');
    });

    it('damage with a positive delta → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/stock/adjustments', adjustment({ kind: 'damage', delta: 2 })), 400, 'VALIDATION_FAILED');
    });

    it('§2: removing more than is on hand and unreserved → 409 STOCK_WOULD_GO_NEGATIVE', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/stock/adjustments', adjustment({ delta: -1000 })), 409, 'STOCK_WOULD_GO_NEGATIVE');
    });

    it('§2: removing reserved units → 409 STOCK_WOULD_GO_NEGATIVE (reserved stays ≤ on hand)', async () => {
      const h = harness();
      // The order placed in beforeAll reserved every unit of the first SKU at both locations.
      const level = await ok(h.api('GET', `/v1/stock/${w.skus[0]}`));
      expect(level.available).toBe(0);
      await refused(h, () => h.api('POST', '/v1/stock/adjustments', adjustment({ delta: -1 })), 409, 'STOCK_WOULD_GO_NEGATIVE');
    });
  });

  describe('PATCH /v1/settings', () => {
    it.each([
      ['an empty body', {}],
      ['backordersEnabled as a string', { backordersEnabled: 'true' }],
      ['acceptanceRatio 0', { acceptanceRatio: 0 }],
      ['acceptanceRatio 1.5', { acceptanceRatio: 1.5 }],
      ['a negative defaultSafetyBuffer', { defaultSafetyBuffer: -1 }],
      ['a fractional defaultSafetyBuffer', { defaultSafetyBuffer: 0.5 }],
      ['an empty organisation name', { organisation: '' }],
      ['currency (not settable)', { currency: 'USD' }],
      ['a valid field next to an unknown one', { backordersEnabled: false, colour: 'blue' }],
    ])('%s → 400 VALIDATION_FAILED', async (_name, body) => {
      const h = harness();
      await refused(h, () => h.api('PATCH', '/v1/settings', body), 400, 'VALIDATION_FAILED');
    });

    it('invalid JSON → 400 INVALID_JSON', async () => {
      const h = harness();
      await refused(h, () => h.api('PATCH', '/v1/settings', '{backordersEnabled: false}'), 400, 'INVALID_JSON');
    });
  });

  describe('API keys', () => {
    it.each([
      ['an unknown role', { name: 'k', role: 'superuser' }],
      ['no name', { role: 'operator' }],
      ['no role', { name: 'k' }],
      ['an empty name', { name: '', role: 'operator' }],
      ['an unknown property', { name: 'k', role: 'operator', key: 'sb_' + 'a'.repeat(40) }],
    ])('POST with %s → 400 VALIDATION_FAILED', async (_name, body) => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/api-keys', body), 400, 'VALIDATION_FAILED');
    });

    it('DELETE of an unknown key id → 404 NOT_FOUND', async () => {
      const h = harness();
      await refused(h, () => h.api('DELETE', '/v1/api-keys/key_does_not_exist'), 404, 'NOT_FOUND');
    });

    it('DELETE of a key already revoked → 404 NOT_FOUND', async () => {
      const h = harness();
      const created = await ok(h.api('POST', '/v1/api-keys', { name: 'short-lived', role: 'read-only' }), 201);
      await ok(h.api('DELETE', `/v1/api-keys/${created.id}`));
      await refused(h, () => h.api('DELETE', `/v1/api-keys/${created.id}`), 404, 'NOT_FOUND');
    });
  });

  describe('order cancellation', () => {
    it('an unknown order → 404 NOT_FOUND', async () => {
      const h = harness();
      await refused(h, () => h.api('POST', '/v1/orders/ord_does_not_exist/cancel'), 404, 'NOT_FOUND');
    });

    it('an unknown part of a real order → 404 NOT_FOUND', async () => {
      const h = harness();
      const order = await ok(h.api('POST', '/v1/orders', valid()), 201);
      await refused(h, () => h.api('POST', `/v1/orders/${order.id}/parts/prt_does_not_exist/cancel`), 404, 'NOT_FOUND');
    });

    it('a reason that is not a string, or an unknown property → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      const order = await ok(h.api('POST', '/v1/orders', valid()), 201);
      await refused(h, () => h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 42 }), 400, 'VALIDATION_FAILED');
      await refused(h, () => h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'x', refund: true }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('routes, cursors and limits', () => {
    it.each([
      ['GET', '/v1/nothing-here'],
      ['POST', '/v1/order'],
      ['DELETE', '/v1/orders'],
      ['GET', '/v2/orders'],
      ['PUT', '/v1/products/ABC'],
    ])('%s %s → 404 ROUTE_NOT_FOUND', async (method, path) => {
      const h = harness();
      const body = method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' };
      await refused(h, () => h.api(method, path, body), 404, 'ROUTE_NOT_FOUND');
    });

    const lists = () => [
      '/v1/orders',
      '/v1/products',
      '/v1/customers',
      '/v1/stock',
      `/v1/stock/${w.skus[0]}/movements`,
      '/v1/events',
      '/v1/alerts',
    ];

    it.each(['!!!', '____', '%00'])('a cursor this API never returned (%s) → 400 INVALID_CURSOR on every list', async (cursor) => {
      const h = harness();
      for (const path of lists()) {
        const res = await refused(h, () => h.api('GET', `${path}?cursor=${cursor}`), 400, 'INVALID_CURSOR');
        expect(res.body.code, path).toBe('INVALID_CURSOR');
      }
    });

    it.each(['201', '0', '-1', '1.5', 'ten'])('limit=%s → 400 VALIDATION_FAILED on every list', async (limit) => {
      const h = harness();
      for (const path of lists()) {
        const res = await refused(h, () => h.api('GET', `${path}?limit=${limit}`), 400, 'VALIDATION_FAILED');
        expect(res.body.code, path).toBe('VALIDATION_FAILED');
      }
    });

    it('limit=200 is accepted', async () => {
      const h = harness();
      for (const path of lists()) expect((await h.api('GET', `${path}?limit=200`)).status, path).toBe(200);
    });

    it('an unknown query parameter → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('GET', '/v1/orders?sort=oldest'), 400, 'VALIDATION_FAILED');
    });

    it('an unknown status filter → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('GET', '/v1/orders?status=lost'), 400, 'VALIDATION_FAILED');
    });

    it('a SKU in the path that cannot be one → 400 VALIDATION_FAILED', async () => {
      const h = harness();
      await refused(h, () => h.api('GET', '/v1/products/bad%20sku'), 400, 'VALIDATION_FAILED');
    });
  });
});
