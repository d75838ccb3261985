/**
 * R12's delivery guarantees, checked from what a receiver saw and what the database holds after
 * the dispatcher ran: every event delivered at least once, no attempt made twice, each attempt
 * known to the database, a new attempt only after the previous one failed or its lease ran out,
 * and copies of one event carrying the same body (so a receiver can dedupe on the event id).
 * Each check returns its violations (empty when it holds), so one run reports all of them.
 */
import type { Store } from '../../src/store/db.js';
import { countPendingEvents } from '../../src/store/outbox.repository.js';
import type { ReceivedRequest } from './webhook-receiver.js';

export interface OutboxRows {
  readonly eventIds: string[];
  readonly undispatched: number;
  readonly deliveries: { id: string; event_id: string; status: string; attempts: number }[];
  readonly attempts: { delivery_id: string; attempt: number; worker: string; started_at: string; finished_at: string | null; http_status: number | null; error: string | null }[];
}

/** The subscription's events (of these types, written after `afterEventId`), its deliveries and their attempts. */
export async function readOutbox({ db, dialect }: Store, orgId: string, subscriptionId: string, eventTypes: readonly string[], afterEventId = ''): Promise<OutboxRows> {
  const events = await db.selectFrom('events').select(['id', 'dispatched_at']).where('org_id', '=', orgId).where('type', 'in', eventTypes).where('id', '>', afterEventId).execute();
  // Pending: without dispatched_at on PostgreSQL, after the organisation's cursor on SQLite (migration 015).
  const cursor = dialect === 'sqlite' ? ((await db.selectFrom('event_dispatch_cursors').select('last_id').where('org_id', '=', orgId).executeTakeFirst())?.last_id ?? '') : null;
  const pending = (e: { id: string; dispatched_at: string | null }) => (cursor === null ? e.dispatched_at === null : e.id > cursor);
  const deliveries = await db.selectFrom('webhook_deliveries').select(['id', 'event_id', 'status', 'attempts']).where('subscription_id', '=', subscriptionId).execute();
  const attempts = await db
    .selectFrom('webhook_attempts')
    .innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_attempts.delivery_id')
    .select(['delivery_id', 'attempt', 'worker', 'started_at', 'webhook_attempts.finished_at', 'http_status', 'error'])
    .where('subscription_id', '=', subscriptionId)
    .execute();
  return { eventIds: events.map((e) => e.id), undispatched: events.filter(pending).length, deliveries, attempts };
}

/** What is still to do for the subscription: events not fanned out, deliveries not delivered. */
export async function outstandingWork({ db, dialect }: Store, orgId: string, subscriptionId: string): Promise<number> {
  const events = await countPendingEvents(db, dialect, orgId);
  const deliveries = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subscription_id', '=', subscriptionId)
    .where('status', '!=', 'delivered')
    .executeTakeFirstOrThrow();
  return events + Number(deliveries.n);
}

const pair = (eventId: string, attempt: number) => `${eventId}#${attempt}`;
const first = <T>(xs: T[], n = 20) => xs.slice(0, n);

