/**
 * R13 Price suggestions, per SKU and channel, for a person to accept or dismiss:
 * - `low_stock_arrival_soon` (+5 %): the channel has stock, at most 3 days of sales of it, and a
 *   purchase order arrives at one of its locations within 3 days — sell the last units a little
 *   dearer instead of selling out before the delivery;
 * - `selling_from_incoming` (−3 %): no stock to offer (physical 0) but units on offer from
 *   incoming — the customer waits, so a little cheaper.
 * The rules exclude each other: with no physical stock only the second can apply. Pure.
 */
export interface PriceRuleSettings {
  readonly lowStockDays: number;
  readonly arrivalWithinDays: number;
  readonly raisePercent: number;
  readonly lowerPercent: number;
}

export const PRICE_RULES: PriceRuleSettings = Object.freeze({ lowStockDays: 3, arrivalWithinDays: 3, raisePercent: 5, lowerPercent: -3 });

export interface PriceInput {
  /** What the channel may sell from stock (R7's physical term, after the safety buffer). */
  readonly physical: number;
  /** Everything the channel may sell (physical + incoming offer). */
  readonly offered: number;
  /** Units a day over the last 28 days. */
  readonly dailySales: number;
  /** Days from today to the earliest effective arrival at a location serving the channel; null: none open. */
  readonly daysToArrival: number | null;
  readonly priceCents: number;
}

export interface PriceSuggestionDecision {
  readonly rule: 'low_stock_arrival_soon' | 'selling_from_incoming';
  readonly percent: number;
  readonly suggestedPriceCents: number;
  readonly reason: string;
  readonly figures: Readonly<Record<string, number | null>>;
}

export function suggestPrice(input: PriceInput, rules: PriceRuleSettings = PRICE_RULES): PriceSuggestionDecision | null {
  const daysOfSales = input.dailySales > 0 ? input.physical / input.dailySales : null;
  const figures = { physical: input.physical, offered: input.offered, dailySales: round2(input.dailySales), daysOfSales: daysOfSales === null ? null : round2(daysOfSales), daysToArrival: input.daysToArrival };
  const priced = (percent: number) => Math.round((input.priceCents * (100 + percent)) / 100);
  if (input.physical === 0) {
    if (input.offered <= 0) return null;
    return {
      rule: 'selling_from_incoming',
      percent: rules.lowerPercent,
      suggestedPriceCents: priced(rules.lowerPercent),
      reason: `No stock to sell, ${input.offered} units on offer from incoming purchase orders: the customer waits, ${rules.lowerPercent} %.`,
      figures,
    };
  }
  if (daysOfSales === null || daysOfSales > rules.lowStockDays) return null;
  if (input.daysToArrival === null || input.daysToArrival > rules.arrivalWithinDays) return null;
  return {
    rule: 'low_stock_arrival_soon',
    percent: rules.raisePercent,
    suggestedPriceCents: priced(rules.raisePercent),
    reason: `${input.physical} units left, ${round2(daysOfSales)} days of sales, and a delivery in ${input.daysToArrival} days: +${rules.raisePercent} %.`,
    figures,
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * A suggestion's lifecycle, as a table: a person accepts or dismisses an open one; one nobody
 * decided is withdrawn when its condition clears. Deciding the same way twice is a retry.
 */
export type SuggestionStatus = 'open' | 'accepted' | 'dismissed' | 'withdrawn';
export type SuggestionEvent = 'accept' | 'dismiss' | 'withdraw';

const SUGGESTION_TRANSITIONS: Readonly<Record<SuggestionStatus, Partial<Record<SuggestionEvent, SuggestionStatus>>>> = {
  open: { accept: 'accepted', dismiss: 'dismissed', withdraw: 'withdrawn' },
  accepted: { accept: 'accepted' },
  dismissed: { dismiss: 'dismissed' },
  withdrawn: {},
};

/** The status after `event`, or null when the table has no row for it. */
export function suggestionTransition(from: SuggestionStatus, event: SuggestionEvent): SuggestionStatus | null {
  return SUGGESTION_TRANSITIONS[from][event] ?? null;
}
