import { Socket } from 'node:net';
import type { Kysely } from 'kysely';
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { AppError } from '../domain/app-error.js';
import { renderMessage, type MessageKind } from '../domain/customer-messages.js';
import { retryDelayMs } from '../domain/retry-schedule.js';
import { newId } from '../ids.js';
import { raise } from './alerts.service.js';
import type { Dialect } from '../store/db.js';
import type { PendingEvent } from '../store/outbox.repository.js';
import { placeholders, run } from '../store/precompiled.js';
import type { CustomerMessagesTable, Database } from '../store/schema.js';
import type { Caller, Services } from './context.js';
import { customTemplates, templateFor } from './message-templates.service.js';

/**
 * R11: customer e-mails, made from the outbox's order events when the dispatcher fans them out
 * (so a message exists exactly when its change committed), stored whether or not they are sent,
 * and sent over SMTP by the same workers.
 *
 * Never the same e-mail twice, even when a worker dies at any moment, and none lost in silence:
 * - one message per (event, kind), by key;
 * - the SMTP server takes a message only at its end of data (the lone "." line). The sender lets
 *   the connection write the whole message, marks it `committing` in the database, and only
 *   then gives the end of data. A worker found dead while `sending` never gave the server its
 *   end of data: the message goes out again, with the same Message-ID.
 * - Past that mark only the server knows: a worker found dead while `committing`, or a
 *   connection that broke after the end of data without an answer, leaves the message
 *   `unknown`. An alert names its Message-ID to look up in the server's log, and a person resends
 *   it (POST /v1/messages/{id}/resend) only if it is not there. No database commit and SMTP end
 *   of data can happen at once, so this is the narrowest honest window: the time between the
 *   mark's commit and the server's answer.
 */
export interface OutgoingMail {
  readonly from: string;
  readonly replyTo: string | null;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
}

export class AfterEndOfData extends Error {}

export interface Mailer {
  /** Sends the mail; `commit` runs when everything but the end of data is written. Throws AfterEndOfData when the outcome is unknown. */
  send(mail: OutgoingMail, commit: () => Promise<void>): Promise<void>;
  close(): void;
}

/**
 * SMTP over `SMTP_URL` (smtp://user:pass@host:port, smtps://… for TLS from the start), with
 * nodemailer's composer and connection. One connection is kept open between messages (a burst of
 * backorder mails after a receipt is one session, not a handshake per mail) and closed after
 * `idleMs` without a message or on any error. A kept connection the server has closed meanwhile
 * fails before anything was handed over: that message goes once more, on a new connection.
 */
export function smtpMailer(url: string, opts: { idleMs?: number } = {}): Mailer {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  const options = { host: u.hostname, port: Number(u.port || (secure ? 465 : 587)), secure, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
  const auth = u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : null;
  const idleMs = opts.idleMs ?? 5_000;
  let kept: { connection: SMTPConnection; idle: NodeJS.Timeout | null } | null = null;

  /** Forgets the kept connection: with QUIT when it is idle and well, cut when something failed. */
  const drop = (polite = false) => {
    if (!kept) return;
    if (kept.idle) clearTimeout(kept.idle);
    if (polite) kept.connection.quit();
    else kept.connection.close();
    kept = null;
  };
  const open = async (): Promise<SMTPConnection> => {
    // No Nagle delay: the end of data is a few bytes written after the body, and waiting for the
    // body's ACK (which the server delays) costs 40 ms a message. (nodemailer connects a socket it
    // is given without TLS, so smtps:// keeps its own.)
    const socket = new Socket();
    socket.setNoDelay(true);
    const connection = new SMTPConnection(secure ? options : { ...options, socket });
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => {
        connection.removeListener('error', reject);
        resolve();
      });
    });
    // Between messages nobody listens: a dropped connection is noticed by the next send.
    connection.on('error', () => {});
    connection.once('end', () => {
      if (kept?.connection === connection) drop();
    });
    if (auth) {
      try {
        await new Promise<void>((resolve, reject) => connection.login(auth, (err) => (err ? reject(err) : resolve())));
      } catch (err) {
        connection.close();
        throw err;
      }
    }
    return connection;
  };

  return {
    send: async (m, commit) => {
      const raw = await new MailComposer({ from: m.from, replyTo: m.replyTo ?? undefined, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId }).compile().build();
      if (kept?.idle) clearTimeout(kept.idle);
      const reused = kept !== null;
      let handedOver = false;
      const mark = async () => {
        handedOver = true;
        await commit();
      };
      for (let attempt = 0; ; attempt++) {
        const connection = kept?.connection ?? (await open());
        kept = { connection, idle: null };
        try {
          await transfer(connection, addressOf(m.from), m.to, raw, mark);
          kept.idle = setTimeout(() => drop(true), idleMs);
          kept.idle.unref();
          return;
        } catch (err) {
          drop();
          if (!(reused && attempt === 0 && !handedOver)) throw err;
        }
      }
    },
    close: () => drop(true),
  };
}

