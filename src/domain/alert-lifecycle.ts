import { AppError } from './app-error.js';

/**
 * R10: the lifecycle of an alert, as one table of allowed transitions. An alert is raised open;
 * a person acknowledges it (they have seen it; the condition may still hold); it is resolved
 * when its condition clears, acknowledged or not. Resolved is final: the same condition coming
 * back raises a new alert. One unresolved alert per condition (a unique partial index).
 */
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

export const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'resolved'];

export type AlertEvent = 'acknowledge' | 'resolve';

const TRANSITIONS: Readonly<Record<AlertStatus, Partial<Record<AlertEvent, AlertStatus>>>> = {
  open: { acknowledge: 'acknowledged', resolve: 'resolved' },
  // Acknowledging twice changes nothing (an idempotent retry), so it is a row of the table.
  acknowledged: { acknowledge: 'acknowledged', resolve: 'resolved' },
  resolved: {},
};

export function canTransitionAlert(from: AlertStatus, event: AlertEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/** Throws INVALID_TRANSITION (409) when the table has no row for (from, event). */
export function alertTransition(from: AlertStatus, event: AlertEvent): AlertStatus {
  const to = TRANSITIONS[from][event];
  if (to === undefined) {
    throw new AppError('INVALID_TRANSITION', `An alert that is ${from} cannot be ${event === 'acknowledge' ? 'acknowledged' : 'resolved'}.`, { from, event });
  }
  return to;
}
