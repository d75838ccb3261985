/**
 * R7 Offered stock: what each channel is told it may sell of one SKU, with the breakdown that
 * explains the number term by term.
 *
 *   offered = max(0, Σ available at the channel's locations − safety buffer) + incoming offer
 *
 * The incoming offer is 0 unless R1 allows backorders for the organisation, the product and the
 * channel. Otherwise each open purchase-order line at a location serving the channel adds what
 * is left of the channel's allotment of it (offer-capacity.ts) — only lines arriving within the
 * channel's window (R7), or for a pre-order product (R14) lines whose arrival is at most the
 * pre-order days away. Over all channels, the offers of a line never add up to more than its
 * capacity minus what is promised against it: the same incoming unit is never offered twice.
 * Pure: rows in, numbers and their explanation out.
 */
import { backorderAllowed, type BackorderPolicy } from './backorder-permission.js';
import { activeSeason, stretchedDays, windowEnd, type ChannelWindow, type Season } from './channel-window.js';
import { gradeCap, lineCapacities, type RatioSource, type ShareChannel } from './offer-capacity.js';
import { addDays } from './promise-plan.js';
import type { SupplierGrade } from './supplier-reliability.js';

export interface OfferOrganisation {
  readonly backordersEnabled: boolean;
  readonly acceptanceRatio: number;
  readonly defaultSafetyBuffer: number;
  readonly preorderDays: number;
  readonly erraticRatioFactor: number;
  readonly cappedSalesDays: number | null;
  readonly seasons: readonly Season[];
}

export interface OfferProduct {
  readonly id: string;
  readonly sku: string;
  readonly policy: BackorderPolicy;
  readonly safetyBuffer: number | null;
  readonly acceptanceRatio: number | null;
  /** R9: a demand spike paused the SKU's incoming offer: every channel sells from stock only. */
  readonly incomingPause?: OfferPause | null;
}

export interface OfferPause {
  readonly reason: 'demand_spike';
  readonly alertId: string;
  /** Until when, unless the alert is acknowledged first. */
  readonly until: string;
}

export interface OfferChannel extends ShareChannel {
  readonly code: string;
  readonly window: ChannelWindow;
  readonly safetyBuffer: number | null;
}

export interface OfferStock {
  readonly locationId: string;
  readonly locationCode: string;
  /** on hand − reserved. */
  readonly available: number;
}

export interface OfferLine {
  readonly poId: string;
  readonly number: string;
  readonly lineNo: number;
  readonly locationId: string;
  readonly locationCode: string;
  readonly supplier: string;
  readonly grade: SupplierGrade;
  readonly expectedDate: string;
  /** Expected date + the supplier's p80 delay (R8), never before today. */
  readonly arrivalDate: string;
  /** What a unit promised against the line is promised for: arrival + the location's handling days (R3). */
  readonly deliveryDate: string;
  readonly incoming: number;
  readonly promisedTotal: number;
  /** Units promised against the line to waiting orders of each channel. */
  readonly promisedByChannel: ReadonlyMap<string, number>;
}

export interface OfferInput {
  readonly today: string;
  readonly organisation: OfferOrganisation;
  readonly product: OfferProduct;
  readonly channels: readonly OfferChannel[];
  readonly stock: readonly OfferStock[];
  readonly lines: readonly OfferLine[];
  /** Units a day the SKU sold over the 28 days before today. */
  readonly dailySales: number;
}

export type LineExclusion =
  | 'backorders_not_allowed'
  /** R9: a demand spike paused the SKU's incoming offer. */
  | 'incoming_paused'
  | 'location_not_serving_channel'
  | 'outside_window'
  | 'preorder_not_open'
  /** R8: the line's supplier is new or erratic and the SKU's days of sales are used up. */
  | 'supplier_grade_cap'
  | 'no_capacity'
  | 'no_share';

export interface OfferLineTerm {
  readonly purchaseOrder: string;
  readonly purchaseOrderId: string;
  readonly lineNo: number;
  readonly location: string;
  readonly supplier: string;
  readonly grade: SupplierGrade;
  readonly expectedDate: string;
  readonly arrivalDate: string;
  readonly deliveryDate: string;
  readonly incoming: number;
  /** The product's, season's or organisation's ratio (`ratioSource`), before the erratic factor. */
  readonly baseRatio: number;
  /** baseRatio, × the erratic factor when the supplier is erratic (R8). */
  readonly ratio: number;
  readonly ratioSource: RatioSource;
  readonly erratic: boolean;
  /** floor(incoming × ratio), before the new/erratic supplier cap. */
  readonly uncapped: number;
  /** floor(incoming × ratio), after the new/erratic supplier cap. */
  readonly capacity: number;
  readonly gradeCapped: boolean;
  readonly share: number;
  /** floor(capacity × share). */
  readonly allotment: number;
  readonly promisedToChannel: number;
  readonly promisedTotal: number;
  /** What this line adds to the channel's offer: allotment − promised to the channel, within what the line has left. */
  readonly units: number;
  readonly excluded: LineExclusion | null;
}