/**
 * One message over an open connection. The body as the connection pulls it: the first read (the
 * server said 354 and the connection is writing the data) gets the whole message; the next one
 * means it is all written, so the hand-over is recorded (`commit`), and only then does the end
 * of data follow. No answer after the end of data is AfterEndOfData: only the server knows.
 */
async function transfer(connection: SMTPConnection, from: string, to: string, raw: Buffer, commit: () => Promise<void>): Promise<void> {
  let ended = false;
  let step = 0;
  const data = new Readable({
    read() {
      if (step === 0) {
        step = 1;
        this.push(raw);
      } else if (step === 1) {
        step = 2;
        commit().then(
          () => {
            ended = true;
            this.push(null);
          },
          (err: Error) => this.destroy(err),
        );
      }
    },
  });
  let fail: (err: Error) => void = () => {};
  let closed: () => void = () => {};
  try {
    await new Promise<void>((resolve, reject) => {
      // After the end of data, an answer with a code (450, 554…) is the server refusing the mail:
      // it did not take it. Only no answer at all (a cut connection, a timeout) leaves it in doubt.
      fail = (err: Error & { responseCode?: number }) => reject(ended && err.responseCode === undefined ? new AfterEndOfData(err.message) : err);
      closed = () => fail(new Error('the SMTP server closed the connection'));
      // A dropped connection is reported as an event, not always through the send callback.
      connection.on('error', fail);
      connection.once('end', closed);
      connection.send({ from, to: [to] }, data, (err) => (err ? fail(err) : resolve()));
    });
  } finally {
    connection.removeListener('error', fail);
    connection.removeListener('end', closed);
  }
}

/** The bare address of a From header ("Shop" <a@b> → a@b). */
const addressOf = (from: string) => /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();

interface Trigger {
  readonly kind: MessageKind;
  readonly orderId: string;
  readonly partId: string;
  readonly date?: string | null;
  readonly partial?: boolean;
  readonly carrier?: string | null;
  readonly trackingNumber?: string | null;
}

/** Which order events a customer hears of (R11), and what about. */
function triggerOf(e: PendingEvent): Omit<Trigger, 'kind'> & { kind: MessageKind | 'backordered' } | null {
  const p = JSON.parse(e.payload) as Record<string, unknown>;
  const orderId = String(p.orderId ?? e.subject_id);
  switch (e.type) {
    case 'order.backordered':
      return { kind: 'backordered', orderId, partId: String(p.partId), date: (p.promisedDate as string | null) ?? null };
    case 'order.promise_changed':
      // Only a later date (or a lost one) is news worth a message; an earlier date comes true anyway.
      return p.later === true && p.previousDate !== null ? { kind: 'delayed', orderId, partId: String(p.partId), date: (p.promisedDate as string | null) ?? null } : null;
    case 'order.part_allocated':
      return { kind: 'allocated', orderId, partId: String(p.openPartId) };
    case 'order.part_shipped':
      return { kind: 'shipped', orderId, partId: String(p.partId), partial: p.partial === true, carrier: (p.carrier as string | null) ?? null, trackingNumber: (p.trackingNumber as string | null) ?? null };
    case 'order.part_cancelled':
      return { kind: 'cancelled', orderId, partId: String(p.partId) };
    default:
      return null;
  }
}

