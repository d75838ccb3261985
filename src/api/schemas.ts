import { Type, type Static, type TProperties, type TUnsafe } from 'typebox';

/** A string from a fixed list: one `enum` keyword, so an error names the allowed values. */
export function OneOf<const T extends readonly string[]>(values: T, options: { default?: T[number]; description?: string } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** Request schemas shared by the routes; they are also the OpenAPI document. */
export const Sku = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}$', description: 'Stock keeping unit, 1–64 of A–Z a–z 0–9 . _ -' });
export const Code = Type.String({ pattern: '^[a-z0-9][a-z0-9_\\-]{0,31}$', description: 'Lower-case identifier, 1–32 characters' });
export const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 country code' });
export const Quantity = Type.Integer({ minimum: 1, maximum: 100_000, description: 'Units, a whole number from 1 to 100,000' });
export const Money = Type.Number({ minimum: 0, maximum: 10_000_000, description: 'Amount in the organisation currency, at most two decimals' });
export const Latitude = Type.Number({ minimum: -90, maximum: 90 });
export const Longitude = Type.Number({ minimum: -180, maximum: 180 });
export const Locale = OneOf(['nl', 'de', 'en'] as const);
export const BackorderPolicy = OneOf(['inherit', 'allow', 'deny', 'preorder'] as const);
const Ratio = Type.Number({ exclusiveMinimum: 0, maximum: 1 });
const CustomerEmails = Type.Union([Type.Boolean(), Type.Null()], { description: 'R11: e-mail this channel’s customers; null: yes for webshop and B2B, no for marketplaces' });
const MailAddress = Type.Union([Type.String({ minLength: 3, maxLength: 200, pattern: '^[^\\r\\n]*@[^\\r\\n]*$' }), Type.Null()]);
export const PartStatus = OneOf(['backorder', 'open', 'processing', 'shipped', 'cancelled'] as const);

/** A query string with cursor pagination (limit ≤ 200) and the given filters; nothing else. */
const pageProperties = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};
export const Page = Type.Object(pageProperties, { additionalProperties: false });
export function pageQuery<P extends TProperties>(filters: P) {
  return Type.Object({ ...pageProperties, ...filters }, { additionalProperties: false });
}

export const ProductBody = Type.Object(
  {
    sku: Sku,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    price: Type.Optional(Money),
    cost: Type.Optional(Money),
    backorderPolicy: Type.Optional(BackorderPolicy),
    safetyBuffer: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()])),
    acceptanceRatio: Type.Optional(Type.Union([Ratio, Type.Null()], { description: 'R7: this product’s own acceptance ratio; null: the season’s or the organisation’s' })),
  },
  { additionalProperties: false },
);

export const ProductPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    price: Type.Optional(Money),
    cost: Type.Optional(Money),
    backorderPolicy: Type.Optional(BackorderPolicy),
    safetyBuffer: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()])),
    acceptanceRatio: Type.Optional(Type.Union([Ratio, Type.Null()], { description: 'R7: this product’s own acceptance ratio; null: the season’s or the organisation’s' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const LocationBody = Type.Object(
  {
    code: Code,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: OneOf(['warehouse', '3pl', 'amazon_fba', 'bol_lvb'] as const),
    country: Country,
    latitude: Type.Optional(Type.Union([Latitude, Type.Null()])),
    longitude: Type.Optional(Type.Union([Longitude, Type.Null()])),
    handlingDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60, description: 'Days from the receiving dock to the customer, added to promised dates (default 1)' })),
  },
  { additionalProperties: false },
);

export const LocationPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    latitude: Type.Optional(Type.Union([Latitude, Type.Null()])),
    longitude: Type.Optional(Type.Union([Longitude, Type.Null()])),
    handlingDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** R7: how far ahead incoming stock may be sold on a channel. */
export const ChannelWindowSchema = Type.Object(
  {
    kind: OneOf(['days', 'until_next_shipment', 'none'] as const, { description: '`days`: arrivals within N days; `until_next_shipment`: before the next scheduled shipment; `none`: no time limit' }),
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, description: 'For `days`: how many days ahead (a season may multiply it)' })),
    shipmentDays: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true, description: 'For `until_next_shipment`: ISO weekdays shipments leave (1 = Monday … 7 = Sunday)' }),
    ),
    cutoffDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 30, description: 'For `until_next_shipment`: days before a shipment leaves that its stock must arrive (default 1)' })),
  },
  { additionalProperties: false },
);
const Share = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: 'R7: share of each incoming line’s capacity for this channel; null: an equal part of what explicit shares leave',
});
const ChannelBuffer = Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()], { description: 'Safety buffer for this channel; null: the organisation default' });

const ChannelKind = OneOf(['bol', 'amazon', 'shopify', 'woocommerce', 'webshop', 'b2b', 'manual'] as const);

export const ChannelBody = Type.Object(
  {
    code: Code,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: ChannelKind,
    acceptsBackorders: Type.Optional(Type.Boolean()),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    locations: Type.Array(Code, { minItems: 1, maxItems: 50, description: 'Location codes, in the order stock is taken' }),
    window: Type.Optional(ChannelWindowSchema),
    share: Type.Optional(Share),
    safetyBuffer: Type.Optional(ChannelBuffer),
    customerEmails: Type.Optional(CustomerEmails),
  },
  { additionalProperties: false },
);

