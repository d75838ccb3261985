import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * R12: the transactional outbox and signed webhooks.
 * - events get `dispatched_at`: null until the dispatcher has fanned the event out to the
 *   subscriptions that want it (a partial index keeps the pending ones cheap to find); events
 *   written before this migration count as dispatched (there were no subscriptions);
 * - webhook subscriptions: URL, event types, the signing secret, active or disabled (and why);
 * - deliveries: one per (subscription, event), pending → delivered | dead, with the attempt count,
 *   when the next attempt is due and the lease of the worker making one;
 * - delivery attempts: one row per attempt, numbered, inserted when a worker takes the delivery:
 *   the (delivery, attempt) key lets no two workers make the same attempt.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.alterTable('events').addColumn('dispatched_at', 'text').execute();
  // GET /v1/events reads in commit order: on PostgreSQL each event keeps the id of the
  // transaction that wrote it (see listEvents); SQLite's single writer needs none (0).
  await db.schema.alterTable('events').addColumn('txid', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  if (!sqlite) {
    await sql`alter table events alter column txid set default (pg_current_xact_id()::text::bigint)`.execute(db);
    await db.schema.createIndex('events_txid').on('events').columns(['org_id', 'txid', 'id']).execute();
  }
  await sql`update events set dispatched_at = created_at`.execute(db);
  await db.schema.createIndex('events_pending').on('events').columns(['created_at', 'id']).where(sql.ref('dispatched_at'), 'is', null).execute();

  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    // JSON array of event types; ["*"] for all.
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'disabled')`))
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_subscriptions_org').on('webhook_subscriptions').columns(['org_id', 'status']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscriptions.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0).check(sql`attempts >= 0`))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    // Dead-lettered when an attempt fails after this (created + ~24 h; a replay sets it anew).
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('webhook_deliveries_once', ['subscription_id', 'event_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_org').on('webhook_deliveries').columns(['org_id', 'status', 'id']).execute();

  let attempts = db.schema
    .createTable('webhook_attempts')
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer')
    .addPrimaryKeyConstraint('webhook_attempts_pk', ['delivery_id', 'attempt']);
  if (sqlite) attempts = attempts.modifyEnd(sql`without rowid`);
  await attempts.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['webhook_attempts', 'webhook_deliveries', 'webhook_subscriptions']) await db.schema.dropTable(t).execute();
  await db.schema.dropIndex('events_pending').execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await db.schema.dropIndex('events_txid').execute();
  await db.schema.alterTable('events').dropColumn('txid').execute();
  await db.schema.alterTable('events').dropColumn('dispatched_at').execute();
}
