/** The shapes of the API answers the dashboard reads (see /openapi.json and src/services/*-view.ts). */
export type Role = 'admin' | 'operator' | 'read-only';
export type PartStatus = 'open' | 'backorder' | 'processing' | 'shipped' | 'cancelled';
export const PART_STATUSES: readonly PartStatus[] = ['open', 'backorder', 'processing', 'shipped', 'cancelled'];

export interface Me {
  organisation: { id: string; name: string };
  key: { id: string; name: string; role: Role; prefix: string };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PartLine {
  lineNo: number;
  sku: string;
  qty: number;
  location: string | null;
  oversold: boolean;
  promisedDate: string | null;
  promises: { purchaseOrder: string; qty: number; promisedDate: string }[];
}

export interface OrderPart {
  id: string;
  status: PartStatus;
  promisedDate: string | null;
  shipment: { shippedAt: string; carrier: string | null; trackingNumber: string | null } | null;
  lines: PartLine[];
}

export interface Order {
  id: string;
  channel: string;
  externalId: string;
  placedAt: string;
  status: PartStatus;
  shippingPreference: 'partial' | 'complete';
  priority: number;
  customer: { id: string; email: string; locale: string; tier: string; country: string };
  lines: { lineNo: number; sku: string; qty: number; unitPrice: number; reserved: number; waiting: number }[];
  parts: OrderPart[];
  createdAt: string;
  updatedAt: string;
}

export interface OrderList extends Page<Order> {
  counts: Record<PartStatus | 'all', number>;
}

export interface Channel {
  code: string;
  name: string;
}

export interface EventItem {
  id: string;
  type: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

export interface CustomerMessage {
  id: string;
  kind: string;
  status: 'queued' | 'sending' | 'committing' | 'sent' | 'failed' | 'unknown' | 'logged';
  recipient: string;
  subject: string;
  text: string;
  createdAt: string;
  sentAt: string | null;
}

export interface Alert<D = Record<string, unknown>> {
  id: string;
  type: string;
  status: 'open' | 'acknowledged' | 'resolved';
  details: D;
}
