import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { ok, seedWorld, unique, type World } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';

const totals = async (page: Page) =>
  Object.fromEntries(
    await Promise.all((['onHand', 'reserved', 'available', 'incoming', 'promised'] as const).map(async (q) => [q, Number(await page.locator(`[data-quantity="${q}"]`).textContent())])),
  );

/** SPEC §2 on the Stock page: the quantities per location, the ledger that explains them, adjustments. */
describeInBrowser('Dashboard: stock (issue 7; SPEC §2, R5)', (e2e) => {
  let world: World;
  let sku: string;
  let location: string;
  let nextPo: { number: string };

  beforeAll(async () => {
    const { server } = e2e();
    await ok(server.api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }), 200);
    world = await seedWorld(server, { stock: [[0]], channelKind: 'webshop' });
    [sku, location] = [world.skus[0]!, world.locations[0]!];
    const supplier = await ok(server.api('POST', '/v1/suppliers', { name: unique('Supplier') }), 201);
    const po = await ok(
      server.api('POST', '/v1/purchase-orders', { number: unique('PO'), supplierId: supplier.id, location, expectedDate: new Date().toISOString().slice(0, 10), lines: [{ sku, qty: 12 }] }),
      201,
    );
    // An order of 3 waits; the receipt of 12 reserves 3 for it and leaves 9 available (R5).
    await ok(server.api('POST', '/v1/orders', { channel: world.channel, externalId: unique('EXT'), customer: { id: unique('c'), email: 'a@example.nl', locale: 'en', country: 'NL' }, lines: [{ sku, qty: 3, unitPrice: 10 }] }), 201);
    await ok(server.api('POST', `/v1/purchase-orders/${po.id}/receipts`, { lines: [{ sku, good: 12 }] }), 201);
    // And 8 more on their way.
    nextPo = await ok(
      server.api('POST', '/v1/purchase-orders', { number: unique('PO-NEXT'), supplierId: supplier.id, location, expectedDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10), lines: [{ sku, qty: 8 }] }),
      201,
    );
  });

  it('lists every SKU with on hand, reserved and available, and one SKU per location, with what is incoming and its ledger rows (SPEC §2, R5)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('link', { name: 'Stock', exact: true }).click();
    const row = page.locator(`tr[data-sku="${sku}"]`);
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([sku, '12', '3', '9', `${location}: 12`]);
    await screenshot(page, 'stock');
    await row.getByRole('link', { name: sku }).click();
    await page.getByRole('heading', { name: `Stock of ${sku}` }).waitFor();
    expect(await totals(page)).toEqual({ onHand: 12, reserved: 3, available: 9, incoming: 8, promised: 0 });
    const incoming = await page.getByTestId('incoming').locator(`tr[data-po="${nextPo.number}"] td`).allTextContents();
    expect([incoming[0], incoming[2], incoming[5], incoming[6]]).toEqual([nextPo.number, location, '8', '0']);
    expect(await page.getByTestId('levels').locator(`tr[data-location="${location}"] td`).allTextContents()).toEqual(['12', '3', '9', expect.any(String)]);
    // The ledger explains both numbers: the receipt put 12 on hand, the waiting order reserved 3.
    const receipt = page.getByTestId('ledger').locator('tr[data-kind="receipt"] td');
    await receipt.first().waitFor();
    expect((await receipt.allTextContents()).slice(1, 5)).toEqual([location, 'Receipt', '+12', '0']);
    expect((await page.getByTestId('ledger').locator('tr[data-kind="allocation"] td').allTextContents()).slice(1, 5)).toEqual([location, 'Allocation', '0', '+3']);
    await screenshot(page, 'stock-detail');
  });

  it('an adjustment through the form changes on hand, by a change or to a count, with a ledger row; a removal of reserved units is refused in words', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/stock/${sku}`);
    await page.getByRole('heading', { name: 'Adjust stock' }).waitFor();
    await page.getByLabel('Change of on hand').fill('-2');
    await page.getByLabel('Reason').fill('two found broken on the shelf');
    await page.getByRole('button', { name: 'Record adjustment' }).click();
    await page.getByText(`Recorded −2 at ${location}.`).waitFor();
    await expect.poll(() => totals(page)).toEqual({ onHand: 10, reserved: 3, available: 7, incoming: 8, promised: 0 });
    await page.getByTestId('ledger').getByText('two found broken on the shelf').waitFor();

    await page.getByLabel('a count').check();
    await page.getByLabel('Counted on hand').fill('15');
    await page.getByText('On hand is 10: this records +5.').waitFor();
    await page.getByRole('button', { name: 'Record adjustment' }).click();
    await expect.poll(() => totals(page)).toEqual({ onHand: 15, reserved: 3, available: 12, incoming: 8, promised: 0 });
    expect((await ok(server.api('GET', `/v1/stock/${sku}`))).onHand).toBe(15);
    expect(await page.getByTestId('ledger').locator('tr[data-kind="adjustment"]').count()).toBe(2);
    // Newest first: the count's +5 heads the ledger, the receipt that started it all is last.
    const ledgerRows = page.getByTestId('ledger').locator('tbody tr');
    expect(await ledgerRows.first().getAttribute('data-kind')).toBe('adjustment');
    expect((await ledgerRows.first().locator('td').allTextContents())[3]).toBe('+5');
    expect(await ledgerRows.last().getAttribute('data-kind')).toBe('receipt');

    // Only the 12 not reserved can go: the API's refusal is shown as it words it.
    await page.getByLabel('Counted on hand').fill('0');
    await page.getByRole('button', { name: 'Record adjustment' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('STOCK_WOULD_GO_NEGATIVE');
    await screenshot(page, 'stock-adjustment-refused');
    expect((await ok(server.api('GET', `/v1/stock/${sku}`))).onHand).toBe(15);
  });

  it('a read-only key sees the quantities and the ledger but no adjustment form', async () => {
    const { server, newPage } = e2e();
    const readOnly = await ok(server.api('POST', '/v1/api-keys', { name: 'wall screen', role: 'read-only' }), 201);
    const page = await newPage({ viewport: { width: 820, height: 1180 } });
    await signIn(page, server, readOnly.key);
    await page.goto(`${server.baseUrl}/stock/${sku}`);
    await page.getByTestId('ledger').waitFor();
    expect(await page.getByRole('heading', { name: 'Adjust stock' }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'stock-detail-read-only-tablet');
  });
});
