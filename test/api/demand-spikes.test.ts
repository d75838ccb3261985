import { beforeAll, expect, it } from 'vitest';
import { runChecks } from '../../src/services/scheduler.js';
import { ok } from '../support/fixtures.js';
import { alertEvents, alertsAbout, dateIn, fixClock, HOUR, order, purchaseOrder, setUpSku, type Sku } from '../support/alert-fixtures.js';
import { describeEachStore, type Harness } from '../support/harness.js';

/**
 * R9 demand spikes, the article's scenarios, on a fixed clock: Tuesday 14 May 2031, 16:30 UTC.
 * Baseline = units over the 28 days before the order's day / 28; a spike is a 6-hour window
 * (whole hours of placedAt) of at least max(3 × baseline / 24 × 6, 10) units. A 10-a-day SKU:
 * 3 × 2.5 = 7.5, so its threshold is the 10-unit minimum.
 */
const NOW = '2031-05-14T16:30:00.000Z';
const NOW_MS = Date.parse(NOW);
const at = (hhmm: string) => `2031-05-14T${hhmm}:00.000Z`;

/** A SKU with 1,000 on hand, a PO of 40 in 5 days (capacity 30), and `perDay` units sold on each of the 28 previous days (placed at 10:00). */
async function sellingSku(h: Harness, perDay: number): Promise<Sku> {
  const w = await setUpSku(h, { stock: 1000 });
  await purchaseOrder(h, w, dateIn(NOW_MS, 5), 40);
  for (let d = 1; d <= 28; d++) await order(h, w, perDay, `${dateIn(NOW_MS, -d)}T10:00:00.000Z`);
  return w;
}

const breakdown = (h: Harness, w: Sku) => ok(h.api('GET', `/v1/offered-stock/${w.ch}/${w.sku}`), 200);
const stored = async (h: Harness, w: Sku) => (await ok(h.api('GET', `/v1/offered-stock?channel=${w.ch}&sku=${w.sku}`), 200)).items[0];

