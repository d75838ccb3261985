import { expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo-data.js';
import { ok, unique } from '../support/fixtures.js';
import { describeEachStore } from '../support/harness.js';

/**
 * The demo organisation on first start (issue 6): three months of history played through the
 * real services, so that the KPIs (R18), alerts (R10), the demand spike (R9) and price
 * suggestions (R13) show something real — not figures written into tables.
 */
describeEachStore('the demo organisation', (harness) => {
  let key = '';
  const get = async (path: string) => ok(harness().api('GET', path, undefined, { key }));

  it('loads three months of orders, receipts and shipments; KPIs show backorders, waits and a broken promise', { timeout: 120_000 }, async () => {
    const org = await loadDemo(harness().services, unique('Demo Phone Cases BV'));
    key = org.adminKey.key;
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    const { totals, series } = await get(`/v1/kpis?from=${from}&to=${today}`);
    expect(series.length).toBeGreaterThanOrEqual(80);
    expect(totals.lines).toBeGreaterThan(600);
    expect(totals.backorderRate).toBeGreaterThan(0);
    expect(totals.backorderRate).toBeLessThan(0.5);
    expect(totals.unitsFilled).toBeGreaterThan(0);
    expect(totals.p90WaitDays).toBeGreaterThan(0);
    // The late supplier broke promises; the reliable one kept most.
    expect(totals.promiseKeptRate).toBeGreaterThan(0);
    expect(totals.promiseKeptRate).toBeLessThan(1);
    expect(totals.shipments).toBeGreaterThan(500);
    const byChannel = await get(`/v1/kpis?from=${from}&to=${today}&by=channel`);
    expect(byChannel.groups.map((g: any) => g.channel).sort()).toEqual(['amazon', 'bol', 'webshop']);
  });

  it('has the spike, the overdue purchase order and the late supplier as open alerts, and the spiking SKU sells from stock only', async () => {
    const alerts = (await get('/v1/alerts?status=open&limit=200')).items;
    const types = new Set(alerts.map((a: any) => a.type));
    for (const t of ['demand_spike', 'po_overdue', 'supplier_grade_dropped']) expect(types, t).toContain(t);
    const spike = alerts.find((a: any) => a.type === 'demand_spike');
    expect(spike.message).toContain('CASE-IPHONE16-CLR');
    const breakdown = await get('/v1/offered-stock/bol/CASE-IPHONE16-CLR');
    expect(breakdown.incoming.paused).not.toBeNull();
  });

  it('suggests prices: lower where only incoming stock is sold (R13)', async () => {
    const suggestions = (await get('/v1/price-suggestions?limit=200')).items;
    expect(suggestions.some((s: any) => s.percent === -3)).toBe(true);
  });
});
