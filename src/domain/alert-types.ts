/**
 * R10: the kinds of alert Stockbridge raises, with their severity. Each names its subject, and
 * one condition (type + subject) has at most one unresolved alert.
 * `payment_authorisation_expiring` (R10, R16) is not raised: payments are not modelled yet.
 */
export const ALERT_TYPES = [
  'demand_spike',
  'po_overdue',
  'supplier_grade_dropped',
  'backorder_aging',
  'promise_at_risk',
  'oversold',
  'message_unknown',
] as const;

export type AlertType = (typeof ALERT_TYPES)[number];

export type AlertSeverity = 'info' | 'warning' | 'critical';

export const ALERT_SEVERITY: Readonly<Record<AlertType, AlertSeverity>> = {
  demand_spike: 'warning',
  po_overdue: 'warning',
  supplier_grade_dropped: 'info',
  backorder_aging: 'warning',
  promise_at_risk: 'critical',
  oversold: 'warning',
  message_unknown: 'warning',
};
