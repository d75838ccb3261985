/**
 * The order-intake workload: a catalogue with skewed (Zipf-like) SKU popularity over two
 * locations, some SKUs sold out so that orders split into an open and a backorder part, and a
 * deterministic order generator (same seed → same sequence of orders).
 */
import type { Caller, Services } from '../src/services/context.js';
import { createChannel } from '../src/services/channels.service.js';
import { createLocation } from '../src/services/locations.service.js';
import type { OrderInput } from '../src/services/order-intake.service.js';
import { createOrganisation, updateSettings } from '../src/services/organisations.service.js';
import { createProduct } from '../src/services/products.service.js';
import { adjustStock } from '../src/services/stock.service.js';

export const LOCATIONS = ['wh-a', 'wh-b'] as const;
export const CHANNEL = 'webshop';

export interface SkuSpec {
  readonly sku: string;
  readonly price: number;
  /** On hand per location, in LOCATIONS order. */
  readonly stock: readonly [number, number];
}

export interface Catalogue {
  readonly name: string;
  /** In popularity order: index 0 is the most ordered SKU. */
  readonly skus: readonly SkuSpec[];
  /** Zipf exponent of SKU popularity. */
  readonly zipfS: number;
}

/** ~200 SKUs, plenty of stock at both locations; every 10th SKU from the 7th on is sold out. */
export function mainCatalogue(count = 200, plenty = 1_000_000): Catalogue {
  const skus = Array.from({ length: count }, (_, i): SkuSpec => {
    const soldOut = i % 10 === 6;
    return {
      sku: `BENCH-${String(i + 1).padStart(3, '0')}`,
      price: 5 + (i % 20) + 0.95,
      stock: soldOut ? [0, 0] : [plenty, plenty],
    };
  });
  return { name: 'main', skus, zipfS: 1.0 };
}

/** Five SKUs with little stock: demand far exceeds it, so every unit is fought over. */
export function hotCatalogue(): Catalogue {
  const stock: readonly [number, number][] = [
    [150, 100],
    [120, 80],
    [100, 100],
    [60, 140],
    [0, 200],
  ];
  return {
    name: 'hot',
    skus: stock.map((s, i) => ({ sku: `HOT-${i + 1}`, price: 19.95, stock: s })),
    zipfS: 0.5,
  };
}

export interface SeededOrg {
  readonly orgId: string;
  readonly apiKey: string;
  readonly caller: Caller;
}

/** Organisation with backorders on, two locations, one channel over both, the catalogue's stock. */
export async function seedOrganisation(services: Services, catalogue: Catalogue): Promise<SeededOrg> {
  const org = await createOrganisation(services.store, `bench-${catalogue.name}`);
  const caller: Caller = { orgId: org.orgId, role: 'admin', keyId: org.adminKey.id };
  await updateSettings(services, caller, { backordersEnabled: true });
  for (const code of LOCATIONS) {
    await createLocation(services, caller, { code, name: `Warehouse ${code}`, kind: 'warehouse', country: 'NL' });
  }
  await createChannel(services, caller, { code: CHANNEL, name: 'Web shop', kind: 'webshop', acceptsBackorders: true, locations: [...LOCATIONS] });
  for (const s of catalogue.skus) {
    await createProduct(services, caller, { sku: s.sku, name: `Product ${s.sku}`, price: s.price, cost: Math.round(s.price * 30) / 100 });
    for (const [i, qty] of s.stock.entries()) {
      const location = LOCATIONS[i]!;
      if (qty > 0) {
        await adjustStock(services, caller, { sku: s.sku, location, delta: qty, kind: 'receipt' });
      } else {
        // Sold out: the level row exists at 0 on hand, as it would after selling the last unit.
        await adjustStock(services, caller, { sku: s.sku, location, delta: 1, kind: 'receipt' });
        await adjustStock(services, caller, { sku: s.sku, location, delta: -1, kind: 'damage' });
      }
    }
  }
  return { orgId: org.orgId, apiKey: org.adminKey.key, caller };
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickWeighted(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Orders of 1–3 distinct SKUs (50/30/20 %), 1–3 units a line, customers from a pool. */
export class OrderGenerator {
  private readonly random: () => number;
  private readonly cdf: Float64Array;
  private n = 0;

  constructor(
    private readonly catalogue: Catalogue,
    seed: number,
    /** Makes external ids unique per run phase (warm-up vs measured). */
    private readonly prefix: string,
    private readonly customerPool = 20_000,
  ) {
    this.random = rng(seed);
    const weights = catalogue.skus.map((_, i) => 1 / Math.pow(i + 1, catalogue.zipfS));
    const total = weights.reduce((a, b) => a + b, 0);
    this.cdf = new Float64Array(weights.length);
    let acc = 0;
    weights.forEach((w, i) => {
      acc += w / total;
      this.cdf[i] = acc;
    });
    this.cdf[weights.length - 1] = 1;
  }

  get generated(): number {
    return this.n;
  }

  next(): OrderInput {
    const r = this.random;
    this.n += 1;
    const u = r();
    const lineCount = Math.min(u < 0.5 ? 1 : u < 0.8 ? 2 : 3, this.catalogue.skus.length);
    const chosen = new Set<number>();
    while (chosen.size < lineCount) chosen.add(pickWeighted(this.cdf, r()));
    const customer = Math.floor(r() * this.customerPool);
    return {
      channel: CHANNEL,
      externalId: `${this.prefix}-${this.n}`,
      customer: { id: `cust-${customer}`, email: `c${customer}@example.nl`, locale: 'nl', country: 'NL', postcode: '1011AB' },
      lines: [...chosen].map((i) => {
        const q = r();
        const spec = this.catalogue.skus[i]!;
        return { sku: spec.sku, qty: q < 0.7 ? 1 : q < 0.9 ? 2 : 3, unitPrice: spec.price };
      }),
    };
  }
}
