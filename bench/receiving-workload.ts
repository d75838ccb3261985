/**
 * The receiving workload: one SKU, sold out at one distribution centre, with `n` orders of one
 * unit each waiting for it (one backorder part, one part line of qty 1 per order) from three
 * channels of different priority and customers of several tiers, countries and distances.
 * A receipt of n / 2 units then fills half of them, in the order the allocation policy picks.
 *
 * The waiting orders are placed through placeOrder itself (8 in flight), so their rows are
 * exactly what order intake writes: customers, orders, lines, parts, part lines, events and
 * the oversold alert.
 */
import type { AllocationRule } from '../src/domain/allocation-policy.js';
import { createChannel } from '../src/services/channels.service.js';
import type { Caller, Services } from '../src/services/context.js';
import { createLocation } from '../src/services/locations.service.js';
import { placeOrder, type OrderInput } from '../src/services/order-intake.service.js';
import { createOrganisation, updateSettings } from '../src/services/organisations.service.js';
import { createProduct } from '../src/services/products.service.js';
import { createPurchaseOrder, createSupplier } from '../src/services/purchasing.service.js';
import { adjustStock } from '../src/services/stock.service.js';
import { rng } from './intake-workload.js';

export const SKU = 'RCV-001';
const PRICE = 24.95;
const COST = 12.0;

export const LOCATION = { code: 'dc-ams', name: 'DC Amsterdam', kind: 'warehouse', country: 'NL', latitude: 52.3676, longitude: 4.9041 } as const;

/** Three channels over the one location; share of orders and the price each sells at. */
export const CHANNELS = [
  { code: 'webshop', name: 'Web shop', kind: 'webshop', priority: 0, share: 0.5, price: 24.95 },
  { code: 'bol', name: 'bol.com', kind: 'bol', priority: 10, share: 0.3, price: 27.5 },
  { code: 'b2b', name: 'Wholesale', kind: 'b2b', priority: 5, share: 0.2, price: 19.9 },
] as const;

export const POLICIES: Readonly<Record<string, readonly AllocationRule[]>> = {
  fifo: ['fifo'],
  'three-rule': ['channel_priority', 'customer_tier', 'proximity'],
};

/** Where customers live: towns around the DC and abroad (every customer gets a small offset). */
const TOWNS = [
  { country: 'NL', latitude: 52.3676, longitude: 4.9041, weight: 20 },
  { country: 'NL', latitude: 51.9244, longitude: 4.4777, weight: 12 },
  { country: 'NL', latitude: 52.0907, longitude: 5.1214, weight: 10 },
  { country: 'NL', latitude: 53.2194, longitude: 6.5665, weight: 5 },
  { country: 'NL', latitude: 51.4416, longitude: 5.4697, weight: 7 },
  { country: 'NL', latitude: 50.8514, longitude: 5.691, weight: 4 },
  { country: 'BE', latitude: 50.8503, longitude: 4.3517, weight: 8 },
  { country: 'BE', latitude: 51.2194, longitude: 4.4025, weight: 6 },
  { country: 'BE', latitude: 51.0543, longitude: 3.7174, weight: 4 },
  { country: 'DE', latitude: 52.52, longitude: 13.405, weight: 8 },
  { country: 'DE', latitude: 50.9375, longitude: 6.9603, weight: 7 },
  { country: 'DE', latitude: 53.5511, longitude: 9.9937, weight: 5 },
  { country: 'DE', latitude: 48.1351, longitude: 11.582, weight: 4 },
] as const;

/** Tiers with their share of customers; `trade` is not in the default tier order (served after all listed ones). */
const TIERS = [
  ['vip', 0.02],
  ['gold', 0.08],
  ['silver', 0.2],
  ['trade', 0.03],
  ['standard', 0.67],
] as const;

const CUSTOMERS = 10_000;
/** The first order was placed at this instant; one more about every 90 s after it. */
const FIRST_ORDER_AT = Date.parse('2026-10-01T08:00:00Z');

function pick<T>(items: readonly T[], weight: (t: T) => number, u: number): T {
  const total = items.reduce((a, t) => a + weight(t), 0);
  let acc = 0;
  for (const t of items) {
    acc += weight(t) / total;
    if (u < acc) return t;
  }
  return items[items.length - 1]!;
}

