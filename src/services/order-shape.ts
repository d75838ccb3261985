import type { PartStatus } from '../domain/part-lifecycle.js';

/**
 * An order as the API shows it: built by order-view.ts, read by the dashboard
 * (web/src/api/types.ts imports these types), so both sides agree on one shape.
 */
export interface OrderView {
  id: string;
  channel: string;
  externalId: string;
  placedAt: string;
  status: PartStatus;
  shippingPreference: 'partial' | 'complete';
  priority: number;
  customer: {
    id: string;
    email: string;
    locale: string;
    tier: string;
    country: string;
    postcode: string | null;
    latitude: number | null;
    longitude: number | null;
  };
  lines: { lineNo: number; sku: string; qty: number; unitPrice: number; reserved: number; waiting: number }[];
  parts: {
    id: string;
    status: PartStatus;
    /**
     * R3: the day promised for the part's waiting units once all are promised (null while any is
     * not). Kept after the units arrive, so a promise kept can be told from one broken.
     */
    promisedDate: string | null;
    shipment: { shippedAt: string; carrier: string | null; trackingNumber: string | null } | null;
    lines: PartLineView[];
  }[];
  createdAt: string;
  updatedAt: string;
}

export interface PartLineView {
  lineNo: number;
  sku: string;
  qty: number;
  /** Where the units are reserved; null while they wait. */
  location: string | null;
  /** Waiting units that no incoming purchase order covers (R3). */
  oversold: boolean;
  /** Waiting units all promised: the latest promised day of the line. */
  promisedDate: string | null;
  /** Which purchase orders the waiting units are promised against. */
  promises: { purchaseOrder: string; qty: number; promisedDate: string }[];
}