describeEachStore('demand spikes (R9)', (harness) => {
  beforeAll(async () => {
    fixClock(harness(), NOW);
    await ok(harness().api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }), 200);
  });

  it('R9: a 10-a-day SKU selling 50 in an afternoon raises one demand_spike alert and pauses its incoming offer (offered falls back to physical) until acknowledged', async () => {
    const h = harness();
    const w = await sellingSku(h, 10);
    // 28 days of history imported now: counted by placedAt, so no spike.
    expect(await alertsAbout(h, 'demand_spike', w.sku)).toEqual([]);
    expect((await breakdown(h, w)).incoming).toMatchObject({ paused: null, units: 30 });

    for (const t of ['12:05', '12:35', '13:05']) await order(h, w, 3, at(t));
    expect(await alertsAbout(h, 'demand_spike', w.sku)).toEqual([]); // 9 < 10
    await order(h, w, 3, at('13:35')); // 12 ≥ 10
    await order(h, w, 19, at('14:10'));
    await order(h, w, 19, at('15:20')); // 50 in the hours 10:00–15:59

    const [alert, ...more] = await alertsAbout(h, 'demand_spike', w.sku);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ status: 'open', severity: 'warning', subjectType: 'product', occurrences: 3, firstSeen: NOW, lastSeen: NOW });
    expect(alert.details).toMatchObject({ windowUnits: 50, windowHours: 6, windowFrom: '2031-05-14T10:00:00.000Z', baselineDays: 28, baselineDaily: 10, baselineWindow: 2.5, threshold: 10, pauseHours: 24 });
    expect(await alertEvents(h, 'alert.raised', alert.id)).toHaveLength(1);

    // 1000 − 280 − 50 = 670 on hand and available; the 30 from the PO are paused.
    const paused = await breakdown(h, w);
    expect(paused.incoming.paused).toEqual({ reason: 'demand_spike', alertId: alert.id, until: new Date(NOW_MS + 24 * HOUR).toISOString() });
    expect(paused.incoming.units).toBe(0);
    expect(paused.incoming.lines[0].excluded).toBe('incoming_paused');
    expect(paused.offered).toBe(670);
    expect(await stored(h, w)).toMatchObject({ offered: 670, physical: 670, incoming: 0 });

    const acked = await ok(h.api('POST', `/v1/alerts/${alert.id}/ack`), 200);
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedAt: NOW });
    expect(acked.acknowledgedBy).toMatch(/^key_|^[a-z]+_/);
    expect(await alertEvents(h, 'alert.acknowledged', alert.id)).toHaveLength(1);
    expect((await breakdown(h, w)).incoming).toMatchObject({ paused: null, units: 30 });
    expect(await stored(h, w)).toMatchObject({ offered: 700, incoming: 30 });

    // Still spiking after the acknowledgement: the alert counts it, the offer stays on.
    await order(h, w, 5, at('16:25'));
    expect((await alertsAbout(h, 'demand_spike', w.sku))[0]).toMatchObject({ status: 'acknowledged', occurrences: 4 });
    expect((await breakdown(h, w)).incoming.paused).toBeNull();
  });

  it('R9: without an acknowledgement the pause ends after 24 hours, and the alert resolves once its window is quiet', async () => {
    const h = harness();
    const w = await sellingSku(h, 10);
    await order(h, w, 12, at('15:00'));
    const [alert] = await alertsAbout(h, 'demand_spike', w.sku);
    expect(alert.status).toBe('open');

    await runChecks(h.services, new Date(NOW_MS + 23 * HOUR).toISOString());
    expect((await breakdown(h, w)).incoming.paused).not.toBeNull();
    expect((await alertsAbout(h, 'demand_spike', w.sku))[0].status).toBe('open');

    await runChecks(h.services, new Date(NOW_MS + 24 * HOUR).toISOString());
    expect((await breakdown(h, w)).incoming).toMatchObject({ paused: null, units: 30 });
    expect(await stored(h, w)).toMatchObject({ incoming: 30 });
    const [after] = await alertsAbout(h, 'demand_spike', w.sku);
    expect(after).toMatchObject({ status: 'resolved', resolution: 'condition_cleared', resolvedAt: new Date(NOW_MS + 24 * HOUR).toISOString() });
    expect(await alertEvents(h, 'alert.resolved', alert.id)).toHaveLength(1);
  });

  it('R9: 12 units spread over a day of a 10-a-day SKU raise nothing; a slow mover (1 a day) selling 8 in an afternoon stays under the 10-unit minimum', async () => {
    const h = harness();
    const steady = await sellingSku(h, 10);
    for (const t of ['00:30', '03:30', '06:30', '09:30', '12:30', '15:30']) await order(h, steady, 2, at(t));
    expect(await alertsAbout(h, 'demand_spike', steady.sku)).toEqual([]);

    const slow = await sellingSku(h, 1);
    for (const t of ['13:00', '14:00', '15:00', '16:00']) await order(h, slow, 2, at(t));
    expect(await alertsAbout(h, 'demand_spike', slow.sku)).toEqual([]);
    expect((await breakdown(h, slow)).incoming.paused).toBeNull();
  });

  it('R9: windows count by placedAt — 50 units placed 7 hours ago (an import) raise nothing, the same 50 placed now do', async () => {
    const h = harness();
    const w = await setUpSku(h, { stock: 200 });
    await order(h, w, 50, new Date(NOW_MS - 7 * HOUR).toISOString());
    expect(await alertsAbout(h, 'demand_spike', w.sku)).toEqual([]);
    await order(h, w, 50);
    expect(await alertsAbout(h, 'demand_spike', w.sku)).toHaveLength(1);
  });

  it('R9 settings: a higher minimum or detection switched off keeps a burst quiet; a pause of 0 hours alerts without pausing; bad values are 400 with nothing changed', async () => {
    const h = harness();
    const before = await ok(h.api('GET', '/v1/settings'), 200);
    expect(before.demandSpikes).toEqual({ enabled: true, baselineDays: 28, windowHours: 6, factor: 3, minUnits: 10, pauseHours: 24 });
    for (const bad of [{ demandSpikes: { windowHours: 0 } }, { demandSpikes: { factor: 0 } }, { demandSpikes: { bogus: 1 } }, { demandSpikes: {} }, { backorderAgingDays: 0 }]) {
      const res = await h.api('PATCH', '/v1/settings', bad);
      expect([res.status, res.body.code], JSON.stringify(bad)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await ok(h.api('GET', '/v1/settings'), 200)).demandSpikes).toEqual(before.demandSpikes);

    const other = await h.newOrganisation('Spike settings');
    await ok(h.api('PATCH', '/v1/settings', { backordersEnabled: true, demandSpikes: { minUnits: 60 } }, { key: other.key }), 200);
    const high = await setUpOther(h, other.key);
    await order(h, high, 50, undefined, other.key);
    expect(await alertsAbout(h, 'demand_spike', high.sku, other.key)).toEqual([]);

    await ok(h.api('PATCH', '/v1/settings', { demandSpikes: { minUnits: 10, enabled: false } }, { key: other.key }), 200);
    await order(h, high, 50, undefined, other.key);
    expect(await alertsAbout(h, 'demand_spike', high.sku, other.key)).toEqual([]);

    await ok(h.api('PATCH', '/v1/settings', { demandSpikes: { enabled: true, pauseHours: 0 } }, { key: other.key }), 200);
    // Orders placed while detection was off still count in the hours: the window holds 50 + 50 + 1.
    await order(h, high, 1, undefined, other.key);
    const [alert] = await alertsAbout(h, 'demand_spike', high.sku, other.key);
    expect(alert.details.windowUnits).toBe(101);
    expect((await ok(h.api('GET', `/v1/offered-stock/${high.ch}/${high.sku}`, undefined, { key: other.key }), 200)).incoming.paused).toBeNull();
  });
});

async function setUpOther(h: Harness, key: string): Promise<Pick<Sku, 'ch' | 'sku'>> {
  const as = { ...h, api: (m: string, p: string, b?: unknown) => h.api(m, p, b, { key }) } as Harness;
  return setUpSku(as, { stock: 500 });
}
