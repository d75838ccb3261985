import { beforeAll, expect, it } from 'vitest';
import { runChecks } from '../../src/services/scheduler.js';
import { alertsAbout, DAY, dateIn, fixClock, order, purchaseOrder, setUpSku } from '../support/alert-fixtures.js';
import { ok } from '../support/fixtures.js';
import { describeEachStore } from '../support/harness.js';

/**
 * R3 with R6 over time: a unit sold without a promise (oversold) gets one from an open purchase
 * order by the scheduled checks, oldest order first — before a newer order can take the line's
 * capacity — and its SKU's `oversold` alert resolves in the same run.
 */
const T0 = Date.parse('2031-06-02T09:00:00.000Z');
const iso = (days: number) => new Date(T0 + days * DAY).toISOString();

describeEachStore('oversold units are promised as purchase orders can cover them (R3, R6)', (harness) => {
  beforeAll(async () => {
    fixClock(harness(), iso(0));
    await ok(harness().api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }), 200);
  });

  it('an order intake could not promise (the line beyond the channel window) gets its date at the next checks, before a newer order takes the line', async () => {
    const h = harness();
    const w = await setUpSku(h, { window: { kind: 'days', days: 7 } });
    const partOf = async (id: string) => (await ok(h.api('GET', `/v1/orders/${id}`), 200)).parts[0];
    const orderEvents = async () =>
      Number((await h.services.store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', h.orgId).where('type', 'like', 'order.%').executeTakeFirstOrThrow()).n);

    // The purchase order arrives in 10 days, beyond the channel's 7: today's order is not promised from it.
    await purchaseOrder(h, w, dateIn(T0, 10), 20);
    const older = await order(h, w, 2, iso(0));
    expect(older.parts[0]).toMatchObject({ status: 'backorder', promisedDate: null });
    expect((await alertsAbout(h, 'oversold', w.sku)).map((a) => a.status)).toEqual(['open']);

    // The next checks give the waiting customer the date the purchase order allows (a unit
    // already sold is promised beyond the window, as every re-plan does, README "Promises").
    fixClock(h, iso(0.01));
    await runChecks(h.services, iso(0.01));
    const promised = await partOf(older.id);
    expect(promised.promisedDate).toBe(dateIn(T0, 11)); // arrival in 10 days + 1 handling day
    expect(promised.lines[0]).toMatchObject({ oversold: false });
    expect((await alertsAbout(h, 'oversold', w.sku)).map((a) => a.status)).toEqual(['resolved']);

    // Four days on, the line is within the window: a newer order is promised from what is left; the older keeps its date.
    fixClock(h, iso(4));
    const newer = await order(h, w, 2, iso(4));
    expect(newer.parts[0].promisedDate).toBe(promised.promisedDate);
    expect((await partOf(older.id)).promisedDate).toBe(promised.promisedDate);

    // Nothing left to promise: a check that changes nothing writes no order event.
    const settled = await orderEvents();
    await runChecks(h.services, iso(4.01));
    expect(await orderEvents()).toBe(settled);
    fixClock(h, iso(0));
  });
});