/** Customer `i` always looks the same, so repeat orders do not rewrite it. */
function customer(i: number, seed: number): OrderInput['customer'] {
  const r = rng(seed * 100_003 + i);
  const tier = pick(TIERS, (t) => t[1], r())[0];
  const town = pick(TOWNS, (t) => t.weight, r());
  const located = r() >= 0.05; // 5 % have no coordinates (proximity ranks them last in their country)
  const country = town.country;
  return {
    id: `rcv-cust-${i}`,
    email: `c${i}@example.${country.toLowerCase()}`,
    locale: country === 'DE' ? 'de' : 'nl',
    tier,
    country,
    ...(located ? { latitude: round4(town.latitude + (r() - 0.5) * 0.3), longitude: round4(town.longitude + (r() - 0.5) * 0.5) } : {}),
  };
}

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** Orders `from` … `to - 1` of the deterministic sequence: one unit of SKU each. */
export function waitingOrders(from: number, to: number, seed: number): OrderInput[] {
  const out: OrderInput[] = [];
  for (let i = from; i < to; i++) {
    const r = rng(seed * 7_919 + i);
    const channel = pick(CHANNELS, (c) => c.share, r());
    const placedAt = new Date(FIRST_ORDER_AT + i * 90_000 + Math.floor(r() * 30 * 60_000)).toISOString();
    out.push({
      channel: channel.code,
      externalId: `rcv-${i + 1}`,
      placedAt,
      shippingPreference: r() < 0.2 ? 'complete' : 'partial',
      priority: r() < 0.005 ? 1 : 0,
      customer: customer(Math.floor(r() * CUSTOMERS), seed),
      lines: [{ sku: SKU, qty: 1, unitPrice: channel.price }],
    });
  }
  return out;
}

export interface ReceivingOrg {
  readonly orgId: string;
  readonly caller: Caller;
}

/** Organisation with backorders on, the DC, three channels over it, and the SKU sold out there. */
export async function seedReceivingOrg(services: Services): Promise<ReceivingOrg> {
  const org = await createOrganisation(services.store, 'bench-receiving');
  const caller: Caller = { orgId: org.orgId, role: 'admin', keyId: org.adminKey.id };
  await updateSettings(services, caller, { backordersEnabled: true });
  await createLocation(services, caller, { ...LOCATION });
  for (const c of CHANNELS) {
    await createChannel(services, caller, { code: c.code, name: c.name, kind: c.kind, priority: c.priority, acceptsBackorders: true, locations: [LOCATION.code] });
  }
  await createProduct(services, caller, { sku: SKU, name: 'Receiving bench product', price: PRICE, cost: COST });
  // Sold out: the level row exists at 0 on hand, as it would after selling the last unit.
  await adjustStock(services, caller, { sku: SKU, location: LOCATION.code, delta: 1, kind: 'receipt' });
  await adjustStock(services, caller, { sku: SKU, location: LOCATION.code, delta: -1, kind: 'damage' });
  return { orgId: org.orgId, caller };
}

/** Places `orders` through placeOrder, `inFlight` at a time; every one must become a full backorder. */
export async function placeWaitingOrders(services: Services, caller: Caller, orders: readonly OrderInput[], inFlight: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < orders.length) {
      const input = orders[next++]!;
      const placed = await placeOrder(services, caller, input);
      if (!placed.created || placed.order.status !== 'backorder') throw new Error(`order ${input.externalId} did not become a backorder`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** Step 2 of every repetition: the policy (as PATCH /v1/settings sets it), a supplier and an open purchase order. */
export async function preparePurchaseOrder(services: Services, caller: Caller, policy: readonly AllocationRule[], units: number): Promise<string> {
  await updateSettings(services, caller, { allocationPolicy: [...policy] });
  const supplier = await createSupplier(services, caller, { name: 'Bench Supplies', leadTimeDays: 10 });
  const po = await createPurchaseOrder(services, caller, {
    number: 'PO-BENCH-1',
    supplierId: supplier.id,
    location: LOCATION.code,
    expectedDate: '2026-11-20',
    lines: [{ sku: SKU, qty: units }],
  });
  return po.id;
}
