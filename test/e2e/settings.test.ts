import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { ok } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';
import { seedBackorderWorld, type BackorderWorld } from './world.js';

const policyOnPage = (page: Page) => page.getByTestId('policy').locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-rule')));
const openSettings = async (page: Page) => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
};

/** Issue 7: the organisation's settings (R1, R6, R7, R11, R12, R15), changed through the page and read back from the API. */
describeInBrowser('Dashboard: settings (issue 7; R6, R7, R12, R15)', (e2e) => {
  let world: BackorderWorld;

  beforeAll(async () => {
    world = await seedBackorderWorld(e2e().server);
  });

  it('reorders the allocation policy with the keyboard, saves it, and a reload shows the new order (R6)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await openSettings(page);
    expect(await policyOnPage(page)).toEqual(['fifo']);
    await page.getByLabel('Add a rule…').selectOption('channel_priority');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Add a rule…').selectOption('customer_tier');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    expect(await policyOnPage(page)).toEqual(['fifo', 'channel_priority', 'customer_tier']);
    // Keyboard only: focus follows the rule moved, so Enter twice moves it up twice.
    await page.getByRole('button', { name: 'Move Customer tier up' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    expect(await policyOnPage(page)).toEqual(['customer_tier', 'fifo', 'channel_priority']);
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByTestId('policy').locator('..').getByText('Saved').waitFor();
    expect((await ok(server.api('GET', '/v1/settings'), 200)).allocationPolicy).toEqual(['customer_tier', 'fifo', 'channel_priority']);
    await page.reload();
    await page.getByTestId('policy').waitFor();
    expect(await policyOnPage(page)).toEqual(['customer_tier', 'fifo', 'channel_priority']);
    await screenshot(page, 'settings');
  });

  it('a value the API refuses is explained next to its field, and nothing is saved', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await openSettings(page);
    const ratio = page.locator('#acceptance-ratio');
    await ratio.fill('1.5');
    await page.getByRole('form', { name: 'Backorders and offers' }).getByRole('button', { name: 'Save' }).click();
    await page.locator('#acceptance-ratio-error').getByText('must be at most 1').waitFor();
    expect(await ratio.getAttribute('aria-invalid')).toBe('true');
    // Said once, at the field: the form's summary only points there.
    const summary = page.getByRole('form', { name: 'Backorders and offers' }).locator('.error');
    expect(await summary.textContent()).toContain('Some fields need attention');
    expect(await summary.textContent()).not.toContain('must be at most 1');
    // The API names the rule and its limit (maximum, 1): the page words it in the reader's language.
    await page.getByLabel('Language').selectOption('nl');
    await page.locator('#acceptance-ratio-error').getByText('mag hoogstens 1 zijn').waitFor();
    await page.getByLabel('Taal').selectOption('de');
    await page.locator('#acceptance-ratio-error').getByText('darf höchstens 1 sein').waitFor();
    await page.getByLabel('Sprache').selectOption('en');
    expect((await ok(server.api('GET', '/v1/settings'), 200)).acceptanceRatio).toBe(0.75);
  });

  it('changes a channel’s window, share and e-mails (R7, R11); a share above 1 is refused at the share field', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await openSettings(page);
    const card = page.locator(`form[data-channel="${world.channel}"]`);
    await card.getByLabel('Sell incoming stock').selectOption('days');
    await card.getByLabel('Days').fill('10');
    await card.getByLabel('Share of incoming').fill('1.2');
    await card.getByRole('button', { name: 'Save' }).click();
    await card.locator(`#channel-${world.channel}-share-error`).getByText('must be at most 1').waitFor();
    await card.getByLabel('Share of incoming').fill('0.5');
    await card.getByLabel('E-mail this channel’s customers').uncheck();
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText('Saved').waitFor();
    const channel = await ok(server.api('GET', `/v1/channels/${world.channel}`), 200);
    expect({ window: channel.window, share: channel.share, customerEmails: channel.customerEmails }).toEqual({ window: { kind: 'days', days: 10 }, share: 0.5, customerEmails: false });
  });

  it('adds and deletes a season (R15); one ending before it starts is refused at its last day', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await openSettings(page);
    await page.getByLabel('Name').fill('Q4');
    await page.getByLabel('First day').fill('2026-10-01');
    await page.getByLabel('Last day').fill('2026-09-30');
    await page.getByRole('button', { name: 'Add season' }).click();
    await page.locator('#season-endsOn-error').getByText('A season ends on or after the day it starts').waitFor();
    await page.getByLabel('Last day').fill('2026-12-31');
    await page.getByLabel('Window ×').fill('1.5');
    await page.getByRole('button', { name: 'Add season' }).click();
    await page.locator('tr[data-season="Q4"]').waitFor();
    expect((await ok(server.api('GET', '/v1/settings'), 200)).seasons).toEqual([expect.objectContaining({ name: 'Q4', startsOn: '2026-10-01', endsOn: '2026-12-31', windowMultiplier: 1.5, acceptanceRatio: null })]);
    await page.getByRole('button', { name: 'Delete season Q4' }).click();
    await page.locator('tr[data-season="Q4"]').waitFor({ state: 'detached' });
    expect((await ok(server.api('GET', '/v1/settings'), 200)).seasons).toEqual([]);
  });

  it('creates a webhook showing its secret once, refuses a loopback target at the URL field, and disables it (R12)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await openSettings(page);
    await page.getByLabel('URL').fill('http://127.0.0.1:9/hook');
    await page.getByLabel('supplier.created').check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.locator('#webhook-url-error').getByText('Webhooks cannot be sent to http://127.0.0.1:9/hook').waitFor();
    // A public address literal: nothing is looked up, and no supplier is created, so nothing is sent.
    const url = 'https://93.184.215.14/stockbridge';
    await page.getByLabel('URL').fill(url);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = (await page.getByTestId('webhook-secret').locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    const row = page.locator(`tr[data-webhook="${url}"]`);
    await row.getByText('Active', { exact: true }).waitFor();
    expect(await row.textContent()).toContain('supplier.created');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByText(secret).count()).toBe(0);
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();
    const [hook] = (await ok(server.api('GET', '/v1/webhooks'), 200)).items;
    expect({ url: hook.url, status: hook.status, eventTypes: hook.eventTypes }).toEqual({ url, status: 'disabled', eventTypes: ['supplier.created'] });
  });

  it('suppliers, pre-orders, the spike rule and backorder aging are saved through their forms and read back from the API (R8, R9, R10, R14)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await openSettings(page);
    const suppliers = page.getByRole('form', { name: 'Suppliers and pre-orders' });
    // The world lifted the cap (null): the box is unticked and its days field off.
    const cap = suppliers.getByLabel('Cap new and erratic suppliers');
    expect(await cap.isChecked()).toBe(false);
    expect(await suppliers.getByLabel('Days of sales they may offer').isDisabled()).toBe(true);
    await suppliers.getByLabel('Ratio factor for erratic suppliers').fill('0.5');
    await cap.check();
    await suppliers.getByLabel('Days of sales they may offer').fill('2.5');
    await suppliers.getByLabel('Pre-orders open (days before arrival)').fill('21');
    await suppliers.getByRole('button', { name: 'Save' }).click();
    await suppliers.getByText('Saved').waitFor();
    expect(await ok(server.api('GET', '/v1/settings'), 200)).toMatchObject({ erraticRatioFactor: 0.5, cappedSalesDays: 2.5, preorderDays: 21 });

    const alerts = page.getByRole('form', { name: 'Demand spikes and alerts' });
    expect(await alerts.getByLabel('Watch for demand spikes').isChecked()).toBe(true);
    expect(await alerts.textContent()).toContain('at least 3 × the usual rate and at least 10 units within 6 hours, against the average of the 28 days before');
    // A window over 48 hours is refused at its field, and nothing of the form is saved.
    await alerts.getByLabel('Window (hours)').fill('100');
    await alerts.getByLabel('Times the usual rate').fill('4');
    await alerts.getByRole('button', { name: 'Save' }).click();
    await page.locator('#spike-windowHours-error').getByText('must be at most 48').waitFor();
    expect((await ok(server.api('GET', '/v1/settings'), 200)).demandSpikes).toMatchObject({ windowHours: 6, factor: 3 });
    await alerts.getByLabel('Window (hours)').fill('4');
    await alerts.getByLabel('At least (units)').fill('20');
    await alerts.getByLabel('Pause the incoming offer (hours)').fill('0');
    // With no pause hours the hint no longer promises a pause.
    expect(await alerts.textContent()).toContain('days before. It raises an alert.');
    expect(await alerts.textContent()).not.toContain('pauses the SKU');
    await alerts.getByLabel('Backorder waiting too long (days)').fill('10');
    await alerts.getByRole('button', { name: 'Save' }).click();
    await alerts.getByText('Saved').waitFor();
    expect(await ok(server.api('GET', '/v1/settings'), 200)).toMatchObject({
      demandSpikes: { enabled: true, factor: 4, minUnits: 20, windowHours: 4, baselineDays: 28, pauseHours: 0 },
      backorderAgingDays: 10,
    });
    await screenshot(page, 'settings-suppliers-alerts');

    // A ticked cap with its days left empty is refused in the form: sent, it would read as "no cap".
    await suppliers.getByLabel('Days of sales they may offer').fill('');
    await suppliers.getByRole('button', { name: 'Save' }).click();
    await page.locator('#capped-days-error').getByText('Enter the days, or untick the cap to have none.').waitFor();
    expect((await ok(server.api('GET', '/v1/settings'), 200)).cappedSalesDays).toBe(2.5);

    // Unticking the cap sends null: no cap.
    await cap.uncheck();
    await suppliers.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await ok(server.api('GET', '/v1/settings'), 200)).cappedSalesDays).toBeNull();
  });

  it('sets the sender of customer e-mails; an address without @ is refused at its field; an empty From goes back to the default (R11)', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await signIn(page, server);
    await openSettings(page);
    const sender = page.getByRole('form', { name: 'Sender of customer e-mails' });
    await sender.getByLabel('From').fill('orders at example.com');
    await sender.getByRole('button', { name: 'Save' }).click();
    await page.locator('#email-from-error').waitFor();
    expect((await ok(server.api('GET', '/v1/settings'), 200)).emailFrom).toBeNull();
    await sender.getByLabel('From').fill('Phone Cases <orders@example.com>');
    await sender.getByLabel('Reply-To').fill('service@example.com');
    await sender.getByRole('button', { name: 'Save' }).click();
    await sender.getByText('Saved').waitFor();
    expect(await ok(server.api('GET', '/v1/settings'), 200)).toMatchObject({ emailFrom: 'Phone Cases <orders@example.com>', emailReplyTo: 'service@example.com' });
    await sender.getByLabel('From').fill('');
    await sender.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await ok(server.api('GET', '/v1/settings'), 200)).emailFrom).toBeNull();
    expect((await ok(server.api('GET', '/v1/settings'), 200)).emailReplyTo).toBe('service@example.com');
  });

  it('a read-only key sees the settings but no control that changes them', async () => {
    const { server, newPage } = e2e();
    const readOnly = await ok(server.api('POST', '/v1/api-keys', { name: 'wall screen', role: 'read-only' }), 201);
    const page = await newPage({ viewport: { width: 820, height: 1180 } });
    await signIn(page, server, readOnly.key);
    await openSettings(page);
    await page.getByText('Only an admin key can change settings').waitFor();
    expect(await page.getByLabel('Take backorders').isDisabled()).toBe(true);
    expect(await page.locator('main button').allTextContents()).toEqual([]);
    expect(await policyOnPage(page)).toEqual(['customer_tier', 'fifo', 'channel_priority']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'settings-read-only-tablet');
  });
});