export interface OfferBreakdown {
  readonly channel: string;
  readonly sku: string;
  readonly offered: number;
  readonly physical: {
    readonly locations: readonly { location: string; available: number }[];
    readonly available: number;
    readonly safetyBuffer: number;
    readonly safetyBufferFrom: 'product' | 'channel' | 'organisation';
    /** A pre-order product is sold from incoming only (R14). */
    readonly preorder: boolean;
    readonly units: number;
  };
  readonly incoming: {
    readonly backordersAllowed: boolean;
    /** Why not, when not: which switch of R1 is off. */
    readonly notAllowedBy: 'organisation' | 'product' | 'channel' | null;
    /** R9: why the incoming offer is paused (a demand spike), and until when; null: not paused. */
    readonly paused: OfferPause | null;
    /**
     * `days`: the channel's setting; `multiplier`: the running season's, when it stretches a
     * `days` window (R15), else null; `effectiveDays`: round(days × multiplier), the days counted.
     */
    readonly window: { kind: ChannelWindow['kind']; days: number | null; multiplier: number | null; effectiveDays: number | null; endsOn: string | null };
    readonly season: string | null;
    readonly preorderOpensDaysBefore: number | null;
    readonly dailySales: number;
    /** Units lines of new and erratic suppliers may give together (R8): floor(gradeCapDays × dailySales); null: no cap. */
    readonly gradeCap: number | null;
    readonly gradeCapDays: number | null;
    /** What an erratic supplier's ratio is multiplied by (R8). */
    readonly erraticFactor: number;
    readonly lines: readonly OfferLineTerm[];
    readonly units: number;
  };
}

export interface Offer {
  readonly channelId: string;
  readonly offered: number;
  readonly physical: number;
  readonly incoming: number;
  readonly breakdown: OfferBreakdown;
}

