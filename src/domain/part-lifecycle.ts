import { AppError } from './app-error.js';

/** R4: the lifecycle of an order part, as one table of allowed transitions. */
export type PartStatus = 'backorder' | 'open' | 'processing' | 'shipped' | 'cancelled';

export const PART_STATUSES: readonly PartStatus[] = ['backorder', 'open', 'processing', 'shipped', 'cancelled'];

export type PartEvent = 'cover' | 'start_processing' | 'ship' | 'cancel';

const TRANSITIONS: Readonly<Record<PartStatus, Partial<Record<PartEvent, PartStatus>>>> = {
  backorder: { cover: 'open', cancel: 'cancelled' },
  open: { start_processing: 'processing', cancel: 'cancelled' },
  processing: { ship: 'shipped', cancel: 'cancelled' },
  shipped: {},
  cancelled: {},
};

export function canTransition(from: PartStatus, event: PartEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/** Throws INVALID_TRANSITION when the table has no row for (from, event). */
export function transition(from: PartStatus, event: PartEvent): PartStatus {
  const to = TRANSITIONS[from][event];
  if (to === undefined) {
    throw new AppError('INVALID_TRANSITION', `A part in status '${from}' cannot ${event.replace('_', ' ')}.`, {
      from,
      event,
    });
  }
  return to;
}

export function isUnshipped(status: PartStatus): boolean {
  return status === 'backorder' || status === 'open' || status === 'processing';
}
