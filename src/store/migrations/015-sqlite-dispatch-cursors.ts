import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * Issue 5, what the outbox costs order intake on SQLite. There every commit writes each B-tree
 * page it touched to the WAL, and the partial index of pending events (`events_pending`) was one
 * more page for every step that wrote an event. SQLite has one writer, and event ids sort in
 * commit order within an organisation (eventIdFloor), so the dispatcher can find what is pending
 * by a cursor per organisation over the events' primary key instead: `event_dispatch_cursors`
 * holds the last event fanned out. On SQLite `dispatched_at` is no longer written.
 *
 * PostgreSQL commits concurrently and its ids do not sort in commit order; it keeps
 * `dispatched_at` with its partial index, which costs nothing measurable there (BENCHMARKS.md).
 *
 * Existing cursors start after the last event that has every earlier one dispatched; an event
 * dispatched after that point is fanned out again, which the unique keys of deliveries and
 * messages make harmless.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`
    create table event_dispatch_cursors (
      org_id text primary key references organisations (id),
      last_id text not null,
      fanned_at text
    ) without rowid`.execute(db);
  await sql`
    insert into event_dispatch_cursors (org_id, last_id, fanned_at)
    select e.org_id, max(e.id), max(e.dispatched_at)
    from events e left join (select org_id, min(id) as id from events where dispatched_at is null group by org_id) p on p.org_id = e.org_id
    where e.id < coalesce(p.id, '~')
    group by e.org_id`.execute(db);
  await db.schema.dropIndex('events_pending').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`
    update events set dispatched_at = case
      when id <= coalesce((select last_id from event_dispatch_cursors c where c.org_id = events.org_id), '') then coalesce(dispatched_at, created_at)
    end`.execute(db);
  await db.schema.createIndex('events_pending').on('events').columns(['created_at', 'id']).where(sql.ref('dispatched_at'), 'is', null).execute();
  await db.schema.dropTable('event_dispatch_cursors').execute();
}
