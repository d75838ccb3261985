import { expect, it } from 'vitest';
import { fanOutEvents } from '../../src/services/webhook-dispatcher.js';
import { ok, orderBody, seedWorld, unique } from '../support/fixtures.js';
import { describeEachStore, type Harness } from '../support/harness.js';

/**
 * R11: a merchant writes their own customer e-mail per kind and language. A template that names
 * a placeholder its kind does not have, or leaves out one it must have (the date of a backorder,
 * the R17 line of a shipment), is refused with a 4xx and changes nothing; a saved one is what the
 * next customer gets; a reset brings back the built-in text.
 */
const BODY = 'Hoi!\n\nBestelling {orderNumber} wacht nog op:\n\n{items}\n\nVerwacht: {date}.\n\n{merchant}';
const PATH = '/v1/settings/message-templates';

describeEachStore('message templates (R11)', (harness) => {
  const refused = async (h: Harness, res: Promise<{ status: number; body: any }>, status: number, code: string) => {
    const r = await res;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.code).toBe(code);
  };

  it('lists every kind in every language with its placeholders, built-in until changed', async () => {
    const h = harness();
    const list = (await ok(h.api('GET', PATH))).items;
    expect(list).toHaveLength(18);
    const backorder = list.find((t: any) => t.kind === 'backorder_created' && t.locale === 'nl');
    expect(backorder).toMatchObject({ custom: false, updatedAt: null, subject: 'Je bestelling {orderNumber}: verwacht op {date}', variables: { required: ['orderNumber', 'items', 'date'], optional: ['merchant'] } });
    expect(list.find((t: any) => t.kind === 'shipped' && t.locale === 'de').variables).toEqual({ required: ['orderNumber', 'items', 'partialShipment'], optional: ['merchant', 'tracking'] });
  });

  it.each([
    ['an unknown placeholder', { subject: 'Order {orderNumber} {date}', body: BODY.replace('{merchant}', '{customerName}') }, 422, 'TEMPLATE_VARIABLE_UNKNOWN'],
    ['no {date} in a backorder e-mail', { subject: 'Order {orderNumber}', body: BODY.replace('Verwacht: {date}.', 'Verwacht: binnenkort.') }, 422, 'TEMPLATE_VARIABLE_MISSING'],
    ['no {items}', { subject: 'Order {orderNumber} {date}', body: 'Bestelling {orderNumber}, {date}.' }, 422, 'TEMPLATE_VARIABLE_MISSING'],
    ['{items} inside a sentence', { subject: 'Order {orderNumber} {date}', body: 'Bestelling {orderNumber}: {items}, {date}.' }, 422, 'TEMPLATE_SYNTAX'],
    ['a stray brace', { subject: 'Order {orderNumber {date}', body: BODY }, 422, 'TEMPLATE_SYNTAX'],
    ['a two-line subject', { subject: 'Order {orderNumber}\n{date}', body: BODY }, 400, 'VALIDATION_FAILED'],
    ['an empty body', { subject: 'Order {orderNumber} {date}', body: '' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a 4xx and keeps the built-in text', async (_what, body, status, code) => {
    const h = harness();
    await refused(h, h.api('PUT', `${PATH}/backorder_created/nl`, body), status, code);
    expect(await ok(h.api('GET', `${PATH}/backorder_created/nl`))).toMatchObject({ custom: false });
  });

  it('refuses a shipment e-mail that leaves out the R17 line about the rest following free', async () => {
    const h = harness();
    const r = await h.api('PUT', `${PATH}/shipped/en`, { subject: 'Shipped: {orderNumber}', body: 'Shipped:\n\n{items}\n\n{tracking}' });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'TEMPLATE_VARIABLE_MISSING', details: { missing: ['partialShipment'] } });
  });

  it('an unknown locale or kind is 404 with its own code; a read-only or operator key may not write', async () => {
    const h = harness();
    const body = { subject: 'Order {orderNumber} {date}', body: BODY };
    await refused(h, h.api('PUT', `${PATH}/backorder_created/fr`, body), 404, 'UNKNOWN_LOCALE');
    await refused(h, h.api('GET', `${PATH}/welcome/en`), 404, 'UNKNOWN_MESSAGE_KIND');
    const operator = await ok(h.api('POST', '/v1/api-keys', { name: unique('op'), role: 'operator' }), 201);
    await refused(h, h.api('PUT', `${PATH}/backorder_created/nl`, body, { key: operator.key }), 403, 'FORBIDDEN');
    await refused(h, h.api('DELETE', `${PATH}/backorder_created/nl`), 404, 'NOT_FOUND');
  });

  it('a preview renders a sample order and stores nothing', async () => {
    const h = harness();
    const preview = await ok(h.api('POST', `${PATH}/shipped/nl/preview`, { subject: 'Verzonden: {orderNumber}', body: 'Onderweg:\n\n{items}\n\n{tracking}\n\n{partialShipment}' }));
    expect(preview.subject).toBe('Verzonden: SAMPLE-1001');
    expect(preview.text).toBe('Onderweg:\n\n- 2 × Sample product (SKU-1)\n- 1 × Another product (SKU-2)\n\nVervoerder PostNL, trackingnummer 3SSAMPLE123.\n\nDe rest van je bestelling volgt in een aparte zending, zonder extra verzendkosten.\n');
    expect(await ok(h.api('GET', `${PATH}/shipped/nl`))).toMatchObject({ custom: false });
    // Without a draft: the text in use, here the built-in one.
    expect((await ok(h.api('POST', `${PATH}/shipped/nl/preview`))).subject).toBe('Je bestelling SAMPLE-1001 is verzonden');
    await refused(h, h.api('POST', `${PATH}/shipped/nl/preview`, { subject: 'x {orderNumber}', body: '{items}' }), 422, 'TEMPLATE_VARIABLE_MISSING');
  });

  it('R11: the next backorder e-mail uses the saved text in the customer\'s language only; a reset brings back the built-in one', async () => {
    const h = harness();
    const merchant = unique('Templates BV');
    const { key } = await h.newOrganisation(merchant);
    await ok(h.api('PATCH', '/v1/settings', { backordersEnabled: true, cappedSalesDays: null }, { key }), 200);
    const w = await seedWorld(h, { stock: [[0]], channelKind: 'webshop', key });
    const supplier = await ok(h.api('POST', '/v1/suppliers', { name: unique('Supplier'), leadTimeDays: 7 }, { key }), 201);
    const expected = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
    await ok(h.api('POST', '/v1/purchase-orders', { number: unique('PO'), supplierId: supplier.id, location: w.locations[0], expectedDate: expected, lines: [{ sku: w.skus[0], qty: 20 }] }, { key }), 201);
    const saved = await ok(h.api('PUT', `${PATH}/backorder_created/nl`, { subject: 'Onderweg: {orderNumber} ({date})', body: BODY }, { key }));
    expect(saved).toMatchObject({ custom: true, subject: 'Onderweg: {orderNumber} ({date})' });

    const place = async (locale: string) => {
      const body = orderBody(w.channel, [{ sku: w.skus[0]!, qty: 2 }]);
      const placed = await ok(h.api('POST', '/v1/orders', { ...body, customer: { ...body.customer, locale } }, { key }), 201);
      while ((await fanOutEvents(h.services)) > 0);
      const messages = (await ok(h.api('GET', `/v1/orders/${placed.id}/messages`, undefined, { key }))).items;
      expect(messages).toHaveLength(1);
      return { placed, message: messages[0] };
    };
    const nl = await place('nl');
    const promised = nl.placed.parts.find((p: any) => p.status === 'backorder').promisedDate;
    const when = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${promised}T00:00:00Z`));
    expect(nl.message.subject).toBe(`Onderweg: ${nl.placed.externalId} (${when})`);
    expect(nl.message.text).toBe(`Hoi!\n\nBestelling ${nl.placed.externalId} wacht nog op:\n\n- 2 × Product ${w.skus[0]} (${w.skus[0]})\n\nVerwacht: ${when}.\n\n${merchant}\n`);

    const en = await place('en');
    expect(en.message.subject).toMatch(new RegExp(`^Your order ${en.placed.externalId}: expected on `));
    // The first organisation's customers are untouched by another's template.
    expect(await ok(h.api('GET', `${PATH}/backorder_created/nl`))).toMatchObject({ custom: false });

    expect(await ok(h.api('DELETE', `${PATH}/backorder_created/nl`, undefined, { key }))).toMatchObject({ custom: false });
    const again = await place('nl');
    expect(again.message.subject).toMatch(new RegExp(`^Je bestelling ${again.placed.externalId}: verwacht op `));
  });
});