/** Offers of one SKU on every channel, in the order of `channels`. */
export function computeOffers(input: OfferInput): Offer[] {
  const { today, organisation: org, product } = input;
  const season = activeSeason(org.seasons, today);
  const settings = {
    organisationRatio: org.acceptanceRatio,
    seasonRatio: season?.acceptanceRatio ?? null,
    productRatio: product.acceptanceRatio,
    erraticFactor: org.erraticRatioFactor,
    cappedSalesDays: org.cappedSalesDays,
    dailySales: input.dailySales,
  };
  const keyOf = (l: OfferLine) => `${l.poId}|${l.lineNo}`;
  const capacities = new Map(
    lineCapacities(
      input.lines.map((l) => ({ key: keyOf(l), locationId: l.locationId, grade: l.grade, incoming: l.incoming, arrivalDate: l.arrivalDate })),
      settings,
      input.channels,
    ).map((c) => [c.key, c]),
  );
  // What each line has left for offers, spent channel by channel (a guard: allotments already keep within it).
  const left = new Map(input.lines.map((l) => [keyOf(l), Math.max(0, capacities.get(keyOf(l))!.capacity - l.promisedTotal)]));
  const preorder = product.policy === 'preorder';
  const pause = product.incomingPause ?? null;
  const byArrival = [...input.lines].sort((a, b) => (a.arrivalDate < b.arrivalDate ? -1 : a.arrivalDate > b.arrivalDate ? 1 : keyOf(a) < keyOf(b) ? -1 : 1));

  return input.channels.map((channel) => {
    const served = new Set(channel.locationIds);
    const stock = input.stock.filter((s) => served.has(s.locationId));
    const available = stock.reduce((a, s) => a + Math.max(0, s.available), 0);
    const [buffer, bufferFrom] =
      product.safetyBuffer !== null
        ? [product.safetyBuffer, 'product' as const]
        : channel.safetyBuffer !== null
          ? [channel.safetyBuffer, 'channel' as const]
          : [org.defaultSafetyBuffer, 'organisation' as const];
    const physical = preorder ? 0 : Math.max(0, available - buffer);

    const allowed = backorderAllowed({ organisationEnabled: org.backordersEnabled, productPolicy: product.policy, channelAccepts: channel.acceptsBackorders });
    const notAllowedBy = allowed ? null : !org.backordersEnabled ? 'organisation' : product.policy === 'deny' ? 'product' : 'channel';
    const ends = windowEnd(channel.window, today, season);
    const terms: OfferLineTerm[] = byArrival.map((l) => {
      const cap = capacities.get(keyOf(l))!;
      const share = cap.shares.get(channel.id) ?? 0;
      const allotment = cap.allotments.get(channel.id) ?? 0;
      const promisedToChannel = l.promisedByChannel.get(channel.id) ?? 0;
      const excluded = exclusion({
        allowed,
        paused: pause !== null,
        served: served.has(l.locationId),
        // R14: a pre-order opens the pre-order days before arrival, whatever the channel's window.
        inTime: preorder ? addDays(l.arrivalDate, -org.preorderDays) <= today : ends === null || l.arrivalDate <= ends,
        preorder,
        capacity: cap.capacity,
        gradeCapped: cap.gradeCapped,
        allotment,
      });
      let units = 0;
      if (excluded === null) {
        units = Math.min(Math.max(0, allotment - promisedToChannel), left.get(keyOf(l))!);
        left.set(keyOf(l), left.get(keyOf(l))! - units);
      }
      return {
        purchaseOrder: l.number,
        purchaseOrderId: l.poId,
        lineNo: l.lineNo,
        location: l.locationCode,
        supplier: l.supplier,
        grade: l.grade,
        expectedDate: l.expectedDate,
        arrivalDate: l.arrivalDate,
        deliveryDate: l.deliveryDate,
        incoming: l.incoming,
        baseRatio: Math.round(cap.baseRatio * 10_000) / 10_000,
        ratio: Math.round(cap.ratio * 10_000) / 10_000,
        ratioSource: cap.ratioSource,
        erratic: cap.erratic,
        uncapped: cap.uncapped,
        capacity: cap.capacity,
        gradeCapped: cap.gradeCapped,
        share: Math.round(share * 10_000) / 10_000,
        allotment,
        promisedToChannel,
        promisedTotal: l.promisedTotal,
        units,
        excluded,
      };
    });
    const incoming = terms.reduce((a, t) => a + t.units, 0);
    const windowDays = channel.window.kind === 'days' ? channel.window.days : null;
    const multiplier = windowDays !== null && season && season.windowMultiplier !== 1 ? season.windowMultiplier : null;
    return {
      channelId: channel.id,
      offered: physical + incoming,
      physical,
      incoming,
      breakdown: {
        channel: channel.code,
        sku: product.sku,
        offered: physical + incoming,
        physical: {
          locations: stock.map((s) => ({ location: s.locationCode, available: Math.max(0, s.available) })),
          available,
          safetyBuffer: buffer,
          safetyBufferFrom: bufferFrom,
          preorder,
          units: physical,
        },
        incoming: {
          backordersAllowed: allowed,
          notAllowedBy,
          paused: pause,
          window: {
            kind: channel.window.kind,
            days: windowDays,
            multiplier,
            effectiveDays: windowDays === null ? null : stretchedDays(windowDays, season),
            endsOn: preorder ? null : ends,
          },
          season: season?.name ?? null,
          preorderOpensDaysBefore: preorder ? org.preorderDays : null,
          dailySales: Math.round(input.dailySales * 100) / 100,
          gradeCap: org.cappedSalesDays === null ? null : gradeCap(settings),
          gradeCapDays: org.cappedSalesDays,
          erraticFactor: org.erraticRatioFactor,
          lines: terms,
          units: incoming,
        },
      },
    };
  });
}

/** Why a line adds nothing to a channel's offer, the first reason that applies; null when it counts. */
function exclusion(l: { allowed: boolean; paused: boolean; served: boolean; inTime: boolean; preorder: boolean; capacity: number; gradeCapped: boolean; allotment: number }): LineExclusion | null {
  if (!l.allowed) return 'backorders_not_allowed';
  if (l.paused) return 'incoming_paused';
  if (!l.served) return 'location_not_serving_channel';
  if (!l.inTime) return l.preorder ? 'preorder_not_open' : 'outside_window';
  if (l.capacity === 0) return l.gradeCapped ? 'supplier_grade_cap' : 'no_capacity';
  if (l.allotment === 0) return 'no_share';
  return null;
}
