import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { ok, unique } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';
import { seedBackorderWorld, type BackorderWorld } from './world.js';

/** The number in a grid cell, as the page shows it. */
const cell = (page: Page, sku: string, channel: string) => page.locator(`tr[data-sku="${sku}"] td[data-channel="${channel}"]`);
const shown = async (page: Page, sku: string, channel: string) => Number(await cell(page, sku, channel).getByTestId('offered').textContent());
/** Every term of the open breakdown, summed from what the page shows. */
const termsOnPage = async (page: Page) => (await page.getByTestId('breakdown').locator('[data-term]').evaluateAll((els) => els.map((e) => e.textContent ?? ''))).map((text) => Number(text.replace('−', '-')));

/**
 * Issue 7, R1, R7: the offered-stock grid and its breakdown. The world: 6 on hand at one
 * location, a purchase order of 20 (capacity floor(20 × 0.75) = 15), and two channels selling
 * from that location, both taking backorders without explicit shares (7 of the 15 each):
 * the webshop offers 6 + 7 = 13; the marketplace keeps a safety buffer of 2 and offers 4 + 7 = 11.
 */
describeInBrowser('Dashboard: offered stock (issue 7; R1, R7)', (e2e) => {
  let world: BackorderWorld;
  let marketplace: string;
  let otherSku: string;

  beforeAll(async () => {
    const { server } = e2e();
    world = await seedBackorderWorld(server, { stock: 6, incoming: 20 });
    marketplace = unique('bol').toLowerCase();
    await ok(server.api('POST', '/v1/channels', { code: marketplace, name: 'bol.com', kind: 'bol', acceptsBackorders: true, locations: world.locations, safetyBuffer: 2 }), 201);
    otherSku = unique('OTHER').toUpperCase();
    await ok(server.api('POST', '/v1/products', { sku: otherSku, name: 'Other case', price: 10, cost: 4 }), 201);
  });

  it('shows every SKU against every channel, with what each channel is told it may sell (R7)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('link', { name: 'Offered stock' }).click();
    await cell(page, world.skus[0]!, world.channel).waitFor();
    expect(await shown(page, world.skus[0]!, world.channel)).toBe(13);
    expect(await shown(page, world.skus[0]!, marketplace)).toBe(11);
    expect(await cell(page, world.skus[0]!, marketplace).textContent()).toContain('4 stock + 7 incoming');
    expect(await shown(page, otherSku, marketplace)).toBe(0);
    await screenshot(page, 'offered-stock');

    // Searching by the start of a SKU, in lower case, keeps only that SKU.
    await page.getByLabel('Search').fill(world.skus[0]!.slice(0, -2).toLowerCase());
    await page.waitForURL(/q=/);
    await page.locator(`tr[data-sku="${otherSku}"]`).waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Search').fill('NO-SUCH-SKU');
    await page.getByText('No SKU starts with “NO-SUCH-SKU”.').waitFor();
  });

  it('a cell opens its breakdown, whose terms add up to the number in the cell and the API’s (R7)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/offered-stock`);
    const inCell = await shown(page, world.skus[0]!, marketplace);
    await cell(page, world.skus[0]!, marketplace).getByRole('button').click();
    const panel = page.getByTestId('breakdown');
    await panel.getByTestId('breakdown-offered').waitFor();
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toBe(`${world.skus[0]} on bol.com`);

    const terms = await termsOnPage(page);
    // Available at the location, the channel's safety buffer, the purchase order line's share.
    expect(terms).toEqual([6, -2, 7]);
    const sum = terms.reduce((a, n) => a + n, 0);
    const api = await ok(server.api('GET', `/v1/offered-stock/${marketplace}/${world.skus[0]}`), 200);
    expect(sum).toBe(inCell);
    expect(sum).toBe(api.offered);
    expect(Number(await panel.getByTestId('breakdown-offered').textContent())).toBe(api.offered);
    expect(Number(await panel.getByTestId('stock-units').textContent())).toBe(api.physical.units);
    expect(Number(await panel.getByTestId('incoming-units').textContent())).toBe(api.incoming.units);
    expect(await panel.textContent()).toContain('Safety bufferset on the channel');
    expect(await panel.textContent()).toContain(`Purchase order ${world.purchaseOrder} at ${world.locations[0]}`);
    expect(await panel.textContent()).toContain('20 incoming × 0.75 (organisation) = capacity 15');
    await screenshot(page, 'offered-stock-breakdown');

    // The breakdown is in the URL (a reload shows it again); Escape closes it and focus goes back to the cell.
    await page.reload();
    await page.getByTestId('breakdown-offered').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('breakdown').waitFor({ state: 'detached' });
    expect(page.url()).not.toContain('sku=');
  });

  it('switching backorders off in Settings leaves every channel only what is physically there (R1, R7)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('link', { name: 'Settings' }).click();
    const takeBackorders = page.getByLabel('Take backorders');
    expect(await takeBackorders.isChecked()).toBe(true);
    await takeBackorders.uncheck();
    await page.getByRole('form', { name: 'Backorders and offers' }).getByRole('button', { name: 'Save' }).click();
    await page.getByRole('form', { name: 'Backorders and offers' }).getByText('Saved').waitFor();
    expect((await ok(server.api('GET', '/v1/settings'), 200)).backordersEnabled).toBe(false);

    await page.getByRole('link', { name: 'Offered stock' }).click();
    // The change reaches the stored offers through a background recompute; the page follows it.
    await expect.poll(() => shown(page, world.skus[0]!, world.channel), { timeout: 20_000, interval: 250 }).toBe(6);
    expect(await shown(page, world.skus[0]!, marketplace)).toBe(4);
    expect(await cell(page, world.skus[0]!, marketplace).textContent()).toContain('4 stock + 0 incoming');

    await cell(page, world.skus[0]!, marketplace).getByRole('button').click();
    await page.getByTestId('backorders-off').getByText('Backorders are switched off for the organisation').waitFor();
    expect(await termsOnPage(page)).toEqual([6, -2, 0]);
    await screenshot(page, 'offered-stock-backorders-off');
  });

  it('the breakdown names the season that stretches a window and the cap for new suppliers that lowers a line (R8, R15)', async () => {
    const { server, newPage } = e2e();
    const seasonal = unique('amazon').toLowerCase();
    await ok(server.api('POST', '/v1/channels', { code: seasonal, name: 'Amazon', kind: 'amazon', acceptsBackorders: true, locations: world.locations, window: { kind: 'days', days: 10 } }), 201);
    // The world's supplier is new and the SKU has sold nothing: 3 days × 0 a day leave its line nothing.
    await ok(server.api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: 3 }), 200);
    const today = new Date().toISOString().slice(0, 10);
    const season = await ok(server.api('POST', '/v1/settings/seasons', { name: 'Holidays', startsOn: today, endsOn: today, windowMultiplier: 1.5 }), 201);
    try {
      const page = await newPage();
      await signIn(page, server);
      await page.goto(`${server.baseUrl}/offered-stock`);
      await cell(page, world.skus[0]!, seasonal).getByRole('button').click();
      const panel = page.getByTestId('breakdown');
      await panel.getByTestId('breakdown-offered').waitFor();
      const api = await ok(server.api('GET', `/v1/offered-stock/${seasonal}/${world.skus[0]}`), 200);
      expect(api.incoming).toMatchObject({ window: { days: 10, multiplier: 1.5, effectiveDays: 15 }, season: 'Holidays', gradeCap: 0, gradeCapDays: 3 });
      expect(await panel.getByTestId('window').textContent()).toMatch(/^10 days × 1\.5 for the season = 15 days, arrivals until /);
      expect(await panel.getByTestId('grade-cap').textContent()).toBe('3 days × 0 a day = 0 units');
      expect(await panel.textContent()).toContain('Ratio factor for erratic suppliers× 0.67');
      expect(await panel.textContent()).toContain('20 incoming × 0.75 (organisation) = capacity 15 · lowered from 15 to 0 by the cap for new and erratic suppliers');
      expect(await panel.textContent()).toContain('not counted: the cap for new and erratic suppliers is used up');
      expect(await termsOnPage(page)).toEqual([6, 0, 0]);
      await screenshot(page, 'offered-stock-breakdown-season-cap');
    } finally {
      await ok(server.api('DELETE', `/v1/settings/seasons/${season.id}`), 204);
      await ok(server.api('PATCH', '/v1/settings', { cappedSalesDays: null }), 200);
    }
  });

  it('fits a tablet: the page does not scroll sideways', async () => {
    const { server, newPage } = e2e();
    const page = await newPage({ viewport: { width: 820, height: 1180 } });
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/offered-stock`);
    await cell(page, world.skus[0]!, marketplace).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'offered-stock-tablet');
  });
});
