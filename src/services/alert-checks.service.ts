import type { Kysely } from 'kysely';
import { isAging, isOverdue, promisesAtRisk } from '../domain/alert-conditions.js';
import { unresolvedAlerts } from '../store/alerts.repository.js';
import { agingBackorderParts, overduePurchaseOrders, oversoldSkus, promisesOnOpenPurchaseOrders } from '../store/alert-conditions.repository.js';
import type { Dialect } from '../store/db.js';
import { expiredPauses, pausingAlerts } from '../store/offer-pauses.repository.js';
import type { Database } from '../store/schema.js';
import { endPause, resolve } from './alerts.service.js';
import { reconcileAlerts } from './alert-reconcile.js';

/**
 * R9, R10: the time-driven alerts, one organisation in one transaction per check. Each raises
 * what holds now and resolves what cleared (alert-reconcile.ts); the scheduler runs them.
 */
export type OrgCheck = (tx: Kysely<Database>, dialect: Dialect, orgId: string, at: string) => Promise<unknown>;

/** `po_overdue`: the expected date has passed and not everything arrived. Clears on full receipt, cancellation or a later date. */
export const checkOverduePurchaseOrders: OrgCheck = async (tx, dialect, orgId, at) => {
  const today = at.slice(0, 10);
  const overdue = (await overduePurchaseOrders(tx, orgId, today)).filter((po) => isOverdue({ expectedDate: po.expected_date, status: po.status }, today));
  return reconcileAlerts(
    tx,
    dialect,
    orgId,
    at,
    'po_overdue',
    overdue.map((po) => ({
      type: 'po_overdue',
      subjectType: 'purchase_order',
      subjectId: po.id,
      message: `Purchase order ${po.number} from ${po.supplier} was expected on ${po.expected_date} and has not fully arrived.`,
      details: { purchaseOrder: po.number, supplier: po.supplier, expectedDate: po.expected_date, status: po.status },
    })),
  );
};

/** `backorder_aging`: a backorder part waiting longer than the organisation's `backorderAgingDays` (14). Clears when it is covered or cancelled. */
export const checkAgingBackorders: OrgCheck = async (tx, dialect, orgId, at) => {
  const { backorder_aging_days: days } = await tx.selectFrom('organisations').select('backorder_aging_days').where('id', '=', orgId).executeTakeFirstOrThrow();
  const before = new Date(Date.parse(at) - days * 86_400_000).toISOString();
  const parts = (await agingBackorderParts(tx, orgId, before)).filter((p) => isAging(p.placed_at, at, days));
  return reconcileAlerts(
    tx,
    dialect,
    orgId,
    at,
    'backorder_aging',
    parts.map((p) => ({
      type: 'backorder_aging',
      subjectType: 'order_part',
      subjectId: p.id,
      message: `Order ${p.external_id} (${p.channel}) has waited since ${p.placed_at.slice(0, 10)}, more than ${days} days, for part ${p.id}${p.promised_date ? ` (promised for ${p.promised_date})` : ' (not promised)'}.`,
      details: { orderId: p.order_id, externalId: p.external_id, channel: p.channel, partId: p.id, placedAt: p.placed_at, promisedDate: p.promised_date, limitDays: days },
    })),
  );
};

/** `promise_at_risk`: per purchase order, the parts whose promised date its effective arrival + handling days now passes. */
export const checkPromisesAtRisk: OrgCheck = async (tx, dialect, orgId, at) => {
  const risks = promisesAtRisk(await promisesOnOpenPurchaseOrders(tx, orgId), at.slice(0, 10));
  return reconcileAlerts(
    tx,
    dialect,
    orgId,
    at,
    'promise_at_risk',
    risks.map((r) => ({
      type: 'promise_at_risk',
      subjectType: 'purchase_order',
      subjectId: r.poId,
      message:
        `Purchase order ${r.poNumber} can now reach customers on ${r.deliveryDate}, after the date promised to ${r.parts.length} part${r.parts.length === 1 ? '' : 's'}: ` +
        r.parts.map((p) => `order ${p.externalId} part ${p.partId} (${p.qty} × ${p.sku}, promised ${p.promisedDate})`).join('; ') + '.',
      details: { purchaseOrder: r.poNumber, deliveryDate: r.deliveryDate, parts: r.parts },
    })),
  );
};

/** `oversold` is raised at intake and re-planning; it resolves once no waiting unit of the SKU is without a promise. */
export const checkOversoldCleared: OrgCheck = async (tx, dialect, orgId, at) => {
  const skus = await oversoldSkus(tx, orgId);
  const holding = (await unresolvedAlerts(tx, orgId, 'oversold')).filter((a) => skus.has(a.subject_id));
  return reconcileAlerts(
    tx,
    dialect,
    orgId,
    at,
    'oversold',
    holding.map((a) => ({ type: 'oversold', subjectType: a.subject_type, subjectId: a.subject_id, message: a.message, ...(a.details === null ? {} : { details: JSON.parse(a.details) }) })),
    { raiseNew: false },
  );
};

/**
 * R9: a spike's pause ends after its hours (or at acknowledgement, alerts.service.ts); the SKU
 * is marked for the offer refresher. A `demand_spike` alert resolves once its pause is over and
 * a whole window has passed without another spiking order.
 */
export const checkSpikes: OrgCheck = async (tx, dialect, orgId, at) => {
  let ended = 0;
  for (const p of await expiredPauses(tx, orgId, at)) ended += await endPause(tx, dialect, p.alert_id, at);
  const { spike_window_hours: hours } = await tx.selectFrom('organisations').select('spike_window_hours').where('id', '=', orgId).executeTakeFirstOrThrow();
  const quietSince = new Date(Date.parse(at) - hours * 3_600_000).toISOString();
  const pausing = await pausingAlerts(tx, orgId);
  let resolved = 0;
  for (const a of await unresolvedAlerts(tx, orgId, 'demand_spike')) {
    if (!pausing.has(a.id) && a.last_seen <= quietSince && (await resolve(tx, dialect, a, at))) resolved++;
  }
  return { ended, resolved };
};
