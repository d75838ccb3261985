/**
 * R6 Allocation policy. When units become available (received on a purchase order, R5, or freed
 * by a cancellation, R19) they go to waiting backorder lines in the order the organisation's
 * policy chooses. The policy is a list of rules applied lexicographically: the first rule
 * decides, each later rule only breaks the ties left by the ones before it. A manual per-order
 * `priority` boost comes before every rule, and placedAt, partId, partLineId break whatever ties
 * remain, so the plan depends only on the rows, never on the order they arrive in.
 * Pure: rows in, plan out.
 */
export type AllocationRule = 'fifo' | 'channel_priority' | 'customer_tier' | 'proximity';
export const ALLOCATION_RULES: readonly AllocationRule[] = ['fifo', 'channel_priority', 'customer_tier', 'proximity'];
export const DEFAULT_POLICY: readonly AllocationRule[] = ['fifo'];
export const DEFAULT_TIER_ORDER: readonly string[] = ['vip', 'gold', 'silver', 'standard'];

export interface Place {
  readonly country: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

export interface Policy {
  /** Applied lexicographically, in this order. */
  readonly rules: readonly AllocationRule[];
  /** Customer tiers, served first to last; tiers not listed come after all listed ones, equal among themselves. */
  readonly tierOrder: readonly string[];
}

/** Units that can be handed out: received units at the PO's location, or units freed by a cancellation. */
export interface Supply {
  readonly productId: string;
  readonly locationId: string;
  readonly qty: number;
  /** Where the location is; every row of one location is expected to carry the same place. */
  readonly place: Place;
}

/** One waiting (backordered) part line. `partLineId` is unique. */
export interface Waiting {
  readonly partLineId: string;
  readonly partId: string;
  readonly orderId: string;
  readonly productId: string;
  readonly qty: number;
  /** ISO-8601 UTC, compared as strings. */
  readonly placedAt: string;
  /** Manual per-order boost; higher is served first, always before every rule. */
  readonly priority: number;
  /** Higher is served first. */
  readonly channelPriority: number;
  /** Unit price − cost of this line, per unit; higher is served first. */
  readonly marginCents: number;
  readonly customerTier: string;
  readonly customer: Place;
  /** Locations that serve the order's channel; a line may take units only from these. */
  readonly eligibleLocations: readonly string[];
}

export interface Allocation {
  readonly partLineId: string;
  readonly partId: string;
  readonly orderId: string;
  readonly productId: string;
  readonly locationId: string;
  readonly qty: number;
}

/**
 * Serves supply locations one at a time, in locationId order; at each one, the waiting lines of
 * the product that may take from it are ranked (rankWaiting, with the location as origin) and
 * each gets min(its unmet qty, units left). A line partly served at one location can get the
 * rest at a later one. Returns one Allocation per (line, location) with qty > 0, in the order
 * they were made.
 */
export function allocate(supply: readonly Supply[], waiting: readonly Waiting[], policy: Policy): Allocation[] {
  const stock = poolSupply(supply);
  const candidates = indexByProductAndLocation(waiting);
  const unmet = new Map<Waiting, number>(waiting.map((w) => [w, nonNegative(w.qty)]));
  const plan: Allocation[] = [];
  for (const [locationId, { place, units }] of [...stock].sort(byKey)) {
    for (const [productId, qty] of [...units].sort(byKey)) {
      let left = qty;
      if (left === 0) continue;
      const open = (candidates.get(productId)?.get(locationId) ?? []).filter((w) => (unmet.get(w) ?? 0) > 0);
      for (const line of rankWaiting(open, policy, place)) {
        const take = Math.min(left, unmet.get(line) ?? 0);
        unmet.set(line, (unmet.get(line) ?? 0) - take);
        left -= take;
        const { partLineId, partId, orderId } = line;
        plan.push({ partLineId, partId, orderId, productId, locationId, qty: take });
        if (left === 0) break;
      }
    }
  }
  return plan;
}

/**
 * The order in which waiting lines are served at one supply location (`origin`). Keys are
 * computed once per line before sorting (decorate, sort, undecorate), so proximity costs one
 * distance per line, not one per comparison.
 */
export function rankWaiting(waiting: readonly Waiting[], policy: Policy, origin: Place): Waiting[] {
  const tiers = tierRanks(policy.tierOrder);
  const keyed = waiting.map((line) => ({ line, key: sortKey(line, policy.rules, tiers, origin) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  return keyed.map((k) => k.line);
}

/** Every key is ascending; descending fields are negated. Strings compare by code unit, not locale. */
type SortKey = readonly (number | string)[];

interface TierRanks {
  readonly rank: ReadonlyMap<string, number>;
  readonly unlisted: number;
}

function sortKey(line: Waiting, rules: readonly AllocationRule[], tiers: TierRanks, origin: Place): SortKey {
  const key: (number | string)[] = [descending(line.priority)];
  for (const rule of rules) key.push(...ruleKey(rule, line, tiers, origin));
  key.push(line.placedAt, line.partId, line.partLineId);
  return key;
}

function ruleKey(rule: AllocationRule, line: Waiting, tiers: TierRanks, origin: Place): SortKey {
  switch (rule) {
    case 'fifo':
      return [line.placedAt];
    case 'channel_priority':
      return [descending(line.channelPriority), descending(line.marginCents)];
    case 'customer_tier':
      return [tiers.rank.get(line.customerTier) ?? tiers.unlisted];
    case 'proximity':
      // Lines without a computable distance come last within their country group.
      return [line.customer.country === origin.country ? 0 : 1, distanceKm(origin, line.customer) ?? Infinity];
    default:
      throw new Error(`unknown allocation rule: ${String(rule satisfies never)}`);
  }
}

function tierRanks(tierOrder: readonly string[]): TierRanks {
  const rank = new Map<string, number>();
  tierOrder.forEach((tier, i) => {
    if (!rank.has(tier)) rank.set(tier, i);
  });
  return { rank, unlisted: tierOrder.length };
}

/** Higher first; NaN ranks after every number so the order stays total. */
function descending(n: number): number {
  return Number.isNaN(n) ? Infinity : -n;
}

function compareKeys(a: SortKey, b: SortKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return a.length - b.length;
}

const EARTH_RADIUS_KM = 6371.0088;

type Located = Place & { readonly latitude: number; readonly longitude: number };

function hasCoordinates(p: Place): p is Located {
  return p.latitude !== null && p.longitude !== null && Number.isFinite(p.latitude) && Number.isFinite(p.longitude);
}

/** Great-circle (haversine) distance, or null when either place lacks coordinates. */
function distanceKm(a: Place, b: Place): number | null {
  if (!hasCoordinates(a) || !hasCoordinates(b)) return null;
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

interface LocationStock {
  readonly place: Place;
  readonly units: Map<string, number>;
}

/** Rows with the same (product, location) add up; negative qty counts as 0. */
function poolSupply(supply: readonly Supply[]): Map<string, LocationStock> {
  const stock = new Map<string, LocationStock>();
  for (const s of supply) {
    const current = stock.get(s.locationId);
    // If rows of one location disagree on its place, the smallest wins, so input order never matters.
    const place = current === undefined || compareKeys(placeKey(s.place), placeKey(current.place)) < 0 ? s.place : current.place;
    const units = current?.units ?? new Map<string, number>();
    units.set(s.productId, (units.get(s.productId) ?? 0) + nonNegative(s.qty));
    stock.set(s.locationId, { place, units });
  }
  return stock;
}

function placeKey(p: Place): SortKey {
  return [p.country, p.latitude ?? Infinity, p.longitude ?? Infinity];
}

/** productId → locationId → the lines of that product that may take from that location. */
function indexByProductAndLocation(waiting: readonly Waiting[]): Map<string, Map<string, Waiting[]>> {
  const index = new Map<string, Map<string, Waiting[]>>();
  for (const line of waiting) {
    if (nonNegative(line.qty) === 0) continue;
    let byLocation = index.get(line.productId);
    if (byLocation === undefined) index.set(line.productId, (byLocation = new Map()));
    for (const locationId of new Set(line.eligibleLocations)) {
      const lines = byLocation.get(locationId);
      if (lines === undefined) byLocation.set(locationId, [line]);
      else lines.push(line);
    }
  }
  return index;
}

/** NaN and negatives count as 0. */
function nonNegative(qty: number): number {
  return qty > 0 ? qty : 0;
}

function byKey<V>([a]: readonly [string, V], [b]: readonly [string, V]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
