import { markOffersDirty } from '../store/offer-dirty.repository.js';
import { AppError } from '../domain/app-error.js';
import { appendEvents, type NewEvent } from '../store/events.repository.js';
import { addKpis } from '../store/kpi-daily.repository.js';
import type { MovementKind } from '../store/schema.js';
import { changeOnHand, levelsForProducts, lockLevels, lockProducts, recordMovements } from '../store/stock.repository.js';
import { fillWaitingBackorders } from './backorder-fill.js';
import { replanPromises } from './promise-replan.js';
import type { Caller, Services } from './context.js';
import { requireLocation, requireProduct } from './lookups.js';
import type { RecordResponse } from './idempotency.service.js';

export interface AdjustmentInput {
  sku: string;
  location: string;
  /** Change of on hand: positive adds units, negative removes them. */
  delta: number;
  kind?: Extract<MovementKind, 'adjustment' | 'damage' | 'receipt'>;
  reason?: string;
}

export interface LevelView {
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  available: number;
  updatedAt: string;
}

/**
 * A stock adjustment: on hand changes with its ledger row in one transaction. Units added are
 * handed at once to waiting backorders (R19's rule applies to any stock that becomes free);
 * units removed can only come from what is not reserved.
 */
export async function adjustStock(services: Services, caller: Caller, input: AdjustmentInput, record?: RecordResponse): Promise<LevelView[]> {
  const { store } = services;
  const kind = input.kind ?? 'adjustment';
  if (kind === 'damage' && input.delta > 0) {
    throw new AppError('VALIDATION_FAILED', 'A damage movement removes units: delta must be negative.', { field: 'delta' });
  }
  return store.transact(async (tx) => {
    const at = services.now().toISOString();
    const product = await requireProduct(tx, caller.orgId, input.sku);
    const location = await requireLocation(tx, caller.orgId, input.location);
    await lockProducts(tx, store.dialect, [product.id]);
    const [level] = await lockLevels(tx, store.dialect, [product.id], [location.id]);
    if (!(await changeOnHand(tx, caller.orgId, product.id, location.id, input.delta, at))) {
      const unreserved = level ? level.on_hand - level.reserved : 0;
      throw new AppError(
        'STOCK_WOULD_GO_NEGATIVE',
        `Cannot remove ${-input.delta} units of ${input.sku} at ${input.location}: only ${unreserved} are on hand and not reserved ` +
          `(reserved units belong to orders; cancel those first).`,
        { sku: input.sku, location: input.location, onHand: level?.on_hand ?? 0, reserved: level?.reserved ?? 0, removable: unreserved },
      );
    }
    await recordMovements(tx, store.dialect, caller.orgId, at, [
      { productId: product.id, locationId: location.id, kind, onHandDelta: input.delta, reservedDelta: 0, reason: input.reason ?? null },
    ]);
    const events: NewEvent[] = [
      {
        type: 'stock.adjusted',
        subjectType: 'product',
        subjectId: input.sku,
        payload: { sku: input.sku, location: input.location, delta: input.delta, kind, reason: input.reason ?? null },
      },
    ];
    if (input.delta > 0) {
      const fill = await fillWaitingBackorders(tx, store.dialect, caller.orgId, [product.id], [location.id], at, { allocatedAt: at, purchaseOrder: null });
      events.push(...fill.events);
      await addKpis(tx, store.dialect, caller.orgId, fill.kpis);
      if (fill.filled.length > 0) events.push(...(await replanPromises(tx, store.dialect, caller.orgId, [product.id], at, { waiting: fill.waitingAfter })));
    }
    await markOffersDirty(tx, store.dialect, caller.orgId, [product.id], at);
    await appendEvents(tx, store.dialect, caller.orgId, at, events);
    const levels = toLevelViews(await levelsForProducts(tx, caller.orgId, [product.id]));
    if (record) await record(tx, { levels });
    return levels;
  });
}

export async function getProductLevels(services: Services, caller: Caller, sku: string): Promise<LevelView[]> {
  const product = await requireProduct(services.store.db, caller.orgId, sku, 'path');
  return toLevelViews(await levelsForProducts(services.store.db, caller.orgId, [product.id]));
}

export interface ProductStockView {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  locations: LevelView[];
}

/** SPEC §2 quantities of each product: totals and per location. */
export function toProductStock(levels: readonly LevelView[]): ProductStockView[] {
  const bySku = new Map<string, LevelView[]>();
  for (const l of levels) bySku.set(l.sku, [...(bySku.get(l.sku) ?? []), l]);
  return [...bySku.entries()].map(([sku, ls]) => ({
    sku,
    onHand: ls.reduce((a, l) => a + l.onHand, 0),
    reserved: ls.reduce((a, l) => a + l.reserved, 0),
    available: ls.reduce((a, l) => a + l.available, 0),
    locations: ls,
  }));
}

export function toLevelViews(rows: Awaited<ReturnType<typeof levelsForProducts>>): LevelView[] {
  return rows.map((r) => ({
    sku: r.sku,
    location: r.location,
    onHand: r.on_hand,
    reserved: r.reserved,
    available: r.on_hand - r.reserved,
    updatedAt: r.updated_at,
  }));
}
