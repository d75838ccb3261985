/**
 * R7, R15: how far ahead a channel may sell incoming stock, and the seasons that widen it.
 * Pure: dates are YYYY-MM-DD in UTC, compared as strings.
 */
import { addDays } from './promise-plan.js';

export type ChannelWindow =
  | { readonly kind: 'days'; readonly days: number }
  /** Shipments leave on these ISO weekdays (1 = Monday); stock must be there `cutoffDays` before one leaves. */
  | { readonly kind: 'until_next_shipment'; readonly shipmentDays: readonly number[]; readonly cutoffDays: number }
  /** No time limit: every open purchase-order line counts. */
  | { readonly kind: 'none' };

export const WINDOW_KINDS = ['days', 'until_next_shipment', 'none'] as const;

export interface Season {
  readonly name: string;
  /** Both inclusive. */
  readonly startsOn: string;
  readonly endsOn: string;
  /** Replaces the organisation's acceptance ratio while the season runs (a product's own ratio still wins). */
  readonly acceptanceRatio: number | null;
  /** Multiplies `days` windows while the season runs. */
  readonly windowMultiplier: number;
}

/** The season running on `today`; when ranges overlap, the one that started last (then by name). */
export function activeSeason(seasons: readonly Season[], today: string): Season | null {
  let found: Season | null = null;
  for (const s of seasons) {
    if (s.startsOn > today || s.endsOn < today) continue;
    if (!found || s.startsOn > found.startsOn || (s.startsOn === found.startsOn && s.name < found.name)) found = s;
  }
  return found;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

const remembered = new WeakMap<ChannelWindow, Map<string, string | null>>();

/**
 * The last day on which stock may arrive and still count for the channel, or null when the
 * window has no end. `days N`: today + N (× the season's multiplier, rounded). Until the next
 * shipment: the next shipment that can still be caught leaves on the first shipment day at least
 * `cutoffDays` from today, and its stock must be there `cutoffDays` before (Amazon FBA every
 * Tuesday with a cut-off of 1: stock arriving by Monday counts).
 */
export function windowEnd(window: ChannelWindow, today: string, season: Season | null = null): string | null {
  // Asked for every SKU with the same channels (a full recompute: 100,000 SKUs × 4 channels took
  // 1.5 s of date arithmetic), so each window object remembers its end per day and multiplier.
  const key = `${today}|${season?.windowMultiplier ?? 1}`;
  let ends = remembered.get(window);
  if (!ends) {
    ends = new Map();
    remembered.set(window, ends);
  }
  const known = ends.get(key);
  if (known !== undefined) return known;
  const end = computeWindowEnd(window, today, season);
  ends.set(key, end);
  return end;
}

/** The days a `days` window counts: its days × the running season's multiplier, rounded (R15). */
export function stretchedDays(days: number, season: Season | null): number {
  return Math.round(days * (season?.windowMultiplier ?? 1));
}

function computeWindowEnd(window: ChannelWindow, today: string, season: Season | null): string | null {
  switch (window.kind) {
    case 'none':
      return null;
    case 'days':
      return addDays(today, stretchedDays(window.days, season));
    case 'until_next_shipment': {
      const days = new Set(window.shipmentDays);
      if (days.size === 0) return addDays(today, -1);
      for (let ahead = window.cutoffDays; ahead < window.cutoffDays + 7; ahead++) {
        const leaves = addDays(today, ahead);
        if (days.has(isoWeekday(leaves))) return addDays(leaves, -window.cutoffDays);
      }
      return addDays(today, -1);
    }
  }
}
