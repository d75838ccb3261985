import { beforeAll, expect, it } from 'vitest';
import { ok, unique } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';
import { placeOrder, seedBackorderWorld, type BackorderWorld } from './world.js';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 7 (R3, R8): what a buyer does after ordering — add a supplier, move a purchase order's
 * date, change a quantity, submit a draft, cancel what will not come. The world: no stock, a
 * purchase order of 20 expected in 10 days, and an order for 5 waiting on it.
 */
describeInBrowser('Dashboard: suppliers and changing purchase orders (issue 7; R3, R8)', (e2e) => {
  let world: BackorderWorld;
  let poId: string;
  let waiting: { id: string };

  beforeAll(async () => {
    const { server } = e2e();
    world = await seedBackorderWorld(server, { stock: 0, incoming: 20 });
    poId = (await ok(server.api('GET', '/v1/purchase-orders'), 200)).items.find((p: any) => p.number === world.purchaseOrder).id;
    waiting = await placeOrder(server, world, 5);
  });

  const partOf = async (orderId: string) => (await ok(e2e().server.api('GET', `/v1/orders/${orderId}`), 200)).parts[0];

  it('adds a supplier on the Suppliers page; a name of only spaces is refused in words (R8: a new supplier starts as New)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.getByRole('link', { name: 'Suppliers' }).click();
    await page.getByRole('heading', { name: 'Add a supplier' }).waitFor();
    await page.getByLabel('Name').fill('   ');
    await page.getByRole('button', { name: 'Add supplier' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('VALIDATION_FAILED');

    const name = unique('Shenzhen Cases');
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Promised lead time (days)').fill('21');
    await page.getByRole('button', { name: 'Add supplier' }).click();
    await page.getByRole('status').getByText(`${name} added`).waitFor();
    const row = page.locator(`tr[data-supplier="${name}"]`);
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).slice(1, 3)).toEqual(['New', '21 d']);
    const stored = (await ok(server.api('GET', '/v1/suppliers'), 200)).items.find((s: any) => s.name === name);
    expect(stored).toMatchObject({ leadTimeDays: 21, reliability: { grade: 'new' } });
    expect(await page.getByLabel('Name').inputValue()).toBe('');
    await screenshot(page, 'suppliers-add');
  });

  it('moves the expected date and raises a quantity: the API has both and the waiting order is promised for the new date (R3)', async () => {
    const { server, newPage } = e2e();
    const before = await partOf(waiting.id);
    expect(before).toMatchObject({ status: 'backorder' });
    expect(before.promisedDate).not.toBeNull();
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/purchase-orders/${poId}`);
    await page.getByRole('heading', { name: 'Change this purchase order' }).waitFor();
    const save = page.getByRole('button', { name: 'Save changes' });
    expect(await save.isDisabled()).toBe(true); // nothing changed yet
    await page.getByLabel('Expected').last().fill(inDays(20));
    await page.getByLabel(`Ordered of ${world.skus[0]}`).fill('25');
    await save.click();
    await page.getByRole('status').getByText('Saved', { exact: true }).waitFor();

    const po = await ok(server.api('GET', `/v1/purchase-orders/${poId}`), 200);
    expect(po).toMatchObject({ expectedDate: inDays(20), lines: [{ sku: world.skus[0], ordered: 25, incoming: 25, promised: 5 }] });
    // The line table shows it too: ordered, received, damaged, cancelled, incoming, promised.
    await expect.poll(async () => (await page.locator(`tr[data-sku="${world.skus[0]}"] td`).allTextContents()).slice(1)).toEqual(['25', '0', '0', '0', '25', '5']);
    const after = await partOf(waiting.id);
    expect(after.promisedDate > before.promisedDate).toBe(true);
    // As the form says: the customer whose date slipped is told (R11).
    const kinds = async () => (await ok(server.api('GET', `/v1/orders/${waiting.id}/messages`), 200)).items.map((m: any) => m.kind);
    await expect.poll(kinds, { timeout: 15_000, interval: 250 }).toContain('delayed');
    await screenshot(page, 'purchase-order-change');
  });

  it('submits a draft: it becomes Open and incoming', async () => {
    const { server, newPage } = e2e();
    const number = unique('DRAFT').toUpperCase();
    const draft = await ok(
      server.api('POST', '/v1/purchase-orders', { number, supplierId: world.supplierId, location: world.locations[0], expectedDate: inDays(30), status: 'draft', lines: [{ sku: world.skus[0], qty: 8 }] }),
      201,
    );
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/purchase-orders/${draft.id}`);
    // A quantity typed but not saved yet goes with the submission.
    await page.getByLabel(`Ordered of ${world.skus[0]}`).fill('9');
    await page.getByRole('button', { name: 'Submit the draft' }).click();
    await page.getByRole('status').getByText('Saved', { exact: true }).waitFor();
    await page.locator('.detail-head .badge', { hasText: 'Open' }).waitFor();
    expect(await ok(server.api('GET', `/v1/purchase-orders/${draft.id}`), 200)).toMatchObject({ status: 'open', lines: [{ ordered: 9, incoming: 9 }] });
    expect(await page.getByRole('button', { name: 'Submit the draft' }).count()).toBe(0);
  });

  it('a read-only key sees the purchase order but no way to change or cancel it', async () => {
    const { server, newPage } = e2e();
    const readOnly = await ok(server.api('POST', '/v1/api-keys', { name: 'buyer screen', role: 'read-only' }), 201);
    const page = await newPage();
    await signIn(page, server, readOnly.key);
    await page.goto(`${server.baseUrl}/purchase-orders/${poId}`);
    await page.getByRole('heading', { name: 'Receipts' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Change this purchase order' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Cancel what is still to come' }).count()).toBe(0);
    await page.goto(`${server.baseUrl}/suppliers`);
    await page.getByRole('heading', { name: 'Suppliers' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Add a supplier' }).count()).toBe(0);
  });

  it('cancels what is still to come after asking once more: the order is Cancelled and the waiting order loses its promise on it', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await page.goto(`${server.baseUrl}/purchase-orders/${poId}`);
    await page.getByRole('heading', { name: 'Cancel what is still to come' }).waitFor();
    // Nothing is chosen to start with.
    const cancelChosen = page.getByRole('button', { name: 'Cancel the chosen lines…' });
    expect(await cancelChosen.isDisabled()).toBe(true);
    await page.getByLabel(`${world.skus[0]}: 25 still to come, 5 promised`).check();
    await cancelChosen.click();
    // Asked once more, with what it will cancel; "Keep them" backs out without a change.
    await page.getByRole('button', { name: 'Keep them' }).click();
    expect((await ok(server.api('GET', `/v1/purchase-orders/${poId}`), 200)).status).toBe('open');
    await page.getByRole('button', { name: 'Cancel the chosen lines…' }).click();
    await page.getByRole('button', { name: 'Yes, cancel 25 units' }).click();
    await page.locator('.detail-head .badge', { hasText: 'Cancelled' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Change this purchase order' }).count()).toBe(0);
    const po = await ok(server.api('GET', `/v1/purchase-orders/${poId}`), 200);
    expect(po).toMatchObject({ status: 'cancelled', lines: [{ ordered: 25, cancelled: 25, incoming: 0, promised: 0 }] });
    // The draft submitted above still comes: the waiting order is promised against it now.
    const part = await partOf(waiting.id);
    expect(part.status).toBe('backorder');
    expect(part.lines[0].promises.map((p: any) => p.purchaseOrder)).not.toContain(world.purchaseOrder);
    await screenshot(page, 'purchase-order-cancelled');
  });
});
