import { beforeAll, expect, it } from 'vitest';
import { describeEachStore, type Harness } from '../support/harness.js';
import { ok, orderBody, seedWorld, setBackorders, unique, type World } from '../support/fixtures.js';

/**
 * Issue 7: the dashboard's search box and order timeline. GET /v1/orders?q= finds orders by
 * order id, order number (external id, exactly or by its start), customer id or e-mail, or a
 * SKU on the order; GET /v1/events?subject= lists one order's events.
 */
describeEachStore('order search and an order’s events (issue 7)', (harness) => {
  let h: Harness;
  let w: World;
  let prefix: string;
  const orders: Record<'first' | 'second' | 'other', { id: string; externalId: string }> = {} as never;

  const search = async (q: string, extra = '') => {
    const page = await ok(h.api('GET', `/v1/orders?q=${encodeURIComponent(q)}${extra}`), 200);
    return (page.items as { externalId: string }[]).map((o) => o.externalId).sort();
  };

  beforeAll(async () => {
    h = harness();
    await setBackorders(h, true);
    w = await seedWorld(h, { stock: [[5], [0]] });
    prefix = unique('WEB').toUpperCase();
    const place = (externalId: string, sku: string, qty: number, email: string) =>
      ok(h.api('POST', '/v1/orders', { ...orderBody(w.channel, [{ sku, qty }]), externalId, customer: { id: `cust-${externalId}`, email, locale: 'en', country: 'NL' } }), 201);
    orders.first = await place(`${prefix}-1001`, w.skus[0]!, 2, 'anna@example.nl');
    orders.second = await place(`${prefix}-1002`, w.skus[1]!, 1, 'ben@example.nl');
    orders.other = await place(`X${prefix}-1003`, w.skus[0]!, 1, 'anna@example.nl');
  });

  it('finds an order by its number exactly, and every order whose number starts with the term', async () => {
    expect(await search(`${prefix}-1001`)).toEqual([`${prefix}-1001`]);
    expect(await search(`${prefix}-100`)).toEqual([`${prefix}-1001`, `${prefix}-1002`]);
    // A prefix, not a substring: X…-1003 has the term inside, not at the start.
    expect(await search(prefix)).toEqual([`${prefix}-1001`, `${prefix}-1002`]);
  });

  it('finds orders by the customer’s id or e-mail, by a SKU on them, and by the order id', async () => {
    expect(await search(`cust-${prefix}-1002`)).toEqual([`${prefix}-1002`]);
    expect(await search('anna@example.nl')).toEqual([`X${prefix}-1003`, `${prefix}-1001`].sort());
    expect(await search(w.skus[0]!)).toEqual([`X${prefix}-1003`, `${prefix}-1001`].sort());
    expect(await search(orders.second.id)).toEqual([`${prefix}-1002`]);
  });

  it('combines with the tab and the channel, and a term that names nothing finds nothing', async () => {
    // SKU 2 has no stock: order 1002 waits (backorder), 1001 and 1003 are open.
    expect(await search(prefix, '&status=backorder')).toEqual([`${prefix}-1002`]);
    expect(await search(prefix, '&status=open')).toEqual([`${prefix}-1001`]);
    expect(await search(prefix, `&status=open&channel=${w.channel}`)).toEqual([`${prefix}-1001`]);
    expect(await search('NO-SUCH-ORDER')).toEqual([]);
    expect(await search('%')).toEqual([]);
  });

  it('a search’s tab counts count the orders it finds, not the whole tabs', async () => {
    const counts = async (q: string, extra = '') => (await ok(h.api('GET', `/v1/orders?q=${encodeURIComponent(q)}${extra}`), 200)).counts;
    // 1001 and 1002 start with the prefix: 1001 open, 1002 waiting (SKU 2 has no stock).
    expect(await counts(prefix)).toEqual({ backorder: 1, open: 1, processing: 0, shipped: 0, cancelled: 0, all: 2 });
    expect(await counts(prefix, '&status=backorder')).toEqual({ backorder: 1, open: 1, processing: 0, shipped: 0, cancelled: 0, all: 2 });
    // anna@… placed 1001 and X…-1003, both open.
    expect(await counts('anna@example.nl', `&channel=${w.channel}`)).toEqual({ backorder: 0, open: 2, processing: 0, shipped: 0, cancelled: 0, all: 2 });
    expect(await counts('NO-SUCH-ORDER')).toEqual({ backorder: 0, open: 0, processing: 0, shipped: 0, cancelled: 0, all: 0 });
  });

  it('never finds another organisation’s orders', async () => {
    const other = await h.newOrganisation(unique('Other'));
    const page = await ok(h.api('GET', `/v1/orders?q=${encodeURIComponent(prefix)}`, undefined, { key: other.key }), 200);
    expect(page.items).toEqual([]);
  });

  it('GET /v1/events?subject= lists exactly one order’s events, in order', async () => {
    const page = await ok(h.api('GET', `/v1/events?subject=${orders.second.id}&limit=200`), 200);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((e: { subjectId: string }) => e.subjectId === orders.second.id)).toBe(true);
    expect(page.items[0].type).toBe('order.created');
    expect(page.items.map((e: { type: string }) => e.type)).toContain('order.backordered');
    const typed = await ok(h.api('GET', `/v1/events?subject=${orders.second.id}&type=order.backordered`), 200);
    expect(typed.items.map((e: { type: string }) => e.type)).toEqual(['order.backordered']);
  });
});
