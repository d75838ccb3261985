/**
 * One repetition of the receiving benchmark: a fresh copy of a seeded database, the policy and
 * an open purchase order set through the services, then ONE timed receipt — the real
 * receivePurchaseOrder or the raw floor — and the checks.
 */
import { sql } from 'kysely';
import type { AllocationRule } from '../src/domain/allocation-policy.js';
import { receivePurchaseOrder } from '../src/services/receiving.service.js';
import type { Services } from '../src/services/context.js';
import type { Dialect } from '../src/store/db.js';
import { adminQuery, copyDatabase, createDatabase, openBenchServices, sqliteFile, type BenchDatabase } from './databases.js';
import { openPgRawReceiving, openSqliteRawReceiving, type RawReceiving } from './raw-receiving.js';
import { checkReceipt, waitingSnapshot, type ReceiptCheck } from './receiving-checks.js';
import { LOCATION, placeWaitingOrders, preparePurchaseOrder, seedReceivingOrg, SKU, waitingOrders, type ReceivingOrg } from './receiving-workload.js';
import { nowMs } from './stats.js';

/** A seeded database that every repetition copies; nothing stays connected to it. */
export interface Template {
  readonly dialect: Dialect;
  readonly db: BenchDatabase;
  readonly org: ReceivingOrg;
  readonly productId: string;
  readonly locationId: string;
  readonly waitingParts: number;
}

export interface SeedReport {
  readonly orders: number;
  readonly seconds: number;
}

/**
 * Seeds one database up to each size in turn (ascending) and keeps a copy at every size asked
 * for: the orders of a smaller size are the first orders of a larger one. PostgreSQL gets
 * VACUUM ANALYZE before each copy (autovacuum would have run long before 20,000 orders had
 * piled up); SQLite gets nothing (the application never runs ANALYZE).
 */
export async function seedTemplates(
  dialect: Dialect,
  sizes: readonly number[],
  seed: number,
  inFlight: number,
  onProgress: (size: number, r: SeedReport) => void,
): Promise<Map<number, Template>> {
  const work = await createDatabase(dialect);
  const templates = new Map<number, Template>();
  try {
    let services = await openBenchServices(work.url);
    const org = await seedReceivingOrg(services);
    const ids = (
      await sql<{ product_id: string; location_id: string }>`
        select p.id as product_id, l.id as location_id from products p, locations l
        where p.org_id = ${org.orgId} and p.sku = ${SKU} and l.org_id = ${org.orgId} and l.code = ${LOCATION.code}`.execute(services.store.db)
    ).rows[0]!;
    let placed = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const t0 = nowMs();
      await placeWaitingOrders(services, org.caller, waitingOrders(placed, size, seed), inFlight);
      onProgress(size, { orders: size - placed, seconds: (nowMs() - t0) / 1000 });
      placed = size;
      if (dialect === 'postgres') await sql`vacuum analyze`.execute(services.store.db);
      await services.store.close();
      const db = await copyDatabase(work);
      templates.set(size, { dialect, db, org, productId: ids.product_id, locationId: ids.location_id, waitingParts: size });
      services = await openBenchServices(work.url);
    }
    await services.store.close();
    return templates;
  } finally {
    await work.drop();
  }
}

export type Way = 'real' | 'raw';

export interface Repetition {
  readonly way: Way;
  readonly ms: number;
  readonly received: number;
  /** Order ids in the order the units were handed out (the cross-dock list). */
  readonly handedTo: string[];
  readonly check: ReceiptCheck;
}

export interface MeasureOptions {
  /** Called around the timed call only (e.g. a CPU profile of the real path). */
  readonly around?: <T>(way: Way, fn: () => Promise<T>) => Promise<T>;
}

/** One receipt of half the waiting units, on a fresh copy of `t`. */
export async function measureReceipt(t: Template, policy: readonly AllocationRule[], way: Way, opts: MeasureOptions = {}): Promise<Repetition> {
  const received = Math.floor(t.waitingParts / 2);
  const db = await copyDatabase(t.db);
  try {
    let services: Services = await openBenchServices(db.url);
    const poId = await preparePurchaseOrder(services, t.org.caller, policy, received);
    const before = await waitingSnapshot(services.store.db, t.org.orgId, t.productId, t.locationId);
    const around = opts.around ?? (<T>(_: Way, fn: () => Promise<T>) => fn());
    let ms: number;
    let handedTo: string[];
    if (way === 'real') {
      await quiesce(t.dialect);
      const t0 = nowMs();
      const view = await around(way, () => receivePurchaseOrder(services, t.org.caller, poId, { lines: [{ sku: SKU, good: received }] }));
      ms = nowMs() - t0;
      handedTo = view.crossDock.map((c) => c.orderId);
    } else {
      await services.store.close();
      const raw: RawReceiving = t.dialect === 'sqlite' ? openSqliteRawReceiving(sqliteFile(db.url), t.org.orgId) : await openPgRawReceiving(db.url, t.org.orgId);
      try {
        await quiesce(t.dialect);
        const t0 = nowMs();
        const crossDock = await around(way, () => raw.receive(poId, received));
        ms = nowMs() - t0;
        handedTo = crossDock.map((c) => c.orderId);
      } finally {
        await raw.close();
      }
      services = await openBenchServices(db.url);
    }
    const check = await checkReceipt(services.store.db, t.org.orgId, { productId: t.productId, locationId: t.locationId, received, before });
    await services.store.close();
    return { way, ms, received, handedTo, check };
  } finally {
    await db.drop();
  }
}

/**
 * PostgreSQL: a CHECKPOINT before the timed call, so the dirty pages of copying the template
 * are not written out by the receipt's backend or by a checkpoint that starts meanwhile.
 */
async function quiesce(dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await adminQuery('checkpoint');
}
