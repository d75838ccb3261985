import { ensureOfferRows } from '../store/offered-stock.repository.js';
import { markOffersDirty } from '../store/offer-dirty.repository.js';
import { replanPromises } from './promise-replan.js';
import { AppError } from '../domain/app-error.js';
import type { BackorderPolicy } from '../domain/backorder-permission.js';
import { newId } from '../ids.js';
import { isUniqueViolation } from '../store/db.js';
import { appendEvents } from '../store/events.repository.js';
import type { ProductsTable } from '../store/schema.js';
import type { Caller, Services } from './context.js';
import { requireProduct } from './lookups.js';
import { toCents } from './money.js';

export interface ProductInput {
  sku: string;
  name: string;
  price?: number;
  cost?: number;
  backorderPolicy?: BackorderPolicy;
  safetyBuffer?: number | null;
  /** R7: this product's own acceptance ratio, before supplier grade; null: the season's or the organisation's. */
  acceptanceRatio?: number | null;
}

export interface ProductView {
  sku: string;
  name: string;
  price: number;
  cost: number;
  backorderPolicy: BackorderPolicy;
  safetyBuffer: number | null;
  acceptanceRatio: number | null;
  createdAt: string;
  updatedAt: string;
}

export function toProductView(p: ProductsTable): ProductView {
  return {
    sku: p.sku,
    name: p.name,
    price: p.price_cents / 100,
    cost: p.cost_cents / 100,
    backorderPolicy: p.backorder_policy,
    safetyBuffer: p.safety_buffer,
    acceptanceRatio: p.acceptance_ratio === null ? null : Number(p.acceptance_ratio),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

export async function createProduct(services: Services, caller: Caller, input: ProductInput): Promise<ProductView> {
  const at = services.now().toISOString();
  const row: ProductsTable = {
    id: newId('prd'),
    org_id: caller.orgId,
    sku: input.sku,
    name: input.name,
    price_cents: toCents(input.price ?? 0, 'price'),
    cost_cents: toCents(input.cost ?? 0, 'cost'),
    backorder_policy: input.backorderPolicy ?? 'inherit',
    safety_buffer: input.safetyBuffer ?? null,
    acceptance_ratio: input.acceptanceRatio ?? null,
    created_at: at,
    updated_at: at,
  };
  try {
    await services.store.transact(async (tx) => {
      await tx.insertInto('products').values(row).execute();
      await ensureOfferRows(tx, services.store.dialect, caller.orgId, at, { productId: row.id });
      await appendEvents(tx, services.store.dialect, caller.orgId, at, [
        { type: 'product.created', subjectType: 'product', subjectId: row.sku, payload: { ...toProductView(row), by: caller.keyId } },
      ]);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE_SKU', `A product with SKU '${input.sku}' exists already.`, { sku: input.sku });
    throw err;
  }
  return toProductView(row);
}

export async function updateProduct(
  services: Services,
  caller: Caller,
  sku: string,
  patch: Partial<Omit<ProductInput, 'sku'>>,
): Promise<ProductView> {
  const at = services.now().toISOString();
  return services.store.transact(async (tx) => {
    const current = await requireProduct(tx, caller.orgId, sku, 'path');
    const next: ProductsTable = {
      ...current,
      name: patch.name ?? current.name,
      price_cents: patch.price === undefined ? current.price_cents : toCents(patch.price, 'price'),
      cost_cents: patch.cost === undefined ? current.cost_cents : toCents(patch.cost, 'cost'),
      backorder_policy: patch.backorderPolicy ?? current.backorder_policy,
      safety_buffer: patch.safetyBuffer === undefined ? current.safety_buffer : patch.safetyBuffer,
      acceptance_ratio: patch.acceptanceRatio === undefined ? current.acceptance_ratio : patch.acceptanceRatio,
      updated_at: at,
    };
    await tx.updateTable('products').set(next).where('id', '=', current.id).execute();
    // R7: the product's ratio sets its lines' capacity; its policy and buffer what is offered.
    const capacity = patch.acceptanceRatio !== undefined && patch.acceptanceRatio !== current.acceptance_ratio;
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [
      { type: 'product.updated', subjectType: 'product', subjectId: sku, payload: { sku, changes: patch, by: caller.keyId } },
      ...(capacity ? await replanPromises(tx, services.store.dialect, caller.orgId, [current.id], at) : []),
    ]);
    await markOffersDirty(tx, services.store.dialect, caller.orgId, [current.id], at);
    return toProductView(next);
  });
}

export async function getProduct(services: Services, caller: Caller, sku: string): Promise<ProductView> {
  return toProductView(await requireProduct(services.store.db, caller.orgId, sku, 'path'));
}

export async function listProducts(services: Services, caller: Caller, after: string | null, limit: number) {
  let q = services.store.db.selectFrom('products').selectAll().where('org_id', '=', caller.orgId);
  if (after) q = q.where('sku', '>', after);
  const rows = await q.orderBy('sku').limit(limit + 1).execute();
  return { items: rows.slice(0, limit).map(toProductView), next: rows.length > limit ? rows[limit - 1]!.sku : null };
}
