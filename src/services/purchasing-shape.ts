import type { Reliability } from '../domain/supplier-reliability.js';
import type { PurchaseOrderStatus } from '../store/schema.js';

/**
 * Suppliers, purchase orders and receipts as the API shows them: built by purchasing.service.ts
 * and receiving.service.ts, read by the dashboard (web/src/api/types.ts imports these types),
 * so both sides agree on one shape.
 */

export interface SupplierView {
  id: string;
  name: string;
  leadTimeDays: number;
  reliability: Reliability;
  /** R8: each purchase order's first receipt, oldest first. */
  deliveries: { purchaseOrder: string; expectedDate: string; firstReceivedAt: string; delayDays: number }[];
  createdAt: string;
}

export interface PurchaseOrderView {
  id: string;
  number: string;
  supplier: { id: string; name: string };
  location: string;
  expectedDate: string;
  /** R8: the expected date plus the supplier's p80 delay; promises count on this day. */
  arrivalDate: string;
  status: PurchaseOrderStatus;
  lines: { lineNo: number; sku: string; ordered: number; received: number; damaged: number; cancelled: number; incoming: number; promised: number }[];
  delayDays: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReceiptView {
  id: string;
  purchaseOrder: { id: string; number: string; status: string };
  location: string;
  receivedAt: string;
  lines: { sku: string; good: number; damaged: number }[];
  /** R5: received units that go straight from the dock to these order parts. */
  crossDock: { orderId: string; externalId: string; channel: string; customer: { id: string; email: string }; partId: string; sku: string; qty: number }[];
  /** Good units not handed to any waiting order: put them away. */
  putAway: { sku: string; qty: number }[];
}

/** SPEC §2 incoming of one SKU: an open purchase-order line with units still to come. */
export interface IncomingLineView {
  purchaseOrder: { id: string; number: string; status: PurchaseOrderStatus };
  supplier: { id: string; name: string };
  location: string;
  expectedDate: string;
  /** R8: expected date + the supplier's p80 delay. */
  arrivalDate: string;
  ordered: number;
  /** Ordered − received − damaged − cancelled. */
  incoming: number;
  /** Waiting units promised against this line (R3). */
  promised: number;
}
