import type { Order, OrderPart, PartStatus } from '../../api/types';

/** One order as a row of one tab: only its parts in that status count. */
export interface OrderRow {
  readonly order: Order;
  readonly parts: readonly OrderPart[];
  readonly units: number;
  /** 3 × CASE-A and 1 × CASE-B: each SKU's units summed over the parts. */
  readonly items: readonly { readonly sku: string; readonly qty: number }[];
  readonly locations: string;
  /** The latest promised day over the parts; null when any part's units are not all promised. */
  readonly promisedDate: string | null;
  readonly oversold: boolean;
  readonly daysWaiting: number;
}

export function toRow(order: Order, status: PartStatus, now: number): OrderRow {
  const parts = order.parts.filter((p) => p.status === status);
  const lines = parts.flatMap((p) => p.lines);
  const bySku = new Map<string, number>();
  for (const l of lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.qty);
  const dates = parts.map((p) => p.promisedDate);
  return {
    order,
    parts,
    units: lines.reduce((n, l) => n + l.qty, 0),
    items: [...bySku].map(([sku, qty]) => ({ sku, qty })),
    locations: [...new Set(lines.flatMap((l) => (l.location ? [l.location] : [])))].join(', '),
    promisedDate: dates.length > 0 && dates.every((d) => d !== null) ? dates.reduce((a, b) => (a! > b! ? a : b)) : null,
    oversold: lines.some((l) => l.oversold),
    daysWaiting: Math.max(0, Math.floor((now - Date.parse(order.placedAt)) / 86_400_000)),
  };
}
