import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifySignature } from '../../src/domain/webhook-signature.js';
import { deliverDue, fanOutEvents } from '../../src/services/webhook-dispatcher.js';
import { describeEachStore } from '../support/harness.js';
import { ok } from '../support/fixtures.js';

/** R12 end to end: a subscription on a local receiver gets the events, signed, once each. */
describeEachStore('webhooks (R12)', (harness) => {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const a = server.address();
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('R12: a subscribed receiver gets each event once, signed with the secret shown at creation', async () => {
    const h = harness();
    await fanOutEvents(h.services);
    const sub = await ok(h.api('POST', '/v1/webhooks', { url, eventTypes: ['product.created'] }), 201);
    expect(sub.secret).toMatch(/^whsec_/);
    expect((await ok(h.api('GET', `/v1/webhooks/${sub.id}`))).secret).toBeUndefined();
    await ok(h.api('POST', '/v1/products', { sku: `WH-${Date.now()}`, name: 'hooked' }), 201);
    received.length = 0;
    await fanOutEvents(h.services);
    expect(await deliverDue(h.services, { allow: h.services.webhooks!.allow })).toBe(1);
    expect(received).toHaveLength(1);
    const [got] = received;
    const event = JSON.parse(got!.body);
    expect(event.type).toBe('product.created');
    expect(got!.headers['stockbridge-event-id']).toBe(event.id);
    expect(verifySignature(String(got!.headers['stockbridge-signature']), got!.body, sub.secret, Math.floor(Date.now() / 1000))).toEqual({ ok: true });
    expect(await deliverDue(h.services, { allow: h.services.webhooks!.allow })).toBe(0);
  });
});
