import { beforeAll, expect, it } from 'vitest';
import { ok, orderBody, unique } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';
import { seedBackorderWorld, type BackorderWorld } from './world.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const day = (iso: string) => iso.slice(0, 10);

/**
 * Issue 7, R18: the KPI page. History made through the API: 6 on hand; a webshop order of 10
 * placed 5 days ago (6 from stock, 4 wait) and a marketplace order of 2 placed 3 days ago (both
 * wait); the purchase order received a day ago fills all 6 waiting units, early for their
 * promises. So 2 lines, both backordered; 6 of 12 units from stock; waits of 4 days (4 units)
 * and 2 days (2 units): average 20 / 6 = 3.3 days, p90 4 days; both promises kept.
 */
describeInBrowser('Dashboard: KPIs (issue 7, R18)', (e2e) => {
  let world: BackorderWorld;
  let marketplace: string;

  beforeAll(async () => {
    const { server } = e2e();
    world = await seedBackorderWorld(server, { stock: 6, incoming: 20 });
    marketplace = unique('bol').toLowerCase();
    await ok(server.api('POST', '/v1/channels', { code: marketplace, name: 'bol.com', kind: 'bol', acceptsBackorders: true, locations: world.locations }), 201);
    await ok(server.api('POST', '/v1/orders', orderBody(world.channel, [{ sku: world.skus[0]!, qty: 10 }], { placedAt: ago(5) })), 201);
    await ok(server.api('POST', '/v1/orders', orderBody(marketplace, [{ sku: world.skus[0]!, qty: 2 }], { placedAt: ago(3) })), 201);
    const [po] = (await ok(server.api('GET', '/v1/purchase-orders'), 200)).items;
    await ok(server.api('POST', `/v1/purchase-orders/${po.id}/receipts`, { lines: [{ sku: world.skus[0], good: 20 }], receivedAt: ago(1) }), 201);
  });

  it('draws a chart per figure for the last 90 days, with the overall figures as headline numbers', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('link', { name: 'KPIs' }).click();
    await page.getByTestId('headline').waitFor();
    const today = day(new Date().toISOString());
    expect(await page.getByLabel('To').inputValue()).toBe(today);
    expect(await page.getByLabel('From').inputValue()).toBe(day(ago(89)));
    expect(await page.getByRole('button', { name: 'Last 90 days' }).getAttribute('aria-pressed')).toBe('true');

    const api = await ok(server.api('GET', `/v1/kpis?from=${day(ago(89))}&to=${today}`), 200);
    expect(api.totals).toMatchObject({ backorderRate: 1, fillRateAtOrder: 0.5, p90WaitDays: 4, promiseKeptRate: 1 });
    const headline = async (metric: string) => page.locator(`[data-metric="${metric}"] dd`).first().textContent();
    const basis = async (metric: string) => page.locator(`[data-metric="${metric}"] [data-testid="basis"]`).textContent();
    expect(await headline('backorderRate')).toBe('100%');
    expect(await headline('fillRateAtOrder')).toBe('50%');
    expect(await headline('averageWaitDays')).toBe('3.3 days');
    expect(await headline('p90WaitDays')).toBe('4 days');
    expect(await headline('promiseKeptRate')).toBe('100%');
    // What each figure is taken over, as the API counts it.
    expect(await basis('backorderRate')).toBe(`of ${api.totals.lines} order lines`);
    expect(await basis('fillRateAtOrder')).toBe(`of ${api.totals.unitsOrdered} units ordered`);
    expect(await basis('averageWaitDays')).toBe(`over ${api.totals.unitsFilled} units filled`);
    expect(await basis('promiseKeptRate')).toMatch(new RegExp(`^of ${api.totals.promisesJudged} promises? settled$`));

    // chart.js draws on a canvas, one per figure, once its chunk has loaded.
    await page.locator('figure.chart canvas').nth(4).waitFor();
    expect(await page.locator('figure.chart canvas').count()).toBe(5);
    expect(await page.locator('figure.chart canvas').first().evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0)).toBe(true);
    const perChannel = (code: string) => page.locator(`tr[data-channel="${code}"] td`).allTextContents();
    expect(await perChannel(world.channel)).toEqual(['100%', '60%', '4 days', '4 days', '100%']);
    expect(await perChannel(marketplace)).toEqual(['100%', '0%', '2 days', '2 days', '100%']);
    await screenshot(page, 'kpis');
  });

  it('a range the API refuses shows its reason in words', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/kpis`);
    await page.getByTestId('headline').waitFor();
    const to = await page.getByLabel('To').inputValue();
    await page.getByLabel('From').fill(day(new Date(Date.parse(to) + 2 * DAY).toISOString()));
    const error = page.getByRole('alert');
    await error.getByText('The date range is not valid').waitFor();
    expect(await error.textContent()).toContain(`The range ends (${to}) before it starts`);
    await page.getByLabel('From').fill('2020-01-01');
    await error.getByText(/A range covers at most 731 days/).waitFor();
    await screenshot(page, 'kpis-bad-range');
    await page.getByRole('button', { name: 'Last 30 days' }).click();
    await page.getByTestId('headline').waitFor();
  });
});
