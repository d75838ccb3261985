import { beforeAll, expect, it } from 'vitest';
import { runChecks } from '../../src/services/scheduler.js';
import { ok, unique } from '../support/fixtures.js';
import { alertEvents, alertsAbout, DAY, dateIn, order, purchaseOrder, setUpSku } from '../support/alert-fixtures.js';
import { describeEachStore, type Harness } from '../support/harness.js';

/**
 * R10 alerts: the lifecycle open → acknowledged → resolved, one unresolved alert per condition,
 * each change with its event; po_overdue, backorder_aging, oversold and supplier_grade_dropped
 * raised, deduplicated and resolved when their condition clears. The scheduled checks run
 * directly (runChecks) at chosen moments.
 */
const T0 = Date.now();
const iso = (days: number) => new Date(T0 + days * DAY).toISOString();

const receive = (h: Harness, poId: string, sku: string, good: number, receivedAt?: string, damaged = 0) =>
  ok(h.api('POST', `/v1/purchase-orders/${poId}/receipts`, { lines: [{ sku, good, damaged }], ...(receivedAt ? { receivedAt } : {}) }), 201);

describeEachStore('alerts (R10)', (harness) => {
  beforeAll(async () => {
    await ok(harness().api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }), 200);
  });

  it('R10 po_overdue: raised once the expected date has passed, not again while it holds, resolved when the rest arrives', async () => {
    const h = harness();
    const w = await setUpSku(h);
    const po = await purchaseOrder(h, w, dateIn(T0, 2), 10);
    await runChecks(h.services, iso(2));
    expect(await alertsAbout(h, 'po_overdue', po.id)).toEqual([]); // due today, not overdue yet
    await runChecks(h.services, iso(3));
    await runChecks(h.services, iso(3.5));
    const [alert, ...more] = await alertsAbout(h, 'po_overdue', po.id);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ status: 'open', occurrences: 1, subjectType: 'purchase_order', details: { purchaseOrder: po.number, expectedDate: dateIn(T0, 2), status: 'open' } });
    expect(alert.message).toContain(`${po.number}`);

    await receive(h, po.id, w.sku, 4);
    await runChecks(h.services, iso(4));
    expect((await alertsAbout(h, 'po_overdue', po.id))[0]).toMatchObject({ status: 'open', details: { status: 'partially_received' }, occurrences: 2 });
    await receive(h, po.id, w.sku, 6);
    await runChecks(h.services, iso(4));
    expect((await alertsAbout(h, 'po_overdue', po.id))[0]).toMatchObject({ status: 'resolved', resolution: 'condition_cleared', resolvedAt: iso(4) });
    expect(await alertEvents(h, 'alert.raised', alert.id)).toHaveLength(1);
    expect((await alertEvents(h, 'alert.resolved', alert.id))[0]!.payload).toMatchObject({ alertId: alert.id, type: 'po_overdue', subjectId: po.id });
  });

  it('R10 backorder_aging: a part waiting more than backorderAgingDays (14) alerts, with its order; cancelling it resolves the alert; the limit is a setting', async () => {
    const h = harness();
    const w = await setUpSku(h);
    await purchaseOrder(h, w, dateIn(T0, 30), 10);
    const old = await order(h, w, 2, iso(-15));
    const recent = await order(h, w, 2, iso(-13));
    const oldPart = old.parts.find((p: any) => p.status === 'backorder');
    const recentPart = recent.parts.find((p: any) => p.status === 'backorder');
    await runChecks(h.services, iso(0));
    const [alert] = await alertsAbout(h, 'backorder_aging', oldPart.id);
    expect(alert).toMatchObject({ status: 'open', severity: 'warning', details: { orderId: old.id, externalId: old.externalId, channel: w.ch, limitDays: 14 } });
    expect(await alertsAbout(h, 'backorder_aging', recentPart.id)).toEqual([]);

    await ok(h.api('POST', `/v1/orders/${old.id}/parts/${oldPart.id}/cancel`), 200);
    await runChecks(h.services, iso(0));
    expect((await alertsAbout(h, 'backorder_aging', oldPart.id))[0].status).toBe('resolved');

    const other = await h.newOrganisation(unique('Aging'));
    expect((await ok(h.api('PATCH', '/v1/settings', { backorderAgingDays: 30 }, { key: other.key }), 200)).backorderAgingDays).toBe(30);
    expect((await ok(h.api('GET', '/v1/settings'), 200)).backorderAgingDays).toBe(14);
    await runChecks(h.services, iso(2)); // the recent part has now waited 15 days
    expect((await alertsAbout(h, 'backorder_aging', recentPart.id))[0].status).toBe('open');
  });

  it('R3, R10 oversold: an order nothing covers alerts once however often it repeats, and resolves when no waiting unit is left without a promise', async () => {
    const h = harness();
    const w = await setUpSku(h);
    const first = await order(h, w, 3);
    await order(h, w, 2);
    const [alert, ...more] = await alertsAbout(h, 'oversold', w.sku);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ status: 'open', occurrences: 2, details: { sku: w.sku, cause: 'ordered_uncovered' } });
    await runChecks(h.services);
    expect((await alertsAbout(h, 'oversold', w.sku))[0].status).toBe('open');
    // Stock for the first order; the second still waits unpromised.
    await ok(h.api('POST', '/v1/stock/adjustments', { sku: w.sku, location: w.loc, delta: 3, kind: 'receipt' }), 201);
    await runChecks(h.services);
    expect((await alertsAbout(h, 'oversold', w.sku))[0].status).toBe('open');
    await ok(h.api('POST', '/v1/stock/adjustments', { sku: w.sku, location: w.loc, delta: 2, kind: 'receipt' }), 201);
    await runChecks(h.services);
    expect((await alertsAbout(h, 'oversold', w.sku))[0].status).toBe('resolved');
    expect(first.parts.some((p: any) => p.status === 'backorder')).toBe(true);
  });

  it('R8, R10 supplier_grade_dropped: a reliable supplier turning erratic alerts at the receipt; on-time deliveries that make it reliable again resolve it', async () => {
    const h = harness();
    const w = await setUpSku(h);
    // Damaged-only receipts: deliveries that put nothing on hand.
    const deliver = async (delay: number) => {
      const po = await purchaseOrder(h, w, dateIn(T0, -90), 1);
      await receive(h, po.id, w.sku, 0, `${dateIn(T0, -90 + delay)}T09:00:00Z`, 1);
      return po;
    };
    for (const d of [0, 0, 0]) await deliver(d); // reliable
    expect(await alertsAbout(h, 'supplier_grade_dropped', w.supplier)).toEqual([]);
    const late = await deliver(3); // on time 3 of 4 = 75 %: erratic
    const [alert] = await alertsAbout(h, 'supplier_grade_dropped', w.supplier);
    expect(alert).toMatchObject({ status: 'open', severity: 'info', details: { from: 'reliable', to: 'erratic', purchaseOrder: late.number, deliveries: 4, onTimeRate: 0.75 } });
    expect(await alertEvents(h, 'alert.raised', alert.id)).toHaveLength(1);
    // Six more on time: 9 of 10 = 90 %, sd 0.9 days: reliable again.
    for (let i = 0; i < 5; i++) await deliver(0);
    expect((await alertsAbout(h, 'supplier_grade_dropped', w.supplier))[0].status).toBe('open');
    await deliver(0);
    expect((await alertsAbout(h, 'supplier_grade_dropped', w.supplier))[0]).toMatchObject({ status: 'resolved', resolution: 'grade_recovered' });
  });

  it('R10 acknowledge: open → acknowledged with who and when and one event; again is idempotent; a resolved alert is 409; unknown or another organisation’s is 404 problem+json; read-only keys cannot', async () => {
    const h = harness();
    const w = await setUpSku(h);
    await order(h, w, 1);
    const [alert] = await alertsAbout(h, 'oversold', w.sku);
    const acked = await ok(h.api('POST', `/v1/alerts/${alert.id}/ack`), 200);
    expect(acked).toMatchObject({ id: alert.id, status: 'acknowledged' });
    expect(acked.acknowledgedBy).toEqual(expect.any(String));
    const again = await ok(h.api('POST', `/v1/alerts/${alert.id}/ack`), 200);
    expect(again).toEqual(acked);
    expect(await alertEvents(h, 'alert.acknowledged', alert.id)).toHaveLength(1);
    expect(await ok(h.api('GET', `/v1/alerts/${alert.id}`), 200)).toEqual(acked);
    expect((await ok(h.api('GET', `/v1/alerts?status=acknowledged&type=oversold&limit=200`), 200)).items.map((a: any) => a.id)).toContain(alert.id);

    const other = await h.newOrganisation(unique('Other'));
    for (const [path, key] of [[`/v1/alerts/${alert.id}/ack`, other.key], ['/v1/alerts/alr_nope/ack', h.key]] as const) {
      const res = await h.api('POST', path, undefined, { key });
      expect([res.status, res.body.code, res.headers.get('content-type')]).toEqual([404, 'NOT_FOUND', expect.stringContaining('application/problem+json')]);
    }
    expect((await h.api('GET', `/v1/alerts/${alert.id}`, undefined, { key: other.key })).status).toBe(404);
    expect((await ok(h.api('GET', `/v1/alerts/${alert.id}`), 200)).status).toBe('acknowledged');

    await ok(h.api('POST', '/v1/stock/adjustments', { sku: w.sku, location: w.loc, delta: 1, kind: 'receipt' }), 201);
    await runChecks(h.services);
    const resolved = await h.api('POST', `/v1/alerts/${alert.id}/ack`);
    expect([resolved.status, resolved.body.code, resolved.body.details]).toEqual([409, 'INVALID_TRANSITION', { from: 'resolved', event: 'acknowledge' }]);

    const readOnly = await ok(h.api('POST', '/v1/api-keys', { name: 'ro', role: 'read-only' }), 201);
    expect((await h.api('POST', `/v1/alerts/${alert.id}/ack`, undefined, { key: readOnly.key })).status).toBe(403);
  });

  it('bad input: unknown status or type filters and a foreign cursor are 400 problem+json', async () => {
    const h = harness();
    for (const q of ['status=closed', 'type=bogus', 'limit=0', 'cursor=abc', 'color=red']) {
      const res = await h.api('GET', `/v1/alerts?${q}`);
      expect([res.status, res.headers.get('content-type')], q).toEqual([400, expect.stringContaining('application/problem+json')]);
      expect(['VALIDATION_FAILED', 'INVALID_CURSOR']).toContain(res.body.code);
    }
  });
});
