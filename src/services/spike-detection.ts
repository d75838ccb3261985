import type { Kysely } from 'kysely';
import { hourOf, isCurrent, spikeFigures, windowStart, type SpikeRule } from '../domain/demand-spike.js';
import { addDays } from '../domain/promise-plan.js';
import type { Dialect } from '../store/db.js';
import { addHourlySales, readBaselineUnits, readWindowUnits } from '../store/hourly-sales.repository.js';
import { insertPause } from '../store/offer-pauses.repository.js';
import type { Database } from '../store/schema.js';
import { raise } from './alerts.service.js';

/**
 * R9, at order intake, in the order's transaction: the order's units go into its hour of
 * placedAt; if that hour's window is still running, each SKU whose window reached the
 * threshold raises a `demand_spike` alert, and a new one pauses the SKU's incoming offer for
 * the rule's pause hours (unless acknowledged first). The caller marks the order's SKUs for the
 * offer refresher, so the pause shows in the offers right after the commit.
 * Cost: one upsert; one indexed range read while the window is current; the baseline is read
 * only for SKUs whose window has reached the minimum units.
 */
export async function detectSpikes(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  rule: SpikeRule,
  order: { placedAt: string; at: string; lines: readonly { productId: string; sku: string; qty: number }[] },
): Promise<void> {
  if (!rule.enabled) return;
  const units = new Map<string, number>();
  const skuOf = new Map<string, string>();
  for (const l of order.lines) {
    units.set(l.productId, (units.get(l.productId) ?? 0) + l.qty);
    skuOf.set(l.productId, l.sku);
  }
  const hour = hourOf(order.placedAt);
  await addHourlySales(tx, dialect, orgId, hour, units);
  // Windows count by placedAt: importing last month's orders never looks like a spike now.
  if (!isCurrent(order.placedAt, order.at, rule.windowHours)) return;
  const from = windowStart(order.placedAt, rule.windowHours);
  const window = await readWindowUnits(tx, dialect, [...units.keys()].sort(), from, hour);
  const candidates = [...window].filter(([, n]) => n >= rule.minUnits).map(([id]) => id);
  if (candidates.length === 0) return;
  const day = order.placedAt.slice(0, 10);
  const baseline = await readBaselineUnits(tx, dialect, candidates, addDays(day, -rule.baselineDays), day);
  for (const productId of candidates) {
    const f = spikeFigures(rule, window.get(productId)!, baseline.get(productId) ?? 0);
    if (!f.spike) continue;
    const sku = skuOf.get(productId)!;
    const pauseUntil = rule.pauseHours > 0 ? new Date(Date.parse(order.at) + rule.pauseHours * 3_600_000).toISOString() : null;
    const alert = await raise(tx, dialect, orgId, order.at, {
      type: 'demand_spike',
      subjectType: 'product',
      subjectId: sku,
      message:
        `Demand spike on ${sku}: ${f.windowUnits} units in the ${rule.windowHours} hours from ${from}:00 UTC, against ${f.baselineDaily} a day over the last ${rule.baselineDays} days ` +
        `(threshold ${f.threshold}).` + (pauseUntil ? ` Its incoming offer is paused until the alert is acknowledged or ${rule.pauseHours} hours pass.` : ''),
      details: { sku, windowFrom: `${from}:00:00.000Z`, windowHours: rule.windowHours, windowUnits: f.windowUnits, baselineDays: rule.baselineDays, baselineDaily: f.baselineDaily, baselineWindow: f.baselineWindow, threshold: f.threshold, factor: rule.factor, minUnits: rule.minUnits },
    });
    // Only a new alert pauses: once a person acknowledged the spike, more orders do not pause it again.
    if (alert.created && pauseUntil) await insertPause(tx, { product_id: productId, org_id: orgId, reason: 'demand_spike', alert_id: alert.id, paused_at: order.at, until: pauseUntil });
  }
}
