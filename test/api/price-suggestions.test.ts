import { beforeAll, expect, it } from 'vitest';
import { ok, unique } from '../support/fixtures.js';
import { DAY, dateIn, order, purchaseOrder, setUpSku, type Sku } from '../support/alert-fixtures.js';
import { describeEachStore, type Harness } from '../support/harness.js';

/**
 * R13 price suggestions per channel and SKU (product price 10.00): low stock (≤ 3 days of
 * sales) with a delivery within 3 days → +5 % (10.50); selling from incoming only → −3 %
 * (9.70). Decided by a person; one live suggestion per channel and SKU.
 */
const T0 = Date.now();
const ago = (days: number) => new Date(T0 - days * DAY).toISOString();

async function suggestionsFor(h: Harness, w: Pick<Sku, 'ch' | 'sku'>, key?: string): Promise<any[]> {
  const page = await ok(h.api('GET', '/v1/price-suggestions?limit=200', undefined, key === undefined ? undefined : { key }), 200);
  return page.items.filter((s: any) => s.sku === w.sku && s.channel === w.ch);
}

/** 56 units sold over the last 28 days (2 a day), leaving `left` on hand. */
async function twoADay(h: Harness, left: number): Promise<Sku> {
  const w = await setUpSku(h, { stock: 56 + left });
  for (const d of [1, 8, 15, 22]) await order(h, w, 14, ago(d));
  return w;
}

describeEachStore('price suggestions (R13)', (harness) => {
  beforeAll(async () => {
    await ok(harness().api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }), 200);
  });

  it('R13: 6 left at 2 a day (3 days of sales) and a delivery in 2 days → +5 %; 7 left (3.5 days), or the delivery in 5 days, → nothing', async () => {
    const h = harness();
    const low = await twoADay(h, 6);
    await purchaseOrder(h, low, dateIn(T0, 2), 20);
    const [s, ...more] = await suggestionsFor(h, low);
    expect(more).toEqual([]);
    expect(s).toMatchObject({ rule: 'low_stock_arrival_soon', percent: 5, price: 10, suggestedPrice: 10.5, status: 'open', figures: { physical: 6, dailySales: 2, daysOfSales: 3, daysToArrival: 2 } });
    expect(s.reason).toContain('+5 %');

    const enough = await twoADay(h, 7);
    await purchaseOrder(h, enough, dateIn(T0, 2), 20);
    const late = await twoADay(h, 6);
    await purchaseOrder(h, late, dateIn(T0, 5), 20);
    expect(await suggestionsFor(h, enough)).toEqual([]);
    expect(await suggestionsFor(h, late)).toEqual([]);
  });

  it('R13: no stock but 30 on offer from a PO of 40 → −3 %; stock arriving withdraws the undecided suggestion', async () => {
    const h = harness();
    const w = await setUpSku(h);
    await purchaseOrder(h, w, dateIn(T0, 20), 40);
    const [s] = await suggestionsFor(h, w);
    expect(s).toMatchObject({ rule: 'selling_from_incoming', percent: -3, suggestedPrice: 9.7, status: 'open', figures: { physical: 0, offered: 30 } });
    await ok(h.api('POST', '/v1/stock/adjustments', { sku: w.sku, location: w.loc, delta: 5, kind: 'receipt' }), 201);
    const [after] = await suggestionsFor(h, w);
    expect(after).toMatchObject({ id: s.id, status: 'withdrawn' });
    expect(after.endedAt).toEqual(expect.any(String));
  });

  it('R13: accept and dismiss record who and when; the same decision again is idempotent, the other is 409; unknown or another organisation’s id is 404; nothing changes', async () => {
    const h = harness();
    const w = await setUpSku(h);
    await purchaseOrder(h, w, dateIn(T0, 20), 40);
    const [s] = await suggestionsFor(h, w);
    const accepted = await ok(h.api('POST', `/v1/price-suggestions/${s.id}/accept`), 200);
    expect(accepted).toMatchObject({ id: s.id, status: 'accepted', decidedBy: expect.any(String), decidedAt: expect.any(String) });
    expect(await ok(h.api('POST', `/v1/price-suggestions/${s.id}/accept`), 200)).toEqual(accepted);
    const dismiss = await h.api('POST', `/v1/price-suggestions/${s.id}/dismiss`);
    expect([dismiss.status, dismiss.body.code]).toEqual([409, 'INVALID_TRANSITION']);

    const other = await h.newOrganisation(unique('Prices'));
    for (const [path, key] of [[`/v1/price-suggestions/${s.id}/dismiss`, other.key], ['/v1/price-suggestions/psg_nope/accept', h.key]] as const) {
      const res = await h.api('POST', path, undefined, { key });
      expect([res.status, res.body.code, res.headers.get('content-type')]).toEqual([404, 'NOT_FOUND', expect.stringContaining('application/problem+json')]);
    }
    expect(await suggestionsFor(h, w, other.key)).toEqual([]);
    // Still holding, so no new suggestion next to the decided one.
    expect((await suggestionsFor(h, w)).map((x) => [x.id, x.status])).toEqual([[s.id, 'accepted']]);

    const w2 = await setUpSku(h);
    await purchaseOrder(h, w2, dateIn(T0, 20), 40);
    const [d] = await suggestionsFor(h, w2);
    expect(await ok(h.api('POST', `/v1/price-suggestions/${d.id}/dismiss`), 200)).toMatchObject({ status: 'dismissed' });
    const bad = await h.api('GET', '/v1/price-suggestions?status=maybe');
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
