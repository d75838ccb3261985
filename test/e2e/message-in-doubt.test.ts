import { afterAll, expect, it } from 'vitest';
import { startSmtpReceiver, type SmtpReceiver } from '../concurrency/smtp-receiver.js';
import { ok, orderBody, unique } from '../support/fixtures.js';
import { describeInBrowser, screenshot, signIn } from './browser.js';
import { seedBackorderWorld } from './world.js';

let smtp: SmtpReceiver | undefined;

afterAll(async () => {
  await smtp?.close();
});

/**
 * Issue 7, R11: an e-mail nobody knows went out. The server's SMTP server takes the whole
 * message and hangs up without an answer, so the sender marks it `unknown` and raises a
 * `message_unknown` alert; the Alerts page shows the Message-ID to look up, the recipient
 * linked to the order, and the resend button.
 */
describeInBrowser(
  'Dashboard: an e-mail in doubt (issue 7, R11)',
  (e2e) => {
    it('the alert names the Message-ID to look up in the SMTP log, its subject the recipient linked to the order, and offers a resend', async () => {
      const { server, newPage } = e2e();
      const world = await seedBackorderWorld(server, { stock: 6, incoming: 20 });
      const email = `${unique('customer')}@example.com`;
      const placed = await ok(server.api('POST', '/v1/orders', orderBody(world.channel, [{ sku: world.skus[0]!, qty: 10 }], { customer: { id: unique('cust'), email, locale: 'en', country: 'NL' } })), 201);

      // The server's worker fans the order's event out to an e-mail and tries to send it.
      const inDoubt = async () => (await ok(server.api('GET', '/v1/alerts?type=message_unknown'), 200)).items;
      await expect.poll(async () => (await inDoubt()).length, { timeout: 30_000, interval: 250 }).toBe(1);
      const [alert] = await inDoubt();
      const [message] = (await ok(server.api('GET', `/v1/orders/${placed.id}/messages`), 200)).items;
      expect(message).toMatchObject({ status: 'unknown', recipient: email });
      expect(alert.details).toMatchObject({ messageId: message.messageId, recipient: email, orderId: placed.id });

      const page = await newPage();
      await signIn(page, server);
      await page.getByRole('link', { name: /^Alerts/ }).click();
      const row = page.locator(`tr[data-alert="${alert.id}"]`);
      await row.waitFor();
      expect(await row.getByTestId('smtp-message-id').textContent()).toBe(message.messageId);
      expect(await row.getByRole('link', { name: `E-mail to ${email}` }).getAttribute('href')).toBe(`/orders/${placed.id}`);
      await row.getByRole('button', { name: 'Resend e-mail' }).waitFor();
      // A long address and Message-ID wrap: the table does not scroll sideways at 1280 px, so the status and Acknowledge stay in view.
      expect(await row.evaluate((tr) => { const wrap = tr.closest('.table-wrap')!; return wrap.scrollWidth <= wrap.clientWidth; })).toBe(true);
      await row.getByRole('button', { name: /Acknowledge/ }).waitFor();
      await screenshot(page, 'alerts-message-in-doubt');

      // On a tablet too: five columns, the Message-ID wraps, Acknowledge stays in view.
      const tablet = await newPage({ viewport: { width: 820, height: 1180 } });
      await signIn(tablet, server);
      await tablet.goto(`${server.baseUrl}/alerts`);
      const tabletRow = tablet.locator(`tr[data-alert="${alert.id}"]`);
      await tabletRow.waitFor();
      expect(await tabletRow.evaluate((tr) => { const wrap = tr.closest('.table-wrap')!; return wrap.scrollWidth <= wrap.clientWidth; })).toBe(true);
      const ackBox = await tabletRow.getByRole('button', { name: /Acknowledge/ }).boundingBox();
      expect(ackBox!.x + ackBox!.width).toBeLessThanOrEqual(820);
      // Every page of the nav is in view: the entries wrap rather than scroll.
      const settingsLink = await tablet.getByRole('link', { name: 'Settings' }).boundingBox();
      expect(settingsLink!.x + settingsLink!.width).toBeLessThanOrEqual(820);
      await screenshot(tablet, 'alerts-message-in-doubt-tablet');
    });
  },
  {
    serverEnv: async () => {
      smtp = await startSmtpReceiver({ hangUp: true });
      return { SMTP_URL: smtp.url };
    },
  },
);
