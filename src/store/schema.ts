/**
 * Table types for Kysely. Portable across SQLite and PostgreSQL: ids are text, timestamps are
 * ISO-8601 UTC text (sortable), flags are integers 0/1, money is integer cents.
 */
import type { Generated } from 'kysely';
import type { KpiCounter } from '../domain/kpi-tally.js';

export interface OrganisationsTable {
  id: string;
  name: string;
  currency: string;
  backorders_enabled: number;
  acceptance_ratio: number;
  default_safety_buffer: number;
  /** R6: JSON array of allocation rules, applied in order. */
  allocation_policy: string;
  /** R6 customer_tier: JSON array of tiers, served first to last. */
  tier_order: string;
  /** R14: days before a purchase order's effective arrival that pre-orders open. */
  preorder_days: number;
  /** R8: an erratic supplier's lines take the acceptance ratio times this. */
  erratic_ratio_factor: number;
  /** R8: lines of new and erratic suppliers offer at most this many days of sales; null: no cap. */
  capped_sales_days: number | null;
  /** R11: From and Reply-To of customer e-mails (null: a no-reply address / none). */
  email_from: string | null;
  email_reply_to: string | null;
  /** R9: 1 when intake watches for demand spikes (0: off). */
  spike_detection: Generated<number>;
  /** R9: the baseline is the average daily units over this many days before the order's day. */
  spike_baseline_days: Generated<number>;
  /** R9: the trailing window, in whole hours of placedAt. */
  spike_window_hours: Generated<number>;
  /** R9: a spike is at least this many times the baseline rate over the window… */
  spike_factor: Generated<number>;
  /** …and at least this many units. */
  spike_min_units: Generated<number>;
  /** R9: how long a spike pauses the SKU's incoming offer (0: no pause), unless acknowledged first. */
  spike_pause_hours: Generated<number>;
  /** R10: a backorder part waiting longer than this alerts. */
  backorder_aging_days: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: 'admin' | 'operator' | 'read-only';
  created_at: string;
  revoked_at: string | null;
}

export interface ProductsTable {
  id: string;
  org_id: string;
  sku: string;
  name: string;
  price_cents: number;
  cost_cents: number;
  backorder_policy: 'inherit' | 'allow' | 'deny' | 'preorder';
  safety_buffer: number | null;
  /** R7: overrides the season's and the organisation's acceptance ratio. */
  acceptance_ratio: number | null;
  created_at: string;
  updated_at: string;
}

export interface LocationsTable {
  id: string;
  org_id: string;
  code: string;
  name: string;
  kind: 'warehouse' | '3pl' | 'amazon_fba' | 'bol_lvb';
  country: string;
  latitude: number | null;
  longitude: number | null;
  /** Days from the receiving dock to the customer; added to a promise's arrival date. */
  handling_days: number;
  created_at: string;
}

export interface StockLevelsTable {
  org_id: string;
  product_id: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  updated_at: string;
}

export type MovementKind = 'receipt' | 'adjustment' | 'allocation' | 'release' | 'shipment' | 'damage';

export interface StockMovementsTable {
  id: string;
  org_id: string;
  product_id: string;
  location_id: string;
  kind: MovementKind;
  on_hand_delta: number;
  reserved_delta: number;
  order_id: string | null;
  part_id: string | null;
  reason: string | null;
  created_at: string;
}

export interface ChannelsTable {
  id: string;
  org_id: string;
  code: string;
  name: string;
  kind: 'bol' | 'amazon' | 'shopify' | 'woocommerce' | 'webshop' | 'b2b' | 'manual';
  accepts_backorders: number;
  priority: number;
  /** R7: how far ahead incoming stock may be sold on this channel. */
  window_kind: 'days' | 'until_next_shipment' | 'none';
  window_days: number | null;
  /** JSON array of ISO weekdays (1 = Monday) on which shipments leave, for `until_next_shipment`. */
  shipment_days: string | null;
  /** Days before a shipment leaves that its stock must have arrived. */
  cutoff_days: number;
  /** R7: this channel's share of each incoming line's capacity; null: an equal part of what explicit shares leave. */
  share: number | null;
  safety_buffer: number | null;
  /** R11: e-mail this channel's customers; null: yes for webshop and B2B, no for marketplaces. */
  customer_emails: number | null;
  created_at: string;
  updated_at: string;
}

