import { expect, it } from 'vitest';
import { ok } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';

describeInBrowser('Dashboard sign-in and shell (issue 7)', (e2e) => {
  it('refuses a bad key with the API’s words and code, then signs in with a good one and shows the organisation', async () => {
    const { server, newPage } = e2e();
    const page = await newPage();
    await page.goto(server.baseUrl + '/');
    await screenshot(page, 'sign-in');
    await page.getByLabel('API key').fill('sb_' + 'x'.repeat(40));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).toContain('This API key is not valid');
    expect(text).toContain('A valid API key is required');
    expect(text).toContain('UNAUTHENTICATED');
    await screenshot(page, 'sign-in-refused');
    // The title is the reader's language; the API's detail stays as the second line.
    await page.getByLabel('Language').selectOption('nl');
    await error.getByText('Deze API-sleutel is niet geldig').waitFor();
    expect(await error.textContent()).not.toContain('Unauthenticated');
    await page.getByLabel('Taal').selectOption('en');

    await signIn(page, server);
    // The nav lists every page of issue 7 (web/src/shell/pages.ts), in the order the team works.
    const nav = await page.getByRole('navigation').getByRole('link').allTextContents();
    expect(nav).toEqual(['Orders', 'Alerts', 'Purchase orders', 'Stock', 'Offered stock', 'Price suggestions', 'Suppliers', 'KPIs', 'Settings']);
    expect(await page.locator('.badge.role-admin').textContent()).toBe('Admin');
    // A path no page has says so, with a link back; the bare address opens Orders.
    await page.goto(`${server.baseUrl}/nonexistent`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to Orders' }).click();
    await page.waitForURL(/\/orders$/);
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
    // The key lives in this tab's sessionStorage: a reload stays signed in, signing out forgets it.
    await page.reload();
    await page.getByTestId('organisation-name').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('speaks the browser’s language (Dutch, German) and keeps the one picked', async () => {
    const { server, newPage } = e2e();
    const dutch = await newPage({ locale: 'nl-NL' });
    await dutch.goto(server.baseUrl + '/');
    await dutch.getByRole('heading', { name: 'Inloggen' }).waitFor();
    await dutch.getByRole('combobox', { name: 'Taal' }).selectOption('de');
    await dutch.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await dutch.reload();
    await dutch.getByRole('heading', { name: 'Anmelden' }).waitFor();
    expect(await dutch.evaluate(() => document.documentElement.lang)).toBe('de');
  });

  it('a key revoked while signed in sends the dashboard back to sign-in with a notice', async () => {
    const { server, newPage } = e2e();
    const made = await ok(server.api('POST', '/v1/api-keys', { name: 'to revoke', role: 'operator' }), 201);
    const page = await newPage();
    await signIn(page, server, made.key);
    // The orders page's first requests must be answered before the key goes: one still in
    // flight would meet the 401 first and sign out before the tab below is clicked.
    await page.getByRole('tab', { name: /Backorder/ }).waitFor();
    await page.waitForLoadState('networkidle');
    await ok(server.api('DELETE', `/v1/api-keys/${made.id}`), 200);
    await page.getByRole('tab', { name: /Backorder/ }).click();
    await page.getByText('Your key no longer works here. Sign in again.').waitFor();
  });

  it('serves the app for deep links, while the API, docs, health and metrics answer as before', async () => {
    const { server } = e2e();
    const html = { accept: 'text/html' };
    const deep = await fetch(server.baseUrl + '/orders/ord_unknown?status=open', { headers: html });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    const unknownApi = await fetch(server.baseUrl + '/v1/no-such-thing', { headers: html });
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toContain('application/problem+json');
    expect((await unknownApi.json()).code).toBe('ROUTE_NOT_FOUND');
    const missingAsset = await fetch(server.baseUrl + '/assets/missing.js');
    expect(missingAsset.status).toBe(404);
    for (const path of ['/healthz', '/metrics', '/openapi.json', '/docs/']) {
      expect((await fetch(server.baseUrl + path, { headers: html })).status, path).toBe(200);
    }
  });
});
