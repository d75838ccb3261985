import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { newId } from '../ids.js';
import type { AlertsTable, Database } from './schema.js';

export interface RaisedAlert {
  readonly type: string;
  readonly severity: AlertsTable['severity'];
  readonly subjectType: string;
  readonly subjectId: string;
  readonly message: string;
}

/** One unresolved alert per condition (unique partial index): a repeat bumps its count. */
export async function raiseAlert(tx: Kysely<Database>, orgId: string, at: string, alert: RaisedAlert) {
  await tx
    .insertInto('alerts')
    .values({
      id: newId('alr'),
      org_id: orgId,
      type: alert.type,
      severity: alert.severity,
      subject_type: alert.subjectType,
      subject_id: alert.subjectId,
      dedupe_key: `${alert.type}:${alert.subjectType}:${alert.subjectId}`,
      message: alert.message,
      status: 'open',
      occurrences: 1,
      first_seen: at,
      last_seen: at,
    })
    .onConflict((oc) =>
      oc
        .columns(['org_id', 'dedupe_key'])
        .where(sql<boolean>`status <> 'resolved'`)
        .doUpdateSet({ occurrences: sql`alerts.occurrences + 1`, last_seen: at, message: alert.message }),
    )
    .execute();
}

export async function listAlerts(db: Kysely<Database>, orgId: string, after: string | null, limit: number, status?: string) {
  let q = db.selectFrom('alerts').selectAll().where('org_id', '=', orgId);
  if (after) q = q.where('id', '>', after);
  if (status) q = q.where('status', '=', status as AlertsTable['status']);
  return q.orderBy('id').limit(limit).execute();
}
