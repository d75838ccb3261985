import { lookup } from 'node:dns/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NOTHING_ALLOWED } from '../../src/domain/address-policy.js';
import { verifySignature } from '../../src/domain/webhook-signature.js';
import type { Services } from '../../src/services/context.js';
import { deliverDue, fanOutEvents, type DispatcherOptions } from '../../src/services/webhook-dispatcher.js';
import { refusedTarget } from '../../src/services/webhook-target.js';
import { claimDueDeliveries, recordAttempts } from '../../src/store/outbox.repository.js';
import { snapshot } from '../support/db-snapshot.js';
import { ok, unique } from '../support/fixtures.js';
import { describeEachStore, type Harness } from '../support/harness.js';

/**
 * R12 through HTTP: webhook subscriptions (secret shown once, event types and targets checked),
 * and their delivery by the dispatcher (fanOutEvents, deliverDue) to receivers on 127.0.0.1 —
 * the one address the harness allows. Signed, retried with back-off, not redirected, disabled by
 * a 410, dead-lettered after the delivery's time limit, replayed on request, at least once with a
 * stable event id when a worker dies mid-attempt.
 *
 * The organisation is shared by every test in this file, so each test uses its own path on the
 * receiver and its own events, and fans out what is pending before it subscribes. Time passes by
 * handing the dispatcher a copy of the services with another clock.
 */

interface Hit {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly eventId: string;
}
type Answer = (req: IncomingMessage, res: ServerResponse) => void;
const status =
  (code: number, headers: Record<string, string> = {}): Answer =>
  (_req, res) =>
    res.writeHead(code, headers).end();

/** One local receiver; every test gets its own path on it. */
function localReceiver() {
  const answers = new Map<string, Answer>();
  const hits: Hit[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '';
      hits.push({ path, headers: req.headers, body, eventId: String(req.headers['stockbridge-event-id'] ?? '') });
      (answers.get(path) ?? status(404))(req, res);
    });
  });
  let origin = '';
  return {
    start: () =>
      new Promise<void>((resolve) =>
        server.listen(0, '127.0.0.1', () => {
          const a = server.address();
          origin = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
          resolve();
        }),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    get port() {
      return Number(new URL(origin).port);
    },
    /** A fresh path answering with `answer`. */
    route(answer: Answer = status(204)) {
      const path = `/${unique('hook')}`;
      answers.set(path, answer);
      return {
        path,
        url: origin + path,
        hits: () => hits.filter((h) => h.path === path),
        answer: (a: Answer) => answers.set(path, a),
      };
    },
    /** An answer that never comes (until `release`). */
    hold: ((_req, res) => void held.push(res)) as Answer,
    held: () => held,
    /** After a test: every path answers 204 and held requests are let go, so later rounds stay quick. */
    reset() {
      for (const p of answers.keys()) answers.set(p, status(204));
      for (const res of held.splice(0)) res.destroy();
    },
  };
}

const SECOND = 1_000;
const HOUR = 3_600_000;
const later = (h: Harness, at: Date): Services => ({ ...h.services, now: () => at });
const plus = (at: Date | string, ms: number) => new Date(new Date(at).getTime() + ms);

