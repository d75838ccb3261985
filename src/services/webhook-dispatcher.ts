import { randomUUID } from 'node:crypto';
import { NOTHING_ALLOWED, type AllowList } from '../domain/address-policy.js';
import { wants } from '../domain/event-types.js';
import { outcomeOf, retryDelayMs } from '../domain/retry-schedule.js';
import { signature } from '../domain/webhook-signature.js';
import { newId } from '../ids.js';
import {
  activeSubscriptions,
  claimDueDeliveries,
  claimPendingEvents,
  disableSubscription,
  insertDeliveries,
  markDispatched,
  recordAttempts,
  type AttemptResult,
  type ClaimedDelivery,
  type NewDelivery,
} from '../store/outbox.repository.js';
import type { Services } from './context.js';
import { postWebhook } from './webhook-target.js';
import { deliverMessages, planMessages } from './customer-messages.service.js';

/**
 * R12, the dispatcher: fans new events out to the webhook subscriptions that want them, then
 * delivers what is due — each attempt taken by one worker alone (outbox.repository), sent
 * outside any transaction, and recorded. A failure is retried with exponential back-off and
 * jitter until the delivery's time runs out (default 24 h), then dead-lettered; a 410 disables the
 * subscription. At least once: a worker that dies mid-attempt leaves a lease that runs out, and
 * the next attempt goes to another worker; receivers dedupe on the event id.
 */
export interface DispatcherOptions {
  readonly worker?: string;
  readonly allow?: AllowList;
  readonly batch?: number;
  readonly timeoutMs?: number;
  readonly leaseMs?: number;
  readonly deadLetterAfterMs?: number;
  readonly random?: () => number;
}

const DEFAULTS = { batch: 200, timeoutMs: 10_000, leaseMs: 30_000, deadLetterAfterMs: 24 * 3_600_000 };

/** Fans out up to `limit` events; returns how many were taken. */
export async function fanOutEvents(services: Services, opts: DispatcherOptions = {}, limit = 500): Promise<number> {
  const deadAfter = opts.deadLetterAfterMs ?? DEFAULTS.deadLetterAfterMs;
  return services.store.transact(async (tx) => {
    const events = await claimPendingEvents(tx, services.store.dialect, limit);
    if (events.length === 0) return 0;
    const now = services.now();
    const at = now.toISOString();
    const subscriptions = (await activeSubscriptions(tx, events.map((e) => e.org_id))).map((s) => ({ ...s, types: JSON.parse(s.event_types) as string[] }));
    const deliveries: NewDelivery[] = [];
    for (const e of events) {
      for (const s of subscriptions) {
        if (s.org_id !== e.org_id || !wants(s.types, e.type)) continue;
        deliveries.push({ id: newId('whd'), org_id: e.org_id, subscription_id: s.id, event_id: e.id, next_attempt_at: at, expires_at: new Date(now.getTime() + deadAfter).toISOString(), created_at: at });
      }
    }
    await insertDeliveries(tx, services.store.dialect, deliveries);
    // R11: the customer e-mails these events call for, in the same transaction.
    await planMessages(tx, services.store.dialect, events, at, { sending: services.mailer !== undefined, expiresAfterMs: deadAfter });
    await markDispatched(tx, services.store.dialect, events, at);
    return events.length;
  });
}

/** The body a receiver gets: the event as GET /v1/events shows it. */
export function webhookBody(d: Pick<ClaimedDelivery, 'event_id' | 'type' | 'org_id' | 'subject_type' | 'subject_id' | 'payload' | 'event_created_at'>): string {
  return JSON.stringify({
    id: d.event_id,
    type: d.type,
    organisation: d.org_id,
    subjectType: d.subject_type,
    subjectId: d.subject_id,
    payload: JSON.parse(d.payload) as unknown,
    createdAt: d.event_created_at,
  });
}

const RECORD_GROUP = 25;