const EMAIL_BY_DEFAULT = new Set(['webshop', 'b2b']);

/** In the fan-out's transaction: the messages the events call for. */
export async function planMessages(tx: Kysely<Database>, dialect: Dialect, events: readonly PendingEvent[], at: string, opts: { sending: boolean; expiresAfterMs: number }) {
  const triggers = events.flatMap((e) => {
    const t = triggerOf(e);
    return t ? [{ event: e, t }] : [];
  });
  if (triggers.length === 0) return;
  const orderIds = [...new Set(triggers.map((x) => x.t.orderId))];
  const partIds = [...new Set(triggers.map((x) => x.t.partId))];
  const orders = new Map(
    (
      await run<{ id: string; org_id: string; external_id: string; email: string; locale: string; channel_kind: string; customer_emails: number | null; merchant: string; email_from: string | null }>(
        tx,
        dialect,
        'select o.id, o.org_id, o.external_id, cu.email, cu.locale, c.kind as channel_kind, c.customer_emails, org.name as merchant, org.email_from' +
          ` from orders o join customers cu on cu.id = o.customer_id join channels c on c.id = o.channel_id join organisations org on org.id = o.org_id where o.id in (${placeholders(orderIds.length)})`,
        orderIds,
      )
    ).rows.map((o) => [o.id, o]),
  );
  const lines = await run<{ part_id: string; qty: number; sku: string; name: string; preorder: number }>(
    tx,
    dialect,
    'select pl.part_id, sum(pl.qty) as qty, p.sku, p.name, op.preorder from part_lines pl join products p on p.id = pl.product_id join order_parts op on op.id = pl.part_id' +
      ` where pl.part_id in (${placeholders(partIds.length)}) group by pl.part_id, p.sku, p.name, op.preorder order by p.sku`,
    partIds,
  );
  const templates = await customTemplates(tx, [...new Set([...orders.values()].map((o) => o.org_id))]);
  const byPart = new Map<string, { items: string[]; preorder: boolean }>();
  for (const l of lines.rows) {
    const part = byPart.get(l.part_id) ?? { items: [], preorder: l.preorder === 1 };
    part.items.push(`${Number(l.qty)} × ${l.name} (${l.sku})`);
    byPart.set(l.part_id, part);
  }
  const rows: CustomerMessagesTable[] = [];
  for (const { event, t } of triggers) {
    const order = orders.get(t.orderId);
    const part = byPart.get(t.partId);
    if (!order || !part) continue;
    const on = order.customer_emails === null ? EMAIL_BY_DEFAULT.has(order.channel_kind) : order.customer_emails === 1;
    if (!on) continue;
    const kind: MessageKind = t.kind === 'backordered' ? (part.preorder ? 'preorder_confirmed' : 'backorder_created') : t.kind;
    const rendered = renderMessage(kind, order.locale, {
      merchant: order.merchant,
      orderNumber: order.external_id,
      items: part.items,
      ...(t.date !== undefined ? { date: t.date } : {}),
      partial: t.partial,
      carrier: t.carrier,
      trackingNumber: t.trackingNumber,
    }, templateFor(templates, order.org_id, kind, order.locale));
    const id = newId('msg');
    rows.push({
      id,
      org_id: order.org_id,
      order_id: order.id,
      event_id: event.id,
      kind,
      locale: order.locale,
      recipient: order.email,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      message_id: `<${id}@${domainOf(order.email_from)}>`,
      status: opts.sending ? 'queued' : 'logged',
      attempts: 0,
      next_attempt_at: at,
      expires_at: new Date(Date.parse(at) + opts.expiresAfterMs).toISOString(),
      lease_until: null,
      sent_at: null,
      error: null,
      created_at: at,
    });
  }
  for (const r of rows) {
    await tx.insertInto('customer_messages').values(r).onConflict((oc) => oc.columns(['event_id', 'kind']).doNothing()).execute();
  }
}

