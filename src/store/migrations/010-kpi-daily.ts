import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { KPI_COUNTERS } from '../../domain/kpi-tally.js';

/**
 * R18: pre-aggregated KPI counters, one row per (organisation, group, day), and the units per
 * whole day of wait behind the p90. Groups: `all` (key ''), `channel` (channel id), `supplier`
 * (supplier id, '' for fills from freed or adjusted stock) and `sku` (product id). Every counter
 * is a sum, so steps in any number of processes add to them with one upsert each.
 * Databases with history are backfilled by 013 (once the rows have every column the rebuild writes).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  let daily = db.schema
    .createTable('kpi_daily')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull().check(sql`dim in ('all', 'channel', 'supplier', 'sku')`))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull());
  for (const counter of KPI_COUNTERS) daily = daily.addColumn(counter, 'bigint', (c) => c.notNull().defaultTo(0));
  daily = daily.addPrimaryKeyConstraint('kpi_daily_pk', ['org_id', 'dim', 'key', 'day']);
  if (sqlite) daily = daily.modifyEnd(sql`without rowid`);
  await daily.execute();

  let waits = db.schema
    .createTable('kpi_wait_days')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('wait_days', 'integer', (c) => c.notNull().check(sql`wait_days >= 0`))
    .addColumn('units', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_wait_days_pk', ['org_id', 'dim', 'key', 'day', 'wait_days']);
  if (sqlite) waits = waits.modifyEnd(sql`without rowid`);
  await waits.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kpi_wait_days').execute();
  await db.schema.dropTable('kpi_daily').execute();
}
