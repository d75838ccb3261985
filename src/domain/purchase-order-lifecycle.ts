import { AppError } from './app-error.js';
import type { PurchaseOrderStatus } from '../store/schema.js';

/**
 * R5: the lifecycle of a purchase order, as one table. A draft is not yet incoming; `submit`
 * makes it open (incoming, can be promised against and received). Receipts move it to
 * partially received or received (`receive_part` / `receive_all`, decided by
 * `statusAfterReceipt`); what was not received can be cancelled while anything is outstanding.
 */
export type PurchaseOrderEvent = 'submit' | 'receive_part' | 'receive_all' | 'cancel';

const TRANSITIONS: Readonly<Record<PurchaseOrderStatus, Partial<Record<PurchaseOrderEvent, PurchaseOrderStatus>>>> = {
  draft: { submit: 'open', cancel: 'cancelled' },
  open: { receive_part: 'partially_received', receive_all: 'received', cancel: 'cancelled' },
  partially_received: { receive_part: 'partially_received', receive_all: 'received', cancel: 'cancelled' },
  received: {},
  cancelled: {},
};

export function purchaseOrderTransition(from: PurchaseOrderStatus, event: PurchaseOrderEvent): PurchaseOrderStatus {
  const to = TRANSITIONS[from][event];
  if (to === undefined) {
    throw new AppError('INVALID_TRANSITION', `A purchase order in status '${from}' cannot ${event.replace('_', ' ')}.`, { from, event });
  }
  return to;
}

export function canReceive(status: PurchaseOrderStatus): boolean {
  return TRANSITIONS[status].receive_part !== undefined;
}

/** Units of a line still to come: ordered − received (good and damaged) − cancelled. */
export function outstanding(line: { qty_ordered: number; qty_received: number; qty_damaged: number; qty_cancelled: number }): number {
  return Math.max(0, line.qty_ordered - line.qty_received - line.qty_damaged - line.qty_cancelled);
}

/** After a receipt: everything arrived (or was cancelled) → received, else partially received. */
export function receiptEvent(lines: readonly Parameters<typeof outstanding>[0][]): PurchaseOrderEvent {
  return lines.every((l) => outstanding(l) === 0) ? 'receive_all' : 'receive_part';
}
