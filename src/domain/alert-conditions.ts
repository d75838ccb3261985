/**
 * R10: when the time-driven and receipt-driven alerts hold. Pure: rows in, conditions out; the
 * scheduled checks (services/alert-checks.service.ts) raise what holds and resolve what cleared.
 */
import { addDays, effectiveArrival } from './promise-plan.js';
import type { SupplierGrade } from './supplier-reliability.js';

/** A purchase order is overdue once its expected date has passed and not everything arrived. */
export function isOverdue(po: { expectedDate: string; status: string }, today: string): boolean {
  return (po.status === 'open' || po.status === 'partially_received') && po.expectedDate < today;
}

/** Whole days a part has waited since it was placed. */
export function daysWaiting(placedAt: string, now: string): number {
  return Math.floor((Date.parse(now) - Date.parse(placedAt)) / 86_400_000);
}

/** A backorder part ages into an alert after waiting longer than `limitDays`. */
export function isAging(placedAt: string, now: string, limitDays: number): boolean {
  return daysWaiting(placedAt, now) > limitDays;
}

const GRADE_RANK: Readonly<Record<SupplierGrade, number>> = { reliable: 2, new: 1, erratic: 0 };

/** R8: a grade drops when it gets worse: reliable → erratic, or a new supplier turning out erratic. */
export function gradeDropped(before: SupplierGrade, after: SupplierGrade): boolean {
  return GRADE_RANK[after] < GRADE_RANK[before];
}

export interface PromiseRow {
  readonly poId: string;
  readonly poNumber: string;
  /** The PO's arrival date as stored (expected + p80, R8). */
  readonly arrivalDate: string;
  readonly handlingDays: number;
  readonly partId: string;
  readonly orderId: string;
  readonly externalId: string;
  readonly sku: string;
  readonly qty: number;
  readonly promisedDate: string;
}

export type PartAtRisk = Pick<PromiseRow, 'partId' | 'orderId' | 'externalId' | 'sku' | 'qty' | 'promisedDate'>;

export interface PromiseAtRisk {
  readonly poId: string;
  readonly poNumber: string;
  /** When the PO's units can reach a customer now: effective arrival + handling days. */
  readonly deliveryDate: string;
  readonly parts: readonly PartAtRisk[];
}

/**
 * Per purchase order, the parts promised a date its units can no longer make: the effective
 * arrival (never before today) + the location's handling days falls after the promised date.
 * A part promised against several lines of one PO is named once, with its units summed and its
 * earliest promised date. Parts and POs come sorted by id, so the alert text is stable.
 */
export function promisesAtRisk(rows: readonly PromiseRow[], today: string): PromiseAtRisk[] {
  const byPo = new Map<string, { po: PromiseRow; delivery: string; parts: Map<string, PartAtRisk> }>();
  for (const r of rows) {
    const delivery = addDays(effectiveArrival(r.arrivalDate, 0, today), r.handlingDays);
    if (delivery <= r.promisedDate) continue;
    const entry = byPo.get(r.poId) ?? { po: r, delivery, parts: new Map<string, PartAtRisk>() };
    byPo.set(r.poId, entry);
    const seen = entry.parts.get(r.partId);
    entry.parts.set(r.partId, {
      partId: r.partId,
      orderId: r.orderId,
      externalId: r.externalId,
      sku: r.sku,
      qty: (seen?.qty ?? 0) + r.qty,
      promisedDate: seen && seen.promisedDate < r.promisedDate ? seen.promisedDate : r.promisedDate,
    });
  }
  return [...byPo.values()]
    .sort((a, b) => (a.po.poId < b.po.poId ? -1 : 1))
    .map((e) => ({ poId: e.po.poId, poNumber: e.po.poNumber, deliveryDate: e.delivery, parts: [...e.parts.values()].sort((a, b) => (a.partId < b.partId ? -1 : 1)) }));
}
