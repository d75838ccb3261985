import type { Kysely } from 'kysely';
import { alertTransition, type AlertStatus } from '../domain/alert-lifecycle.js';
import { ALERT_SEVERITY, type AlertType } from '../domain/alert-types.js';
import { AppError } from '../domain/app-error.js';
import { getAlert, listAlerts, raiseAlert, setAcknowledged, setResolved } from '../store/alerts.repository.js';
import type { Dialect } from '../store/db.js';
import { appendEvents } from '../store/events.repository.js';
import { markOffersDirty } from '../store/offer-dirty.repository.js';
import { deletePausesOf } from '../store/offer-pauses.repository.js';
import type { AlertsTable, Database } from '../store/schema.js';
import type { Caller, Services } from './context.js';

/**
 * R10: alerts, open → acknowledged → resolved (src/domain/alert-lifecycle.ts), each change with
 * its event in the same transaction: `alert.raised` when a condition first raises one (a repeat
 * only bumps its count and last seen), `alert.acknowledged`, `alert.resolved`.
 */
export interface AlertInput {
  readonly type: AlertType;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export async function raise(tx: Kysely<Database>, dialect: Dialect, orgId: string, at: string, alert: AlertInput): Promise<{ id: string; created: boolean }> {
  const severity = ALERT_SEVERITY[alert.type];
  const raised = await raiseAlert(tx, orgId, at, { ...alert, severity });
  if (raised.created) {
    await appendEvents(tx, dialect, orgId, at, [
      { type: 'alert.raised', subjectType: 'alert', subjectId: raised.id, payload: { alertId: raised.id, ...alert, severity, details: alert.details ?? null } },
    ]);
  }
  return raised;
}

/** Resolves an alert whose condition cleared; a spike's pause ends with it. False when it was resolved already. */
export async function resolve(tx: Kysely<Database>, dialect: Dialect, alert: Pick<AlertsTable, 'id' | 'org_id' | 'type' | 'subject_type' | 'subject_id'>, at: string, resolution = 'condition_cleared') {
  if (!(await setResolved(tx, alert.id, at, resolution))) return false;
  await endPause(tx, dialect, alert.id, at);
  await appendEvents(tx, dialect, alert.org_id, at, [
    { type: 'alert.resolved', subjectType: 'alert', subjectId: alert.id, payload: { alertId: alert.id, type: alert.type, subjectType: alert.subject_type, subjectId: alert.subject_id, resolution } },
  ]);
  return true;
}

/** R9: the incoming offer an alert paused is on again; the SKU's offers are recomputed by the refresher. */
export async function endPause(tx: Kysely<Database>, dialect: Dialect, alertId: string, at: string) {
  const ended = await deletePausesOf(tx, alertId);
  for (const p of ended) await markOffersDirty(tx, dialect, p.org_id, [p.product_id], at);
  return ended.length;
}

/**
 * POST /v1/alerts/{id}/ack. Another organisation's or an unknown alert: 404. Already
 * acknowledged: answered as it is (idempotent, no second event). Resolved: 409
 * INVALID_TRANSITION — there is nothing left to acknowledge. A demand spike's pause ends.
 */
export async function acknowledgeAlert(services: Services, caller: Caller, id: string): Promise<AlertView> {
  const { store } = services;
  await store.transact(async (tx) => {
    const alert = await getAlert(tx, caller.orgId, id);
    if (!alert) throw new AppError('NOT_FOUND', `No alert with id '${id}'.`, { id });
    alertTransition(alert.status, 'acknowledge');
    const at = services.now().toISOString();
    if (!(await setAcknowledged(tx, alert.id, at, caller.keyId))) return;
    await endPause(tx, store.dialect, alert.id, at);
    await appendEvents(tx, store.dialect, caller.orgId, at, [
      { type: 'alert.acknowledged', subjectType: 'alert', subjectId: alert.id, payload: { alertId: alert.id, type: alert.type, subjectType: alert.subject_type, subjectId: alert.subject_id, by: caller.keyId } },
    ]);
  });
  return getAlertView(services, caller, id);
}

export interface AlertView {
  id: string;
  type: string;
  severity: AlertsTable['severity'];
  subjectType: string;
  subjectId: string;
  message: string;
  details: unknown;
  status: AlertStatus;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
}

export const toAlertView = (a: AlertsTable): AlertView => ({
  id: a.id,
  type: a.type,
  severity: a.severity,
  subjectType: a.subject_type,
  subjectId: a.subject_id,
  message: a.message,
  details: a.details === null ? null : JSON.parse(a.details),
  status: a.status,
  occurrences: Number(a.occurrences),
  firstSeen: a.first_seen,
  lastSeen: a.last_seen,
  acknowledgedAt: a.acknowledged_at,
  acknowledgedBy: a.acknowledged_by,
  resolvedAt: a.resolved_at,
  resolution: a.resolution,
});

export async function getAlertView(services: Services, caller: Caller, id: string): Promise<AlertView> {
  const alert = await getAlert(services.store.db, caller.orgId, id);
  if (!alert) throw new AppError('NOT_FOUND', `No alert with id '${id}'.`, { id });
  return toAlertView(alert);
}

export async function listAlertViews(services: Services, caller: Caller, q: { after: string | null; limit: number; status?: string; type?: string }) {
  const rows = await listAlerts(services.store.db, caller.orgId, q.after, q.limit + 1, { status: q.status, type: q.type });
  const page = rows.slice(0, q.limit);
  return { items: page.map(toAlertView), next: rows.length > q.limit ? page[page.length - 1]!.id : null };
}
