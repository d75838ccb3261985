/**
 * The shapes of the API answers the dashboard reads (see /openapi.json). Orders use the
 * server's own view types (src/services/order-shape.ts, pure types), so both sides agree.
 */
import type { PartStatus } from '../../../src/domain/part-lifecycle';
import type { OrderView } from '../../../src/services/order-shape';
import type { SpikeRule } from '../../../src/domain/demand-spike';

export type { PartStatus };
export type { OrderView as Order, PartLineView as PartLine } from '../../../src/services/order-shape';
export type OrderPart = OrderView['parts'][number];
export type Role = 'admin' | 'operator' | 'read-only';
/** The tabs, in the order the work flows (the server lists backorder first). */
export const PART_STATUSES: readonly PartStatus[] = ['open', 'backorder', 'processing', 'shipped', 'cancelled'];

export interface Me {
  organisation: { id: string; name: string };
  key: { id: string; name: string; role: Role; prefix: string };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface OrderList extends Page<OrderView> {
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

/* Offered stock, KPIs and settings (issue 7): the breakdown and the KPI figures are the server's pure domain types. */
export type { OfferBreakdown, OfferLineTerm, LineExclusion } from '../../../src/domain/offered-stock';
export type { KpiFigures } from '../../../src/domain/kpi-figures';
export type { AllocationRule } from '../../../src/domain/allocation-policy';
import type { ChannelWindow } from '../../../src/domain/channel-window';
import type { KpiFigures } from '../../../src/domain/kpi-figures';
import type { AllocationRule } from '../../../src/domain/allocation-policy';
export type { ChannelWindow };

export interface OfferCell {
  channel: string;
  offered: number;
  physical: number;
  incoming: number;
  updatedAt: string;
}

export interface OfferGridRow {
  sku: string;
  name: string;
  offers: OfferCell[];
}

export interface OfferRecompute {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
}

export type KpiDay = { day: string } & KpiFigures;
export interface KpiSeries {
  totals: KpiFigures;
  series: KpiDay[];
}
export interface KpiReport extends KpiSeries {
  from: string;
  to: string;
  groups?: (KpiSeries & { channel?: string })[];
  nextCursor: string | null;
}

export interface ChannelSettings extends Channel {
  kind: string;
  acceptsBackorders: boolean;
  locations: string[];
  window: ChannelWindow;
  share: number | null;
  customerEmails: boolean;
}

export interface Season {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  acceptanceRatio: number | null;
  windowMultiplier: number;
}

export interface Settings {
  organisation: string;
  /** ISO 4217, e.g. EUR: prices are in it. */
  currency: string;
  backordersEnabled: boolean;
  acceptanceRatio: number;
  defaultSafetyBuffer: number;
  allocationPolicy: AllocationRule[];
  seasons: Season[];
  /** R14 */
  preorderDays: number;
  /** R8 */
  erraticRatioFactor: number;
  cappedSalesDays: number | null;
  /** R9 */
  demandSpikes: SpikeRule;
  /** R10 */
  backorderAgingDays: number;
  /** R11 */
  emailFrom: string | null;
  emailReplyTo: string | null;
}

export interface Webhook {
  id: string;
  url: string;
  eventTypes: string[];
  status: 'active' | 'disabled';
  disabledReason: string | null;
  createdAt: string;
}
/* Purchase orders, receiving, stock and suppliers (issue 7): the server's own view types. */
export type {
  IncomingLineView as IncomingLine,
  PurchaseOrderView as PurchaseOrder,
  ReceiptView as Receipt,
  SupplierView as Supplier,
} from '../../../src/services/purchasing-shape';
export type { SupplierGrade } from '../../../src/domain/supplier-reliability';

export interface ProductStock {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  locations: { location: string; onHand: number; reserved: number; available: number; updatedAt: string }[];
}

export interface Movement {
  id: string;
  location: string;
  kind: 'receipt' | 'adjustment' | 'allocation' | 'release' | 'shipment' | 'damage';
  onHandDelta: number;
  reservedDelta: number;
  orderId: string | null;
  /** The order's number on its channel. */
  orderNumber: string | null;
  partId: string | null;
  reason: string | null;
  createdAt: string;
}

export interface Location {
  code: string;
  name: string;
}

export interface Product {
  sku: string;
  name: string;
}