export const ChannelPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    acceptsBackorders: Type.Optional(Type.Boolean()),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    locations: Type.Optional(Type.Array(Code, { minItems: 1, maxItems: 50 })),
    window: Type.Optional(ChannelWindowSchema),
    share: Type.Optional(Share),
    safetyBuffer: Type.Optional(ChannelBuffer),
    customerEmails: Type.Optional(CustomerEmails),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CustomerBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100, description: 'The customer id in the merchant’s systems' }),
    email: Type.String({ format: 'email', maxLength: 254 }),
    locale: Locale,
    tier: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    country: Country,
    postcode: Type.Optional(Type.String({ maxLength: 16 })),
    latitude: Type.Optional(Latitude),
    longitude: Type.Optional(Longitude),
  },
  { additionalProperties: false },
);

export const OrderBody = Type.Object(
  {
    channel: Code,
    externalId: Type.String({ minLength: 1, maxLength: 100, description: 'The order id on the channel' }),
    placedAt: Type.Optional(Type.String({ format: 'date-time' })),
    shippingPreference: Type.Optional(OneOf(['partial', 'complete'] as const)),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    customer: CustomerBody,
    lines: Type.Array(
      Type.Object({ sku: Sku, qty: Quantity, unitPrice: Money }, { additionalProperties: false }),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type OrderBody = Static<typeof OrderBody>;

export const AdjustmentBody = Type.Object(
  {
    sku: Sku,
    location: Code,
    delta: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 }, description: 'Change of on hand; not 0' }),
    kind: Type.Optional(OneOf(['adjustment', 'damage', 'receipt'] as const)),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

/** R9: the demand-spike rule; every field optional in a patch. */
const DemandSpikesPatch = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'Watch for spikes at order intake (default true)' })),
    baselineDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'Baseline: average daily units over this many days before the order’s day (default 28)' })),
    windowHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 48, description: 'Trailing window in whole hours of placedAt (default 6)' })),
    factor: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'A spike is at least this many times the baseline rate over the window (default 3)…' })),
    minUnits: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: '…and at least this many units (default 10)' })),
    pauseHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 720, description: 'Hours a spike pauses the SKU’s incoming offer unless acknowledged first; 0: no pause (default 24)' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SettingsPatch = Type.Object(
  {
    organisation: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    backordersEnabled: Type.Optional(Type.Boolean()),
    acceptanceRatio: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    defaultSafetyBuffer: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    allocationPolicy: Type.Optional(
      Type.Array(OneOf(['fifo', 'channel_priority', 'customer_tier', 'proximity'] as const), {
        minItems: 1,
        maxItems: 4,
        description: 'R6: rules applied in order; a manual order priority always comes first, then placedAt and id break ties',
      }),
    ),
    customerTierOrder: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { minItems: 1, maxItems: 20, description: 'Customer tiers, served first to last' })),
    emailFrom: Type.Optional(MailAddress),
    emailReplyTo: Type.Optional(MailAddress),
    preorderDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, description: 'R14: days before a purchase order’s effective arrival that pre-orders open (default 30)' })),
    erraticRatioFactor: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'R8: an erratic supplier’s lines take the ratio times this (default 0.67)' })),
    cappedSalesDays: Type.Optional(
      Type.Union([Type.Number({ minimum: 0, maximum: 365 }), Type.Null()], { description: 'R8: days of sales that lines of new and erratic suppliers may offer (default 3); null: no cap' }),
    ),
    demandSpikes: Type.Optional(DemandSpikesPatch),
    backorderAgingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'R10: a backorder part waiting longer than this many days raises a backorder_aging alert (default 14)' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: OneOf(['admin', 'operator', 'read-only'] as const),
  },
  { additionalProperties: false },
);

export const CancelBody = Type.Union([
  Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
  Type.Null(),
]);

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar date, YYYY-MM-DD' });
const Units = Type.Integer({ minimum: 0, maximum: 1_000_000 });

export const SupplierBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    leadTimeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, description: 'Promised lead time in days' })),
  },
  { additionalProperties: false },
);

export const PurchaseOrderBody = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 64, description: 'The purchase order number, unique in the organisation' }),
    supplierId: Type.String({ minLength: 1, maxLength: 64 }),
    location: Code,
    expectedDate: IsoDate,
    status: Type.Optional(OneOf(['draft', 'open'] as const, { default: 'open', description: 'A draft is not incoming until submitted' })),
    lines: Type.Array(Type.Object({ sku: Sku, qty: Quantity }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);

export const PurchaseOrderPatch = Type.Object(
  {
    expectedDate: Type.Optional(IsoDate),
    status: Type.Optional(OneOf(['open'] as const, { description: 'Submit a draft' })),
    lines: Type.Optional(
      Type.Array(Type.Object({ sku: Sku, qty: Quantity }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 500,
        description: 'New ordered quantities; a SKU not on the order adds a line',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PurchaseOrderCancelBody = Type.Union([
  Type.Object(
    { skus: Type.Optional(Type.Array(Sku, { minItems: 1, maxItems: 500, description: 'Cancel only these lines; all when omitted' })) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const ReceiptBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object({ sku: Sku, good: Units, damaged: Type.Optional(Units) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 500 },
    ),
    force: Type.Optional(Type.Boolean({ description: 'Accept more units than are still to come' })),
    receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const OrderPatch = Type.Object(
  { priority: Type.Integer({ minimum: -1000, maximum: 1000, description: 'R6: a manual boost; higher is served first when stock arrives' }) },
  { additionalProperties: false },
);

/** R15: a season of the organisation's calendar. */
export const SeasonBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    startsOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First day, YYYY-MM-DD' }),
    endsOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last day, YYYY-MM-DD (inclusive)' }),
    acceptanceRatio: Type.Optional(Type.Union([Ratio, Type.Null()], { description: 'The ratio while the season runs; null: the organisation’s' })),
    windowMultiplier: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10, description: 'Multiplies `days` windows while the season runs (default 1)' })),
  },
  { additionalProperties: false },
);
