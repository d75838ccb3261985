import { SqliteAdapter, type Kysely } from 'kysely';
import { rebuildKpisInTx } from '../../services/kpi-rebuild.service.js';
import type { Database } from '../schema.js';

/**
 * R18: each day's p90 wait stored on its kpi_daily row (`wait_p90`), kept by the same steps that
 * add to the day's histogram, so a year's KPI series reads it instead of ranking every day's
 * histogram per query. Then every organisation's rows are rebuilt from its history (the same
 * rebuild as `stockbridge rebuild-kpis`): this backfills databases that had history before the
 * KPI tables existed (010) and sets the p90 on rows written before this column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.alterTable('kpi_daily').addColumn('wait_p90', 'integer').execute();
  const orgs = await db.selectFrom('organisations').select('id').execute();
  for (const o of orgs as { id: string }[]) await rebuildKpisInTx(db as Kysely<Database>, sqlite ? 'sqlite' : 'postgres', o.id);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('kpi_daily').dropColumn('wait_p90').execute();
}
