import { sql, type Kysely } from 'kysely';
import { idAfter, newId } from '../ids.js';
import type { Dialect } from './db.js';
import { run, valueTuples } from './precompiled.js';
import type { Database } from './schema.js';

export interface NewEvent {
  readonly type: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly payload: Record<string, unknown>;
}

/**
 * For the intake benchmark only (bench/run.ts, the `*-no-outbox` runs): with it off, no step
 * writes event rows, so the bench can measure intake with and without the outbox in one run
 * (issue 5). Nothing in the product turns it off; without events no webhook, e-mail or cursor works.
 */
let outboxOn = true;
export function setOutboxForBenchmark(on: boolean): void {
  outboxOn = on;
}

/** Appends event rows inside the caller's transaction (the outbox, R12). */
export async function appendEvents(tx: Kysely<Database>, dialect: Dialect, orgId: string, at: string, events: readonly NewEvent[]) {
  if (events.length === 0 || !outboxOn) return;
  let floor = await eventIdFloor(tx, dialect, orgId);
  // At most 500 rows a statement: a receipt that fills thousands of parts stays under the
  // databases' parameter limits.
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    const params = eventParams(orgId, at, batch, floor);
    floor = params[params.length - 7] as string;
    await run(tx, dialect, `insert into events (${EVENT_COLUMNS}) values ${valueTuples(batch.length, 7)}`, params);
  }
}

/**
 * The cursor of GET /v1/events must never pass an event that commits later. SQLite has one
 * writer at a time, so ids made inside the transaction above the largest stored one sort in
 * commit order, across processes too (two processes' clocks may tie within a millisecond).
 * PostgreSQL commits concurrently: there the reader filters by transaction id (listEvents).
 */
export async function eventIdFloor(tx: Kysely<Database>, dialect: Dialect, orgId: string): Promise<string | null> {
  if (dialect !== 'sqlite' || !outboxOn) return null;
  return (await run<{ id: string | null }>(tx, dialect, 'select max(id) as id from events where org_id = ?', [orgId])).rows[0]?.id ?? null;
}

export const EVENT_COLUMNS = 'id, org_id, type, subject_type, subject_id, payload, created_at';

export function eventParams(orgId: string, at: string, events: readonly NewEvent[], floor: string | null = null): unknown[] {
  const params: unknown[] = [];
  if (!outboxOn) return params;
  let last = floor;
  for (const e of events) {
    let id = newId('evt');
    if (last !== null && id <= last) id = idAfter(last);
    last = id;
    params.push(id, orgId, e.type, e.subjectType, e.subjectId, JSON.stringify(e.payload), at);
  }
  return params;
}

/**
 * Events in commit order from a cursor. SQLite: by id (see eventIdFloor). PostgreSQL: by
 * (transaction id, id); every visible event is returned at once, but a row is `settled` only
 * when its transaction is older than every one still running (the snapshot's xmin). A cursor
 * only moves past settled rows, so an event that commits late can never end up behind it; an
 * unsettled row may come again on the next page (dedupe on the event id).
 * The cursor is the last event's id, with its transaction id on PostgreSQL (`txid.id`).
 */
export async function listEvents(db: Kysely<Database>, dialect: Dialect, orgId: string, after: string | null, limit: number, filter: { type?: string; subject?: string } = {}) {
  let q = db.selectFrom('events').selectAll().where('org_id', '=', orgId);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.subject) q = q.where('subject_id', '=', filter.subject);
  if (dialect === 'sqlite') {
    if (after) q = q.where('id', '>', after);
    const rows = await q.orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ ...r, cursor: r.id, settled: true }));
  }
  if (after) {
    const [txid, id] = after.split('.', 2) as [string, string];
    q = q.where(sql<boolean>`(txid, id) > (${Number(txid)}, ${id})`);
  }
  const rows = await q
    .select(sql<number>`pg_snapshot_xmin(pg_current_snapshot())::text::bigint`.as('horizon'))
    .orderBy('txid')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(({ horizon, ...r }) => ({ ...r, cursor: `${Number(r.txid)}.${r.id}`, settled: Number(r.txid) < Number(horizon) }));
}
