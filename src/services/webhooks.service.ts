import { randomBytes } from 'node:crypto';
import { NOTHING_ALLOWED } from '../domain/address-policy.js';
import { AppError } from '../domain/app-error.js';
import { EVENT_TYPES, isEventType } from '../domain/event-types.js';
import { newId } from '../ids.js';
import { appendEvents } from '../store/events.repository.js';
import type { WebhookDeliveriesTable, WebhookSubscriptionsTable } from '../store/schema.js';
import type { Caller, Services } from './context.js';
import { refusedTarget } from './webhook-target.js';

/** R12: webhook subscriptions, their deliveries and the dead letters. */

export interface SubscriptionView {
  id: string;
  url: string;
  eventTypes: string[];
  status: WebhookSubscriptionsTable['status'];
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

const toView = (s: WebhookSubscriptionsTable): SubscriptionView => ({
  id: s.id,
  url: s.url,
  eventTypes: JSON.parse(s.event_types) as string[],
  status: s.status,
  disabledReason: s.disabled_reason,
  createdAt: s.created_at,
  updatedAt: s.updated_at,
});

function checkTypes(types: readonly string[]) {
  const unknown = types.filter((t) => t !== '*' && !isEventType(t));
  if (unknown.length > 0) {
    throw new AppError('UNKNOWN_EVENT_TYPE', `Unknown event type: ${unknown.join(', ')}. Known: ${EVENT_TYPES.join(', ')}, or "*".`, { eventTypes: unknown });
  }
}

async function checkTarget(services: Services, url: string) {
  const reason = await refusedTarget(url, services.webhooks?.allow ?? NOTHING_ALLOWED);
  if (reason) throw new AppError('WEBHOOK_TARGET_REFUSED', `Webhooks cannot be sent to ${url}: ${reason}.`, { url });
}

export async function createSubscription(services: Services, caller: Caller, input: { url: string; eventTypes: string[] }): Promise<SubscriptionView & { secret: string }> {
  checkTypes(input.eventTypes);
  await checkTarget(services, input.url);
  const at = services.now().toISOString();
  const row: WebhookSubscriptionsTable = {
    id: newId('whk'),
    org_id: caller.orgId,
    url: input.url,
    event_types: JSON.stringify([...new Set(input.eventTypes)]),
    secret: `whsec_${randomBytes(32).toString('base64url')}`,
    status: 'active',
    disabled_reason: null,
    created_at: at,
    updated_at: at,
  };
  await services.store.transact(async (tx) => {
    await tx.insertInto('webhook_subscriptions').values(row).execute();
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [
      { type: 'webhook.created', subjectType: 'webhook', subjectId: row.id, payload: { id: row.id, url: row.url, eventTypes: JSON.parse(row.event_types), by: caller.keyId } },
    ]);
  });
  // The secret is shown here only; deliveries are signed with it.
  return { ...toView(row), secret: row.secret };
}

async function requireSubscription(services: Services, caller: Caller, id: string) {
  const row = await services.store.db.selectFrom('webhook_subscriptions').selectAll().where('org_id', '=', caller.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `No webhook subscription ${id}.`);
  return row;
}

export async function listSubscriptions(services: Services, caller: Caller): Promise<SubscriptionView[]> {
  const rows = await services.store.db.selectFrom('webhook_subscriptions').selectAll().where('org_id', '=', caller.orgId).orderBy('id').execute();
  return rows.map(toView);
}

export async function getSubscription(services: Services, caller: Caller, id: string) {
  return toView(await requireSubscription(services, caller, id));
}

/** Changes the URL or event types, or switches a subscription on or off (on again after a 410, say). */
export async function updateSubscription(services: Services, caller: Caller, id: string, patch: { url?: string; eventTypes?: string[]; status?: 'active' | 'disabled' }) {
  const current = await requireSubscription(services, caller, id);
  if (patch.eventTypes) checkTypes(patch.eventTypes);
  if (patch.url) await checkTarget(services, patch.url);
  const at = services.now().toISOString();
  await services.store.transact(async (tx) => {
    await tx
      .updateTable('webhook_subscriptions')
      .set({
        url: patch.url ?? current.url,
        event_types: patch.eventTypes ? JSON.stringify([...new Set(patch.eventTypes)]) : current.event_types,
        status: patch.status ?? current.status,
        disabled_reason: patch.status === 'active' ? null : patch.status === 'disabled' ? 'disabled through the API' : current.disabled_reason,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [{ type: 'webhook.updated', subjectType: 'webhook', subjectId: id, payload: { id, changes: patch, by: caller.keyId } }]);
  });
  return getSubscription(services, caller, id);
}

export interface DeliveryView {
  id: string;
  subscriptionId: string;
  eventId: string;
  status: WebhookDeliveriesTable['status'];
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const toDelivery = (d: WebhookDeliveriesTable): DeliveryView => ({
  id: d.id,
  subscriptionId: d.subscription_id,
  eventId: d.event_id,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? d.next_attempt_at : null,
  lastStatus: d.last_status,
  lastError: d.last_error,
  createdAt: d.created_at,
  finishedAt: d.finished_at,
});

export async function listDeliveries(services: Services, caller: Caller, q: { status?: WebhookDeliveriesTable['status']; subscriptionId?: string; after: string | null; limit: number }) {
  let query = services.store.db.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', caller.orgId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.subscriptionId) query = query.where('subscription_id', '=', q.subscriptionId);
  if (q.after) query = query.where('id', '>', q.after);
  const rows = await query.orderBy('id').limit(q.limit + 1).execute();
  return { items: rows.slice(0, q.limit).map(toDelivery), next: rows.length > q.limit ? rows[q.limit - 1]!.id : null };
}

export async function getDelivery(services: Services, caller: Caller, id: string) {
  const d = await services.store.db.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', caller.orgId).where('id', '=', id).executeTakeFirst();
  if (!d) throw new AppError('NOT_FOUND', `No webhook delivery ${id}.`);
  const attempts = await services.store.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', id).orderBy('attempt').execute();
  return {
    ...toDelivery(d),
    attemptLog: attempts.map((a) => ({ attempt: a.attempt, worker: a.worker, startedAt: a.started_at, finishedAt: a.finished_at, httpStatus: a.http_status, error: a.error, durationMs: a.duration_ms })),
  };
}

/** A dead letter goes back in line: due now, with a new time limit. Its subscription must be active. */
export async function replayDelivery(services: Services, caller: Caller, id: string) {
  const now = services.now();
  await services.store.transact(async (tx) => {
    const d = await tx.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', caller.orgId).where('id', '=', id).executeTakeFirst();
    if (!d) throw new AppError('NOT_FOUND', `No webhook delivery ${id}.`);
    const sub = await tx.selectFrom('webhook_subscriptions').select('status').where('id', '=', d.subscription_id).executeTakeFirstOrThrow();
    if (d.status !== 'dead') throw new AppError('INVALID_TRANSITION', `Only dead letters can be replayed; this delivery is ${d.status}.`, { status: d.status });
    if (sub.status !== 'active') throw new AppError('INVALID_TRANSITION', 'Its subscription is disabled; switch it on first (PATCH status active).', { subscriptionId: d.subscription_id });
    const r = await tx
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: now.toISOString(), expires_at: new Date(now.getTime() + (services.webhooks?.deadLetterAfterMs ?? 86_400_000)).toISOString(), finished_at: null })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    if (r.numUpdatedRows !== 1n) throw new AppError('INVALID_TRANSITION', 'The delivery changed meanwhile; read it again.');
  });
  return getDelivery(services, caller, id);
}
