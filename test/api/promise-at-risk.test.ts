import { beforeAll, expect, it } from 'vitest';
import { runChecks } from '../../src/services/scheduler.js';
import { ok } from '../support/fixtures.js';
import { alertsAbout, DAY, dateIn, order, purchaseOrder, setUpSku } from '../support/alert-fixtures.js';
import { describeEachStore } from '../support/harness.js';

/**
 * R10 promise_at_risk: a purchase order whose effective arrival (never before today) + the
 * location's handling days now falls after dates already promised against it. The alert names
 * exactly the parts affected, and follows them as they change.
 */
const T0 = Date.now();
const iso = (days: number) => new Date(T0 + days * DAY).toISOString();

describeEachStore('promises at risk (R10)', (harness) => {
  beforeAll(async () => {
    await ok(harness().api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null, demandSpikes: { enabled: false } }), 200);
  });

  it('R10: PO A due in 2 days carries three promises, PO B in 10 days one; two days after A was due only A’s three parts are at risk; the list follows a cancellation; the receipt resolves it', async () => {
    const h = harness();
    const w = await setUpSku(h, { handlingDays: 1 });
    const a = await purchaseOrder(h, w, dateIn(T0, 2), 20); // capacity 15
    const b = await purchaseOrder(h, w, dateIn(T0, 10), 20);
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await order(h, w, 5)); // 3 × 5 on A, then B
    const parts = orders.map((o) => o.parts.find((p: any) => p.status === 'backorder'));
    expect(parts.map((p) => p.promisedDate)).toEqual([dateIn(T0, 3), dateIn(T0, 3), dateIn(T0, 3), dateIn(T0, 11)]);

    await runChecks(h.services, iso(2));
    expect(await alertsAbout(h, 'promise_at_risk', a.id)).toEqual([]); // arrives today as planned

    // Four days on, A is two days overdue: it can reach customers on day 4 + 1 = day 5.
    await runChecks(h.services, iso(4));
    const [alert, ...more] = await alertsAbout(h, 'promise_at_risk', a.id);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ status: 'open', severity: 'critical', subjectType: 'purchase_order', occurrences: 1 });
    const expected = (idx: number[]) =>
      idx
        .map((i) => ({ partId: parts[i].id, orderId: orders[i].id, externalId: orders[i].externalId, sku: w.sku, qty: 5, promisedDate: dateIn(T0, 3) }))
        .sort((x, y) => (x.partId < y.partId ? -1 : 1));
    expect(alert.details).toEqual({ purchaseOrder: a.number, deliveryDate: dateIn(T0, 5), parts: expected([0, 1, 2]) });
    for (const i of [0, 1, 2]) expect(alert.message).toContain(parts[i].id);
    expect(alert.message).not.toContain(parts[3].id);
    expect(await alertsAbout(h, 'promise_at_risk', b.id)).toEqual([]);

    await runChecks(h.services, iso(4));
    expect((await alertsAbout(h, 'promise_at_risk', a.id))[0].occurrences).toBe(1);

    // Cancelling the second order frees 5 of A's capacity; the re-plan (R19) moves the fourth
    // order from B to A, promised for day 3 as well: now it is at risk, and the second is not.
    await ok(h.api('POST', `/v1/orders/${orders[1].id}/parts/${parts[1].id}/cancel`), 200);
    await runChecks(h.services, iso(4));
    const [updated] = await alertsAbout(h, 'promise_at_risk', a.id);
    expect(updated).toMatchObject({ status: 'open', occurrences: 2 });
    expect(updated.details.parts).toEqual(expected([0, 2, 3]));

    await ok(h.api('POST', `/v1/purchase-orders/${a.id}/receipts`, { lines: [{ sku: w.sku, good: 20 }] }), 201);
    await runChecks(h.services, iso(4));
    expect((await alertsAbout(h, 'promise_at_risk', a.id))[0]).toMatchObject({ status: 'resolved', resolution: 'condition_cleared' });
  });
});
