import { beforeAll, expect, it } from 'vitest';
import { rebuildTabCounts } from '../../src/store/order-tabs.repository.js';
import { describeEachStore, type Harness } from '../support/harness.js';
import { ok, orderBody, seedWorld, setBackorders, type World } from '../support/fixtures.js';

/**
 * Issue 7: the dashboard's tab counts (GET /v1/orders `counts`) are counters kept by every step
 * that changes parts (intake split R2, fills from stock R5, processing and shipping R4,
 * cancelling R19). After each step they equal a count over the parts themselves, overall and
 * per channel, and migration 014's rebuild from the parts gives the very rows the steps kept.
 */
describeEachStore('order tab counts are kept by every step (issue 7)', (harness) => {
  let h: Harness;
  let w: World;

  /** The truth: orders with a part in each status, counted over the parts. */
  const counted = async (channelId?: string) => {
    const db = h.services.store.db;
    let q = db
      .selectFrom('order_parts as p')
      .innerJoin('orders as o', 'o.id', 'p.order_id')
      .select(['p.status', (eb) => eb.fn.count<number>('p.order_id').distinct().as('n')])
      .where('p.org_id', '=', h.orgId)
      .groupBy('p.status');
    if (channelId) q = q.where('o.channel_id', '=', channelId);
    const out: Record<string, number> = { backorder: 0, open: 0, processing: 0, shipped: 0, cancelled: 0 };
    for (const r of await q.execute()) out[r.status] = Number(r.n);
    let all = db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', h.orgId);
    if (channelId) all = all.where('channel_id', '=', channelId);
    out.all = Number((await all.executeTakeFirstOrThrow()).n);
    return out;
  };
  const expectCountsTrue = async (expected: Record<string, number>) => {
    const channelId = (await h.services.store.db.selectFrom('channels').select('id').where('org_id', '=', h.orgId).where('code', '=', w.channel).executeTakeFirstOrThrow()).id;
    const overall = (await ok(h.api('GET', '/v1/orders?limit=1'), 200)).counts;
    const perChannel = (await ok(h.api('GET', `/v1/orders?limit=1&channel=${w.channel}`), 200)).counts;
    expect(overall).toEqual(expected);
    expect(overall).toEqual(await counted());
    expect(perChannel).toEqual(await counted(channelId));
  };

  beforeAll(async () => {
    h = harness();
    await setBackorders(h, true);
    w = await seedWorld(h, { stock: [[6], [0]] });
  });

  it('after intake, fills, processing, shipping and cancelling, the counts equal a count over the parts', async () => {
    // R2: 10 ordered, 6 on hand — an open part and a backorder part; one order in each tab.
    const a = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 10 }])), 201);
    await expectCountsTrue({ backorder: 1, open: 1, processing: 0, shipped: 0, cancelled: 0, all: 1 });
    const b = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[1]!, qty: 2 }])), 201);
    const c = await ok(h.api('POST', '/v1/orders', orderBody(w.channel, [{ sku: w.skus[0]!, qty: 1 }])), 201);
    await expectCountsTrue({ backorder: 3, open: 1, processing: 0, shipped: 0, cancelled: 0, all: 3 });

    // R5: 5 more units of the first SKU fill A's 4 and C's 1: both leave the Backorder tab.
    await ok(h.api('POST', '/v1/stock/adjustments', { sku: w.skus[0], location: w.locations[0], delta: 5, kind: 'receipt' }), 201);
    await expectCountsTrue({ backorder: 1, open: 2, processing: 0, shipped: 0, cancelled: 0, all: 3 });

    // R4: one of A's open parts is picked, then shipped; A stays in Open with its other part.
    const parts = (await ok(h.api('GET', `/v1/orders/${a.id}`), 200)).parts as { id: string; status: string }[];
    const first = parts.find((p) => p.status === 'open')!;
    await ok(h.api('POST', `/v1/orders/${a.id}/parts/${first.id}/start-processing`), 200);
    await expectCountsTrue({ backorder: 1, open: 2, processing: 1, shipped: 0, cancelled: 0, all: 3 });
    await ok(h.api('POST', `/v1/orders/${a.id}/parts/${first.id}/ship`, { carrier: 'PostNL' }), 200);
    await expectCountsTrue({ backorder: 1, open: 2, processing: 0, shipped: 1, cancelled: 0, all: 3 });

    // R19: B's waiting part is cancelled; C is cancelled whole (its open units go back to stock).
    await ok(h.api('POST', `/v1/orders/${b.id}/cancel`, { reason: 'customer' }), 200);
    await ok(h.api('POST', `/v1/orders/${c.id}/cancel`), 200);
    await expectCountsTrue({ backorder: 0, open: 1, processing: 0, shipped: 1, cancelled: 2, all: 3 });
  });

  it('migration 014’s rebuild from the parts gives the very counters and sets the steps kept', async () => {
    const db = h.services.store.db;
    const read = async () => ({
      counts: await db.selectFrom('order_tab_counts').selectAll().where('orders', '>', 0).orderBy('org_id').orderBy('channel_id').orderBy('status').orderBy('shard').execute(),
      tabs: await db.selectFrom('orders').select(['id', 'tabs']).orderBy('id').execute(),
    });
    const kept = await read();
    expect(kept.tabs.length).toBeGreaterThan(0);
    await rebuildTabCounts(db, h.dialect);
    const rebuilt = await read();
    expect(rebuilt.tabs).toEqual(kept.tabs);
    expect(rebuilt.counts.map((r) => ({ ...r, orders: Number(r.orders) }))).toEqual(kept.counts.map((r) => ({ ...r, orders: Number(r.orders) })));
  });
});