/** No two requests the receiver got carry the same (event id, attempt number): no attempt was made twice. */
export function attemptsMadeTwice(requests: readonly ReceivedRequest[]): string[] {
  const seen = new Map<string, number>();
  for (const r of requests) seen.set(pair(r.eventId, r.attempt), (seen.get(pair(r.eventId, r.attempt)) ?? 0) + 1);
  return first([...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} received ${n} times`));
}

/** Written events no complete request carried, and event ids the receiver got that were never written. */
export function lostAndUnknownEvents(requests: readonly ReceivedRequest[], eventIds: readonly string[]): { lost: string[]; unknown: string[] } {
  const complete = new Set(requests.filter((r) => r.body !== null).map((r) => r.eventId));
  const written = new Set(eventIds);
  return { lost: first(eventIds.filter((id) => !complete.has(id))), unknown: first([...new Set(requests.map((r) => r.eventId))].filter((id) => !written.has(id))) };
}

/** Every request the receiver got is an attempt the database recorded for that event's delivery. */
export function attemptsUnknownToTheDatabase(requests: readonly ReceivedRequest[], rows: OutboxRows): string[] {
  const deliveryOf = new Map(rows.deliveries.map((d) => [d.id, d.event_id]));
  const recorded = new Set(rows.attempts.map((a) => pair(deliveryOf.get(a.delivery_id) ?? '?', a.attempt)));
  return first(requests.filter((r) => !recorded.has(pair(r.eventId, r.attempt))).map((r) => pair(r.eventId, r.attempt)));
}

/**
 * Each delivery's attempts are numbered 1..attempts with none missing, the last one is the 2xx
 * that delivered it, and attempt n+1 started only after attempt n recorded a failure or after
 * attempt n's lease (started + leaseMs) had run out.
 */
export function attemptHistoryViolations(rows: OutboxRows, leaseMs: number): string[] {
  const byDelivery = new Map<string, OutboxRows['attempts']>();
  for (const a of rows.attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
  const out: string[] = [];
  for (const d of rows.deliveries) {
    const list = (byDelivery.get(d.id) ?? []).sort((x, y) => x.attempt - y.attempt);
    const numbers = list.map((a) => a.attempt).join(',');
    const expected = Array.from({ length: d.attempts }, (_, i) => i + 1).join(',');
    if (numbers !== expected) out.push(`${d.id}: attempts ${d.attempts}, attempt rows [${numbers}]`);
    const last = list.at(-1);
    if (d.status === 'delivered' && (last?.http_status === null || last === undefined || last.http_status < 200 || last.http_status >= 300)) {
      out.push(`${d.id}: delivered, but its last attempt recorded ${JSON.stringify(last)}`);
    }
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!;
      const next = list[i]!;
      const failed = before.finished_at !== null && before.finished_at <= next.started_at && (before.http_status === null || before.http_status < 200 || before.http_status >= 300);
      const leaseRanOut = Date.parse(next.started_at) - Date.parse(before.started_at) >= leaseMs;
      if (!failed && !leaseRanOut) out.push(`${d.id}: attempt ${next.attempt} began ${next.started_at}, attempt ${before.attempt} (${JSON.stringify(before)}) had neither failed nor lost its lease`);
    }
  }
  return first(out);
}

/** Copies of one event (retries after a crash) carry the same body, whose id is the header's: deduping on the event id is safe. */
export function copiesThatDiffer(requests: readonly ReceivedRequest[]): string[] {
  const bodyOf = new Map<string, string>();
  const out: string[] = [];
  for (const r of requests) {
    if (r.body === null) continue;
    if ((JSON.parse(r.body) as { id?: string }).id !== r.eventId) out.push(`${pair(r.eventId, r.attempt)}: body id differs from the header`);
    const seen = bodyOf.get(r.eventId);
    if (seen === undefined) bodyOf.set(r.eventId, r.body);
    else if (seen !== r.body) out.push(`${pair(r.eventId, r.attempt)}: body differs from an earlier copy`);
  }
  return first(out);
}

/** Complete requests beyond one per event: what at-least-once cost, and what the receiver dedupes away. */
export function duplicatesByEventId(requests: readonly ReceivedRequest[]): { extraCopies: number; eventsReceivedMoreThanOnce: number } {
  const count = new Map<string, number>();
  for (const r of requests) if (r.body !== null) count.set(r.eventId, (count.get(r.eventId) ?? 0) + 1);
  let extraCopies = 0;
  let eventsReceivedMoreThanOnce = 0;
  for (const n of count.values()) {
    extraCopies += n - 1;
    if (n > 1) eventsReceivedMoreThanOnce++;
  }
  return { extraCopies, eventsReceivedMoreThanOnce };
}
