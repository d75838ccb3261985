/**
 * The KPI benchmark's history: one year of synthetic order lines (default 1,000,000) counted with
 * the same tally functions the steps use (src/domain/kpi-facts.ts) and bulk-inserted as the daily
 * rows those steps would have written. Deterministic for a seed.
 */
import { tallyCancelledWaiting, tallyFill, tallyIntake, tallyPromise, tallyShipment } from '../src/domain/kpi-facts.js';
import { KpiTally } from '../src/domain/kpi-tally.js';
import { newId } from '../src/ids.js';
import type { Services } from '../src/services/context.js';
import { createOrganisation } from '../src/services/organisations.service.js';
import { addKpis } from '../src/store/kpi-daily.repository.js';
import { rng } from './intake-workload.js';

export interface KpiSeedShape {
  readonly lines: number;
  readonly days: number;
  readonly channels: number;
  readonly skus: number;
  readonly suppliers: number;
  readonly seed: number;
}

export interface SeededKpis {
  readonly orgId: string;
  readonly from: string;
  readonly to: string;
  readonly dailyRows: number;
  readonly waitRows: number;
}

const DAY_MS = 86_400_000;
const START = Date.parse('2025-01-01T00:00:00Z');

/**
 * Per line: 1–3 units on a random channel and SKU; 20 % wait, of which 80 % are filled 0–30 days
 * later by one of the suppliers (a promise judged per fill, 85 % kept), 10 % cancelled, 2 % of all
 * units oversold; 90 % of lines ship, 5 % of shipments with their shipping waived.
 */
export function tallyHistory(shape: KpiSeedShape, ids: { channels: string[]; skus: string[]; suppliers: string[] }): KpiTally {
  const rnd = rng(shape.seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const tally = new KpiTally();
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let i = 0; i < shape.lines; i++) {
    const placed = START + Math.floor((i / shape.lines) * shape.days * DAY_MS);
    const placedAt = iso(placed);
    const channelId = pick(ids.channels);
    const productId = pick(ids.skus);
    const qty = 1 + Math.floor(rnd() * 3);
    const waits = rnd() < 0.2;
    const allocated = waits ? Math.floor(rnd() * qty) : qty;
    const oversold = waits && rnd() < 0.1 ? qty - allocated : 0;
    tallyIntake(tally, { placedAt, channelId, lines: [{ productId, qty, allocated, oversold }] });
    if (waits) {
      const fate = rnd();
      if (fate < 0.8) {
        const allocatedAt = iso(Math.min(START + shape.days * DAY_MS - 1, placed + Math.floor(rnd() * 30 * DAY_MS)));
        const supplierId = pick(ids.suppliers);
        tallyFill(tally, { placedAt, allocatedAt, channelId, productId, supplierId, qty: qty - allocated });
        const promisedDate = iso(placed + (rnd() < 0.85 ? 31 : 0) * DAY_MS).slice(0, 10);
        tallyPromise(tally, { allocatedAt, promisedDate, channelId, supplierId, productIds: [productId] });
      } else if (fate < 0.9) {
        tallyCancelledWaiting(tally, { placedAt, channelId, productId, qty: qty - allocated });
      }
    }
    if (rnd() < 0.9) tallyShipment(tally, { shippedAt: iso(placed + DAY_MS), channelId, productIds: [productId], waived: rnd() < 0.05 });
  }
  return tally;
}

/** An organisation with the channels, products and suppliers the rows name, then the rows. */
export async function seedKpis(services: Services, shape: KpiSeedShape): Promise<SeededKpis> {
  const { store } = services;
  const org = await createOrganisation(store, `KPI bench ${shape.seed}`);
  const at = new Date().toISOString();
  const channels = Array.from({ length: shape.channels }, (_, i) => ({ id: newId('chn'), org_id: org.orgId, code: `ch${i}`, name: `Channel ${i}`, kind: 'webshop' as const, accepts_backorders: 1, priority: 0, window_kind: 'none' as const, cutoff_days: 1, created_at: at, updated_at: at }));
  const products = Array.from({ length: shape.skus }, (_, i) => ({
    id: newId('prd'),
    org_id: org.orgId,
    sku: `SKU-${String(i).padStart(6, '0')}`,
    name: `Product ${i}`,
    price_cents: 1000,
    cost_cents: 400,
    backorder_policy: 'inherit' as const,
    safety_buffer: null,
    acceptance_ratio: null,
    created_at: at,
    updated_at: at,
  }));
  const suppliers = Array.from({ length: shape.suppliers }, (_, i) => ({ id: newId('sup'), org_id: org.orgId, name: `Supplier ${i}`, lead_time_days: 10, created_at: at, updated_at: at }));
  await store.transact(async (tx) => {
    await tx.insertInto('channels').values(channels).execute();
    for (let i = 0; i < products.length; i += 500) await tx.insertInto('products').values(products.slice(i, i + 500)).execute();
    await tx.insertInto('suppliers').values(suppliers).execute();
  });
  const tally = tallyHistory(shape, { channels: channels.map((c) => c.id), skus: products.map((p) => p.id), suppliers: suppliers.map((s) => s.id) });
  await store.transact((tx) => addKpis(tx, store.dialect, org.orgId, tally));
  const to = new Date(START + (shape.days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { orgId: org.orgId, from: '2025-01-01', to, dailyRows: tally.rows().length, waitRows: tally.waits().length };
}
