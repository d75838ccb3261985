/**
 * R7, R8, R15: how much of an incoming purchase-order line may be sold before it arrives, and
 * how that capacity is divided among the channels. Used alike by the offered stock (what each
 * channel may sell) and by the promise planner (what each sold unit is promised against), so a
 * channel is never offered a unit its orders could not be promised. Pure.
 *
 * - Ratio: the product's own ratio, else the running season's, else the organisation's; an
 *   erratic supplier's lines take it × the erratic factor (0.67).
 * - Capacity: floor(incoming × ratio). Lines of `new` and `erratic` suppliers together give at
 *   most the capped days of sales (3 × the SKU's daily sales), earliest arrival first.
 * - Shares: each channel that accepts backorders and is served from the line's location is
 *   allotted floor(capacity × share). Explicit shares count as given; channels without one split
 *   what is left equally. What no allotment covers (rounding, shares summing below 1) is the
 *   line's pool: never offered, but a re-plan may promise it to units already sold.
 */
import type { SupplierGrade } from './supplier-reliability.js';

export interface RatioSettings {
  readonly organisationRatio: number;
  readonly seasonRatio: number | null;
  readonly productRatio: number | null;
  readonly erraticFactor: number;
  /** Days of sales lines of new and erratic suppliers may offer (R8); null: no cap. */
  readonly cappedSalesDays: number | null;
  /** Units a day the SKU sold over the last 28 days. */
  readonly dailySales: number;
}

export type RatioSource = 'product' | 'season' | 'organisation';

export interface CapacityLine {
  readonly key: string;
  readonly locationId: string;
  readonly grade: SupplierGrade;
  /** ordered − received − cancelled. */
  readonly incoming: number;
  /** Effective arrival (YYYY-MM-DD), the order lines are taken in. */
  readonly arrivalDate: string;
}

export interface ShareChannel {
  readonly id: string;
  readonly acceptsBackorders: boolean;
  readonly share: number | null;
  readonly locationIds: readonly string[];
}

export interface LineCapacity {
  readonly key: string;
  /** The ratio before the erratic factor: the product's, the season's or the organisation's. */
  readonly baseRatio: number;
  readonly ratio: number;
  readonly ratioSource: RatioSource;
  readonly erratic: boolean;
  /** floor(incoming × ratio), before the grade cap. */
  readonly uncapped: number;
  /** Whether the new/erratic supplier cap lowered this line. */
  readonly gradeCapped: boolean;
  readonly capacity: number;
  /** Per channel id: its share of this line and the units that share allots. */
  readonly shares: ReadonlyMap<string, number>;
  readonly allotments: ReadonlyMap<string, number>;
  /** capacity − Σ allotments. */
  readonly pool: number;
}

export function lineRatio(s: RatioSettings, grade: SupplierGrade): { base: number; ratio: number; source: RatioSource; erratic: boolean } {
  const [base, source]: [number, RatioSource] =
    s.productRatio !== null ? [s.productRatio, 'product'] : s.seasonRatio !== null ? [s.seasonRatio, 'season'] : [s.organisationRatio, 'organisation'];
  const erratic = grade === 'erratic';
  return { base, ratio: erratic ? base * s.erraticFactor : base, source, erratic };
}

/** floor(incoming × ratio); the epsilon keeps 100 × 0.7 at 70 when binary floating point lands on 69.999…. */
export function floorTimes(units: number, ratio: number): number {
  if (!(units > 0) || !(ratio > 0)) return 0;
  return Math.floor(units * Math.min(1, ratio) + 1e-9);
}

/** R8: the most that lines of new and erratic suppliers may give together. */
export function gradeCap(s: RatioSettings): number {
  if (s.cappedSalesDays === null) return Number.POSITIVE_INFINITY;
  return Math.floor(s.cappedSalesDays * s.dailySales + 1e-9);
}

export const isCappedGrade = (grade: SupplierGrade) => grade === 'new' || grade === 'erratic';

/** Each channel's share of a line at `locationId`: explicit shares as given, the rest split equally. */
export function sharesAt(channels: readonly ShareChannel[], locationId: string): Map<string, number> {
  const eligible = channels.filter((c) => c.acceptsBackorders && c.locationIds.includes(locationId));
  const explicit = eligible.reduce((a, c) => a + (c.share ?? 0), 0);
  const open = eligible.filter((c) => c.share === null);
  const each = open.length > 0 ? Math.max(0, 1 - explicit) / open.length : 0;
  return new Map(eligible.map((c) => [c.id, c.share ?? each]));
}

/** Capacities of one SKU's lines; `lines` in any order, the grade cap is spent earliest arrival first. */
export function lineCapacities(lines: readonly CapacityLine[], settings: RatioSettings, channels: readonly ShareChannel[]): LineCapacity[] {
  let capLeft = gradeCap(settings);
  const byArrival = [...lines].sort((a, b) => (a.arrivalDate < b.arrivalDate ? -1 : a.arrivalDate > b.arrivalDate ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out = new Map<string, LineCapacity>();
  for (const line of byArrival) {
    const { base, ratio, source, erratic } = lineRatio(settings, line.grade);
    const uncapped = floorTimes(line.incoming, ratio);
    let capacity = uncapped;
    if (isCappedGrade(line.grade)) {
      capacity = Math.min(uncapped, capLeft);
      capLeft -= capacity;
    }
    const shares = sharesAt(channels, line.locationId);
    const allotments = new Map([...shares].map(([id, share]) => [id, floorTimes(capacity, share)]));
    let allotted = [...allotments.values()].reduce((a, v) => a + v, 0);
    // Floating-point shares summing a hair above 1 must not allot more than there is.
    for (const id of [...allotments.keys()].sort()) {
      if (allotted <= capacity) break;
      const cut = Math.min(allotments.get(id)!, allotted - capacity);
      allotments.set(id, allotments.get(id)! - cut);
      allotted -= cut;
    }
    out.set(line.key, {
      key: line.key,
      baseRatio: base,
      ratio,
      ratioSource: source,
      erratic,
      uncapped,
      gradeCapped: capacity < uncapped,
      capacity,
      shares,
      allotments,
      pool: capacity - allotted,
    });
  }
  return lines.map((l) => out.get(l.key)!);
}
