import { beforeAll, expect, it } from 'vitest';
import { ok, setBackorders, unique } from '../support/fixtures.js';
import { describeEachStore, type Harness } from '../support/harness.js';

/**
 * Issue 7, R7: the dashboard's offered-stock grid. GET /v1/offered-stock/by-sku gives the
 * stored offers one row per SKU, every channel side by side, in SKU order and cursor-paged;
 * `q` keeps the SKUs that start with it, as typed or in capitals.
 */
describeEachStore('offered stock by SKU (issue 7, R7)', (harness) => {
  let h: Harness;
  let prefix: string;
  let skus: string[];
  let channels: string[];

  const grid = async (query: string) => ok(h.api('GET', `/v1/offered-stock/by-sku?${query}`), 200);

  beforeAll(async () => {
    h = harness();
    await setBackorders(h, true);
    const location = unique('loc').toLowerCase();
    await ok(h.api('POST', '/v1/locations', { code: location, name: location, kind: 'warehouse', country: 'NL' }), 201);
    channels = [unique('cha').toLowerCase(), unique('chb').toLowerCase()];
    // A buffer of 2 on the second channel: the two columns differ.
    await ok(h.api('POST', '/v1/channels', { code: channels[0], name: 'A', kind: 'bol', acceptsBackorders: true, locations: [location] }), 201);
    await ok(h.api('POST', '/v1/channels', { code: channels[1], name: 'B', kind: 'webshop', acceptsBackorders: true, locations: [location], safetyBuffer: 2 }), 201);
    prefix = unique('GRID').toUpperCase();
    skus = [`${prefix}-C`, `${prefix}-A`, `${prefix}-B`];
    for (const [i, sku] of skus.entries()) {
      await ok(h.api('POST', '/v1/products', { sku, name: `Case ${i}`, price: 10, cost: 4 }), 201);
      await ok(h.api('POST', '/v1/stock/adjustments', { sku, location, delta: 5 + i, kind: 'receipt' }), 201);
    }
    skus.sort();
  });

  it('lists each SKU once, in SKU order, with every channel’s stored offer, as the per-channel list has it', async () => {
    const page = await grid(`q=${prefix}`);
    expect(page.items.map((r: { sku: string }) => r.sku)).toEqual(skus);
    expect(page.nextCursor).toBeNull();
    for (const row of page.items) {
      const mine = row.offers.filter((o: { channel: string }) => channels.includes(o.channel));
      expect(mine.map((o: { channel: string }) => o.channel)).toEqual(channels);
      for (const offer of mine) {
        const stored = await ok(h.api('GET', `/v1/offered-stock?channel=${offer.channel}&sku=${row.sku}`), 200);
        expect(stored.items).toHaveLength(1);
        expect({ offered: offer.offered, physical: offer.physical, incoming: offer.incoming }).toEqual({
          offered: stored.items[0].offered,
          physical: stored.items[0].physical,
          incoming: stored.items[0].incoming,
        });
      }
    }
    // SKU …-C has 5 on hand: 5 on the first channel, 5 − 2 buffered on the second.
    const c = page.items.find((r: { sku: string }) => r.sku === `${prefix}-C`);
    expect(c.name).toBe('Case 0');
    expect(c.offers.filter((o: { channel: string }) => channels.includes(o.channel)).map((o: { offered: number }) => o.offered)).toEqual([5, 3]);
  });

  it('finds SKUs by their start as typed or in lower case, never by a middle part', async () => {
    expect((await grid(`q=${prefix.toLowerCase()}-a`)).items.map((r: { sku: string }) => r.sku)).toEqual([`${prefix}-A`]);
    expect((await grid(`q=${encodeURIComponent(prefix.slice(2))}`)).items).toEqual([]);
    expect((await grid('q=%25')).items).toEqual([]);
  });

  it('pages with a cursor, and refuses a cursor of another list', async () => {
    const first = await grid(`q=${prefix}&limit=2`);
    expect(first.items.map((r: { sku: string }) => r.sku)).toEqual(skus.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await grid(`q=${prefix}&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((r: { sku: string }) => r.sku)).toEqual(skus.slice(2));
    expect(second.nextCursor).toBeNull();
    const products = await ok(h.api('GET', '/v1/products?limit=1'), 200);
    const refused = await h.api('GET', `/v1/offered-stock/by-sku?cursor=${products.nextCursor}`);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('INVALID_CURSOR');
  });

  it('never shows another organisation’s SKUs', async () => {
    const other = await h.newOrganisation(unique('Other'));
    const page = await ok(h.api('GET', `/v1/offered-stock/by-sku?q=${prefix}`, undefined, { key: other.key }), 200);
    expect(page.items).toEqual([]);
  });
});
