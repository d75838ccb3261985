import type { Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { Dialect } from './db.js';
import { run, valueTuples } from './precompiled.js';
import type { Database } from './schema.js';

export interface NewEvent {
  readonly type: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly payload: Record<string, unknown>;
}

/** Appends event rows inside the caller's transaction (the outbox, R12). */
export async function appendEvents(tx: Kysely<Database>, dialect: Dialect, orgId: string, at: string, events: readonly NewEvent[]) {
  // At most 500 rows a statement: a receipt that fills thousands of parts stays under the
  // databases' parameter limits.
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    await run(tx, dialect, `insert into events (${EVENT_COLUMNS}) values ${valueTuples(batch.length, 7)}`, eventParams(orgId, at, batch));
  }
}

export const EVENT_COLUMNS = 'id, org_id, type, subject_type, subject_id, payload, created_at';

export function eventParams(orgId: string, at: string, events: readonly NewEvent[]): unknown[] {
  const params: unknown[] = [];
  for (const e of events) params.push(newId('evt'), orgId, e.type, e.subjectType, e.subjectId, JSON.stringify(e.payload), at);
  return params;
}

export async function listEvents(db: Kysely<Database>, orgId: string, after: string | null, limit: number, type?: string) {
  let q = db.selectFrom('events').selectAll().where('org_id', '=', orgId);
  if (after) q = q.where('id', '>', after);
  if (type) q = q.where('type', '=', type);
  return q.orderBy('id').limit(limit).execute();
}
