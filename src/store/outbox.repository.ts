import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import { placeholders, run, valueTuples } from './precompiled.js';
import type { Database, EventsTable, WebhookDeliveriesTable, WebhookSubscriptionsTable } from './schema.js';

/**
 * R12, the outbox's rows: events waiting to be fanned out, deliveries waiting to be made. Both
 * are claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so workers never take the same rows;
 * SQLite has one writer at a time, which gives the same.
 */

export type PendingEvent = Pick<EventsTable, 'org_id' | 'id' | 'type' | 'subject_id' | 'payload'>;

/**
 * Up to `limit` events not yet fanned out. PostgreSQL: by the partial index of rows without
 * `dispatched_at`, locked so that workers never take the same ones. SQLite (one writer, ids in
 * commit order per organisation, migration 015): after each organisation's cursor, the
 * organisation served longest ago first, so a backlog in one does not hold up the others for long.
 */
export async function claimPendingEvents(tx: Kysely<Database>, dialect: Dialect, limit: number): Promise<PendingEvent[]> {
  if (dialect === 'postgres') {
    const text = 'select org_id, id, type, subject_id, payload from events where dispatched_at is null order by created_at, id limit ? for update skip locked';
    return (await run<PendingEvent>(tx, dialect, text, [limit])).rows;
  }
  const cursors = await run<{ org_id: string; after: string }>(tx, dialect, ORG_CURSORS, []);
  const events: PendingEvent[] = [];
  for (const c of cursors.rows) {
    if (events.length >= limit) break;
    events.push(...(await run<PendingEvent>(tx, dialect, EVENTS_AFTER, [c.org_id, c.after, limit - events.length])).rows);
  }
  return events;
}

const ORG_CURSORS =
  "select o.id as org_id, coalesce(c.last_id, '') as after from organisations o left join event_dispatch_cursors c on c.org_id = o.id order by c.fanned_at nulls first, o.id";
const EVENTS_AFTER = 'select org_id, id, type, subject_id, payload from events where org_id = ? and id > ? order by id limit ?';

/** Marks claimed events fanned out: `dispatched_at` on PostgreSQL, the organisations' cursors on SQLite. */
export async function markDispatched(tx: Kysely<Database>, dialect: Dialect, events: readonly PendingEvent[], at: string) {
  if (dialect === 'sqlite') {
    // Each organisation's claimed events are the first ones after its cursor, in id order.
    const last = new Map<string, string>();
    for (const e of events) if ((last.get(e.org_id) ?? '') < e.id) last.set(e.org_id, e.id);
    for (const [orgId, id] of last) await run(tx, dialect, ADVANCE_CURSOR, [orgId, id, at]);
    return;
  }
  for (let i = 0; i < events.length; i += 400) {
    const batch = events.slice(i, i + 400);
    const text = `update events set dispatched_at = ? where (org_id, id) in (values ${valueTuples(batch.length, 2)})`;
    await run(tx, dialect, text, [at, ...batch.flatMap((e) => [e.org_id, e.id])]);
  }
}

const ADVANCE_CURSOR =
  'insert into event_dispatch_cursors (org_id, last_id, fanned_at) values (?, ?, ?)' +
  ' on conflict (org_id) do update set last_id = excluded.last_id, fanned_at = excluded.fanned_at where excluded.last_id > event_dispatch_cursors.last_id';

/** How many events wait to be fanned out, per organisation or in all. */
export async function countPendingEvents(db: Kysely<Database>, dialect: Dialect, orgId?: string): Promise<number> {
  const org = orgId === undefined ? '' : dialect === 'postgres' ? ' and org_id = ?' : ' where o.id = ?';
  const text =
    dialect === 'postgres'
      ? `select count(*) as n from events where dispatched_at is null${org}`
      : `select count(e.id) as n from organisations o left join event_dispatch_cursors c on c.org_id = o.id join events e on e.org_id = o.id and e.id > coalesce(c.last_id, '')${org}`;
  return Number((await run<{ n: number | string }>(db, dialect, text, orgId === undefined ? [] : [orgId])).rows[0]!.n);
}

export async function activeSubscriptions(tx: Kysely<Database>, orgIds: readonly string[]): Promise<WebhookSubscriptionsTable[]> {
  if (orgIds.length === 0) return [];
  return tx.selectFrom('webhook_subscriptions').selectAll().where('org_id', 'in', [...new Set(orgIds)]).where('status', '=', 'active').execute();
}

export type NewDelivery = Pick<WebhookDeliveriesTable, 'id' | 'org_id' | 'subscription_id' | 'event_id' | 'next_attempt_at' | 'expires_at' | 'created_at'>;

export async function insertDeliveries(tx: Kysely<Database>, dialect: Dialect, rows: readonly NewDelivery[]) {
  for (let i = 0; i < rows.length; i += 300) {
    const batch = rows.slice(i, i + 300);
    const text =
      'insert into webhook_deliveries (id, org_id, subscription_id, event_id, status, attempts, next_attempt_at, expires_at, created_at)' +
      ` values ${batch.map(() => "(?, ?, ?, ?, 'pending', 0, ?, ?, ?)").join(',')} on conflict (subscription_id, event_id) do nothing`;
    await run(tx, dialect, text, batch.flatMap((d) => [d.id, d.org_id, d.subscription_id, d.event_id, d.next_attempt_at, d.expires_at, d.created_at]));
  }
}

