import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../src/services/context.js';
import { deliverMessages, smtpMailer, type Mailer } from '../../src/services/customer-messages.service.js';
import { fanOutEvents } from '../../src/services/webhook-dispatcher.js';
import { ok, unique } from '../support/fixtures.js';
import { describeEachStore, type Harness } from '../support/harness.js';
import { startSmtpReceiver } from '../concurrency/smtp-receiver.js';

/**
 * R11 through a real SMTP server (smtp-server, in this process): the customer of a webshop or
 * B2B order is told, in their language, that part of the order waits and when to expect it,
 * that it is delayed, on its way, shipped (a partial shipment says the rest follows at no
 * extra shipping cost) or cancelled. Marketplace customers get nothing (events only). Every
 * message is stored and listed with the order; the same change never makes two.
 *
 * The dispatcher's two steps run by hand here: fanOutEvents (makes the messages from the
 * events) and deliverMessages (sends them). Dates are relative to today.
 */
const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

describeEachStore('customer e-mails (R11)', (harness) => {
  const mails: ParsedMail[] = [];
  let server: SMTPServer;
  let mailer: Mailer;
  let port = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            mails.push(mail);
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    server.on('error', () => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as { port: number }).port;
    mailer = smtpMailer(`smtp://127.0.0.1:${port}`);
    await ok(harness().api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null, emailReplyTo: 'service@example-shop.nl' }), 200);
  });
  afterAll(async () => {
    mailer.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  /** The dispatcher's work until nothing is left: fan out, then send. */
  const dispatch = async (h: Harness, withMailer = true) => {
    const services: Services = withMailer ? { ...h.services, mailer } : h.services;
    while ((await fanOutEvents(services)) > 0);
    if (withMailer) while ((await deliverMessages(services, mailer)) > 0);
  };

  async function world(h: Harness, kind: string, stock: number) {
    const loc = unique('loc').toLowerCase();
    await ok(h.api('POST', '/v1/locations', { code: loc, name: loc, kind: 'warehouse', country: 'NL', handlingDays: 1 }), 201);
    const ch = unique('ch').toLowerCase();
    await ok(h.api('POST', '/v1/channels', { code: ch, name: ch, kind, acceptsBackorders: true, locations: [loc] }), 201);
    const sku = unique('CASE').toUpperCase();
    await ok(h.api('POST', '/v1/products', { sku, name: 'Lederen hoesje', price: 30, cost: 10 }), 201);
    if (stock > 0) await ok(h.api('POST', '/v1/stock/adjustments', { sku, location: loc, delta: stock, kind: 'receipt' }), 201);
    const supplier = await ok(h.api('POST', '/v1/suppliers', { name: unique('Supplier'), leadTimeDays: 7 }), 201);
    const po = await ok(h.api('POST', '/v1/purchase-orders', { number: unique('PO'), supplierId: supplier.id, location: loc, expectedDate: inDays(6), lines: [{ sku, qty: 20 }] }), 201);
    return { loc, ch, sku, po };
  }

  const order = (h: Harness, ch: string, sku: string, qty: number, locale: string, email: string) =>
    ok(h.api('POST', '/v1/orders', { channel: ch, externalId: unique('WEB'), customer: { id: unique('c'), email, locale, country: 'NL' }, lines: [{ sku, qty, unitPrice: 30 }] }), 201);

  const mailsTo = (email: string) => mails.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.value : []).some((a) => a.address === email));

  it('R11: a webshop order of 10 with 6 in stock tells the customer, in German, that 4 wait and when they arrive — once, stored with the order', async () => {
    const h = harness();
    const w = await world(h, 'webshop', 6);
    await dispatch(h);
    const email = `${unique('kunde')}@example.de`;
    const placed = await order(h, w.ch, w.sku, 10, 'de', email);
    const waiting = placed.parts.find((p: any) => p.status === 'backorder');
    expect(waiting.promisedDate).toBe(inDays(7));
    await dispatch(h);
    await dispatch(h);

    const got = mailsTo(email);
    expect(got).toHaveLength(1);
    const mail = got[0]!;
    const when = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${inDays(7)}T00:00:00Z`));
    expect(mail.subject).toBe(`Ihre Bestellung ${placed.externalId}: voraussichtlich am ${when}`);
    expect(mail.text).toContain(`4 × Lederen hoesje (${w.sku})`);
    expect(mail.text).toContain(`Wir liefern sie voraussichtlich am ${when}.`);
    expect(mail.html).toContain('<li>4 × Lederen hoesje');
    expect(mail.replyTo?.value[0]?.address).toBe('service@example-shop.nl');
    expect(mail.from?.value[0]?.name).toBe('Test Merchant');

    const messages = (await ok(h.api('GET', `/v1/orders/${placed.id}/messages`))).items;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: 'backorder_created', status: 'sent', recipient: email, locale: 'de', subject: mail.subject, attempts: 1 });
    expect(messages[0].messageId).toBe(mail.messageId);
  });

  it('R11: a marketplace customer gets no e-mail (events only), unless the channel switches e-mails on', async () => {
    const h = harness();
    const w = await world(h, 'bol', 0);
    await dispatch(h);
    const email = `${unique('klant')}@example.nl`;
    const placed = await order(h, w.ch, w.sku, 2, 'nl', email);
    await dispatch(h);
    expect(mailsTo(email)).toEqual([]);
    expect((await ok(h.api('GET', `/v1/orders/${placed.id}/messages`))).items).toEqual([]);
    expect((await ok(h.api('GET', `/v1/channels/${w.ch}`))).customerEmails).toBe(false);

    await ok(h.api('PATCH', `/v1/channels/${w.ch}`, { customerEmails: true }), 200);
    const second = await order(h, w.ch, w.sku, 1, 'nl', email);
    await dispatch(h);
    expect(mailsTo(email).map((m) => m.subject)).toEqual([expect.stringMatching(new RegExp(`^Je bestelling ${second.externalId}: verwacht op `))]);
  });

  it('R11: delayed (a later date, with the new one), on its way, shipped in part (the rest follows, shipping free) and cancelled, in Dutch', async () => {
    const h = harness();
    const w = await world(h, 'webshop', 2);
    await dispatch(h);
    const email = `${unique('klant')}@example.nl`;
    const placed = await order(h, w.ch, w.sku, 5, 'nl', email);
    await dispatch(h);
    expect(mailsTo(email).map((m) => m.subject)).toEqual([expect.stringContaining('verwacht op')]);

    // The PO slips a week: a later promise is a delay; the new date is in the mail.
    await ok(h.api('PATCH', `/v1/purchase-orders/${w.po.id}`, { expectedDate: inDays(13) }), 200);
    await dispatch(h);
    const delayed = mailsTo(email)[1]!;
    expect(delayed.subject).toBe(`Je bestelling ${placed.externalId} heeft vertraging`);
    const newDate = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${inDays(14)}T00:00:00Z`));
    expect(delayed.text).toContain(`De nieuwe verwachte leverdatum is ${newDate}.`);

    // The open part ships first: a partial shipment says what follows and that it ships free.
    const open = placed.parts.find((p: any) => p.status === 'open');
    await ok(h.api('POST', `/v1/orders/${placed.id}/parts/${open.id}/start-processing`, {}), 200);
    await ok(h.api('POST', `/v1/orders/${placed.id}/parts/${open.id}/ship`, { carrier: 'PostNL', trackingNumber: '3STEST123' }), 200);
    await dispatch(h);
    const shipped = mailsTo(email)[2]!;
    expect(shipped.subject).toBe(`Je bestelling ${placed.externalId} is verzonden`);
    expect(shipped.text).toContain('Vervoerder PostNL, trackingnummer 3STEST123.');
    expect(shipped.text).toContain('De rest van je bestelling volgt in een aparte zending, zonder extra verzendkosten.');

    // Two of the three arrive: they are on their way; then the customer cancels what still waits.
    await ok(h.api('POST', `/v1/purchase-orders/${w.po.id}/receipts`, { lines: [{ sku: w.sku, good: 2 }] }), 201);
    await dispatch(h);
    const allocated = mailsTo(email)[3]!;
    expect(allocated.subject).toBe(`Je bestelling ${placed.externalId} komt eraan`);
    expect(allocated.text).toContain(`2 × Lederen hoesje (${w.sku})`);
    const now = await ok(h.api('GET', `/v1/orders/${placed.id}`));
    const still = now.parts.find((p: any) => p.status === 'backorder');
    await ok(h.api('POST', `/v1/orders/${placed.id}/parts/${still.id}/cancel`, {}), 200);
    await dispatch(h);
    const cancelled = mailsTo(email)[4]!;
    expect(cancelled.subject).toBe(`Je bestelling ${placed.externalId} is geannuleerd`);
    expect(cancelled.text).toContain(`1 × Lederen hoesje (${w.sku})`);

    const kinds = (await ok(h.api('GET', `/v1/orders/${placed.id}/messages`))).items.map((m: any) => [m.kind, m.status]);
    expect(kinds).toEqual([
      ['backorder_created', 'sent'],
      ['delayed', 'sent'],
      ['shipped', 'sent'],
      ['allocated', 'sent'],
      ['cancelled', 'sent'],
    ]);
    expect(mailsTo(email)).toHaveLength(5);
  });

  it('R11: without an SMTP server the message is written to the log only', async () => {
    const h = harness();
    const w = await world(h, 'webshop', 0);
    await dispatch(h, false);
    const email = `${unique('customer')}@example.co.uk`;
    const placed = await order(h, w.ch, w.sku, 1, 'en', email);
    await dispatch(h, false);
    const [logged] = (await ok(h.api('GET', `/v1/orders/${placed.id}/messages`))).items;
    expect(logged).toMatchObject({ kind: 'backorder_created', status: 'logged', locale: 'en', attempts: 0 });
    expect(logged.subject).toMatch(/^Your order .*: expected on /);
    await dispatch(h);
    expect(mailsTo(email)).toEqual([]);
  });

  /** A message of a new webshop backorder, made (queued) but not sent yet. */
  async function queuedMessage(h: Harness) {
    const w = await world(h, 'webshop', 0);
    await dispatch(h);
    const email = `${unique('customer')}@example.com`;
    const placed = await order(h, w.ch, w.sku, 1, 'en', email);
    const services: Services = { ...h.services, mailer };
    while ((await fanOutEvents(services)) > 0);
    const [message] = (await ok(h.api('GET', `/v1/orders/${placed.id}/messages`))).items;
    expect(message.status).toBe('queued');
    return { email, placed, message };
  }

  it('R11: a worker that died before the end of data sent nothing, so the message goes out (once); one that died while the server was taking it leaves it unknown, with an alert naming its Message-ID, not sent again', async () => {
    const h = harness();
    const before = await queuedMessage(h);
    await h.services.store.db.updateTable('customer_messages').set({ status: 'sending', attempts: 1, lease_until: '2000-01-01T00:00:00.000Z' }).where('id', '=', before.message.id).execute();
    await dispatch(h);
    expect(mailsTo(before.email)).toHaveLength(1);
    expect((await ok(h.api('GET', `/v1/orders/${before.placed.id}/messages`))).items[0]).toMatchObject({ status: 'sent', attempts: 2 });

    const after = await queuedMessage(h);
    await h.services.store.db.updateTable('customer_messages').set({ status: 'committing', attempts: 1, lease_until: '2000-01-01T00:00:00.000Z' }).where('id', '=', after.message.id).execute();
    await dispatch(h);
    await dispatch(h);
    expect(mailsTo(after.email)).toEqual([]);
    const doubt = (await ok(h.api('GET', `/v1/orders/${after.placed.id}/messages`))).items[0];
    expect(doubt).toMatchObject({ status: 'unknown', attempts: 1 });
    const alert = (await ok(h.api('GET', '/v1/alerts?limit=200'))).items.find((a: any) => a.type === 'message_unknown' && a.subjectId === after.message.id);
    expect(alert.message).toContain(after.message.messageId);
    expect(alert.details).toEqual({ messageId: after.message.messageId, recipient: after.email, kind: after.message.kind, orderId: after.placed.id });
  });

  it('R11: a connection that breaks after the whole message without an answer leaves it unknown, with an alert; a person resends it', async () => {
    const h = harness();
    const { email, placed, message } = await queuedMessage(h);
    // A server that takes the whole message and then hangs up without a word.
    const mute = await startSmtpReceiver({ hangUp: true });
    const muteMailer = smtpMailer(mute.url);
    try {
      await deliverMessages({ ...h.services, mailer: muteMailer }, muteMailer);
    } finally {
      await mute.close();
    }
    const doubt = (await ok(h.api('GET', `/v1/orders/${placed.id}/messages`))).items[0];
    expect(doubt).toMatchObject({ id: message.id, status: 'unknown', attempts: 1 });
    await dispatch(h);
    expect(mailsTo(email)).toEqual([]);
    const alerts = (await ok(h.api('GET', '/v1/alerts?limit=200'))).items.filter((a: any) => a.type === 'message_unknown' && a.subjectId === message.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].details).toEqual({ messageId: message.messageId, recipient: email, kind: message.kind, orderId: placed.id });
    expect((await ok(h.api('POST', `/v1/messages/${message.id}/resend`, {}))).status).toBe('queued');
    await dispatch(h);
    expect(mailsTo(email)).toHaveLength(1);
    const again = await h.api('POST', `/v1/messages/${message.id}/resend`, {});
    expect([again.status, (again.body as any).code]).toEqual([409, 'INVALID_TRANSITION']);
  });
});
