import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { ok } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';
import { placeOrder, seedBackorderWorld, type BackorderWorld } from './world.js';

/** The row of an order in the table on screen. */
const row = (page: Page, externalId: string) => page.locator(`tr[data-order="${externalId}"]`);
const cells = async (page: Page, externalId: string) => row(page, externalId).locator('td').allTextContents();
const count = async (page: Page, status: string) => Number(await page.getByTestId(`count-${status}`).textContent());

describeInBrowser('Dashboard: orders (issue 7; R3, R4, R6, R11, R19)', (e2e) => {
  let world: BackorderWorld;
  let order: { id: string; externalId: string; parts: { id: string; status: string }[] };

  beforeAll(async () => {
    const { server } = e2e();
    world = await seedBackorderWorld(server, { stock: 6, incoming: 20 });
    order = await placeOrder(server, world, 10);
  });

  it('an order of 10 with 6 in stock shows 6 in Open and 4 in Backorder, with its promise (R3)', async () => {
    const { server, newPage } = e2e();
    expect(order.parts.map((p) => p.status).sort()).toEqual(['backorder', 'open']);
    const page = await newPage();
    await signIn(page, server);
    await row(page, order.externalId).waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toContain('Open');
    expect(await count(page, 'open')).toBe(1);
    expect(await count(page, 'backorder')).toBe(1);
    const open = await cells(page, order.externalId);
    expect(open).toContain(`6 × ${world.skus[0]}`);
    expect(await row(page, order.externalId).getByTestId('order-channel').textContent()).toBe(world.channel);

    // The tabs are a tablist: the arrow key moves to Backorder and shows it.
    await page.getByRole('tab', { selected: true }).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/status=backorder/);
    await row(page, order.externalId).waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toContain('Backorder');
    const headers = await page.locator('thead th').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['Promised', 'Days waiting', 'Promise at risk', 'Oversold']));
    const waiting = Object.fromEntries(headers.map((h, i) => [h, i]));
    const backorder = await cells(page, order.externalId);
    expect(backorder[waiting['Items']!]).toBe(`4 × ${world.skus[0]}`);
    expect(backorder[waiting['Promised']!]).not.toBe('not promised');
    expect(backorder[waiting['Days waiting']!]).toBe('0');
    expect(backorder[waiting['Promise at risk']!]).toBe('No');
    expect(backorder[waiting['Oversold']!]).toBe('No');
    await screenshot(page, 'orders-backorder');
  });

  it('searches by order number, customer and SKU, and filters by channel', async () => {
    const { server, newPage } = e2e();
    // The 6 in stock went to the first order: this one waits too, in the Backorder tab with it.
    const other = await placeOrder(server, world, 1);
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('tab', { name: /Backorder/ }).click();
    await row(page, other.externalId).waitFor();
    const search = page.getByLabel('Search');
    await search.fill(order.externalId.slice(0, -1));
    await page.waitForURL(/q=/);
    await row(page, order.externalId).waitFor();
    await search.fill(other.customer.id);
    // The previous results stay on screen while the search runs: wait for the other row to go.
    await row(page, order.externalId).waitFor({ state: 'detached' });
    expect(await row(page, other.externalId).count()).toBe(1);
    await search.fill(world.skus[0]!);
    await row(page, order.externalId).waitFor();
    expect(await row(page, other.externalId).count()).toBe(1);
    await search.fill('NOTHING-LIKE-THIS');
    await page.getByText('No orders in Backorder match “NOTHING-LIKE-THIS”.').waitFor();
    await search.fill('');
    await page.getByLabel('Channel').selectOption(world.channel);
    await page.waitForURL(new RegExp(`channel=${world.channel}`));
    await row(page, order.externalId).waitFor();
    await ok(server.api('POST', `/v1/orders/${other.id}/cancel`), 200);
  });

  it('order detail shows the parts, each line’s source (location or purchase order), the timeline and the messages (R3, R11, R12)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('link', { name: order.externalId }).click();
    await page.getByRole('heading', { name: `Order ${order.externalId}` }).waitFor();
    const parts = page.locator('article.part');
    expect(await parts.count()).toBe(2);
    const open = page.locator('article.part[data-status="open"]');
    const waiting = page.locator('article.part[data-status="backorder"]');
    expect(await open.textContent()).toContain(`Reserved at ${world.locations[0]}`);
    expect(await open.locator('td').nth(1).textContent()).toBe('6');
    expect(await waiting.locator('td').nth(1).textContent()).toBe('4');
    expect(await waiting.textContent()).toMatch(new RegExp(`4 from purchase order ${world.purchaseOrder}, promised `));
    expect(await waiting.textContent()).toContain('Promised for');
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('Order received').waitFor();
    await timeline.getByText('Backordered').waitFor();
    // R11: the webshop customer is told of the backorder; the dispatcher writes the message as it fans the event out.
    await expect.poll(async () => {
      await page.reload();
      await page.locator('.messages, .empty').last().waitFor();
      return page.locator('.messages summary').count();
    }, { timeout: 20_000, interval: 500 }).toBeGreaterThan(0);
    expect(await page.locator('.messages').textContent()).toContain(`To buyer@example.nl`);
    await screenshot(page, 'order-detail');
  });

  it('raising the priority and cancelling a part work through the page, and the lists follow (R6, R19)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/orders/${order.id}`);
    await page.getByRole('heading', { name: `Order ${order.externalId}` }).waitFor();
    expect(await page.getByTestId('order-priority').textContent()).toBe('0');
    await page.getByRole('button', { name: 'Raise priority' }).click();
    await page.getByTestId('order-priority').getByText('1', { exact: true }).waitFor();
    expect((await ok(server.api('GET', `/v1/orders/${order.id}`))).priority).toBe(1);
    await page.getByTestId('timeline').getByText('Priority changed → 1').waitFor();

    const waiting = page.locator('article.part[data-status="backorder"]');
    const partId = await waiting.getAttribute('data-part');
    await waiting.getByRole('button', { name: 'Cancel part' }).click();
    await waiting.getByRole('button', { name: 'Keep it' }).click();
    expect(await waiting.getByRole('button', { name: 'Cancel part' }).count()).toBe(1);
    await waiting.getByRole('button', { name: 'Cancel part' }).click();
    await waiting.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.locator(`article.part[data-part="${partId}"][data-status="cancelled"]`).waitFor();
    const after = await ok(server.api('GET', `/v1/orders/${order.id}`));
    expect(after.parts.find((p: { id: string }) => p.id === partId).status).toBe('cancelled');
    await page.getByTestId('timeline').getByText('Part cancelled').waitFor();
    // A cancelled part offers no cancel; the open part still does.
    expect(await page.locator(`article.part[data-part="${partId}"]`).getByRole('button').count()).toBe(0);

    await page.getByRole('link', { name: 'All orders' }).click();
    await page.getByRole('tab', { name: /Cancelled/ }).click();
    await row(page, order.externalId).waitFor();
    expect(await count(page, 'backorder')).toBe(0);
    expect(await count(page, 'cancelled')).toBe(2);
  });

  it('a read-only key sees the same orders without a single write button', async () => {
    const { server, newPage } = e2e();
    const readOnly = await ok(server.api('POST', '/v1/api-keys', { name: 'wall screen', role: 'read-only' }), 201);
    const page = await newPage();
    await signIn(page, server, readOnly.key);
    expect(await page.locator('.badge.role-read-only').textContent()).toBe('Read-only');
    await page.getByRole('link', { name: order.externalId }).click();
    await page.getByRole('heading', { name: `Order ${order.externalId}` }).waitFor();
    await page.locator('article.part').first().waitFor();
    const buttons = await page.locator('main button').allTextContents();
    expect(buttons.filter((b) => /cancel|priority/i.test(b))).toEqual([]);
    await screenshot(page, 'order-detail-read-only');
  });

  it('fits a tablet: the page does not scroll sideways, the table scrolls inside its box', async () => {
    const { server, newPage } = e2e();
    const page = await newPage({ viewport: { width: 768, height: 1024 } });
    await signIn(page, server);
    await page.getByRole('tab', { name: /Cancelled/ }).click();
    await row(page, order.externalId).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'orders-tablet');
  });

  it('the Backorder tab shows every column at 1280 px; on a tablet it leaves out Priority and the rest fits without scrolling sideways', async () => {
    const { server, newPage } = e2e();
    const waiting = await placeOrder(server, world, 3);
    const backorderTable = async (viewport: { width: number; height: number }) => {
      const page = await newPage({ viewport });
      await signIn(page, server);
      await page.getByRole('tab', { name: /Backorder/ }).click();
      await row(page, waiting.externalId).waitFor();
      return page;
    };
    const wide = await backorderTable({ width: 1280, height: 800 });
    const fits = await wide.locator('.table-wrap').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(fits.scroll).toBeLessThanOrEqual(fits.client);
    expect(await wide.locator('.table-scroll').getAttribute('data-more-right')).toBeNull();

    const tablet = await backorderTable({ width: 820, height: 1180 });
    const wrapRight = await tablet.locator('.table-wrap').evaluate((el) => el.getBoundingClientRect().right);
    for (const header of ['Order', 'Customer', 'Promised', 'Days waiting', 'Oversold', 'Promise at risk', 'Items']) {
      const box = await tablet.getByRole('columnheader', { name: header, exact: true }).boundingBox();
      expect(box!.x + box!.width, header).toBeLessThanOrEqual(wrapRight);
    }
    expect(await wide.getByRole('columnheader', { name: 'Priority', exact: true }).isVisible()).toBe(true);
    expect(await tablet.getByRole('columnheader', { name: 'Priority', exact: true }).isVisible()).toBe(false);
    expect(await tablet.locator('.table-scroll').getAttribute('data-more-right')).toBeNull();
    expect(await tablet.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(tablet, 'orders-backorder-tablet');
  });

  it('counts units in the reader\'s language: 1 unit, 6 units; 1 stuk; 1 Stück', async () => {
    const { server, newPage } = e2e();
    const one = await placeOrder(server, world, 1);
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/orders/${one.id}`);
    const part = page.locator('article.part .part-head').first();
    await part.getByText('1 unit', { exact: true }).waitFor();
    await page.getByLabel('Language').selectOption('nl');
    await part.getByText('1 stuk', { exact: true }).waitFor();
    await page.getByLabel('Taal').selectOption('de');
    await part.getByText('1 Stück', { exact: true }).waitFor();
    await page.goto(`${server.baseUrl}/orders/${order.id}`);
    await page.locator('article.part[data-status="open"]').getByText('6 Stück', { exact: true }).waitFor();
    await ok(server.api('POST', `/v1/orders/${one.id}/cancel`), 200);
  });

  it('units no stock or incoming covers are flagged oversold in the Backorder tab and on the part (R3)', async () => {
    const { server, newPage } = e2e();
    // The purchase order's 20 units can promise 15 (ratio 0.75): 20 more cannot all be promised.
    const oversold = await placeOrder(server, world, 20);
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('tab', { name: /Backorder/ }).click();
    await row(page, oversold.externalId).waitFor();
    const headers = await page.locator('thead th').allTextContents();
    expect((await cells(page, oversold.externalId))[headers.indexOf('Oversold')]).toBe('Yes');
    await page.getByRole('link', { name: oversold.externalId }).click();
    await page.getByText('Oversold: no stock or incoming covers these units').waitFor();
  });
});
