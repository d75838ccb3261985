/**
 * R3, R5, R8: promising waiting units against stock that is on its way. A promise says which
 * purchase-order line a backordered unit will come from and when the customer can expect it.
 *
 * The plan predicts what the receipts will do: purchase-order lines are taken in order of
 * effective arrival (expected date + the supplier's p80 delay), and at each one the waiting
 * lines that may take from its location are served in the order of the allocation policy (R6),
 * exactly as a receipt at that location would serve them. Each line gives out at most its
 * capacity, floor(incoming × acceptance ratio) (R7), so the same incoming unit is never promised
 * twice and a buffer is kept for damage and delays. What no capacity covers stays unpromised:
 * those units are oversold. Pure: rows in, plan out.
 *
 * Greedy by design: a line that may take from two locations takes the earlier arrival even when
 * that leaves a line served only there unpromised while the other location's capacity idles —
 * the receipts will do just that, and a promise is a prediction of the receipts.
 */
import { rankWaiting, type Place, type Policy, type Waiting } from './allocation-policy.js';

export interface IncomingLine {
  readonly poId: string;
  readonly lineNo: number;
  readonly productId: string;
  readonly locationId: string;
  readonly place: Place;
  /** YYYY-MM-DD: the day the units are expected at the dock (expected date + p80 delay). */
  readonly arrivalDate: string;
  /** YYYY-MM-DD: the day a customer served from this line can expect delivery. */
  readonly promisedDate: string;
  /** Units of this line that may still be promised. */
  readonly capacity: number;
  /**
   * R7 shares: per channel id, the units of `capacity` allotted to that channel's orders. A unit
   * takes from its channel's allotment first, then from `pool` (what no allotment covers). Without
   * allotments the whole capacity is pool.
   */
  readonly allotments?: ReadonlyMap<string, number>;
  readonly pool?: number;
}

/** A waiting line as the promise planner sees it. */
export interface PromiseWaiting extends Waiting {
  /** The order's channel, whose allotment the line takes from. */
  readonly channelId?: string;
  /** R7 window: the latest arrival date the line may be promised against (null/absent: any). */
  readonly latestArrival?: string | null;
  /** A unit sold at intake may take only its channel's allotment, never the pool (R7: within its share). */
  readonly allotmentOnly?: boolean;
}

export interface PlannedPromise {
  readonly partLineId: string;
  readonly partId: string;
  readonly orderId: string;
  readonly productId: string;
  readonly poId: string;
  readonly lineNo: number;
  readonly qty: number;
  readonly promisedDate: string;
}


/** Lines in the order their units arrive: arrival, then promised date, then PO and line for a total order. */
export function byArrival(a: IncomingLine, b: IncomingLine): number {
  return cmp(a.arrivalDate, b.arrivalDate) || cmp(a.promisedDate, b.promisedDate) || cmp(a.poId, b.poId) || a.lineNo - b.lineNo;
}

export function planPromises(incoming: readonly IncomingLine[], waiting: readonly PromiseWaiting[], policy: Policy): PlannedPromise[] {
  const unmet = new Map<PromiseWaiting, number>(waiting.map((w) => [w, w.qty > 0 ? w.qty : 0]));
  const byProduct = new Map<string, PromiseWaiting[]>();
  for (const w of waiting) {
    if ((unmet.get(w) ?? 0) === 0) continue;
    const list = byProduct.get(w.productId);
    if (list) list.push(w);
    else byProduct.set(w.productId, [w]);
  }
  const plan: PlannedPromise[] = [];
  for (const line of [...incoming].sort(byArrival)) {
    let left = line.capacity > 0 ? Math.floor(line.capacity) : 0;
    if (left === 0) continue;
    const allotted = new Map(line.allotments ?? []);
    let pool = line.allotments === undefined ? left : Math.max(0, Math.floor(line.pool ?? 0));
    const open = (byProduct.get(line.productId) ?? []).filter(
      (w) => (unmet.get(w) ?? 0) > 0 && w.eligibleLocations.includes(line.locationId) && !(w.latestArrival && line.arrivalDate > w.latestArrival),
    );
    for (const w of rankWaiting(open, policy, line.place) as PromiseWaiting[]) {
      const own = w.channelId === undefined ? 0 : Math.max(0, allotted.get(w.channelId) ?? 0);
      const fromOwn = Math.min(left, unmet.get(w)!, own);
      const fromPool = w.allotmentOnly ? 0 : Math.min(left - fromOwn, unmet.get(w)! - fromOwn, pool);
      const take = fromOwn + fromPool;
      if (take === 0) continue;
      if (fromOwn > 0) allotted.set(w.channelId!, own - fromOwn);
      pool -= fromPool;
      unmet.set(w, unmet.get(w)! - take);
      left -= take;
      plan.push({
        partLineId: w.partLineId,
        partId: w.partId,
        orderId: w.orderId,
        productId: w.productId,
        poId: line.poId,
        lineNo: line.lineNo,
        qty: take,
        promisedDate: line.promisedDate,
      });
      if (left === 0) break;
    }
  }
  return plan;
}

/**
 * The date a waiting line is promised for: the latest date among its promises, once they cover
 * all its units; null while any unit is unpromised (oversold).
 */
export function linePromisedDate(qty: number, promises: readonly { qty: number; promisedDate: string }[]): string | null {
  const covered = promises.reduce((a, p) => a + p.qty, 0);
  if (covered < qty || qty <= 0) return null;
  return promises.reduce((latest, p) => (p.promisedDate > latest ? p.promisedDate : latest), '');
}

/** A backorder part's promised date: the latest of its waiting lines', null if any line has none. */
export function partPromisedDate(lineDates: readonly (string | null)[]): string | null {
  if (lineDates.length === 0) return null;
  let latest = '';
  for (const d of lineDates) {
    if (d === null) return null;
    if (d > latest) latest = d;
  }
  return latest;
}

/**
 * A fifo-only policy ranks a line by (−priority, placedAt, partId, partLineId) wherever the units
 * arrive. Under such a policy a new waiting line that ranks after every promised line of its SKU
 * changes nobody else's promise: it can be planned alone against the capacity that is left.
 */
export function isFifoOnly(policy: Policy): boolean {
  return policy.rules.every((r) => r === 'fifo');
}

export interface FifoKey {
  readonly priority: number;
  readonly placedAt: string;
  readonly partId: string;
  readonly partLineId: string;
}

/** true when `a` is served after `b` under a fifo-only policy. */
export function ranksAfter(a: FifoKey, b: FifoKey): boolean {
  if (a.priority !== b.priority) return a.priority < b.priority;
  return cmp(a.placedAt, b.placedAt) > 0 || (a.placedAt === b.placedAt && (cmp(a.partId, b.partId) > 0 || (a.partId === b.partId && cmp(a.partLineId, b.partLineId) > 0)));
}

/** YYYY-MM-DD plus whole days, in UTC. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + Math.round(days) * 86_400_000).toISOString().slice(0, 10);
}

/** R8: the day a purchase order's units are expected to arrive: expected date + the supplier's p80 delay. */
export function arrivalDate(expectedDate: string, p80DelayDays: number): string {
  return addDays(expectedDate, Math.max(0, p80DelayDays));
}

/** R8: when a purchase order's units can be counted on: its arrival, never before today (an overdue order arrives at the earliest today). */
export function effectiveArrival(expectedDate: string, p80DelayDays: number, today: string): string {
  const arrival = arrivalDate(expectedDate, p80DelayDays);
  return arrival < today ? today : arrival;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
