import { beforeAll, expect, it } from 'vitest';
import { ok } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';
import { placeOrder, seedBackorderWorld, type BackorderWorld } from './world.js';

/**
 * Issue 7, R10, R13: the Alerts and Price suggestions pages. The world: no stock and a purchase
 * order of 20 (capacity floor(20 × 0.75) = 15); an order for 30 leaves 15 units that nothing
 * covers, which raises an `oversold` alert for the SKU at intake, deterministically.
 */
describeInBrowser('Dashboard: alerts and price suggestions (issue 7; R10, R13)', (e2e) => {
  let world: BackorderWorld;
  let alertId: string;

  beforeAll(async () => {
    const { server } = e2e();
    world = await seedBackorderWorld(server, { stock: 0, incoming: 20 });
    await placeOrder(server, world, 30);
    const open = await ok(server.api('GET', '/v1/alerts?status=open&type=oversold'), 200);
    const alert = open.items.find((a: any) => a.subjectId === world.skus[0]);
    expect(alert).toBeDefined();
    alertId = alert.id;
  });

  it('a read-only key sees the open alert, with its subject linked, and no Acknowledge button', async () => {
    const { server, newPage } = e2e();
    const readOnly = await ok(server.api('POST', '/v1/api-keys', { name: 'wall screen', role: 'read-only' }), 201);
    const page = await newPage();
    await signIn(page, server, readOnly.key);
    await page.getByRole('link', { name: /^Alerts/ }).click();
    const row = page.locator(`tr[data-alert="${alertId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Oversold');
    expect(await row.getByRole('link', { name: world.skus[0]! }).getAttribute('href')).toBe(`/stock/${world.skus[0]}`);
    expect(await page.getByRole('button', { name: /Acknowledge/ }).count()).toBe(0);
    await screenshot(page, 'alerts-read-only');
  });

  it('the nav counts open alerts; Acknowledge moves the alert to the acknowledged tab, in the page and the API (R10)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    // 30 units in one order is also a demand spike (R9): the badge counts every open alert.
    const openCount = async () => (await ok(server.api('GET', '/v1/alerts?status=open'), 200)).items.length;
    const before = await openCount();
    expect(before).toBeGreaterThan(0);
    expect(await page.getByTestId('open-alerts').textContent()).toBe(String(before));
    await page.getByRole('link', { name: /^Alerts/ }).click();
    const row = page.locator(`tr[data-alert="${alertId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('alert-status').textContent()).toBe('Open');
    expect(await row.textContent()).toContain(`Units of ${world.skus[0]} were ordered with no stock or incoming purchase order to cover them.`);
    await screenshot(page, 'alerts');
    // The message is worded from the alert's type and details in the reader's language, the spike's figures included (R9, R10).
    const spike = page.locator('tr[data-type="demand_spike"]').first();
    expect(await spike.textContent()).toContain(`Demand spike on ${world.skus[0]}: 30 units in the 6 hours from`);
    await page.getByLabel('Language').selectOption('nl');
    await row.getByText(`Er zijn stuks van ${world.skus[0]} besteld zonder voorraad of inkomende inkooporder die ze dekt.`).waitFor();
    expect(await spike.textContent()).toContain(`Vraagpiek op ${world.skus[0]}: 30 stuks in de 6 uur vanaf`);
    expect(await spike.textContent()).toContain('Het inkomende aanbod is gepauzeerd tot de melding bevestigd is of 24 uur voorbij zijn.');
    await page.getByLabel('Taal').selectOption('en');

    await row.getByRole('button', { name: /Acknowledge/ }).click();
    await row.waitFor({ state: 'detached' });
    await expect.poll(async () => page.getByTestId('open-alerts').textContent({ timeout: 1_000 }).catch(() => '0')).toBe(String(before - 1));
    expect((await ok(server.api('GET', `/v1/alerts/${alertId}`), 200)).status).toBe('acknowledged');

    await page.getByRole('tab', { name: 'Acknowledged' }).click();
    await page.waitForURL(/status=acknowledged/);
    expect(await row.getByTestId('alert-status').textContent()).toBe('Acknowledged');
    expect(await row.getByRole('button', { name: /Acknowledge/ }).count()).toBe(0);

    // One alert has its own page, as the offered-stock breakdown links a spike's.
    await row.getByRole('link', { name: 'Oversold' }).click();
    await page.waitForURL(`**/alerts/${alertId}`);
    await page.getByRole('heading', { level: 1, name: 'Oversold' }).waitFor();
  });

  it('price suggestions: empty, then selling only from incoming gives −3 %, accepted through the page and recorded by the API (R13)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('link', { name: 'Price suggestions' }).click();
    await page.getByText('No price suggestions to decide.').waitFor();

    // Nothing on hand, 15 of a purchase order of 20 on offer: selling from incoming (product price 10.00 → 9.70).
    const seller = await seedBackorderWorld(server, { stock: 0, incoming: 20 });
    const mine = async () => (await ok(server.api('GET', '/v1/price-suggestions?status=open&limit=200'), 200)).items.find((s: any) => s.sku === seller.skus[0]);
    await expect.poll(mine, { timeout: 10_000 }).toBeDefined();
    const suggestion = await mine();
    expect(suggestion).toMatchObject({ rule: 'selling_from_incoming', percent: -3, channel: seller.channel });

    // The page names the channel as the merchant does, not by its code.
    await ok(server.api('PATCH', `/v1/channels/${seller.channel}`, { name: 'Webshop NL' }), 200);
    await page.reload();
    const row = page.locator(`tr[data-suggestion="${suggestion.id}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    // Prices in the organisation's currency (EUR), the channel by its name.
    expect(cells.slice(0, 5)).toEqual([seller.skus[0], 'Webshop NL', `€${suggestion.price.toFixed(2)}`, `€${suggestion.suggestedPrice.toFixed(2)}`, '−3 %']);
    expect(cells[5]).toBe(`Nothing on offer from stock; ${suggestion.figures.offered} on offer from incoming purchase orders`);
    await screenshot(page, 'price-suggestions');

    await row.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('No price suggestions to decide.').waitFor();
    const decided = (await ok(server.api('GET', '/v1/price-suggestions?status=accepted&limit=200'), 200)).items.find((s: any) => s.id === suggestion.id);
    expect(decided).toMatchObject({ status: 'accepted', decidedBy: expect.any(String) });
    await page.getByRole('tab', { name: 'Accepted' }).click();
    await row.waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
  });

  it('the offered-stock breakdown links the demand spike that paused the incoming offer to its alert (R9)', async () => {
    const { server, newPage } = e2e();
    const spike = (await ok(server.api('GET', '/v1/alerts?status=open&type=demand_spike'), 200)).items.find((a: any) => a.subjectId === world.skus[0]);
    expect(spike).toBeDefined();
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/offered-stock?channel=${world.channel}&sku=${world.skus[0]}`);
    await page.getByTestId('paused').getByRole('link', { name: 'See the alert' }).click();
    await page.waitForURL(`**/alerts/${spike.id}`);
    await page.getByRole('heading', { level: 1, name: 'Demand spike' }).waitFor();
    expect(await page.locator(`tr[data-alert="${spike.id}"]`).getByRole('link', { name: world.skus[0]! }).getAttribute('href')).toBe(`/offered-stock?q=${world.skus[0]}`);
    await screenshot(page, 'alert-demand-spike');
  });
});
