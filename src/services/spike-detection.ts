import type { Kysely } from 'kysely';
import { hourOf, isCurrent, spikeFigures, windowStart, type SpikeRule } from '../domain/demand-spike.js';
import { addDays } from '../domain/promise-plan.js';
import type { Dialect } from '../store/db.js';
import { readBaselineUnits, readHourUnits } from '../store/hourly-sales.repository.js';
import { insertPause } from '../store/offer-pauses.repository.js';
import type { Database } from '../store/schema.js';
import { raise } from './alerts.service.js';
import { baselines, earlierHours, type SumCache } from './spike-cache.js';

export interface SoldLine {
  readonly productId: string;
  readonly sku: string;
  readonly qty: number;
}

/**
 * R9: if the order's window is still running, each SKU whose window reached the threshold
 * raises a `demand_spike` alert, and a new one pauses the SKU's incoming offer for the rule's
 * pause hours (unless acknowledged first). The caller marks the order's SKUs for the offer
 * refresher, so the pause shows in the offers right after the commit.
 * Cost: the current hour comes back from the daily sales upsert (addDailySales); the earlier hours of the window
 * and the baseline are read once a minute / ten minutes per SKU and process (spike-cache.ts).
 */
export async function detectSpikes(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  rule: SpikeRule,
  order: { placedAt: string; at: string; lines: readonly SoldLine[]; hourUnits: ReadonlyMap<string, number> },
): Promise<void> {
  // Windows count by placedAt: importing last month's orders never looks like a spike now.
  if (!rule.enabled || !isCurrent(order.placedAt, order.at, rule.windowHours)) return;
  const hour = hourOf(order.placedAt);
  const from = windowStart(order.placedAt, rule.windowHours);
  const ids = [...order.hourUnits.keys()].sort();
  const earlier = await cachedSums(earlierHours, ids, (id) => `${id}|${hour}|${rule.windowHours}`, (missing) => (rule.windowHours > 1 ? readHourUnits(tx, dialect, missing, from, hour) : Promise.resolve(new Map())));
  const window = new Map(ids.map((id) => [id, earlier.get(id)! + order.hourUnits.get(id)!]));
  const candidates = ids.filter((id) => window.get(id)! >= rule.minUnits);
  if (candidates.length === 0) return;
  const day = order.placedAt.slice(0, 10);
  const baseline = await cachedSums(baselines, candidates, (id) => `${id}|${day}|${rule.baselineDays}`, (missing) => readBaselineUnits(tx, dialect, missing, addDays(day, -rule.baselineDays), day));
  for (const productId of candidates) {
    const f = spikeFigures(rule, window.get(productId)!, baseline.get(productId)!);
    if (!f.spike) continue;
    const sku = order.lines.find((l) => l.productId === productId)!.sku;
    const pauseUntil = rule.pauseHours > 0 ? new Date(Date.parse(order.at) + rule.pauseHours * 3_600_000).toISOString() : null;
    const alert = await raise(tx, dialect, orgId, order.at, {
      type: 'demand_spike',
      subjectType: 'product',
      subjectId: sku,
      message:
        `Demand spike on ${sku}: ${f.windowUnits} units in the ${rule.windowHours} hours from ${from}:00 UTC, against ${f.baselineDaily} a day over the last ${rule.baselineDays} days ` +
        `(threshold ${f.threshold}).` + (pauseUntil ? ` Its incoming offer is paused until the alert is acknowledged or ${rule.pauseHours} hours pass.` : ''),
      details: { sku, windowFrom: `${from}:00:00.000Z`, windowHours: rule.windowHours, windowUnits: f.windowUnits, baselineDays: rule.baselineDays, baselineDaily: f.baselineDaily, baselineWindow: f.baselineWindow, threshold: f.threshold, factor: rule.factor, minUnits: rule.minUnits, pauseHours: rule.pauseHours },
    });
    // Only a new alert pauses: once a person acknowledged the spike, more orders do not pause it again.
    if (alert.created && pauseUntil) await insertPause(tx, { product_id: productId, org_id: orgId, reason: 'demand_spike', alert_id: alert.id, paused_at: order.at, until: pauseUntil });
  }
}

/** Sums per product from the cache, reading the missing ones in one query (absent rows are 0). */
async function cachedSums(cache: SumCache, ids: readonly string[], key: (id: string) => string, read: (missing: string[]) => Promise<Map<string, number>>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const missing: string[] = [];
  for (const id of ids) {
    const v = cache.get(key(id));
    if (v === undefined) missing.push(id);
    else out.set(id, v);
  }
  if (missing.length > 0) {
    const read_ = await read(missing);
    for (const id of missing) {
      const v = read_.get(id) ?? 0;
      cache.set(key(id), v);
      out.set(id, v);
    }
  }
  return out;
}
