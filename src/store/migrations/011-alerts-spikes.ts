import { sql, type Kysely } from 'kysely';
import { HOUR_COLUMNS } from '../schema.js';

/**
 * R9, R10, R13: alerts with a lifecycle, demand spikes, scheduled checks and price suggestions.
 * - alerts: `details` (JSON: the figures, e.g. which parts a promise at risk affects), who
 *   acknowledged it and when, when it was resolved and why;
 * - organisations: the spike rule (baseline days, window hours, factor, minimum units, how long
 *   a spike pauses the SKU's incoming offer; `spike_detection` 0 turns it off) and how many days a
 *   backorder may wait before it alerts;
 * - product_daily_sales: the day's units per hour of `placedAt` (h00…h23, UTC), the trailing
 *   window of the spike rule, written by the same upsert as the day's total;
 * - offer_pauses: SKUs whose incoming offer a spike paused, until when, by which alert;
 * - price_suggestions: one live suggestion per (channel, SKU) (`ended_at` null), decided by a person;
 * - scheduler_runs: one row per scheduled check, the lease that lets one process run it per interval.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const alter = (table: string) => db.schema.alterTable(table);
  await alter('alerts').addColumn('details', 'text').execute();
  await alter('alerts').addColumn('acknowledged_at', 'text').execute();
  await alter('alerts').addColumn('acknowledged_by', 'text').execute();
  await alter('alerts').addColumn('resolved_at', 'text').execute();
  await alter('alerts').addColumn('resolution', 'text').execute();
  await db.schema.createIndex('alerts_org_type').on('alerts').columns(['org_id', 'type', 'status']).execute();

  await alter('organisations').addColumn('spike_detection', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await alter('organisations').addColumn('spike_baseline_days', 'integer', (c) => c.notNull().defaultTo(28).check(sql`spike_baseline_days >= 1`)).execute();
  await alter('organisations').addColumn('spike_window_hours', 'integer', (c) => c.notNull().defaultTo(6).check(sql`spike_window_hours between 1 and 48`)).execute();
  await alter('organisations').addColumn('spike_factor', 'real', (c) => c.notNull().defaultTo(3).check(sql`spike_factor > 0`)).execute();
  await alter('organisations').addColumn('spike_min_units', 'integer', (c) => c.notNull().defaultTo(10).check(sql`spike_min_units >= 1`)).execute();
  await alter('organisations').addColumn('spike_pause_hours', 'integer', (c) => c.notNull().defaultTo(24).check(sql`spike_pause_hours >= 0`)).execute();
  await alter('organisations').addColumn('backorder_aging_days', 'integer', (c) => c.notNull().defaultTo(14).check(sql`backorder_aging_days >= 1`)).execute();

  // R9's hourly buckets live in the daily row (h00…h23): the order's one upsert keeps both.
  for (const h of HOUR_COLUMNS) await alter('product_daily_sales').addColumn(h, 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('offer_pauses')
    .addColumn('product_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('demand_spike')`))
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('paused_at', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('offer_pauses_until').on('offer_pauses').columns(['until']).execute();

  await db.schema
    .createTable('price_suggestions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull().check(sql`rule in ('low_stock_arrival_soon', 'selling_from_incoming')`))
    .addColumn('percent', 'real', (c) => c.notNull())
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('suggested_price_cents', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'accepted', 'dismissed', 'withdrawn')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('ended_at', 'text')
    .execute();
  // One live suggestion per channel and SKU: a new one only once the last one's condition cleared.
  await sql`create unique index price_suggestions_live on price_suggestions (org_id, channel_id, product_id) where ended_at is null`.execute(db);

  await db.schema
    .createTable('scheduler_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('worker', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const h of HOUR_COLUMNS) await db.schema.alterTable('product_daily_sales').dropColumn(h).execute();
  for (const t of ['scheduler_runs', 'price_suggestions', 'offer_pauses']) await db.schema.dropTable(t).execute();
  await db.schema.dropIndex('alerts_org_type').execute();
  for (const c of ['details', 'acknowledged_at', 'acknowledged_by', 'resolved_at', 'resolution']) await db.schema.alterTable('alerts').dropColumn(c).execute();
  for (const c of ['spike_detection', 'spike_baseline_days', 'spike_window_hours', 'spike_factor', 'spike_min_units', 'spike_pause_hours', 'backorder_aging_days']) {
    await db.schema.alterTable('organisations').dropColumn(c).execute();
  }
}