/** What one attempt's answer means for its delivery (R12): delivered, retried after a back-off, or dead. */
function attemptResult(d: ClaimedDelivery, result: { status: number | null; error: string | null; durationMs: number }, now: Date, random: () => number): { result: AttemptResult; gone: string | null } {
  const outcome = outcomeOf(result.status);
  const base = { deliveryId: d.id, attempt: d.attempts, httpStatus: result.status, durationMs: result.durationMs };
  if (outcome.kind === 'delivered') return { result: { ...base, status: 'delivered', nextAttemptAt: null, error: null }, gone: null };
  if (outcome.kind === 'gone') return { result: { ...base, status: 'dead', nextAttemptAt: null, error: 'the receiver answered 410 Gone: subscription disabled' }, gone: d.subscription_id };
  const error = result.error ?? `HTTP ${result.status}`;
  const next = new Date(now.getTime() + retryDelayMs(d.attempts, random())).toISOString();
  return { result: next > d.expires_at ? { ...base, status: 'dead', nextAttemptAt: null, error } : { ...base, status: 'pending', nextAttemptAt: next, error }, gone: null };
}

/** Makes one attempt at up to `batch` due deliveries; returns how many were attempted. */
export async function deliverDue(services: Services, opts: DispatcherOptions = {}): Promise<number> {
  const worker = opts.worker ?? `pid-${process.pid}`;
  const leaseMs = opts.leaseMs ?? DEFAULTS.leaseMs;
  const random = opts.random ?? Math.random;
  const claimedAt = services.now();
  const claimed = await services.store.transact((tx) =>
    claimDueDeliveries(tx, services.store.dialect, worker, claimedAt.toISOString(), new Date(claimedAt.getTime() + leaseMs).toISOString(), opts.batch ?? DEFAULTS.batch),
  );
  if (claimed.length === 0) return 0;
  // Results are recorded in groups as the answers come in, not once the slowest has answered:
  // a worker that dies mid-batch leaves only the unrecorded few to be sent again.
  let waiting: { result: AttemptResult; gone: string | null }[] = [];
  let recording: Promise<void> = Promise.resolve();
  const flush = () => {
    const group = waiting;
    waiting = [];
    if (group.length === 0) return;
    recording = recording.then(() =>
      services.store.transact(async (tx) => {
        const at = services.now().toISOString();
        await recordAttempts(tx, services.store.dialect, group.map((g) => g.result), at);
        for (const id of new Set(group.flatMap((g) => (g.gone ? [g.gone] : [])))) await disableSubscription(tx, id, 'the receiver answered 410 Gone', at);
      }),
    );
  };
  await Promise.all(
    claimed.map(async (d) => {
      const body = webhookBody(d);
      const unix = Math.floor(services.now().getTime() / 1000);
      const result = await postWebhook(
        d.url,
        body,
        {
          'stockbridge-signature': signature(d.secret, body, unix),
          'stockbridge-event-id': d.event_id,
          'stockbridge-event-type': d.type,
          'stockbridge-delivery-attempt': String(d.attempts),
        },
        { allow: opts.allow ?? NOTHING_ALLOWED, timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs },
      );
      waiting.push(attemptResult(d, result, services.now(), random));
      if (waiting.length >= RECORD_GROUP) flush();
    }),
  );
  flush();
  await recording;
  return claimed.length;
}

/** The dispatcher loop inside `serve` and `stockbridge worker`: busy while there is work, polling when idle. */
export function startDispatcher(services: Services, opts: DispatcherOptions & { idleMs?: number } = {}): { stop(): Promise<void> } {
  const options = { ...opts, worker: opts.worker ?? `${process.pid}-${randomUUID().slice(0, 8)}` };
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      let worked = 0;
      try {
        worked += await fanOutEvents(services, options);
        worked += await deliverDue(services, options);
        if (services.mailer) worked += await deliverMessages(services, services.mailer);
      } catch {
        // A failed round (database busy, restarting) is retried on the next one.
      }
      if (worked === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, opts.idleMs ?? 250);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}
