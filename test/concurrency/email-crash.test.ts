/**
 * R11 (issue 5): customer e-mails under crashes. Real `stockbridge worker` processes on one
 * database send the messages of 300 backorders to an SMTP server in this process (smtp-server,
 * answering after 0–40 ms so that kills land inside SMTP transactions), and are SIGKILLed at
 * random moments, two at a time; a last worker then runs until nothing is left to send.
 * No e-mail reaches the server twice. A worker that died before the end of data sent nothing,
 * and the message goes again. A message whose worker died while the server was taking it is
 * `unknown`, with an alert naming its Message-ID. The test does what the alert asks a person to
 * do: it looks the id up in the server's log (here, what this SMTP server received) and resends
 * only those that are not there. After that, every e-mail has been received exactly once.
 * Run `npm run build` first.
 */
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createChannel } from '../../src/services/channels.service.js';
import type { Caller, Services } from '../../src/services/context.js';
import { createLocation } from '../../src/services/locations.service.js';
import { placeOrder } from '../../src/services/order-intake.service.js';
import { createOrganisation, updateSettings } from '../../src/services/organisations.service.js';
import { resendMessage } from '../../src/services/customer-messages.service.js';
import { createProduct } from '../../src/services/products.service.js';
import { createPurchaseOrder, createSupplier } from '../../src/services/purchasing.service.js';
import { fanOutEvents } from '../../src/services/webhook-dispatcher.js';
import { openStore, type Store } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { DIALECTS } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { prng } from './processes.js';
import { killHard, spawnWorker, stopGracefully, type WorkerProcess } from './webhook-workers.js';

const ORDERS = 300;
const BUDGET_MS = 25_000;