export interface ClaimedDelivery {
  id: string;
  org_id: string;
  event_id: string;
  subscription_id: string;
  attempts: number;
  expires_at: string;
  url: string;
  secret: string;
  type: string;
  subject_type: string;
  subject_id: string;
  payload: string;
  event_created_at: string;
}

/**
 * Takes up to `limit` due deliveries for one attempt each: the attempt count goes up, a lease
 * keeps other workers off until `leaseUntil`, and the attempt's row is inserted — its key
 * (delivery, attempt number) is what makes an attempt one worker's alone.
 */
export async function claimDueDeliveries(tx: Kysely<Database>, dialect: Dialect, worker: string, now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
  let text =
    "select d.id from webhook_deliveries d where d.status = 'pending' and d.next_attempt_at <= ? and (d.lease_until is null or d.lease_until < ?)" +
    // A subscription switched off is sent nothing; what waits for it stays pending until it is switched on.
    " and exists (select 1 from webhook_subscriptions s where s.id = d.subscription_id and s.status = 'active')" +
    ' order by d.next_attempt_at, d.id limit ?';
  if (dialect === 'postgres') text += ' for update skip locked';
  const ids = (await run<{ id: string }>(tx, dialect, text, [now, now, limit])).rows.map((r) => r.id);
  if (ids.length === 0) return [];
  await run(tx, dialect, `update webhook_deliveries set attempts = attempts + 1, lease_until = ? where id in (${placeholders(ids.length)})`, [leaseUntil, ...ids]);
  const rows = (
    await run<ClaimedDelivery>(
      tx,
      dialect,
      'select d.id, d.org_id, d.event_id, d.subscription_id, d.attempts, d.expires_at, s.url, s.secret, e.type, e.subject_type, e.subject_id, e.payload, e.created_at as event_created_at' +
        ' from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id join events e on e.org_id = d.org_id and e.id = d.event_id' +
        ` where d.id in (${placeholders(ids.length)}) order by d.next_attempt_at, d.id`,
      ids,
    )
  ).rows;
  const attemptRows = rows.map((r) => [r.id, r.attempts, worker, now]);
  for (let i = 0; i < attemptRows.length; i += 400) {
    const batch = attemptRows.slice(i, i + 400);
    await run(tx, dialect, `insert into webhook_attempts (delivery_id, attempt, worker, started_at) values ${valueTuples(batch.length, 4)}`, batch.flat());
  }
  return rows;
}

export interface AttemptResult {
  readonly deliveryId: string;
  readonly attempt: number;
  readonly status: WebhookDeliveriesTable['status'];
  readonly nextAttemptAt: string | null;
  readonly httpStatus: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/**
 * Records attempts, set-based (two statements for a whole group). A delivery is only updated by
 * the attempt that holds it: a late finisher after a takeover changes nothing.
 */
export async function recordAttempts(tx: Kysely<Database>, dialect: Dialect, results: readonly AttemptResult[], at: string) {
  const pg = dialect === 'postgres';
  for (let i = 0; i < results.length; i += 200) {
    const batch = results.slice(i, i + 200);
    const attemptTuple = pg ? '(?::text, ?::integer, ?::integer, ?::text, ?::integer)' : '(?, ?, ?, ?, ?)';
    await run(
      tx,
      dialect,
      'update webhook_attempts set finished_at = ?, http_status = v.column3, error = v.column4, duration_ms = v.column5' +
        ` from (values ${batch.map(() => attemptTuple).join(',')}) as v where webhook_attempts.delivery_id = v.column1 and webhook_attempts.attempt = v.column2`,
      [at, ...batch.flatMap((r) => [r.deliveryId, r.attempt, r.httpStatus, r.error, r.durationMs])],
    );
    const deliveryTuple = pg ? '(?::text, ?::integer, ?::text, ?::text, ?::integer, ?::text, ?::text)' : '(?, ?, ?, ?, ?, ?, ?)';
    await run(
      tx,
      dialect,
      'update webhook_deliveries set status = v.column3, next_attempt_at = coalesce(v.column4, webhook_deliveries.next_attempt_at), lease_until = null,' +
        ' last_status = v.column5, last_error = v.column6, finished_at = v.column7' +
        ` from (values ${batch.map(() => deliveryTuple).join(',')}) as v` +
        " where webhook_deliveries.id = v.column1 and webhook_deliveries.attempts = v.column2 and webhook_deliveries.status = 'pending'",
      batch.flatMap((r) => [r.deliveryId, r.attempt, r.status, r.nextAttemptAt, r.httpStatus, r.error, r.status === 'pending' ? null : at]),
    );
  }
}

/** R12: a receiver answered 410: its subscription stops, and what still waits for it is dead-lettered. */
export async function disableSubscription(tx: Kysely<Database>, subscriptionId: string, reason: string, at: string) {
  await tx.updateTable('webhook_subscriptions').set({ status: 'disabled', disabled_reason: reason, updated_at: at }).where('id', '=', subscriptionId).execute();
  await tx
    .updateTable('webhook_deliveries')
    .set({ status: 'dead', last_error: reason, lease_until: null, finished_at: at })
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'pending')
    .execute();
}