describeEachStore('webhooks (R12)', (harness) => {
  const receiver = localReceiver();
  beforeAll(() => receiver.start());
  afterEach(() => receiver.reset());
  afterAll(() => receiver.stop());

  const dispatch = (h: Harness, extra: DispatcherOptions = {}): DispatcherOptions => ({ allow: h.services.webhooks!.allow, timeoutMs: 5 * SECOND, ...extra });

  async function fanOutAll(h: Harness) {
    while ((await fanOutEvents(h.services)) > 0);
  }

  /** Subscribes after fanning out what is pending, so the subscription only sees what comes next. */
  async function subscribe(h: Harness, url: string, eventTypes: string[] = ['product.created']) {
    await fanOutAll(h);
    return ok<{ id: string; secret: string; url: string; eventTypes: string[]; status: string }>(h.api('POST', '/v1/webhooks', { url, eventTypes }), 201);
  }

  /** A new product: one product.created event; returns its SKU and event id. */
  async function productEvent(h: Harness) {
    const sku = unique('WH').toUpperCase();
    await ok(h.api('POST', '/v1/products', { sku, name: `Hooked ${sku}` }), 201);
    const e = await h.services.store.db.selectFrom('events').select('id').where('org_id', '=', h.orgId).where('type', '=', 'product.created').where('subject_id', '=', sku).executeTakeFirstOrThrow();
    return { sku, eventId: e.id };
  }

  async function deliveriesOf(h: Harness, subscriptionId: string) {
    return (await ok(h.api('GET', `/v1/webhook-deliveries?subscription=${subscriptionId}&limit=200`))).items as any[];
  }

  async function deliveryOf(h: Harness, subscriptionId: string, eventId: string) {
    const list = (await deliveriesOf(h, subscriptionId)).filter((d) => d.eventId === eventId);
    expect(list).toHaveLength(1);
    return ok(h.api('GET', `/v1/webhook-deliveries/${list[0].id}`));
  }

  describe('subscriptions', () => {
    it('R12: creation returns the signing secret once; GET, the list and the webhook.created event never show it', async () => {
      const h = harness();
      const hook = receiver.route();
      const sub = await subscribe(h, hook.url, ['product.created', 'order.created', 'product.created']);
      expect(sub).toMatchObject({ url: hook.url, eventTypes: ['product.created', 'order.created'], status: 'active' });
      expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

      const got = await ok(h.api('GET', `/v1/webhooks/${sub.id}`));
      expect(got).toMatchObject({ id: sub.id, url: hook.url, status: 'active' });
      expect(got).not.toHaveProperty('secret');
      const listed = (await ok(h.api('GET', '/v1/webhooks'))).items.find((s: any) => s.id === sub.id);
      expect(listed).toBeDefined();
      expect(listed).not.toHaveProperty('secret');
      const events = await h.services.store.db.selectFrom('events').select(['type', 'payload']).where('org_id', '=', h.orgId).where('subject_id', '=', sub.id).execute();
      expect(events.map((e) => e.type)).toEqual(['webhook.created']);
      expect(events[0]!.payload).not.toContain(sub.secret);

      const other = await subscribe(h, hook.url);
      expect(other.secret).not.toBe(sub.secret);
    });

    it('R12: unknown event types are refused with 422 UNKNOWN_EVENT_TYPE, naming them, and nothing is stored', async () => {
      const h = harness();
      const hook = receiver.route();
      const before = await snapshot(h);
      for (const eventTypes of [['order.exploded'], ['product.created', 'Product.Created'], ['*', 'nope']]) {
        const res = await h.api('POST', '/v1/webhooks', { url: hook.url, eventTypes });
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.code).toBe('UNKNOWN_EVENT_TYPE');
        expect(res.body.details.eventTypes).toEqual(eventTypes.filter((t) => t !== '*' && t !== 'product.created'));
      }
      expect(await snapshot(h)).toEqual(before);
    });

    it('R12: URLs that cannot be webhook targets are refused with 422 WEBHOOK_TARGET_REFUSED (400 where the schema refuses), and nothing is stored', async () => {
      const h = harness();
      const hook = receiver.route();
      const before = await snapshot(h);
      const refused = [
        'ftp://127.0.0.1/hook',
        'file:///etc/passwd',
        'javascript:alert(1)',
        `http://user:secret@127.0.0.1:${receiver.port}/hook`,
        `http://127.0.0.1:${receiver.port}/hook#part`,
        'not a url',
        'http://',
      ];
      for (const url of refused) {
        const res = await h.api('POST', '/v1/webhooks', { url, eventTypes: ['product.created'] });
        expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(422);
        expect(res.body.code).toBe('WEBHOOK_TARGET_REFUSED');
        expect(res.body.details.url).toBe(url);
      }
      for (const body of [{ url: '', eventTypes: ['product.created'] }, { url: hook.url, eventTypes: [] }, { url: hook.url }, { url: hook.url, eventTypes: ['product.created'], secret: 'mine' }, { url: 42, eventTypes: ['*'] }]) {
        const res = await h.api('POST', '/v1/webhooks', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      expect(await snapshot(h)).toEqual(before);
    });

    it('R12: private, loopback, link-local and metadata targets are refused although 127.0.0.1 itself is allowed', async () => {
      const h = harness();
      const before = await snapshot(h);
      const targets = [
        'http://10.0.0.1/',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]:1234/',
        'http://127.0.0.2:1234/',
        'http://192.168.1.1/hook',
        'http://172.16.0.1/hook',
        'http://100.64.0.1/hook',
        'http://0.0.0.0:1234/',
        'http://[fd00::1]/hook',
        'http://[fe80::1]/hook',
        'http://[::ffff:169.254.169.254]/',
        'http://[::ffff:10.0.0.1]/',
        'https://10.0.0.1/',
      ];
      for (const url of targets) {
        const res = await h.api('POST', '/v1/webhooks', { url, eventTypes: ['*'] });
        expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(422);
        expect(res.body.code).toBe('WEBHOOK_TARGET_REFUSED');
        expect(res.body.detail).toMatch(/loopback, private, link-local, metadata or reserved/);
      }
      expect(await snapshot(h)).toEqual(before);
    });

    it('R12: http://localhost is judged by every address the name resolves to: allowed only if all are 127.0.0.1, refused without an allow-list', async () => {
      const h = harness();
      const addresses = (await lookup('localhost', { all: true })).map((a) => a.address);
      const res = await h.api('POST', '/v1/webhooks', { url: 'http://localhost:1234/', eventTypes: ['product.created'] });
      if (addresses.every((a) => a === '127.0.0.1')) {
        // This resolver answers 127.0.0.1 alone (no ::1): the allow-list covers it.
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        await ok(h.api('PATCH', `/v1/webhooks/${res.body.id}`, { status: 'disabled' }));
      } else {
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.code).toBe('WEBHOOK_TARGET_REFUSED');
        expect(res.body.detail).toContain(addresses.find((a) => a !== '127.0.0.1'));
      }
      expect(await refusedTarget('http://localhost:1234/', NOTHING_ALLOWED)).toMatch(/^localhost \(.+\) is a loopback/);
    });

    it('R12: changing a subscription to a private URL is refused and changes nothing', async () => {
      const h = harness();
      const hook = receiver.route();
      const sub = await subscribe(h, hook.url);
      const before = await snapshot(h);
      const res = await h.api('PATCH', `/v1/webhooks/${sub.id}`, { url: 'http://169.254.169.254/latest/meta-data' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('WEBHOOK_TARGET_REFUSED');
      expect(await snapshot(h)).toEqual(before);
      expect((await ok(h.api('GET', `/v1/webhooks/${sub.id}`))).url).toBe(hook.url);
    });

    it('R12, §4: only admin keys create, change or replay webhooks (403 for operator and read-only keys, nothing stored); every role may read them', async () => {
      const h = harness();
      const hook = receiver.route();
      const sub = await subscribe(h, hook.url);
      const operator = await ok(h.api('POST', '/v1/api-keys', { name: unique('hooks-operator'), role: 'operator' }), 201);
      const readOnly = await ok(h.api('POST', '/v1/api-keys', { name: unique('hooks-reader'), role: 'read-only' }), 201);
      const before = await snapshot(h);
      for (const key of [operator.key, readOnly.key]) {
        for (const [method, path, body] of [
          ['POST', '/v1/webhooks', { url: hook.url, eventTypes: ['*'] }],
          ['PATCH', `/v1/webhooks/${sub.id}`, { status: 'disabled' }],
          ['POST', '/v1/webhook-deliveries/whd_unknown/replay', undefined],
        ] as const) {
          const res = await h.api(method, path, body, { key });
          expect(res.status, `${method} ${path}`).toBe(403);
          expect(res.body.code).toBe('FORBIDDEN');
        }
        expect((await ok(h.api('GET', `/v1/webhooks/${sub.id}`, undefined, { key }))).id).toBe(sub.id);
        await ok(h.api('GET', '/v1/webhook-deliveries?status=dead', undefined, { key }));
      }
      expect(await snapshot(h)).toEqual(before);
    });
  });

  describe('delivery', () => {
    it('R12: a subscription gets the events of its types only, one delivery per (subscription, event) however often the events are fanned out, with the event id, type and a valid signature', async () => {
      const h = harness();
      const one = receiver.route(status(200));
      const all = receiver.route(status(200));
      const products = await subscribe(h, one.url, ['product.created']);
      const everything = await subscribe(h, all.url, ['*']);
      const { sku, eventId } = await productEvent(h);
      await ok(h.api('PATCH', `/v1/products/${sku}`, { name: 'Renamed' }));
      await ok(h.api('POST', '/v1/suppliers', { name: unique('Hooked supplier'), leadTimeDays: 10 }), 201);

      // Twice at once, once more, and once after the event is marked pending again (as after a restore).
      await Promise.all([fanOutEvents(h.services), fanOutEvents(h.services)]);
      await fanOutAll(h);
      await markPendingAgain(h, eventId);
      await fanOutAll(h);

      const forProducts = await deliveriesOf(h, products.id);
      expect(forProducts.map((d) => d.eventId)).toEqual([eventId]);
      expect(forProducts[0]).toMatchObject({ status: 'pending', attempts: 0 });
      const everyType = await deliveriesOf(h, everything.id);
      expect(everyType).toHaveLength(3 + 1); // product.created, product.updated, supplier.created, and the webhook.created of `everything` itself
      expect(new Set(everyType.map((d) => d.eventId)).size).toBe(everyType.length);

      const sentAt = new Date();
      await deliverDue(later(h, sentAt), dispatch(h));
      await deliverDue(later(h, sentAt), dispatch(h));
      expect(one.hits()).toHaveLength(1);
      const [hit] = one.hits();
      const event = JSON.parse(hit!.body);
      expect(event).toMatchObject({ id: eventId, type: 'product.created', organisation: h.orgId, subjectType: 'product', subjectId: sku });
      expect(hit!.headers).toMatchObject({
        'content-type': 'application/json',
        'stockbridge-event-id': eventId,
        'stockbridge-event-type': 'product.created',
        'stockbridge-delivery-attempt': '1',
      });
      const header = String(hit!.headers['stockbridge-signature']);
      expect(header).toMatch(new RegExp(`^t=${Math.floor(sentAt.getTime() / 1000)},v1=[0-9a-f]{64}$`));
      expect(verifySignature(header, hit!.body, products.secret, Math.floor(Date.now() / 1000))).toEqual({ ok: true });
      expect(verifySignature(header, hit!.body, everything.secret, Math.floor(Date.now() / 1000))).toEqual({ ok: false, reason: 'mismatch' });

      expect(all.hits().map((x) => x.headers['stockbridge-event-type']).sort()).toEqual(['product.created', 'product.updated', 'supplier.created', 'webhook.created']);
      expect((await deliveryOf(h, products.id, eventId)).attemptLog).toMatchObject([{ attempt: 1, httpStatus: 200, error: null }]);
      expect((await deliveriesOf(h, products.id))[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, nextAttemptAt: null });
    });

    it('R12: a receiver answering 500 is retried with exponential back-off, not before, and every attempt is logged', async () => {
      const h = harness();
      const hook = receiver.route(status(500));
      const sub = await subscribe(h, hook.url);
      const { eventId } = await productEvent(h);
      await fanOutAll(h);

      const t0 = new Date();
      await deliverDue(later(h, t0), dispatch(h));
      let d = await deliveryOf(h, sub.id, eventId);
      expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500' });
      const wait1 = new Date(d.nextAttemptAt).getTime() - t0.getTime();
      expect(wait1).toBeGreaterThanOrEqual(2_500);
      expect(wait1).toBeLessThanOrEqual(5_000);

      await deliverDue(later(h, plus(d.nextAttemptAt, -1)), dispatch(h));
      expect(hook.hits()).toHaveLength(1);
      expect((await deliveryOf(h, sub.id, eventId)).attempts).toBe(1);

      const t1 = new Date(d.nextAttemptAt);
      await deliverDue(later(h, t1), dispatch(h));
      d = await deliveryOf(h, sub.id, eventId);
      expect(d).toMatchObject({ status: 'pending', attempts: 2, lastStatus: 500 });
      const wait2 = new Date(d.nextAttemptAt).getTime() - t1.getTime();
      expect(wait2).toBeGreaterThanOrEqual(5_000);
      expect(wait2).toBeLessThanOrEqual(10_000);

      hook.answer(status(202));
      await deliverDue(later(h, new Date(d.nextAttemptAt)), dispatch(h));
      d = await deliveryOf(h, sub.id, eventId);
      expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 202, lastError: null, nextAttemptAt: null });
      expect(d.attemptLog.map((a: any) => [a.attempt, a.httpStatus, a.error])).toEqual([
        [1, 500, 'HTTP 500'],
        [2, 500, 'HTTP 500'],
        [3, 202, null],
      ]);
      expect(d.attemptLog.every((a: any) => a.finishedAt !== null && a.durationMs >= 0)).toBe(true);
      expect(hook.hits().map((x) => [x.eventId, x.headers['stockbridge-delivery-attempt']])).toEqual([
        [eventId, '1'],
        [eventId, '2'],
        [eventId, '3'],
      ]);
    });

    it('R12: a receiver that does not answer in time, or drops the connection, is retried and then delivered', async () => {
      const h = harness();
      const slow = receiver.route(receiver.hold);
      const rude = receiver.route((req) => req.socket.destroy());
      const slowSub = await subscribe(h, slow.url);
      const rudeSub = await subscribe(h, rude.url);
      const { eventId } = await productEvent(h);
      await fanOutAll(h);

      const t0 = new Date();
      await deliverDue(later(h, t0), dispatch(h, { timeoutMs: 200 }));
      const slowD = await deliveryOf(h, slowSub.id, eventId);
      const rudeD = await deliveryOf(h, rudeSub.id, eventId);
      expect(slowD).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null, lastError: 'no answer within 200 ms' });
      expect(rudeD).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
      expect(rudeD.lastError).toMatch(/socket hang up|ECONNRESET/);
      expect(slowD.attemptLog[0].durationMs).toBeGreaterThanOrEqual(150);

      slow.answer(status(204));
      rude.answer(status(204));
      await deliverDue(later(h, plus(t0, 5 * SECOND)), dispatch(h));
      expect(await deliveryOf(h, slowSub.id, eventId)).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });
      expect(await deliveryOf(h, rudeSub.id, eventId)).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });
      expect(slow.hits().map((x) => x.eventId)).toEqual([eventId, eventId]);
      expect(rude.hits().map((x) => x.eventId)).toEqual([eventId, eventId]);
    });

    it('R12: a redirect is not followed: a 3xx is a failed attempt and the Location is never requested', async () => {
      const h = harness();
      const elsewhere = receiver.route(status(200));
      const moved = receiver.route(status(301, { location: elsewhere.url }));
      const temporary = receiver.route(status(307, { location: elsewhere.url }));
      const movedSub = await subscribe(h, moved.url);
      const temporarySub = await subscribe(h, temporary.url);
      const { eventId } = await productEvent(h);
      await fanOutAll(h);

      await deliverDue(later(h, new Date()), dispatch(h));
      for (const [sub, code] of [
        [movedSub, 301],
        [temporarySub, 307],
      ] as const) {
        const d = await deliveryOf(h, sub.id, eventId);
        expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: code, lastError: `redirect to ${elsewhere.url} not followed` });
      }
      expect(moved.hits()).toHaveLength(1);
      expect(temporary.hits()).toHaveLength(1);
      expect(elsewhere.hits()).toHaveLength(0);
    });

    it('R12: a 410 disables the subscription, dead-letters what still waits for it, and it gets no new deliveries', async () => {
      const h = harness();
      const hook = receiver.route(status(500));
      const sub = await subscribe(h, hook.url);
      const first = await productEvent(h);
      await fanOutAll(h);
      const t0 = new Date();
      await deliverDue(later(h, t0), dispatch(h));
      const retry = await deliveryOf(h, sub.id, first.eventId);
      expect(retry).toMatchObject({ status: 'pending', attempts: 1 });

      hook.answer(status(410));
      const second = await productEvent(h);
      await fanOutAll(h);
      // The first delivery waits for its back-off (≥ 2.5 s): only the second is due now.
      const t1 = new Date();
      expect(t1.getTime()).toBeLessThan(new Date(retry.nextAttemptAt).getTime());
      await deliverDue(later(h, t1), dispatch(h));
      expect(hook.hits().map((x) => x.eventId)).toEqual([first.eventId, second.eventId]);

      const gone = await ok(h.api('GET', `/v1/webhooks/${sub.id}`));
      expect(gone).toMatchObject({ status: 'disabled', disabledReason: 'the receiver answered 410 Gone' });
      expect(await deliveryOf(h, sub.id, second.eventId)).toMatchObject({ status: 'dead', attempts: 1, lastStatus: 410, nextAttemptAt: null });
      expect(await deliveryOf(h, sub.id, first.eventId)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'the receiver answered 410 Gone', nextAttemptAt: null });

      await productEvent(h);
      await fanOutAll(h);
      expect(await deliveriesOf(h, sub.id)).toHaveLength(2);
      await deliverDue(later(h, plus(t0, HOUR)), dispatch(h));
      expect(hook.hits()).toHaveLength(2);
    });

    it('R12: a subscription switched off through the API is sent nothing, not even what was waiting for a retry; switched on again, that is delivered', async () => {
      const h = harness();
      const hook = receiver.route(status(500));
      const sub = await subscribe(h, hook.url);
      const { eventId } = await productEvent(h);
      await fanOutAll(h);
      const t0 = new Date();
      await deliverDue(later(h, t0), dispatch(h));
      const retry = await deliveryOf(h, sub.id, eventId);
      expect(retry).toMatchObject({ status: 'pending', attempts: 1 });

      await ok(h.api('PATCH', `/v1/webhooks/${sub.id}`, { status: 'disabled' }));
      hook.answer(status(200));
      await productEvent(h);
      await fanOutAll(h);
      await deliverDue(later(h, new Date(retry.nextAttemptAt)), dispatch(h));
      expect(hook.hits()).toHaveLength(1);
      expect(await deliveriesOf(h, sub.id)).toHaveLength(1);
      expect(await deliveryOf(h, sub.id, eventId)).toMatchObject({ status: 'pending', attempts: 1 });

      await ok(h.api('PATCH', `/v1/webhooks/${sub.id}`, { status: 'active' }));
      await deliverDue(later(h, new Date(retry.nextAttemptAt)), dispatch(h));
      expect(await deliveryOf(h, sub.id, eventId)).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200 });
      expect(hook.hits().map((x) => x.eventId)).toEqual([eventId, eventId]);
    });

    it('R12: a delivery still failing after its time limit is dead, listed as a dead letter, replayed only while dead and its subscription active, and then delivered', async () => {
      const h = harness();
      const hook = receiver.route(status(503));
      const sub = await subscribe(h, hook.url);
      const { eventId } = await productEvent(h);
      await fanOutAll(h);

      await deliverDue(later(h, plus(new Date(), 25 * HOUR)), dispatch(h));
      const dead = await deliveryOf(h, sub.id, eventId);
      expect(dead).toMatchObject({ status: 'dead', attempts: 1, lastStatus: 503, lastError: 'HTTP 503', nextAttemptAt: null });
      expect(dead.finishedAt).not.toBeNull();
      const deadLetters = await ok(h.api('GET', `/v1/webhook-deliveries?status=dead&subscription=${sub.id}`));
      expect(deadLetters.items.map((d: any) => d.id)).toEqual([dead.id]);
      expect(await ok(h.api('GET', '/v1/webhook-deliveries?status=pending&subscription=' + sub.id))).toMatchObject({ items: [] });

      // A delivery that is not dead cannot be replayed.
      const waiting = await productEvent(h);
      await fanOutAll(h);
      const pending = await deliveryOf(h, sub.id, waiting.eventId);
      const notDead = await h.api('POST', `/v1/webhook-deliveries/${pending.id}/replay`);
      expect(notDead.status).toBe(409);
      expect(notDead.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'pending' } });
      expect((await h.api('POST', '/v1/webhook-deliveries/whd_nothing/replay')).status).toBe(404);

      // Nor one whose subscription is switched off, until it is switched on again.
      await ok(h.api('PATCH', `/v1/webhooks/${sub.id}`, { status: 'disabled' }));
      const disabled = await h.api('POST', `/v1/webhook-deliveries/${dead.id}/replay`);
      expect(disabled.status).toBe(409);
      expect(disabled.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { subscriptionId: sub.id } });
      expect((await deliveryOf(h, sub.id, eventId)).status).toBe('dead');
      await ok(h.api('PATCH', `/v1/webhooks/${sub.id}`, { status: 'active' }));

      const replayed = await ok(h.api('POST', `/v1/webhook-deliveries/${dead.id}/replay`));
      expect(replayed).toMatchObject({ id: dead.id, status: 'pending', attempts: 1, finishedAt: null });
      expect((await h.api('POST', `/v1/webhook-deliveries/${dead.id}/replay`)).status).toBe(409);

      hook.answer(status(200));
      await deliverDue(later(h, new Date()), dispatch(h));
      const delivered = await deliveryOf(h, sub.id, eventId);
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200 });
      expect(delivered.attemptLog.map((a: any) => a.httpStatus)).toEqual([503, 200]);
      expect((await h.api('POST', `/v1/webhook-deliveries/${dead.id}/replay`)).body).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'delivered' } });
      expect(hook.hits().filter((x) => x.eventId === eventId)).toHaveLength(2);
    });

    it('R12: a target allowed at creation is refused at delivery when the dispatcher may not reach its address; the receiver gets nothing and the attempt records why', async () => {
      const h = harness();
      const hook = receiver.route(status(200));
      const sub = await subscribe(h, hook.url);
      const { eventId } = await productEvent(h);
      await fanOutAll(h);

      const t0 = new Date();
      await deliverDue(later(h, t0), dispatch(h, { allow: NOTHING_ALLOWED }));
      let d = await deliveryOf(h, sub.id, eventId);
      expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
      expect(d.lastError).toBe('127.0.0.1 is a loopback, private, link-local, metadata or reserved address');
      expect(d.attemptLog[0].error).toBe(d.lastError);

      // A host name is checked on the connection's own lookup.
      await h.services.store.db.updateTable('webhook_subscriptions').set({ url: `http://localhost:${receiver.port}${hook.path}` }).where('id', '=', sub.id).execute();
      await deliverDue(later(h, new Date(d.nextAttemptAt)), dispatch(h, { allow: NOTHING_ALLOWED }));
      d = await deliveryOf(h, sub.id, eventId);
      expect(d).toMatchObject({ status: 'pending', attempts: 2, lastStatus: null });
      expect(d.lastError).toMatch(/^localhost resolves to .+, which webhooks may not reach$/);
      expect(hook.hits()).toHaveLength(0);
    });
  });

  describe('organisations', () => {
    it("R12, §4: an organisation's subscription gets only its own events, and another organisation can neither read nor change nor replay its subscriptions and deliveries", async () => {
      const h = harness();
      const ours = receiver.route(status(200));
      const theirs = receiver.route(status(500));
      const other = await h.newOrganisation(unique('Other merchant'));
      await fanOutAll(h);
      const theirSub = await ok(h.api('POST', '/v1/webhooks', { url: theirs.url, eventTypes: ['*'] }, { key: other.key }), 201);
      const sub = await subscribe(h, ours.url);
      const { eventId } = await productEvent(h);
      await ok(h.api('POST', '/v1/products', { sku: unique('THEIRS').toUpperCase(), name: 'theirs' }, { key: other.key }), 201);
      await fanOutAll(h);
      await deliverDue(later(h, new Date()), dispatch(h));

      expect(ours.hits().map((x) => x.eventId)).toEqual([eventId]);
      expect(theirs.hits().length).toBeGreaterThan(0);
      const ourEvents = new Set((await h.services.store.db.selectFrom('events').select('id').where('org_id', '=', h.orgId).execute()).map((e) => e.id));
      expect(theirs.hits().filter((x) => ourEvents.has(x.eventId))).toEqual([]);
      expect(theirs.hits().every((x) => JSON.parse(x.body).organisation === other.orgId)).toBe(true);

      const ourDelivery = await deliveryOf(h, sub.id, eventId);
      const before = await snapshot(h);
      for (const [method, path, body] of [
        ['GET', `/v1/webhooks/${sub.id}`, undefined],
        ['PATCH', `/v1/webhooks/${sub.id}`, { status: 'disabled' }],
        ['GET', `/v1/webhook-deliveries/${ourDelivery.id}`, undefined],
        ['POST', `/v1/webhook-deliveries/${ourDelivery.id}/replay`, undefined],
      ] as const) {
        const res = await h.api(method, path, body, { key: other.key });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      expect(await snapshot(h)).toEqual(before);
      expect((await ok(h.api('GET', '/v1/webhooks', undefined, { key: other.key }))).items.map((s: any) => s.id)).toEqual([theirSub.id]);
      expect((await ok(h.api('GET', `/v1/webhook-deliveries?subscription=${sub.id}`, undefined, { key: other.key }))).items).toEqual([]);
      expect((await ok(h.api('GET', `/v1/webhook-deliveries?subscription=${theirSub.id}`))).items).toEqual([]);
    });
  });

  describe('at least once', () => {
    it('R12: a worker that dies mid-attempt loses the delivery when its lease runs out; another worker makes attempt 2 with the same event id, and the late result of attempt 1 changes nothing', async () => {
      const h = harness();
      const hook = receiver.route(receiver.hold);
      const sub = await subscribe(h, hook.url);
      const { eventId } = await productEvent(h);
      await fanOutAll(h);

      const t0 = new Date();
      const stuck = deliverDue(later(h, t0), dispatch(h, { worker: 'worker-a', leaseMs: 50, timeoutMs: 30 * SECOND }));
      await expect.poll(() => hook.hits().length).toBe(1);

      // Within the lease nobody else takes it.
      hook.answer(status(200));
      await deliverDue(later(h, plus(t0, 49)), dispatch(h, { worker: 'worker-b' }));
      expect(hook.hits()).toHaveLength(1);

      await deliverDue(later(h, plus(t0, SECOND)), dispatch(h, { worker: 'worker-b' }));
      expect(hook.hits().map((x) => [x.eventId, x.headers['stockbridge-delivery-attempt']])).toEqual([
        [eventId, '1'],
        [eventId, '2'],
      ]);
      // The receiver dedupes on the event id: both requests are the same event.
      expect(new Set(hook.hits().map((x) => x.eventId)).size).toBe(1);
      expect(await deliveryOf(h, sub.id, eventId)).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200 });

      // Attempt 1 finally fails; it is logged, but the delivery stays as attempt 2 left it.
      receiver.held().splice(0).forEach((res) => res.writeHead(500).end());
      await stuck;
      const d = await deliveryOf(h, sub.id, eventId);
      expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200, lastError: null });
      expect(d.attemptLog.map((a: any) => [a.attempt, a.worker, a.httpStatus])).toEqual([
        [1, 'worker-a', 500],
        [2, 'worker-b', 200],
      ]);
    });

    it('R12: recordAttempts only lets the attempt that holds the delivery change it, even while that attempt is still pending', async () => {
      const h = harness();
      const hook = receiver.route();
      const sub = await subscribe(h, hook.url);
      const { eventId } = await productEvent(h);
      await fanOutAll(h);
      const { store } = h.services;
      const claim = (worker: string, at: Date, leaseMs: number) =>
        store.transact((tx) => claimDueDeliveries(tx, store.dialect, worker, at.toISOString(), plus(at, leaseMs).toISOString(), 500));
      const mine = (rows: { id: string; event_id: string; subscription_id: string }[]) => rows.filter((r) => r.subscription_id === sub.id && r.event_id === eventId);

      const t0 = new Date();
      const [first] = mine(await claim('dies', t0, 100));
      expect(first).toMatchObject({ attempts: 1, url: hook.url, type: 'product.created' });
      expect(mine(await claim('too-early', plus(t0, 100), 100))).toEqual([]);
      const [second] = mine(await claim('takes-over', plus(t0, 101), 30 * SECOND));
      expect(second).toMatchObject({ id: first!.id, attempts: 2 });

      const result = (attempt: number, s: 'delivered' | 'pending') => ({ deliveryId: first!.id, attempt, status: s, nextAttemptAt: null, httpStatus: s === 'delivered' ? 200 : 500, error: null, durationMs: 5 });
      await store.transact((tx) => recordAttempts(tx, store.dialect, [result(1, 'delivered')], plus(t0, 200).toISOString()));
      const row = () => store.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', first!.id).executeTakeFirstOrThrow();
      expect(await row()).toMatchObject({ status: 'pending', attempts: 2, lease_until: plus(t0, 101 + 30 * SECOND).toISOString(), last_status: null, finished_at: null });

      await store.transact((tx) => recordAttempts(tx, store.dialect, [result(2, 'delivered')], plus(t0, 300).toISOString()));
      expect(await row()).toMatchObject({ status: 'delivered', attempts: 2, lease_until: null, last_status: 200 });
      expect((await deliveryOf(h, sub.id, eventId)).attemptLog.map((a: any) => [a.attempt, a.worker, a.httpStatus])).toEqual([
        [1, 'dies', 200],
        [2, 'takes-over', 200],
      ]);
      expect(hook.hits()).toHaveLength(0);
    });
  });
});

/**
 * The event is to be fanned out again, as after a restore: without `dispatched_at` on
 * PostgreSQL; on SQLite the organisation's cursor goes back to just before it (migration 015),
 * so every later event is pending again too.
 */
async function markPendingAgain(h: Harness, eventId: string) {
  const { db, dialect } = h.services.store;
  if (dialect === 'postgres') {
    await db.updateTable('events').set({ dispatched_at: null }).where('org_id', '=', h.orgId).where('id', '=', eventId).execute();
    return;
  }
  const before = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).where('org_id', '=', h.orgId).where('id', '<', eventId).executeTakeFirst();
  await db.updateTable('event_dispatch_cursors').set({ last_id: before?.id ?? '' }).where('org_id', '=', h.orgId).execute();
}