export interface ChannelLocationsTable {
  org_id: string;
  channel_id: string;
  location_id: string;
  position: number;
}

export interface CustomersTable {
  id: string;
  org_id: string;
  external_id: string;
  email: string;
  locale: 'nl' | 'de' | 'en';
  tier: string;
  country: string;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  created_at: string;
  updated_at: string;
}

export interface OrdersTable {
  id: string;
  org_id: string;
  channel_id: string;
  external_id: string;
  placed_at: string;
  customer_id: string;
  shipping_preference: 'partial' | 'complete';
  priority: number;
  request_hash: string;
  /** The statuses the order's parts are in, a bit each, and 32 ("all"); kept by order-tabs.repository. */
  tabs: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface OrderLinesTable {
  org_id: string;
  order_id: string;
  line_no: number;
  product_id: string;
  qty: number;
  unit_price_cents: number;
}

export interface OrderPartsTable {
  id: string;
  org_id: string;
  order_id: string;
  status: 'backorder' | 'open' | 'processing' | 'shipped' | 'cancelled';
  placed_at: string;
  /** YYYY-MM-DD: when a backorder part's waiting units are all promised, the latest promised day. */
  promised_date: string | null;
  /** 1 for a backorder part of a pre-order product (R14). */
  preorder: number;
  shipped_at: string | null;
  carrier: string | null;
  tracking_number: string | null;
  created_at: string;
  updated_at: string;
}

export interface PartLinesTable {
  id: string;
  org_id: string;
  part_id: string;
  order_id: string;
  line_no: number;
  product_id: string;
  /** null while the units wait; the location holding the reservation otherwise. */
  location_id: string | null;
  qty: number;
  /** 1 when waiting units are not promised against incoming stock (R3). */
  oversold: number;
  /** YYYY-MM-DD: for a waiting line whose units are all promised, the latest promised day. */
  promised_date: string | null;
}

export interface IdempotencyKeysTable {
  org_id: string;
  key: string;
  request_hash: string;
  status: 'running' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export interface EventsTable {
  id: string;
  org_id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  payload: string;
  created_at: string;
  /**
   * R12, PostgreSQL: when the dispatcher fanned the event out to its subscriptions; null: not yet.
   * SQLite keeps a cursor per organisation instead (EventDispatchCursorsTable) and leaves it null.
   */
  dispatched_at: string | null;
  /** PostgreSQL: the writing transaction's id (a column default), the order GET /v1/events reads in; 0 on SQLite. */
  txid: Generated<number>;
}

/** R12, SQLite only: the last event of the organisation the dispatcher fanned out (migration 015). */
export interface EventDispatchCursorsTable {
  org_id: string;
  last_id: string;
  fanned_at: string | null;
}

export interface AlertsTable {
  id: string;
  org_id: string;
  type: string;
  severity: 'info' | 'warning' | 'critical';
  subject_type: string;
  subject_id: string;
  dedupe_key: string;
  message: string;
  status: 'open' | 'acknowledged' | 'resolved';
  occurrences: number;
  first_seen: string;
  last_seen: string;
  /** JSON: the figures behind the alert (e.g. the parts a promise at risk affects). */
  details: string | null;
  acknowledged_at: string | null;
  /** The API key that acknowledged it. */
  acknowledged_by: string | null;
  resolved_at: string | null;
  /** Why it was resolved, e.g. `condition_cleared`. */
  resolution: string | null;
}

export interface MigrationsTable {
  name: string;
  applied_at: string;
  seq: Generated<number>;
}

export interface SuppliersTable {
  id: string;
  org_id: string;
  name: string;
  lead_time_days: number;
  created_at: string;
  updated_at: string;
}

export type PurchaseOrderStatus = 'draft' | 'open' | 'partially_received' | 'received' | 'cancelled';

export interface PurchaseOrdersTable {
  id: string;
  org_id: string;
  number: string;
  supplier_id: string;
  location_id: string;
  /** YYYY-MM-DD. */
  expected_date: string;
  status: PurchaseOrderStatus;
  /** YYYY-MM-DD: expected date + the supplier's p80 delay (R8), what promises count on. */
  arrival_date: string;
  first_received_at: string | null;
  delay_days: number | null;
  created_at: string;
  updated_at: string;
}

export interface PurchaseOrderLinesTable {
  org_id: string;
  po_id: string;
  line_no: number;
  product_id: string;
  qty_ordered: number;
  qty_received: number;
  qty_damaged: number;
  qty_cancelled: number;
  /** Units promised to waiting part lines (R3); at most floor(incoming × ratio). */
  qty_promised: number;
  /** Bumped by every re-plan of the line's SKU: intake promises only against the revision it read. */
  revision: number;
}

export interface PromisesTable {
  org_id: string;
  product_id: string;
  part_line_id: string;
  part_id: string;
  order_id: string;
  po_id: string;
  po_line_no: number;
  qty: number;
  promised_date: string;
  priority: number;
  placed_at: string;
}

export interface ReceiptsTable {
  id: string;
  org_id: string;
  po_id: string;
  received_at: string;
  created_at: string;
}

export interface ReceiptLinesTable {
  org_id: string;
  receipt_id: string;
  line_no: number;
  product_id: string;
  good: number;
  damaged: number;
}

export interface ReceiptAllocationsTable {
  org_id: string;
  receipt_id: string;
  seq: number;
  order_id: string;
  part_id: string;
  product_id: string;
  location_id: string;
  qty: number;
}

export interface SeasonsTable {
  id: string;
  org_id: string;
  name: string;
  /** YYYY-MM-DD, both inclusive. */
  starts_on: string;
  ends_on: string;
  acceptance_ratio: number | null;
  window_multiplier: number;
  created_at: string;
}

/** R9: the day's units per hour of placedAt (UTC), h00 … h23. */
export const HOUR_COLUMNS = Array.from({ length: 24 }, (_, h) => `h${String(h).padStart(2, '0')}` as HourColumn);
type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
export type HourColumn = `h${'0' | '1'}${Digit}` | 'h20' | 'h21' | 'h22' | 'h23';

export type ProductDailySalesTable = {
  org_id: string;
  product_id: string;
  /** YYYY-MM-DD of the orders' placedAt. */
  day: string;
  units: number;
} & { [H in HourColumn]: Generated<number> };

export interface OfferPausesTable {
  product_id: string;
  org_id: string;
  reason: 'demand_spike';
  alert_id: string;
  paused_at: string;
  until: string;
}

export type PriceRule = 'low_stock_arrival_soon' | 'selling_from_incoming';

export interface PriceSuggestionsTable {
  id: string;
  org_id: string;
  channel_id: string;
  product_id: string;
  rule: PriceRule;
  percent: number;
  price_cents: number;
  suggested_price_cents: number;
  reason: string;
  /** JSON: the numbers the rule looked at. */
  figures: string;
  status: 'open' | 'accepted' | 'dismissed' | 'withdrawn';
  created_at: string;
  updated_at: string;
  decided_at: string | null;
  decided_by: string | null;
  /** When the condition cleared; null while the suggestion is live. */
  ended_at: string | null;
}

export interface SchedulerRunsTable {
  name: string;
  started_at: string;
  finished_at: string | null;
  worker: string;
}

export interface OfferedStockTable {
  org_id: string;
  channel_id: string;
  product_id: string;
  offered: number;
  physical: number;
  incoming: number;
  /** Orders changes for connectors reading from a cursor (see offered-stock.repository). */
  change_xid: number;
  updated_at: string;
}

export interface OfferDirtyTable {
  product_id: string;
  org_id: string;
  marked_at: string;
}

export interface OfferRecomputesTable {
  id: string;
  org_id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  reason: string;
  total: number;
  done: number;
  changed: number;
  after_product: string | null;
  claimed_at: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface WebhookSubscriptionsTable {
  id: string;
  org_id: string;
  url: string;
  /** JSON array of event types, ["*"] for all. */
  event_types: string;
  secret: string;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  org_id: string;
  subscription_id: string;
  event_id: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: string;
  expires_at: string;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  worker: string;
  started_at: string;
  finished_at: string | null;
  http_status: number | null;
  error: string | null;
  duration_ms: number | null;
}

export interface MessageTemplatesTable {
  org_id: string;
  kind: 'backorder_created' | 'preorder_confirmed' | 'delayed' | 'allocated' | 'shipped' | 'cancelled';
  locale: 'nl' | 'de' | 'en';
  subject: string;
  body: string;
  updated_at: string;
}

export interface CustomerMessagesTable {
  id: string;
  org_id: string;
  order_id: string;
  event_id: string;
  kind: string;
  locale: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  message_id: string;
  status: 'queued' | 'sending' | 'committing' | 'sent' | 'failed' | 'unknown' | 'logged';
  attempts: number;
  next_attempt_at: string;
  expires_at: string;
  lease_until: string | null;
  sent_at: string | null;
  error: string | null;
  created_at: string;
}

/** R18: additive KPI counters per organisation, group and day (see migration 010). */
export type KpiDailyTable = {
  org_id: string;
  dim: 'all' | 'channel' | 'supplier' | 'sku';
  key: string;
  day: string;
  /** The day's p90 wait in whole days (nearest rank over its kpi_wait_days), null on a day with no fill; kept by addKpis. */
  wait_p90: number | null;
} & Record<KpiCounter, number>;

/** Issue 7: orders per tab, in shards (order-tabs.repository). */
export interface OrderTabCountsTable {
  org_id: string;
  channel_id: string;
  status: 'backorder' | 'open' | 'processing' | 'shipped' | 'cancelled' | 'all';
  shard: number;
  orders: number;
}

/** R18: units allocated on `day` after waiting `wait_days` whole days (the p90's histogram). */
export interface KpiWaitDaysTable {
  org_id: string;
  dim: 'all' | 'channel' | 'supplier' | 'sku';
  key: string;
  day: string;
  wait_days: number;
  units: number;
}

export interface Database {
  organisations: OrganisationsTable;
  api_keys: ApiKeysTable;
  products: ProductsTable;
  locations: LocationsTable;
  stock_levels: StockLevelsTable;
  stock_movements: StockMovementsTable;
  channels: ChannelsTable;
  channel_locations: ChannelLocationsTable;
  customers: CustomersTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_parts: OrderPartsTable;
  part_lines: PartLinesTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
  event_dispatch_cursors: EventDispatchCursorsTable;
  alerts: AlertsTable;
  suppliers: SuppliersTable;
  purchase_orders: PurchaseOrdersTable;
  purchase_order_lines: PurchaseOrderLinesTable;
  receipts: ReceiptsTable;
  receipt_lines: ReceiptLinesTable;
  receipt_allocations: ReceiptAllocationsTable;
  promises: PromisesTable;
  seasons: SeasonsTable;
  product_daily_sales: ProductDailySalesTable;
  offer_pauses: OfferPausesTable;
  price_suggestions: PriceSuggestionsTable;
  scheduler_runs: SchedulerRunsTable;
  offered_stock: OfferedStockTable;
  offer_dirty: OfferDirtyTable;
  offer_recomputes: OfferRecomputesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  customer_messages: CustomerMessagesTable;
  message_templates: MessageTemplatesTable;
  kpi_daily: KpiDailyTable;
  kpi_wait_days: KpiWaitDaysTable;
  order_tab_counts: OrderTabCountsTable;
}
