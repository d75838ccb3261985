/**
 * R19 (and R5 later): units that become available are handed to waiting backorder units of the
 * same product, oldest first (placedAt, then part id). A waiting unit may only take stock from a
 * location that serves its order's channel. Pure: rows in, plan out.
 */
export interface FreedStock {
  readonly productId: string;
  readonly locationId: string;
  readonly qty: number;
}

export interface WaitingLine {
  readonly partLineId: string;
  readonly partId: string;
  readonly productId: string;
  readonly qty: number;
  readonly placedAt: string;
  /** Locations that serve the order's channel. */
  readonly eligibleLocations: readonly string[];
}

export interface Coverage {
  readonly partLineId: string;
  readonly partId: string;
  readonly productId: string;
  readonly locationId: string;
  readonly qty: number;
}

export function allocateFreedStock(freed: readonly FreedStock[], waiting: readonly WaitingLine[]): Coverage[] {
  const pool = new Map<string, number>();
  for (const f of freed) {
    const key = `${f.productId}|${f.locationId}`;
    pool.set(key, (pool.get(key) ?? 0) + Math.max(0, f.qty));
  }
  const queue = [...waiting].sort(
    (a, b) => cmp(a.placedAt, b.placedAt) || cmp(a.partId, b.partId) || cmp(a.partLineId, b.partLineId),
  );
  const plan: Coverage[] = [];
  for (const w of queue) {
    let need = w.qty;
    for (const loc of w.eligibleLocations) {
      if (need === 0) break;
      const key = `${w.productId}|${loc}`;
      const left = pool.get(key) ?? 0;
      const take = Math.min(left, need);
      if (take === 0) continue;
      pool.set(key, left - take);
      need -= take;
      plan.push({ partLineId: w.partLineId, partId: w.partId, productId: w.productId, locationId: loc, qty: take });
    }
  }
  return plan;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
