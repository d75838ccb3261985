import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../support/db-snapshot.js';
import { describeEachStore, type ApiResponse, type Harness } from '../support/harness.js';
import { ok, orderBody, seedWorld, setBackorders, unique, type World } from '../support/fixtures.js';

/**
 * §4: every /v1 endpoint needs `Authorization: Bearer <key>`. Keys are stored only as a
 * SHA-256 hash and shown once; unknown, malformed and revoked keys are indistinguishable;
 * roles: read-only (GET only), operator (orders, stock, products, customers), admin (also
 * settings, channels, locations, API keys).
 */


function withoutInstance(body: Record<string, unknown>) {
  const { instance: _instance, ...rest } = body;
  return rest;
}

function sha256(text: string) {
  return createHash('sha256').update(text).digest('hex');
}

describeEachStore('authentication and roles (§4)', (harness) => {
  let w: World;
  let readOnly: { id: string; key: string };
  let operator: { id: string; key: string };
  let order: { id: string; partId: string };
  let customerId: string;

  beforeAll(async () => {
    const h = harness();
    await setBackorders(h, true);
    w = await seedWorld(h, { stock: [[10]] });
    readOnly = await ok(h.api('POST', '/v1/api-keys', { name: 'dashboard', role: 'read-only' }), 201);
    operator = await ok(h.api('POST', '/v1/api-keys', { name: 'warehouse', role: 'operator' }), 201);
    const placed = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 2 }])), 201);
    order = { id: placed.id, partId: placed.parts[0].id };
    customerId = placed.customer.id;
  });

  describe('401: no valid key', () => {
    it('no header, a malformed key, an unknown well-formed key and a revoked key all get the identical 401 (only instance differs)', async () => {
      const h = harness();
      const revoked = await ok(h.api('POST', '/v1/api-keys', { name: 'to revoke', role: 'admin' }), 201);
      expect((await h.api('GET', '/v1/products', undefined, { key: revoked.key })).status).toBe(200);
      await ok(h.api('DELETE', `/v1/api-keys/${revoked.id}`));
      const unknownKey = 'sb_' + 'A'.repeat(40);

      const attempts: [string, { key: string | null; headers?: Record<string, string> }][] = [
        ['no Authorization header', { key: null }],
        ['a malformed key', { key: 'not-a-key' }],
        ['a key one character too long', { key: h.key + 'x' }],
        ['a key with the wrong prefix', { key: 'sk_' + h.key.slice(3) }],
        ['an empty bearer token', { key: null, headers: { authorization: 'Bearer ' } }],
        ['Basic instead of Bearer', { key: null, headers: { authorization: `Basic ${Buffer.from(`user:${h.key}`).toString('base64')}` } }],
        ['the key without a scheme', { key: null, headers: { authorization: h.key } }],
        ['an unknown well-formed key (sb_ + 40 characters)', { key: unknownKey }],
        ['a revoked key', { key: revoked.key }],
      ];
      const responses: [string, ApiResponse][] = [];
      for (const [name, opts] of attempts) responses.push([name, await h.api('GET', '/v1/products', undefined, opts)]);
      const reference = responses[0]![1];
      expect(reference.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', instance: '/v1/products' });
      for (const [name, res] of responses) {
        expect(res.status, name).toBe(401);
        expect(res.headers.get('content-type'), name).toContain('application/problem+json');
        expect({ code: res.body.code, title: res.body.title, detail: res.body.detail }, name).toEqual({
          code: reference.body.code,
          title: reference.body.title,
          detail: reference.body.detail,
        });
        expect(withoutInstance(res.body), name).toEqual(withoutInstance(reference.body));
      }
    });

    it('the 401 is the same on every endpoint, writes included, and a write without a key changes nothing', async () => {
      const h = harness();
      const before = await snapshot(h);
      const cases: [string, string, unknown?][] = [
        ['GET', '/v1/orders'],
        ['GET', `/v1/orders/${order.id}`],
        ['POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }])],
        ['POST', `/v1/orders/${order.id}/cancel`],
        ['POST', '/v1/stock/adjustments', { sku: w.skus[0], location: w.locations[0], delta: 5 }],
        ['PATCH', '/v1/settings', { backordersEnabled: false }],
        ['POST', '/v1/api-keys', { name: 'sneaky', role: 'admin' }],
        ['DELETE', `/v1/api-keys/${readOnly.id}`],
        ['GET', '/v1/events'],
      ];
      for (const [method, path, body] of cases) {
        for (const key of [null, 'sb_' + 'Z'.repeat(40)]) {
          const res = await h.api(method, path, body, { key });
          expect(res.status, `${method} ${path}`).toBe(401);
          expect(res.body.code).toBe('UNAUTHENTICATED');
          expect(res.body.instance).toBe(path);
        }
      }
      expect(await snapshot(h)).toEqual(before);
    });
  });

  describe('read-only keys', () => {
    const reads = () => [
      '/v1/products',
      `/v1/products/${w.skus[0]}`,
      '/v1/locations',
      `/v1/locations/${w.locations[0]}`,
      '/v1/channels',
      `/v1/channels/${w.channel}`,
      '/v1/customers',
      `/v1/customers/${customerId}`,
      '/v1/stock',
      `/v1/stock/${w.skus[0]}`,
      `/v1/stock/${w.skus[0]}/movements`,
      '/v1/orders',
      `/v1/orders/${order.id}`,
      '/v1/events',
      '/v1/alerts',
      '/v1/settings',
    ];

    it('every GET works with a read-only key', async () => {
      const h = harness();
      for (const path of reads()) {
        const res = await h.api('GET', path, undefined, { key: readOnly.key });
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
      }
    });

    const writes = (): [string, string, unknown?][] => [
      ['POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }])],
      ['POST', `/v1/orders/${order.id}/cancel`, { reason: 'read-only tries' }],
      ['POST', `/v1/orders/${order.id}/parts/${order.partId}/cancel`],
      ['POST', '/v1/products', { sku: unique('RO').toUpperCase(), name: 'x' }],
      ['PATCH', `/v1/products/${w.skus[0]}`, { name: 'renamed by read-only' }],
      ['POST', '/v1/locations', { code: unique('ro').toLowerCase(), name: 'x', kind: 'warehouse', country: 'NL' }],
      ['POST', '/v1/channels', { code: unique('ro').toLowerCase(), name: 'x', kind: 'webshop', locations: [w.locations[0]] }],
      ['PATCH', `/v1/channels/${w.channel}`, { name: 'renamed by read-only' }],
      ['PUT', '/v1/customers', { id: customerId, email: 'changed@example.nl', locale: 'en', country: 'GB' }],
      ['POST', '/v1/stock/adjustments', { sku: w.skus[0], location: w.locations[0], delta: 3 }],
      ['PATCH', '/v1/settings', { backordersEnabled: false }],
      ['POST', '/v1/api-keys', { name: 'escalate', role: 'admin' }],
      ['DELETE', `/v1/api-keys/${operator.id}`],
    ];

    it('every write with a read-only key → 403 FORBIDDEN, and nothing changes', async () => {
      const h = harness();
      const before = await snapshot(h);
      for (const [method, path, body] of writes()) {
        const res = await h.api(method, path, body, { key: readOnly.key });
        expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.code, `${method} ${path}`).toBe('FORBIDDEN');
      }
      expect(await snapshot(h)).toEqual(before);
    });

    it('listing API keys is key management: admin only, so a read-only key gets 403 FORBIDDEN', async () => {
      const h = harness();
      const res = await h.api('GET', '/v1/api-keys', undefined, { key: readOnly.key });
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    });
  });

  describe('operator keys', () => {
    it('an operator can place and cancel orders, adjust stock, and manage products and customers', async () => {
      const h = harness();
      const key = operator.key;
      const placed = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }]), { key }), 201);
      await ok(h.api('POST', `/v1/orders/${placed.id}/cancel`, undefined, { key }));
      await ok(h.api('POST', '/v1/stock/adjustments', { sku: w.skus[0], location: w.locations[0], delta: 1, kind: 'receipt' }, { key }), 201);
      const sku = unique('OP').toUpperCase();
      await ok(h.api('POST', '/v1/products', { sku, name: 'By operator' }, { key }), 201);
      await ok(h.api('PATCH', `/v1/products/${sku}`, { price: 3.5 }, { key }));
      await ok(h.api('PUT', '/v1/customers', { id: unique('cust'), email: 'op@example.nl', locale: 'nl', country: 'NL' }, { key }));
    });

    it.each([
      ['PATCH', '/v1/settings', () => ({ backordersEnabled: false })],
      ['POST', '/v1/channels', () => ({ code: unique('op').toLowerCase(), name: 'x', kind: 'webshop', locations: [] })],
      ['POST', '/v1/api-keys', () => ({ name: 'escalate', role: 'admin' })],
      ['PATCH', '/v1/channels/:channel', () => ({ acceptsBackorders: false })],
      ['POST', '/v1/locations', () => ({ code: unique('op').toLowerCase(), name: 'x', kind: 'warehouse', country: 'NL' })],
      ['DELETE', '/v1/api-keys/:readOnly', () => undefined],
      ['GET', '/v1/api-keys', () => undefined],
    ])('an operator key gets 403 FORBIDDEN on %s %s, and nothing changes', async (method, template, body) => {
      const h = harness();
      const path = template.replace(':channel', w.channel).replace(':readOnly', readOnly.id);
      const before = await snapshot(h);
      const res = await h.api(method, path, body(), { key: operator.key });
      expect(await snapshot(h)).toEqual(before);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('keys are secrets', () => {
    it('the api_keys table holds only SHA-256 hashes: no column of any row contains a plaintext key', async () => {
      const h = harness();
      const created = await ok(h.api('POST', '/v1/api-keys', { name: 'hash check', role: 'operator' }), 201);
      const plaintexts = [h.key, readOnly.key, operator.key, created.key];
      const rows = await h.services.store.db.selectFrom('api_keys').selectAll().execute();
      const dump = JSON.stringify(rows);
      for (const key of plaintexts) {
        expect(key).toMatch(/^sb_[A-Za-z0-9_-]{40}$/);
        expect(dump).not.toContain(key);
        expect(dump).not.toContain(key.slice(3));
        const row = rows.find((r) => r.key_hash === sha256(key));
        expect(row, 'a row whose key_hash is the SHA-256 of the key').toBeDefined();
        expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
      }
      // Nothing else in the database holds the key either (events, settings, …).
      const db = h.services.store.db;
      const names =
        h.dialect === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows
          : (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(db)).rows;
      for (const { name } of names) {
        const all = JSON.stringify((await sql`select * from ${sql.table(name)}`.execute(db)).rows);
        for (const key of plaintexts) expect(all, `table ${name}`).not.toContain(key);
      }
    });

    it('a created key is shown once: the create response has it, GET /v1/api-keys never returns it (nor its hash)', async () => {
      const h = harness();
      const created = await ok(h.api('POST', '/v1/api-keys', { name: 'shown once', role: 'read-only' }), 201);
      expect(created).toMatchObject({ name: 'shown once', role: 'read-only' });
      expect(created.key).toMatch(/^sb_[A-Za-z0-9_-]{40}$/);
      expect((await h.api('GET', '/v1/settings', undefined, { key: created.key })).status).toBe(200);

      const list = await ok(h.api('GET', '/v1/api-keys'));
      const listed = list.items.find((k: any) => k.id === created.id);
      expect(listed).toMatchObject({ id: created.id, name: 'shown once', role: 'read-only', revokedAt: null });
      expect(listed).not.toHaveProperty('key');
      const text = JSON.stringify(list);
      for (const key of [created.key, h.key, readOnly.key, operator.key]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(sha256(key));
      }
      expect(text).not.toContain('key_hash');
      expect(text).not.toContain('keyHash');
    });

    it('a revoked key stops working at once and is listed as revoked', async () => {
      const h = harness();
      const created = await ok(h.api('POST', '/v1/api-keys', { name: 'revoke me', role: 'operator' }), 201);
      expect((await h.api('GET', '/v1/orders', undefined, { key: created.key })).status).toBe(200);
      const revoked = await ok(h.api('DELETE', `/v1/api-keys/${created.id}`));
      expect(revoked.revokedAt).not.toBeNull();
      const after = await h.api('GET', '/v1/orders', undefined, { key: created.key });
      expect([after.status, after.body.code]).toEqual([401, 'UNAUTHENTICATED']);
      const listed = (await ok(h.api('GET', '/v1/api-keys'))).items.find((k: any) => k.id === created.id);
      expect(listed.revokedAt).not.toBeNull();
    });
  });

  describe('public endpoints need no key', () => {
    it('/healthz answers ok with a database round trip', async () => {
      const h = harness();
      const res = await h.api('GET', '/healthz', undefined, { key: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', database: h.dialect });
    });

    it('/metrics serves Prometheus text', async () => {
      const h = harness();
      const res = await h.api('GET', '/metrics', undefined, { key: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(String(res.body)).toMatch(/^# (HELP|TYPE) /m);
    });

    it('/openapi.json is OpenAPI 3.1.0 and documents /v1/orders', async () => {
      const h = harness();
      const res = await h.api('GET', '/openapi.json', undefined, { key: null });
      expect(res.status).toBe(200);
      expect(res.body.openapi).toBe('3.1.0');
      expect(Object.keys(res.body.paths)).toContain('/v1/orders');
      expect(res.body.paths['/v1/orders']).toHaveProperty('post');
    });

    it('/docs serves the browsable docs', async () => {
      const h = harness();
      const res = await h.api('GET', '/docs', undefined, { key: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
    });

    it('a bad Authorization header does not break the public endpoints', async () => {
      const h = harness();
      for (const path of ['/healthz', '/metrics', '/openapi.json', '/docs']) {
        expect((await h.api('GET', path, undefined, { key: 'garbage' })).status, path).toBe(200);
      }
    });
  });
});
