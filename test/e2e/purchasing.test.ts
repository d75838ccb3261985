import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { ok, seedWorld, unique, type World } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';
import { placeOrder } from './world.js';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const poRow = (page: Page, number: string) => page.locator(`tr[data-po="${number}"]`);

/**
 * Issue 7's acceptance test: create a purchase order, receive it on the receiving screen, see the
 * cross-dock list and the waiting order move to Open (R5, R6), and the supplier's delay (R8).
 */
describeInBrowser('Dashboard: purchase orders and receiving (issue 7; R3, R5, R6, R8)', (e2e) => {
  let world: World;
  let supplier: { id: string; name: string };
  let waiting: { id: string; externalId: string; parts: { status: string }[] };
  const number = unique('PO').toUpperCase();

  beforeAll(async () => {
    const { server } = e2e();
    // R8: a new supplier's lines are capped at 3 days of sales, and a fresh organisation has none; lift the cap so the PO promises.
    await ok(server.api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }), 200);
    world = await seedWorld(server, { stock: [[0]], channelKind: 'webshop' });
    supplier = await ok(server.api('POST', '/v1/suppliers', { name: unique('Dock Supplier'), leadTimeDays: 5 }), 201);
    // Nothing in stock: the whole order waits as a backorder (R3).
    waiting = await placeOrder(server, world, 4);
  });

  it('records a purchase order through the form; it is listed overdue with its supplier’s grade, and promises the waiting order (R3, R8)', async () => {
    const { server, newPage } = e2e();
    expect(waiting.parts.map((p) => p.status)).toEqual(['backorder']);
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('link', { name: 'Purchase orders' }).click();
    await page.getByText('No purchase orders yet.').waitFor();
    await page.getByRole('link', { name: 'New purchase order' }).click();
    await page.getByRole('heading', { name: 'New purchase order' }).waitFor();
    await page.getByLabel('Number').fill(number);
    await page.getByLabel('Supplier').selectOption({ label: supplier.name });
    await page.getByLabel('Location').selectOption(world.locations[0]!);
    await page.getByLabel('Expected').fill(daysAgo(3));
    await page.getByLabel('SKU of line 1').fill('NO-SUCH-SKU');
    await page.getByLabel('Quantity of line 1').fill('10');
    await page.getByRole('button', { name: 'Record purchase order' }).click();
    // The API's refusal in words, and the form keeps what was typed.
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('NO-SUCH-SKU');
    await screenshot(page, 'purchase-order-new-error');
    await page.getByLabel('SKU of line 1').fill(world.skus[0]!);
    await page.getByRole('button', { name: 'Record purchase order' }).click();
    await page.getByRole('heading', { name: `Purchase order ${number}` }).waitFor();
    const line = page.locator(`tr[data-sku="${world.skus[0]}"] td`);
    // ordered, received, damaged, cancelled, incoming, promised: the 4 waiting units are promised against it.
    expect((await line.allTextContents()).slice(1)).toEqual(['10', '0', '0', '0', '10', '4']);
    await screenshot(page, 'purchase-order-detail');

    await page.getByRole('link', { name: 'All purchase orders' }).click();
    await poRow(page, number).waitFor();
    const cells = await poRow(page, number).locator('td').allTextContents();
    expect(cells).toEqual(expect.arrayContaining([number, `${supplier.name} New`, world.locations[0], 'Overdue 3 d', 'Open', '0 / 10']));
    // At 1280 px the whole list fits: no column hides behind the right edge.
    expect(await page.locator('.table-wrap').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await screenshot(page, 'purchase-orders');
  });

  it('receives it on the receiving screen: the cross-dock list names the waiting order, printable; the order moves to Open (R5, R6)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/purchase-orders`);
    await poRow(page, number).getByRole('link', { name: number }).click();
    await page.getByRole('link', { name: 'Receive goods' }).click();
    await page.getByRole('heading', { name: `Receive ${number}` }).waitFor();
    // A negative count is explained, not only a greyed-out button.
    await page.getByLabel(`Good units of ${world.skus[0]}`).fill('-3');
    await page.getByText('Counts are whole numbers of 0 or more.').waitFor();
    // More than is still to come: the refusal offers to accept it instead of naming the API's force flag.
    await page.getByLabel(`Good units of ${world.skus[0]}`).fill('11');
    await page.getByRole('button', { name: 'Receive', exact: true }).click();
    const over = page.getByRole('alert');
    await over.getByText(`${world.skus[0]}: 11 counted, 10 still to come`).waitFor();
    expect(await over.textContent()).not.toContain('force');
    expect(await over.getByLabel('Accept more than ordered').isChecked()).toBe(false);
    await page.getByLabel(`Good units of ${world.skus[0]}`).fill('8');
    await page.getByLabel(`Damaged units of ${world.skus[0]}`).fill('1');
    await screenshot(page, 'receiving');
    // 8 good + 1 damaged of 10: one unit is still to come.
    await page.getByRole('button', { name: 'Receive', exact: true }).click();

    await page.getByRole('heading', { name: `Receipt for ${number}` }).waitFor();
    const crossDock = page.getByTestId('cross-dock').locator(`tr[data-order="${waiting.externalId}"] td`);
    expect(await crossDock.allTextContents()).toEqual([waiting.externalId, world.channel, 'buyer@example.nl', world.skus[0], '4']);
    expect(await page.getByTestId('put-away').locator('tbody td').allTextContents()).toEqual([world.skus[0], '4']);
    // The print sheet leaves out the nav and every button, the Print button included.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.sidenav').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await page.getByTestId('cross-dock').isVisible()).toBe(true);
    await screenshot(page, 'receipt-cross-dock-print');
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, 'receipt-cross-dock');

    const po = (await ok(server.api('GET', '/v1/purchase-orders?limit=1'))).items[0];
    expect(po).toMatchObject({ number, status: 'partially_received', delayDays: 3 });
    expect((await ok(server.api('GET', `/v1/orders/${waiting.id}`))).status).toBe('open');

    // The order's link on the list leads to it, now Open; the Orders page's Open tab lists it.
    await page.getByRole('link', { name: waiting.externalId }).click();
    await page.getByRole('heading', { name: `Order ${waiting.externalId}` }).waitFor();
    await page.locator('article.part[data-status="open"]').waitFor();
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.locator(`tr[data-order="${waiting.externalId}"]`).waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toContain('Open');
    expect(await page.getByTestId('count-backorder').textContent()).toBe('0');
  });

  it('the suppliers page shows the first receipt’s delay (R8) and its chart', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('link', { name: 'Suppliers' }).click();
    const row = page.locator(`tr[data-supplier="${supplier.name}"]`);
    await row.waitFor();
    // grade, lead time, deliveries, on time, mean, sd, p80
    expect((await row.locator('td').allTextContents()).slice(1)).toEqual(['New', '5 d', '1', '0%', '3 d', '0 d', '3 d']);
    await screenshot(page, 'suppliers');
    await row.getByRole('link', { name: supplier.name }).click();
    await page.getByRole('heading', { name: supplier.name }).waitFor();
    await page.locator('canvas[data-testid="delay-chart"]').waitFor();
    expect(await page.locator('tbody td').allTextContents()).toEqual([number, expect.any(String), expect.any(String), '3 d']);
    await screenshot(page, 'supplier-detail');
  });

  it('a read-only key sees purchase orders and receipts without a write button', async () => {
    const { server, newPage } = e2e();
    const readOnly = await ok(server.api('POST', '/v1/api-keys', { name: 'dock screen', role: 'read-only' }), 201);
    const page = await newPage();
    await signIn(page, server, readOnly.key);
    await page.getByRole('link', { name: 'Purchase orders' }).click();
    await poRow(page, number).getByRole('link', { name: number }).click();
    await page.getByRole('heading', { name: `Purchase order ${number}` }).waitFor();
    await page.getByRole('heading', { name: 'Receipts' }).waitFor();
    await page.locator('tbody a').last().waitFor();
    expect(await page.getByRole('link', { name: 'Receive goods' }).count()).toBe(0);
    await page.goto(`${server.baseUrl}/purchase-orders`);
    await poRow(page, number).waitFor();
    expect(await page.getByRole('link', { name: 'New purchase order' }).count()).toBe(0);
  });

  it('fits a tablet: the receiving screen and the list do not scroll sideways', async () => {
    const { server, newPage } = e2e();
    const page = await newPage({ viewport: { width: 820, height: 1180 } });
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/purchase-orders`);
    await poRow(page, number).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await poRow(page, number).getByRole('link', { name: number }).click();
    await page.getByRole('link', { name: 'Receive goods' }).click();
    await page.getByLabel(`Good units of ${world.skus[0]}`).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'receiving-tablet');
  });
});
