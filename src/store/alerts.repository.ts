import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { newId } from '../ids.js';
import type { AlertsTable, Database } from './schema.js';

/** Alerts (R10): thin queries; the lifecycle is src/domain/alert-lifecycle.ts, the events alerts.service.ts. */

export interface RaisedAlert {
  readonly type: string;
  readonly severity: AlertsTable['severity'];
  readonly subjectType: string;
  readonly subjectId: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export const dedupeKey = (type: string, subjectType: string, subjectId: string) => `${type}:${subjectType}:${subjectId}`;

/**
 * One unresolved alert per condition (unique partial index): a repeat bumps its count, last
 * seen, message and details. `created` tells a new alert from a repeat.
 */
export async function raiseAlert(tx: Kysely<Database>, orgId: string, at: string, alert: RaisedAlert): Promise<{ id: string; created: boolean }> {
  const details = alert.details === undefined ? null : JSON.stringify(alert.details);
  const row = await tx
    .insertInto('alerts')
    .values({
      id: newId('alr'),
      org_id: orgId,
      type: alert.type,
      severity: alert.severity,
      subject_type: alert.subjectType,
      subject_id: alert.subjectId,
      dedupe_key: dedupeKey(alert.type, alert.subjectType, alert.subjectId),
      message: alert.message,
      details,
      status: 'open',
      occurrences: 1,
      first_seen: at,
      last_seen: at,
    })
    .onConflict((oc) =>
      oc
        .columns(['org_id', 'dedupe_key'])
        .where(sql<boolean>`status <> 'resolved'`)
        .doUpdateSet({ occurrences: sql`alerts.occurrences + 1`, last_seen: at, message: alert.message, details }),
    )
    .returning(['id', 'occurrences'])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: Number(row.occurrences) === 1 };
}

export async function getAlert(db: Kysely<Database>, orgId: string, id: string): Promise<AlertsTable | undefined> {
  return db.selectFrom('alerts').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

/** Open → acknowledged, conditionally: false when it was not open any more. */
export async function setAcknowledged(tx: Kysely<Database>, id: string, at: string, by: string): Promise<boolean> {
  const r = await tx.updateTable('alerts').set({ status: 'acknowledged', acknowledged_at: at, acknowledged_by: by }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** → resolved, conditionally: false when it was resolved already. */
export async function setResolved(tx: Kysely<Database>, id: string, at: string, resolution: string): Promise<boolean> {
  const r = await tx.updateTable('alerts').set({ status: 'resolved', resolved_at: at, resolution }).where('id', '=', id).where('status', '<>', 'resolved').executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** The unresolved alerts of one type (the scheduled checks resolve those whose condition cleared). */
export async function unresolvedAlerts(tx: Kysely<Database>, orgId: string, type: string): Promise<AlertsTable[]> {
  return tx.selectFrom('alerts').selectAll().where('org_id', '=', orgId).where('type', '=', type).where('status', '<>', 'resolved').orderBy('id').execute();
}

export async function listAlerts(db: Kysely<Database>, orgId: string, after: string | null, limit: number, filter: { status?: string; type?: string } = {}) {
  let q = db.selectFrom('alerts').selectAll().where('org_id', '=', orgId);
  if (after) q = q.where('id', '>', after);
  if (filter.status) q = q.where('status', '=', filter.status as AlertsTable['status']);
  if (filter.type) q = q.where('type', '=', filter.type);
  return q.orderBy('id').limit(limit).execute();
}
