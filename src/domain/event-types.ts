/** R12: every event type Stockbridge writes; webhook subscriptions name these (or "*"). */
export const EVENT_TYPES = [
  'order.created',
  'order.backordered',
  'order.promise_changed',
  'order.part_allocated',
  'order.part_processing',
  'order.part_shipped',
  'order.part_cancelled',
  'order.priority_changed',
  'purchase_order.created',
  'purchase_order.updated',
  'purchase_order.received',
  'purchase_order.cancelled',
  'offered_stock.changed',
  'stock.adjusted',
  'product.created',
  'product.updated',
  'supplier.created',
  'location.created',
  'location.updated',
  'channel.created',
  'channel.updated',
  'settings.updated',
  'season.created',
  'season.deleted',
  'api_key.created',
  'api_key.revoked',
  'webhook.created',
  'webhook.updated',
  'alert.raised',
  'alert.acknowledged',
  'alert.resolved',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const KNOWN = new Set<string>(EVENT_TYPES);
export const isEventType = (t: string): t is EventType => KNOWN.has(t);

export function wants(eventTypes: readonly string[], type: string): boolean {
  return eventTypes.includes('*') || eventTypes.includes(type);
}
