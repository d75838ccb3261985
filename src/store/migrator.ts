import { Migrator, type Migration, type MigrationProvider, type Kysely } from 'kysely';
import * as initial from './migrations/001-initial.js';
import * as partShipments from './migrations/002-part-shipments.js';
import * as purchaseOrders from './migrations/003-purchase-orders.js';
import * as promises from './migrations/004-promises.js';
import * as offeredStock from './migrations/005-offered-stock.js';
import * as outbox from './migrations/006-outbox.js';
import * as productsOrgId from './migrations/007-products-org-id.js';
import * as customerMessages from './migrations/008-customer-messages.js';
import * as messageTemplates from './migrations/009-message-templates.js';
import * as kpiDaily from './migrations/010-kpi-daily.js';
import * as alertsSpikes from './migrations/011-alerts-spikes.js';
import * as orderSearch from './migrations/012-order-search.js';
import * as kpiDailyP90 from './migrations/013-kpi-daily-p90.js';
import * as orderTabCounts from './migrations/014-order-tab-counts.js';
import * as sqliteDispatchCursors from './migrations/015-sqlite-dispatch-cursors.js';

const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-part-shipments': partShipments,
  '003-purchase-orders': purchaseOrders,
  '004-promises': promises,
  '005-offered-stock': offeredStock,
  '006-outbox': outbox,
  '007-products-org-id': productsOrgId,
  '008-customer-messages': customerMessages,
  '009-message-templates': messageTemplates,
  '010-kpi-daily': kpiDaily,
  '011-alerts-spikes': alertsSpikes,
  '012-order-search': orderSearch,
  '013-kpi-daily-p90': kpiDailyP90,
  '014-order-tab-counts': orderTabCounts,
  '015-sqlite-dispatch-cursors': sqliteDispatchCursors,
};

class InCodeProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/**
 * Applies pending migrations; safe to run from several processes at once (Kysely locks). A
 * missing migration numbered below one already applied (built on a branch beside it) is applied
 * too: each migration adds its own tables and columns and none depends on a later one.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies migrations up to and including `name` (tests of a migration over older data). */
export async function migrateUpTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: new InCodeProvider(), allowUnorderedMigrations: true }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
