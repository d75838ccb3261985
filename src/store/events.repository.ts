import type { Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { Database } from './schema.js';

export interface NewEvent {
  readonly type: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly payload: Record<string, unknown>;
}

/** Appends event rows inside the caller's transaction (the outbox, R12). */
export async function appendEvents(tx: Kysely<Database>, orgId: string, at: string, events: readonly NewEvent[]) {
  if (events.length === 0) return;
  await tx
    .insertInto('events')
    .values(
      events.map((e) => ({
        id: newId('evt'),
        org_id: orgId,
        type: e.type,
        subject_type: e.subjectType,
        subject_id: e.subjectId,
        payload: JSON.stringify(e.payload),
        created_at: at,
      })),
    )
    .execute();
}

export async function listEvents(db: Kysely<Database>, orgId: string, after: string | null, limit: number, type?: string) {
  let q = db.selectFrom('events').selectAll().where('org_id', '=', orgId);
  if (after) q = q.where('id', '>', after);
  if (type) q = q.where('type', '=', type);
  return q.orderBy('id').limit(limit).execute();
}
