import { addDays } from '../src/domain/promise-plan.js';
import type { Services } from '../src/services/context.js';
import { updateSettings } from '../src/services/organisations.service.js';
import type { SeededOrg } from './intake-workload.js';

/**
 * R9's cost at intake, three ways (BENCH_ONLY='*spikes*'):
 * - `off`: detection switched off (`demandSpikes.enabled: false`): no hourly bucket, no reads;
 * - `quiet`: on, with a 28-day history so large that no window is a spike: per order one
 *   hourly upsert, one window read, and (popular SKUs pass the 10-unit minimum) one baseline read;
 * - `spiking` (the plain runs): on, no history, so every SKU selling 10 in 6 hours is a spike and
 *   every order on it also bumps its alert — the worst case.
 */
export type SpikeVariant = 'off' | 'quiet' | 'spiking';

export async function prepareSpikes(services: Services, org: SeededOrg, variant: SpikeVariant): Promise<void> {
  if (variant === 'off') {
    await updateSettings(services, org.caller, { demandSpikes: { enabled: false } });
    return;
  }
  if (variant !== 'quiet') return;
  const today = new Date().toISOString().slice(0, 10);
  const products = await services.store.db.selectFrom('products').select('id').where('org_id', '=', org.orgId).execute();
  const rows = products.flatMap((p) => Array.from({ length: 28 }, (_, d) => ({ org_id: org.orgId, product_id: p.id, day: addDays(today, -(d + 1)), units: 1_000_000 })));
  for (let i = 0; i < rows.length; i += 500) await services.store.db.insertInto('product_daily_sales').values(rows.slice(i, i + 500)).execute();
}

/** Per way, the spread of each variant over the repeats and its median against `off`. */
export function spikeOverhead(results: readonly { id: string; ordersPerSec: number }[]): string[] {
  const groups = new Map<string, Map<SpikeVariant, number[]>>();
  for (const r of results) {
    const m = /^(.*?)(?:-spikes-(off|quiet))?$/.exec(r.id)!;
    const base = m[1]!;
    const variant = (m[2] as SpikeVariant | undefined) ?? 'spiking';
    const g = groups.get(base) ?? new Map<SpikeVariant, number[]>();
    g.set(variant, [...(g.get(variant) ?? []), r.ordersPerSec]);
    groups.set(base, g);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: string[] = [];
  for (const [base, g] of groups) {
    const off = g.get('off');
    if (!off) continue;
    const cells = (['off', 'quiet', 'spiking'] as const).flatMap((v) => {
      const xs = g.get(v);
      if (!xs) return [];
      const delta = v === 'off' ? '' : ` (${((median(xs) / median(off) - 1) * 100).toFixed(1)} % vs off)`;
      return [`${v} median ${Math.round(median(xs))} [${xs.map((x) => Math.round(x)).join(', ')}]${delta}`];
    });
    out.push(`${base}: ${cells.join('; ')}`);
  }
  return out;
}