for (const dialect of DIALECTS) {
  const run = dialect === 'sqlite' || inject('pgAvailable') ? describe : describe.skip;
  run(`R11 crash safety: customer e-mails with workers SIGKILLed at random [${dialect}]`, () => {
    let database: TestDatabase;
    let store: Store;
    let smtp: SMTPServer;
    let port = 0;
    const received = new Map<string, number>();
    const random = prng(Number(process.env.EMAIL_CRASH_SEED ?? 20261201));

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      store = openStore({ url: database.url, pgPoolSize: 2 });
      await migrateToLatest(store.db);
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, _session, callback) {
          let raw = '';
          stream.setEncoding('utf8');
          stream.on('data', (c: string) => (raw += c));
          stream.on('end', () => {
            const id = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? 'none';
            // Counted when the server accepts (its 250 follows the callback).
            setTimeout(() => {
              received.set(id, (received.get(id) ?? 0) + 1);
              callback();
            }, Math.floor(random() * 40));
          });
        },
      });
      // Killed workers reset their connections: the server reports each as an error event.
      smtp.on('error', () => {});
      await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
      port = (smtp.server.address() as { port: number }).port;
    }, 60_000);

    afterAll(async () => {
      await new Promise<void>((r) => smtp.close(() => r()));
      await store?.close();
      await database?.drop();
    }, 30_000);

    it(`${ORDERS} backorder e-mails, workers killed at random: each e-mail received exactly once`, async () => {
      const org = await createOrganisation(store, `Email crash ${dialect}`);
      const services: Services = { store, now: () => new Date() };
      const caller: Caller = { orgId: org.orgId, role: 'admin', keyId: org.adminKey.id };
      await updateSettings(services, caller, { backordersEnabled: true, cappedSalesDays: null });
      await createLocation(services, caller, { code: 'dc', name: 'DC', kind: 'warehouse', country: 'NL' });
      await createChannel(services, caller, { code: 'shop', name: 'Shop', kind: 'webshop', acceptsBackorders: true, locations: ['dc'] });
      await createProduct(services, caller, { sku: 'CASE-1', name: 'Case', price: 20, cost: 5 });
      const supplier = await createSupplier(services, caller, { name: 'Supplier', leadTimeDays: 7 });
      await createPurchaseOrder(services, caller, { number: 'PO-1', supplierId: supplier.id, location: 'dc', expectedDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10), lines: [{ sku: 'CASE-1', qty: 1000 }] });
      for (let i = 0; i < ORDERS; i++) {
        await placeOrder(services, caller, { channel: 'shop', externalId: `W-${i}`, customer: { id: `c-${i}`, email: `c${i}@example.com`, locale: 'en', country: 'NL' }, lines: [{ sku: 'CASE-1', qty: 1, unitPrice: 20 }] });
      }
      // The messages exist once the events are fanned out (no SMTP here: that is the workers' part).
      while ((await fanOutEvents({ ...services, mailer: { send: async () => {}, close: () => {} } })) > 0);
      const rows = await store.db.selectFrom('customer_messages').select(['id', 'message_id', 'status']).where('org_id', '=', org.orgId).execute();
      expect(rows).toHaveLength(ORDERS);
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['queued']));

      const env = { SMTP_URL: `smtp://127.0.0.1:${port}`, WEBHOOK_LEASE_MS: '1500' };
      const started = Date.now();
      let kills = 0;
      let killedWithWork = 0;
      const live: Promise<void>[] = [];
      const cycle = async () => {
        while (Date.now() - started < BUDGET_MS) {
          const w: WorkerProcess = spawnWorker(database.url, env);
          await w.ready.catch(() => {});
          await new Promise((r) => setTimeout(r, 50 + Math.floor(random() * 400)));
          const before = [...received.values()].reduce((a, n) => a + n, 0);
          await killHard(w);
          kills++;
          if (before < ORDERS) killedWithWork++;
          const left = await store.db.selectFrom('customer_messages').select('id').where('org_id', '=', org.orgId).where('status', 'in', ['queued', 'sending', 'committing']).limit(1).execute();
          if (left.length === 0) break;
        }
      };
      live.push(cycle(), cycle());
      await Promise.all(live);

      const last = spawnWorker(database.url, env);
      const settle = async () => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const left = await store.db.selectFrom('customer_messages').select('id').where('org_id', '=', org.orgId).where('status', 'in', ['queued', 'sending', 'committing']).execute();
          if (left.length === 0 || Date.now() > deadline) return;
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      await settle();
      const mid = await store.db.selectFrom('customer_messages').select(['id', 'message_id', 'status', 'attempts']).where('org_id', '=', org.orgId).execute();
      const statuses = mid.reduce<Record<string, number>>((a, r) => ({ ...a, [r.status]: (a[r.status] ?? 0) + 1 }), {});
      const doubtful = mid.filter((r) => r.status === 'unknown');
      // Every message in doubt has its alert; the person looks it up in the server's log.
      const alerts = await store.db.selectFrom('alerts').select(['subject_id', 'message']).where('org_id', '=', org.orgId).where('type', '=', 'message_unknown').execute();
      expect(doubtful.filter((r) => !alerts.some((a) => a.subject_id === r.id && a.message.includes(r.message_id))), 'an alert names each one in doubt').toEqual([]);
      const notThere = doubtful.filter((r) => (received.get(r.message_id) ?? 0) === 0);
      for (const r of notThere) await resendMessage(services, caller, r.id);
      await settle();
      expect((await stopGracefully(last)).code, 'the last worker stops cleanly').toBe(0);

      const after = await store.db.selectFrom('customer_messages').select(['message_id', 'status', 'attempts', 'error']).where('org_id', '=', org.orgId).execute();
      console.info(
        `[email-crash ${dialect}] ${kills} SIGKILLs (${killedWithWork} with mail still to send) in ${Date.now() - started} ms; statuses then ${JSON.stringify(statuses)};` +
          ` ${mid.filter((r) => r.attempts > 1).length} messages needed more than one attempt; ${doubtful.length} in doubt, ${notThere.length} of them not in the server's log and resent`,
      );
      expect(kills, 'the run killed workers').toBeGreaterThanOrEqual(10);
      expect(Object.keys(statuses).filter((s) => s !== 'sent' && s !== 'unknown'), 'every message ends sent or in doubt').toEqual([]);
      expect(after.filter((r) => r.status !== 'sent' && !(r.status === 'unknown' && (received.get(r.message_id) ?? 0) === 1)), 'after the resends, all sent (or in doubt and in the log)').toEqual([]);
      const twice = after.filter((r) => (received.get(r.message_id) ?? 0) > 1).map((r) => r.message_id);
      const never = after.filter((r) => (received.get(r.message_id) ?? 0) === 0).map((r) => r.message_id);
      expect(twice, 'no e-mail reached the SMTP server twice').toEqual([]);
      expect(never, 'every e-mail reached the SMTP server').toEqual([]);
      expect([...received.keys()].filter((id) => !after.some((r) => r.message_id === id)), 'nothing else was sent').toEqual([]);
    }, 180_000);
  });
}