const domainOf = (from: string | null) => /@([A-Za-z0-9.-]+)>?\s*$/.exec(from ?? '')?.[1] ?? 'stockbridge.invalid';

const LEASE_MS = 60_000;

/** Sends what is due, one message at a time, each recorded as soon as the SMTP server has answered. */
export async function deliverMessages(services: Services, mailer: Mailer, opts: { batch?: number; random?: () => number; leaseMs?: number } = {}): Promise<number> {
  const dialect = services.store.dialect;
  const now = services.now();
  const at = now.toISOString();
  const db = services.store.db;
  const claimed = await services.store.transact(async (tx) => {
    // Workers that died: before the end of data nothing reached the customer; after it, it did.
    await tx.updateTable('customer_messages').set({ status: 'queued', lease_until: null, next_attempt_at: at }).where('status', '=', 'sending').where('lease_until', '<', at).execute();
    const doubt = await tx
      .updateTable('customer_messages')
      .set({ status: 'unknown', lease_until: null, error: 'the sender stopped while the SMTP server was taking the message' })
      .where('status', '=', 'committing')
      .where('lease_until', '<', at)
      .returning(['id', 'org_id', 'order_id', 'kind', 'recipient', 'message_id'])
      .execute();
    for (const m of doubt) await inDoubt(tx, dialect, m, at);
    let text = "select id from customer_messages where status = 'queued' and next_attempt_at <= ? order by next_attempt_at, id limit ?";
    if (dialect === 'postgres') text += ' for update skip locked';
    const ids = (await run<{ id: string }>(tx, dialect, text, [at, opts.batch ?? 50])).rows.map((r) => r.id);
    if (ids.length === 0) return [];
    await tx
      .updateTable('customer_messages')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), lease_until: new Date(now.getTime() + (opts.leaseMs ?? services.webhooks?.leaseMs ?? LEASE_MS)).toISOString() }))
      .where('id', 'in', ids)
      .execute();
    return tx
      .selectFrom('customer_messages as m')
      .innerJoin('organisations as o', 'o.id', 'm.org_id')
      .select(['m.id', 'm.org_id', 'm.order_id', 'm.kind', 'm.attempts', 'm.expires_at', 'm.recipient', 'm.subject', 'm.text_body', 'm.html_body', 'm.message_id', 'o.name', 'o.email_from', 'o.email_reply_to'])
      .where('m.id', 'in', ids)
      .execute();
  });
  for (const m of claimed) {
    const mine = (q: ReturnType<typeof db.updateTable<'customer_messages'>>) => q.where('id', '=', m.id).where('attempts', '=', m.attempts);
    let error: unknown = null;
    try {
      await mailer.send(
        {
          from: m.email_from ?? `"${m.name.replace(/"/g, '')}" <no-reply@stockbridge.invalid>`,
          replyTo: m.email_reply_to,
          to: m.recipient,
          subject: m.subject,
          text: m.text_body,
          html: m.html_body,
          messageId: m.message_id,
        },
        async () => {
          await mine(db.updateTable('customer_messages').set({ status: 'committing' })).where('status', '=', 'sending').execute();
        },
      );
    } catch (err) {
      error = err;
    }
    const done = services.now();
    if (error === null) {
      await mine(db.updateTable('customer_messages').set({ status: 'sent', sent_at: done.toISOString(), error: null, lease_until: null })).where('status', 'in', ['sending', 'committing']).execute();
      continue;
    }
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof AfterEndOfData) {
      // The server had the whole message; whether it took it, only it knows.
      await services.store.transact(async (tx) => {
        await mine(tx.updateTable('customer_messages').set({ status: 'unknown', error: `no answer after the end of data: ${reason}`, lease_until: null })).execute();
        await inDoubt(tx, dialect, m, done.toISOString());
      });
      continue;
    }
    const retryAt = new Date(done.getTime() + retryDelayMs(m.attempts, (opts.random ?? Math.random)())).toISOString();
    const next = retryAt > m.expires_at ? { status: 'failed' as const, error: reason } : { status: 'queued' as const, next_attempt_at: retryAt, error: reason };
    await mine(db.updateTable('customer_messages').set({ ...next, lease_until: null })).where('status', 'in', ['sending', 'committing']).execute();
  }
  return claimed.length;
}

