import { randomUUID } from 'node:crypto';
import { claimCheck, finishCheck } from '../store/scheduler-runs.repository.js';
import { repromiseOversold } from './promise-recheck.js';
import { checkAgingBackorders, checkOverduePurchaseOrders, checkOversoldCleared, checkPromisesAtRisk, checkSpikes, type OrgCheck } from './alert-checks.service.js';
import type { Services } from './context.js';
import { refreshPriceSuggestions } from './price-suggestions.service.js';

/**
 * The scheduler (R9, R10, R13) inside `serve` and every `stockbridge worker`: each interval it
 * runs the time-driven checks — overdue purchase orders, aging backorders, promises at risk,
 * oversold SKUs covered again, spike pauses that ran out, price suggestions. With several
 * processes each check runs in one of them per interval (a lease row, scheduler-runs.repository).
 */
export const CHECKS: Readonly<Record<string, (services: Services, at: string) => Promise<unknown>>> = {
  po_overdue: perOrganisation(checkOverduePurchaseOrders),
  backorder_aging: perOrganisation(checkAgingBackorders),
  promise_at_risk: perOrganisation(checkPromisesAtRisk),
  // Before oversold_cleared: units promised here clear their SKU's alert in the same run.
  oversold_repromise: perOrganisation(repromiseOversold),
  oversold_cleared: perOrganisation(checkOversoldCleared),
  demand_spikes: perOrganisation(checkSpikes),
  price_suggestions: async (services, at) => {
    for (const { id } of await services.store.db.selectFrom('organisations').select('id').execute()) await refreshPriceSuggestions(services, id, at);
  },
};

/** Each organisation in its own transaction: one organisation's failure does not hold up the rest. */
function perOrganisation(check: OrgCheck) {
  return async (services: Services, at: string) => {
    const orgs = await services.store.db.selectFrom('organisations').select('id').orderBy('id').execute();
    for (const { id } of orgs) await services.store.transact((tx) => check(tx, services.store.dialect, id, at));
  };
}

/** Runs every check now, without leases (tests, and `at` for a chosen moment). */
export async function runChecks(services: Services, at: string = services.now().toISOString()): Promise<void> {
  for (const check of Object.values(CHECKS)) await check(services, at);
}

/** Runs the checks no process has run within the interval; returns the names this call ran. */
export async function runDueChecks(services: Services, opts: { intervalMs: number; worker?: string; at?: string; onError?: (err: unknown, check: string) => void }): Promise<string[]> {
  const at = opts.at ?? services.now().toISOString();
  const worker = opts.worker ?? WORKER;
  // A second of slack: timers drift, and a check due a moment from now counts as due.
  const notSince = new Date(Date.parse(at) - opts.intervalMs + 1_000).toISOString();
  const ran: string[] = [];
  for (const [name, check] of Object.entries(CHECKS)) {
    if (!(await claimCheck(services.store.db, services.store.dialect, name, at, notSince, worker))) continue;
    try {
      await check(services, at);
      await finishCheck(services.store.db, name, worker, services.now().toISOString());
      ran.push(name);
    } catch (err) {
      // The lease stays taken: the check runs again an interval later, the other checks now.
      opts.onError?.(err, name);
    }
  }
  return ran;
}

const WORKER = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** Starts the scheduler; `stop` waits for the run in hand. A failing check is tried again next interval. */
export function startScheduler(services: Services, intervalMs: number, onError: (err: unknown, check?: string) => void = () => {}): { stop(): Promise<void> } {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    current = current.then(() => runDueChecks(services, { intervalMs, onError })).catch((err: unknown) => onError(err));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  // The first run soon after start, not an interval later.
  const first = setTimeout(tick, Math.min(intervalMs, 2_000));
  first.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      await current;
    },
  };
}
