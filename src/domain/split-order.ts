/**
 * R3: the automatic split of an order at intake. A pure function: rows in, plan out.
 *
 * Each line takes available stock from the channel's locations in the channel's order; the
 * remainder waits. Partial shipping puts the covered units in one open part and the waiting
 * units in one backorder part; complete shipping keeps everything in one part, which stays a
 * backorder (holding its reserved units) until nothing waits.
 */
export type ShippingPreference = 'partial' | 'complete';

export interface LineDemand {
  readonly lineNo: number;
  readonly productId: string;
  readonly qty: number;
  readonly backorderAllowed: boolean;
}

/** Available units of one product at one location; `rank` is the location's position in the channel. */
export interface StockSource {
  readonly productId: string;
  readonly locationId: string;
  readonly rank: number;
  readonly available: number;
}

export interface PlannedPartLine {
  readonly lineNo: number;
  readonly productId: string;
  /** null: the units wait (backorder); otherwise reserved at this location. */
  readonly locationId: string | null;
  readonly qty: number;
}

export interface PlannedPart {
  readonly status: 'open' | 'backorder';
  readonly lines: readonly PlannedPartLine[];
}

export interface SplitPlan {
  readonly parts: readonly PlannedPart[];
  readonly reservations: readonly { productId: string; locationId: string; qty: number }[];
  /** Lines with waiting units that R1 does not allow to be backordered. */
  readonly disallowedLines: readonly number[];
}

export function splitOrder(
  lines: readonly LineDemand[],
  sources: readonly StockSource[],
  shipping: ShippingPreference,
): SplitPlan {
  const remaining = new Map<string, number>();
  const byProduct = new Map<string, StockSource[]>();
  for (const s of [...sources].sort((a, b) => a.rank - b.rank || cmp(a.locationId, b.locationId))) {
    const key = `${s.productId}|${s.locationId}`;
    if (remaining.has(key)) continue;
    remaining.set(key, Math.max(0, s.available));
    const list = byProduct.get(s.productId) ?? [];
    list.push(s);
    byProduct.set(s.productId, list);
  }

  const reserved: PlannedPartLine[] = [];
  const waiting: PlannedPartLine[] = [];
  const disallowed: number[] = [];
  for (const line of lines) {
    let need = line.qty;
    for (const s of byProduct.get(line.productId) ?? []) {
      if (need === 0) break;
      const key = `${s.productId}|${s.locationId}`;
      const take = Math.min(need, remaining.get(key)!);
      if (take === 0) continue;
      remaining.set(key, remaining.get(key)! - take);
      reserved.push({ lineNo: line.lineNo, productId: line.productId, locationId: s.locationId, qty: take });
      need -= take;
    }
    if (need > 0) {
      waiting.push({ lineNo: line.lineNo, productId: line.productId, locationId: null, qty: need });
      if (!line.backorderAllowed) disallowed.push(line.lineNo);
    }
  }

  const parts: PlannedPart[] = [];
  if (waiting.length === 0) {
    parts.push({ status: 'open', lines: reserved });
  } else if (shipping === 'complete') {
    parts.push({ status: 'backorder', lines: [...reserved, ...waiting] });
  } else {
    if (reserved.length > 0) parts.push({ status: 'open', lines: reserved });
    parts.push({ status: 'backorder', lines: waiting });
  }
  return { parts, reservations: sumReservations(reserved), disallowedLines: disallowed };
}

function sumReservations(lines: readonly PlannedPartLine[]) {
  const sums = new Map<string, { productId: string; locationId: string; qty: number }>();
  for (const l of lines) {
    const key = `${l.productId}|${l.locationId}`;
    const cur = sums.get(key);
    if (cur) cur.qty += l.qty;
    else sums.set(key, { productId: l.productId, locationId: l.locationId!, qty: l.qty });
  }
  return [...sums.values()];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
