import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../support/db-snapshot.js';
import { describeEachStore, type ApiResponse, type Harness } from '../support/harness.js';
import { ok, orderBody, seedWorld, setBackorders, unique, type World } from '../support/fixtures.js';

/**
 * §4: an API key is scoped to one organisation. Organisation B's key can neither read nor
 * change anything of organisation A through any endpoint: A's objects answer exactly as
 * objects that do not exist (404 for a path, the 422 unknown-code for a reference in a body),
 * lists hold B's rows only, and nothing of A changes.
 */


/** The problem fields that may not depend on whether the object exists in another organisation. */
function shape(res: ApiResponse) {
  return { status: res.status, code: res.body?.code, title: res.body?.title, type: res.body?.type };
}

interface Tenant {
  orgId: string;
  key: string;
  world: World;
  orderId: string;
  partId: string;
  customerId: string;
  extraKeyId: string;
}

describeEachStore('tenant isolation: one organisation never sees or touches another (§4)', (harness) => {
  let a: Tenant;
  let b: Tenant;

  /** An organisation with a catalogue, stock, a customer, an order with an open and a backorder part, and a spare key. */
  async function tenant(h: Harness, orgId: string, key: string): Promise<Tenant> {
    await setBackorders(h, true, key);
    const world = await seedWorld(h, { stock: [[5]], key });
    const customerId = unique('cust');
    await ok(h.api('PUT', '/v1/customers', { id: customerId, email: 'secret@example.nl', locale: 'nl', country: 'NL', tier: 'gold' }, { key }));
    const order = await ok(h.api('POST', '/v1/orders', orderBody(world.channel, [{ sku: world.skus[0]!, qty: 8 }]), { key }), 201);
    expect(order.parts.map((p: any) => p.status).sort()).toEqual(['backorder', 'open']);
    const extra = await ok(h.api('POST', '/v1/api-keys', { name: 'spare', role: 'operator' }, { key }), 201);
    return { orgId, key, world, orderId: order.id, partId: order.parts[0].id, customerId, extraKeyId: extra.id };
  }

  beforeAll(async () => {
    const h = harness();
    a = await tenant(h, h.orgId, h.key);
    const other = await h.newOrganisation('Other Merchant');
    b = await tenant(h, other.orgId, other.key);
  });

  interface Probe {
    name: string;
    method: string;
    /** The request naming A's object. */
    foreign: () => string;
    /** The same request naming an object that exists nowhere. */
    missing: () => string;
    body?: () => unknown;
  }

  const probes: Probe[] = [
    { name: 'GET /v1/products/:sku', method: 'GET', foreign: () => `/v1/products/${a.world.skus[0]}`, missing: () => '/v1/products/NO-SUCH-SKU' },
    {
      name: 'PATCH /v1/products/:sku',
      method: 'PATCH',
      foreign: () => `/v1/products/${a.world.skus[0]}`,
      missing: () => '/v1/products/NO-SUCH-SKU',
      body: () => ({ name: 'hijacked', price: 0.01, backorderPolicy: 'deny' }),
    },
    { name: 'GET /v1/locations/:code', method: 'GET', foreign: () => `/v1/locations/${a.world.locations[0]}`, missing: () => '/v1/locations/no-such-location' },
    { name: 'GET /v1/channels/:code', method: 'GET', foreign: () => `/v1/channels/${a.world.channel}`, missing: () => '/v1/channels/no-such-channel' },
    {
      name: 'PATCH /v1/channels/:code',
      method: 'PATCH',
      foreign: () => `/v1/channels/${a.world.channel}`,
      missing: () => '/v1/channels/no-such-channel',
      body: () => ({ name: 'hijacked', acceptsBackorders: false }),
    },
    { name: 'GET /v1/customers/:id', method: 'GET', foreign: () => `/v1/customers/${a.customerId}`, missing: () => '/v1/customers/no-such-customer' },
    { name: 'GET /v1/stock/:sku', method: 'GET', foreign: () => `/v1/stock/${a.world.skus[0]}`, missing: () => '/v1/stock/NO-SUCH-SKU' },
    {
      name: 'GET /v1/stock/:sku/movements',
      method: 'GET',
      foreign: () => `/v1/stock/${a.world.skus[0]}/movements`,
      missing: () => '/v1/stock/NO-SUCH-SKU/movements',
    },
    { name: 'GET /v1/stock/:sku/incoming', method: 'GET', foreign: () => `/v1/stock/${a.world.skus[0]}/incoming`, missing: () => '/v1/stock/NO-SUCH-SKU/incoming' },
    { name: 'GET /v1/orders/:id', method: 'GET', foreign: () => `/v1/orders/${a.orderId}`, missing: () => '/v1/orders/ord_does_not_exist' },
    {
      name: 'POST /v1/orders/:id/cancel',
      method: 'POST',
      foreign: () => `/v1/orders/${a.orderId}/cancel`,
      missing: () => '/v1/orders/ord_does_not_exist/cancel',
    },
    {
      name: 'POST /v1/orders/:id/parts/:partId/cancel',
      method: 'POST',
      foreign: () => `/v1/orders/${a.orderId}/parts/${a.partId}/cancel`,
      missing: () => '/v1/orders/ord_does_not_exist/parts/prt_does_not_exist/cancel',
    },
    {
      name: "POST /v1/orders/:id/parts/:partId/cancel with B's order and A's part",
      method: 'POST',
      foreign: () => `/v1/orders/${b.orderId}/parts/${a.partId}/cancel`,
      missing: () => `/v1/orders/${b.orderId}/parts/prt_does_not_exist/cancel`,
    },
    { name: 'DELETE /v1/api-keys/:id', method: 'DELETE', foreign: () => `/v1/api-keys/${a.extraKeyId}`, missing: () => '/v1/api-keys/key_does_not_exist' },
  ];

  describe.each(probes)('$name with a foreign id', (probe) => {
    it("answers exactly as for an object that does not exist, reveals nothing of A's, changes nothing — and is 404", async () => {
      const h = harness();
      const before = await snapshot(h);
      const foreign = await h.api(probe.method, probe.foreign(), probe.body?.(), { key: b.key });
      const after = await snapshot(h);
      const missing = await h.api(probe.method, probe.missing(), probe.body?.(), { key: b.key });

      expect(after, "a request with B's key changed the database").toEqual(before);
      expect(foreign.headers.get('content-type')).toContain('application/problem+json');
      expect(shape(foreign), 'a foreign object must look exactly like a missing one').toEqual(shape(missing));
      const text = JSON.stringify(foreign.body);
      expect(text).not.toContain(a.orgId);
      expect(text).not.toContain('secret@example.nl');
      expect(text).not.toContain('hijacked');
      expect(foreign.status, JSON.stringify(foreign.body)).toBe(404);
    });
  });

  it("A's objects are untouched and A's spare key still works after B's attempts", async () => {
    const h = harness();
    for (const probe of probes) await h.api(probe.method, probe.foreign(), probe.body?.(), { key: b.key });
    const product = await ok(h.api('GET', `/v1/products/${a.world.skus[0]}`, undefined, { key: a.key }));
    expect(product).toMatchObject({ name: `Product ${a.world.skus[0]}`, price: 10, backorderPolicy: 'inherit' });
    const channel = await ok(h.api('GET', `/v1/channels/${a.world.channel}`, undefined, { key: a.key }));
    expect(channel).toMatchObject({ name: a.world.channel, acceptsBackorders: true });
    const order = await ok(h.api('GET', `/v1/orders/${a.orderId}`, undefined, { key: a.key }));
    expect(order.parts.map((p: any) => p.status).sort()).toEqual(['backorder', 'open']);
    const keys = await ok(h.api('GET', '/v1/api-keys', undefined, { key: a.key }));
    expect(keys.items.find((k: any) => k.id === a.extraKeyId)?.revokedAt).toBeNull();
  });

  describe('references to A in request bodies and queries are unknown in B', () => {
    it("placing an order in B through A's channel code → 422 UNKNOWN_CHANNEL, nothing stored", async () => {
      const h = harness();
      // A channel code that exists only in A (B's channel has a different code).
      const before = await snapshot(h);
      const res = await h.api('POST', '/v1/orders', orderBody(a.world.channel, [{ sku: b.world.skus[0]!, qty: 1 }]), { key: b.key });
      expect(await snapshot(h)).toEqual(before);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.code).toBe('UNKNOWN_CHANNEL');
    });

    it("placing an order in B for A's SKU → 422 UNKNOWN_SKU, A's stock untouched", async () => {
      const h = harness();
      const before = await snapshot(h);
      const res = await h.api('POST', '/v1/orders', orderBody(b.world.channel, [{ sku: a.world.skus[0]!, qty: 1 }]), { key: b.key });
      expect(await snapshot(h)).toEqual(before);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.code).toBe('UNKNOWN_SKU');
    });

    it("a stock adjustment in B of A's SKU → 422 UNKNOWN_SKU; at A's location → 422 UNKNOWN_LOCATION", async () => {
      const h = harness();
      const before = await snapshot(h);
      const sku = await h.api('POST', '/v1/stock/adjustments', { sku: a.world.skus[0], location: b.world.locations[0], delta: -1 }, { key: b.key });
      const loc = await h.api('POST', '/v1/stock/adjustments', { sku: b.world.skus[0], location: a.world.locations[0], delta: 5 }, { key: b.key });
      const both = await h.api('POST', '/v1/stock/adjustments', { sku: a.world.skus[0], location: a.world.locations[0], delta: -5 }, { key: b.key });
      expect(await snapshot(h)).toEqual(before);
      expect([sku.status, sku.body.code]).toEqual([422, 'UNKNOWN_SKU']);
      expect([loc.status, loc.body.code]).toEqual([422, 'UNKNOWN_LOCATION']);
      expect(both.status).toBe(422);
    });

    it("a channel created or changed in B with A's location → 422 UNKNOWN_LOCATION", async () => {
      const h = harness();
      const before = await snapshot(h);
      const created = await h.api(
        'POST',
        '/v1/channels',
        { code: unique('c').toLowerCase(), name: 'x', kind: 'webshop', locations: [a.world.locations[0]] },
        { key: b.key },
      );
      const patched = await h.api('PATCH', `/v1/channels/${b.world.channel}`, { locations: [a.world.locations[0]] }, { key: b.key });
      expect(await snapshot(h)).toEqual(before);
      expect([created.status, created.body.code]).toEqual([422, 'UNKNOWN_LOCATION']);
      expect([patched.status, patched.body.code]).toEqual([422, 'UNKNOWN_LOCATION']);
    });

    it("filters naming A's channel or location are unknown in B: orders?channel → 422 UNKNOWN_CHANNEL, movements?location → 422 UNKNOWN_LOCATION", async () => {
      const h = harness();
      const orders = await h.api('GET', `/v1/orders?channel=${a.world.channel}`, undefined, { key: b.key });
      expect([orders.status, orders.body.code]).toEqual([422, 'UNKNOWN_CHANNEL']);
      const moves = await h.api('GET', `/v1/stock/${b.world.skus[0]}/movements?location=${a.world.locations[0]}`, undefined, { key: b.key });
      expect([moves.status, moves.body.code]).toEqual([422, 'UNKNOWN_LOCATION']);
    });

    it("PUT /v1/customers in B with A's customer id creates B's own customer and leaves A's as it was", async () => {
      const h = harness();
      const mine = await ok(h.api('PUT', '/v1/customers', { id: a.customerId, email: 'b-owned@example.nl', locale: 'de', country: 'DE' }, { key: b.key }));
      expect(mine).toMatchObject({ id: a.customerId, email: 'b-owned@example.nl', tier: 'standard' });
      expect(await ok(h.api('GET', `/v1/customers/${a.customerId}`, undefined, { key: a.key }))).toMatchObject({
        email: 'secret@example.nl',
        locale: 'nl',
        tier: 'gold',
      });
      expect(await ok(h.api('GET', `/v1/customers/${a.customerId}`, undefined, { key: b.key }))).toMatchObject({ email: 'b-owned@example.nl' });
    });

    it('an Idempotency-Key A used is a fresh key in B (no 422 reuse, no replay of A’s order)', async () => {
      const h = harness();
      const headers = { 'idempotency-key': unique('shared-idem') };
      const first = await ok(h.api('POST', '/v1/orders', orderBody(a.world.channel, [{ sku: a.world.skus[0]!, qty: 1 }]), { key: a.key, headers }), 201);
      const inB = await h.api('POST', '/v1/orders', orderBody(b.world.channel, [{ sku: b.world.skus[0]!, qty: 1 }]), { key: b.key, headers });
      expect(inB.status, JSON.stringify(inB.body)).toBe(201);
      expect(inB.body.id).not.toBe(first.id);
      expect(inB.body.channel).toBe(b.world.channel);
    });
  });

  describe("lists hold B's rows only", () => {
    /** The ids of an organisation's rows in one table, read from the database. */
    async function idsOf(h: Harness, table: string, column: string, orgId: string): Promise<Set<string>> {
      const rows = (await sql<{ v: string }>`select ${sql.ref(column)} as v from ${sql.table(table)} where org_id = ${orgId}`.execute(h.services.store.db)).rows;
      return new Set(rows.map((r) => r.v));
    }

    async function all(h: Harness, path: string, key: string): Promise<any[]> {
      const items: any[] = [];
      let cursor: string | null = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const page: any = await ok(h.api('GET', `${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`, undefined, { key }));
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    }

    it.each([
      ['/v1/products', 'products', 'sku', (i: any) => i.sku],
      ['/v1/customers', 'customers', 'external_id', (i: any) => i.id],
      ['/v1/events', 'events', 'id', (i: any) => i.id],
      ['/v1/alerts', 'alerts', 'id', (i: any) => i.id],
      ['/v1/orders', 'orders', 'id', (i: any) => i.id],
    ])('GET %s returns exactly B’s rows', async (path, table, column, idOf) => {
      const h = harness();
      const items = await all(h, path, b.key);
      const mine = await idsOf(h, table, column, b.orgId);
      expect(mine.size).toBeGreaterThan(0);
      expect(new Set(items.map(idOf))).toEqual(mine);
    });

    it("GET /v1/locations, /v1/channels, /v1/stock and /v1/api-keys hold B's rows only", async () => {
      const h = harness();
      const locations = await ok(h.api('GET', '/v1/locations', undefined, { key: b.key }));
      expect(new Set(locations.items.map((l: any) => l.code))).toEqual(await idsOf(h, 'locations', 'code', b.orgId));
      const channels = await ok(h.api('GET', '/v1/channels', undefined, { key: b.key }));
      expect(new Set(channels.items.map((c: any) => c.code))).toEqual(await idsOf(h, 'channels', 'code', b.orgId));
      const stock = await all(h, '/v1/stock', b.key);
      expect(stock.map((s: any) => s.sku)).not.toContain(a.world.skus[0]);
      expect(stock.map((s: any) => s.location)).not.toContain(a.world.locations[0]);
      const keys = await ok(h.api('GET', '/v1/api-keys', undefined, { key: b.key }));
      expect(new Set(keys.items.map((k: any) => k.id))).toEqual(await idsOf(h, 'api_keys', 'id', b.orgId));
      expect(keys.items.map((k: any) => k.id)).not.toContain(a.extraKeyId);
    });

    it("events and alerts of B mention nothing of A's orders, SKUs or customers", async () => {
      const h = harness();
      const text = JSON.stringify([...(await all(h, '/v1/events', b.key)), ...(await all(h, '/v1/alerts', b.key))]);
      for (const secret of [a.orderId, a.partId, a.world.skus[0]!, a.world.channel, a.customerId, a.orgId]) expect(text).not.toContain(secret);
    });

    it('the orders list counts are B’s only', async () => {
      const h = harness();
      const list = await ok(h.api('GET', '/v1/orders', undefined, { key: b.key }));
      const db = h.services.store.db;
      const countFor = async (orgId: string) =>
        Number((await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()).n);
      const backordersFor = async (orgId: string) =>
        Number(
          (
            await db
              .selectFrom('order_parts')
              .select((eb) => eb.fn.count<number>('order_id').distinct().as('n'))
              .where('org_id', '=', orgId)
              .where('status', '=', 'backorder')
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await countFor(a.orgId)).toBeGreaterThan(0);
      expect(list.counts.all).toBe(await countFor(b.orgId));
      expect(list.counts.backorder).toBe(await backordersFor(b.orgId));
      expect(list.items.map((o: any) => o.id)).not.toContain(a.orderId);
    });

    it('GET /v1/settings shows B’s organisation; B switching backorders off leaves A’s switch on', async () => {
      const h = harness();
      expect((await ok(h.api('GET', '/v1/settings', undefined, { key: b.key }))).organisation).toBe('Other Merchant');
      await ok(h.api('PATCH', '/v1/settings', { backordersEnabled: false, organisation: 'Renamed B' }, { key: b.key }));
      try {
        const settingsA = await ok(h.api('GET', '/v1/settings', undefined, { key: a.key }));
        expect(settingsA).toMatchObject({ organisation: 'Test Merchant', backordersEnabled: true });
      } finally {
        await ok(h.api('PATCH', '/v1/settings', { backordersEnabled: true, organisation: 'Other Merchant' }, { key: b.key }));
      }
    });
  });

  describe('the same codes live independently in both organisations', () => {
    it('the same SKU, location and channel codes exist in A and B, each with its own stock and orders', async () => {
      const h = harness();
      const sku = unique('SAME').toUpperCase();
      const loc = unique('same-loc').toLowerCase();
      const channel = unique('same-ch').toLowerCase();
      for (const [t, onHand] of [
        [a, 7],
        [b, 2],
      ] as const) {
        await ok(h.api('POST', '/v1/locations', { code: loc, name: 'L', kind: 'warehouse', country: 'NL' }, { key: t.key }), 201);
        await ok(h.api('POST', '/v1/channels', { code: channel, name: 'C', kind: 'webshop', acceptsBackorders: true, locations: [loc] }, { key: t.key }), 201);
        await ok(h.api('POST', '/v1/products', { sku, name: `Same in ${t.orgId}`, price: 5 }, { key: t.key }), 201);
        await ok(h.api('POST', '/v1/stock/adjustments', { sku, location: loc, delta: onHand, kind: 'receipt' }, { key: t.key }), 201);
      }
      expect((await ok(h.api('GET', `/v1/products/${sku}`, undefined, { key: a.key }))).name).toBe(`Same in ${a.orgId}`);
      expect((await ok(h.api('GET', `/v1/products/${sku}`, undefined, { key: b.key }))).name).toBe(`Same in ${b.orgId}`);

      // The same channel order id in both organisations is two orders, not a conflict (R2 is per organisation).
      const externalId = unique('EXT-SAME');
      const inA = await ok(h.api('POST', '/v1/orders', orderBody(channel, [{ sku, qty: 3 }], { externalId }), { key: a.key }), 201);
      const inB = await ok(h.api('POST', '/v1/orders', orderBody(channel, [{ sku, qty: 3 }], { externalId }), { key: b.key }), 201);
      expect(inA.id).not.toBe(inB.id);
      expect(inA.status).toBe('open');
      expect(inB.status).toBe('backorder');

      expect(await ok(h.api('GET', `/v1/stock/${sku}`, undefined, { key: a.key }))).toMatchObject({ onHand: 7, reserved: 3, available: 4 });
      expect(await ok(h.api('GET', `/v1/stock/${sku}`, undefined, { key: b.key }))).toMatchObject({ onHand: 2, reserved: 2, available: 0 });

      // Cancelling A's order frees A's units only: B's waiting unit stays waiting (R19 within one organisation).
      await ok(h.api('POST', `/v1/orders/${inA.id}/cancel`, undefined, { key: a.key }));
      expect(await ok(h.api('GET', `/v1/stock/${sku}`, undefined, { key: a.key }))).toMatchObject({ onHand: 7, reserved: 0 });
      const bNow = await ok(h.api('GET', `/v1/orders/${inB.id}`, undefined, { key: b.key }));
      expect(bNow.status).toBe('backorder');
      expect(bNow.lines[0]).toMatchObject({ reserved: 2, waiting: 1 });

      const movesA = await ok(h.api('GET', `/v1/stock/${sku}/movements`, undefined, { key: a.key }));
      const movesB = await ok(h.api('GET', `/v1/stock/${sku}/movements`, undefined, { key: b.key }));
      expect(movesA.items.every((m: any) => m.orderId === null || m.orderId === inA.id)).toBe(true);
      expect(movesB.items.every((m: any) => m.orderId === null || m.orderId === inB.id)).toBe(true);
    });
  });
});