/** A message the SMTP server may or may not have taken: an alert names its Message-ID, to look up in the server's log before a resend. */
async function inDoubt(tx: Kysely<Database>, dialect: Dialect, m: Pick<CustomerMessagesTable, 'id' | 'org_id' | 'order_id' | 'kind' | 'recipient' | 'message_id'>, at: string) {
  await raise(tx, dialect, m.org_id, at, {
    type: 'message_unknown',
    subjectType: 'message',
    subjectId: m.id,
    message: `An e-mail to ${m.recipient} may or may not have been accepted by the SMTP server. Look for Message-ID ${m.message_id} in the server's log; resend it (POST /v1/messages/${m.id}/resend) only if it is not there.`,
    details: { messageId: m.message_id, recipient: m.recipient, kind: m.kind, orderId: m.order_id },
  });
}

export interface MessageView {
  id: string;
  kind: string;
  status: CustomerMessagesTable['status'];
  recipient: string;
  locale: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attempts: number;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

const toView = (m: CustomerMessagesTable): MessageView => ({
  id: m.id,
  kind: m.kind,
  status: m.status,
  recipient: m.recipient,
  locale: m.locale,
  subject: m.subject,
  text: m.text_body,
  html: m.html_body,
  messageId: m.message_id,
  attempts: m.attempts,
  error: m.error,
  createdAt: m.created_at,
  sentAt: m.sent_at,
});

/** GET /v1/orders/{id}/messages: every message of the order, oldest first. */
export async function orderMessages(services: Services, caller: Caller, orderId: string): Promise<MessageView[]> {
  const order = await services.store.db.selectFrom('orders').select('id').where('org_id', '=', caller.orgId).where('id', '=', orderId).executeTakeFirst();
  if (!order) throw new AppError('NOT_FOUND', `No order with id '${orderId}'.`);
  const rows = await services.store.db.selectFrom('customer_messages').selectAll().where('org_id', '=', caller.orgId).where('order_id', '=', orderId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toView);
}

/** A message in doubt (`unknown`) or `failed` is sent again on a person's say-so. */
export async function resendMessage(services: Services, caller: Caller, id: string): Promise<MessageView> {
  const at = services.now().toISOString();
  const r = await services.store.db
    .updateTable('customer_messages')
    .set({ status: 'queued', next_attempt_at: at, expires_at: new Date(Date.parse(at) + 86_400_000).toISOString(), error: null })
    .where('org_id', '=', caller.orgId)
    .where('id', '=', id)
    .where('status', 'in', ['unknown', 'failed'])
    .executeTakeFirst();
  const row = await services.store.db.selectFrom('customer_messages').selectAll().where('org_id', '=', caller.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `No message ${id}.`);
  if (r.numUpdatedRows !== 1n) throw new AppError('INVALID_TRANSITION', `Only a message in doubt (unknown) or failed is resent; this one is ${row.status}.`, { status: row.status });
  return toView(row);
}
