import type { Kysely } from 'kysely';
import { kpiFigures, p90Days, type KpiFigures } from '../domain/kpi-figures.js';
import { checkKpiRange } from '../domain/kpi-range.js';
import { KPI_COUNTERS, zeroCounters, type KpiCounters, type KpiDim } from '../domain/kpi-tally.js';
import { listKpiKeys, readKpiDays, readKpiWaitTotals, type KpiRange } from '../store/kpi-daily.repository.js';
import type { Database } from '../store/schema.js';
import type { Caller, Services } from './context.js';

export type KpiGrouping = Exclude<KpiDim, 'all'>;

export interface KpiQuery {
  readonly from: string;
  readonly to: string;
  readonly by?: KpiGrouping;
  /** The last group key of the previous page. */
  readonly after: string | null;
  readonly limit: number;
}

export type KpiDay = { day: string } & KpiFigures;

export interface KpiSeries {
  readonly totals: KpiFigures;
  /** Days with any activity, oldest first; a day left out had none. */
  readonly series: KpiDay[];
}

export interface KpiGroup extends KpiSeries {
  readonly channel?: string;
  readonly sku?: string;
  /** null: fills from freed or adjusted stock, which no supplier brought. */
  readonly supplier?: { id: string; name: string } | null;
}

export interface KpiReport extends KpiSeries {
  readonly from: string;
  readonly to: string;
  readonly by: KpiGrouping | null;
  readonly groups?: KpiGroup[];
  readonly next: string | null;
}

/** R18: KPIs for a date range, overall and optionally per group, read from the daily rows. */
export async function kpiReport(services: Services, caller: Caller, q: KpiQuery): Promise<KpiReport> {
  const { from, to } = checkKpiRange(q.from, q.to);
  const db = services.store.db;
  const overallRead = readSeries(db, { orgId: caller.orgId, dim: 'all', from, to }, ['']).then((s) => s.get('') ?? emptySeries());
  if (!q.by) return { from, to, by: null, ...(await overallRead), next: null };
  // The groups are read while the overall figures are (PostgreSQL runs them on two connections).
  const range: KpiRange = { orgId: caller.orgId, dim: q.by, from, to };
  const found = await listKpiKeys(db, range, q.after, q.limit + 1);
  const keys = found.slice(0, q.limit);
  const [overall, series, labels] = await Promise.all([overallRead, readSeries(db, range, keys), groupLabels(db, caller.orgId, q.by, keys)]);
  const groups = keys.map((k) => ({ ...labels(k), ...(series.get(k) ?? emptySeries()) }));
  return { from, to, by: q.by, ...overall, groups, next: found.length > q.limit ? keys[keys.length - 1]! : null };
}

function emptySeries(): KpiSeries {
  return { totals: kpiFigures(zeroCounters(), null), series: [] };
}

async function readSeries(db: Kysely<Database>, range: KpiRange, keys: readonly string[]): Promise<Map<string, KpiSeries>> {
  const [days, waitTotals] = await Promise.all([readKpiDays(db, range, keys), readKpiWaitTotals(db, range, keys)]);
  const histograms = new Map<string, Map<number, number>>();
  for (const w of waitTotals) {
    let h = histograms.get(w.key);
    if (!h) histograms.set(w.key, (h = new Map()));
    h.set(w.wait_days, Number(w.units));
  }
  const out = new Map<string, { totals: KpiCounters; series: KpiDay[] }>();
  for (const row of days) {
    let group = out.get(row.key);
    if (!group) out.set(row.key, (group = { totals: zeroCounters(), series: [] }));
    const counters = {} as KpiCounters;
    for (const c of KPI_COUNTERS) {
      const n = Number(row[c]);
      counters[c] = n;
      group.totals[c] += n;
    }
    group.series.push({ day: row.day, ...kpiFigures(counters, row.wait_p90 === null ? null : Number(row.wait_p90)) });
  }
  return new Map([...out].map(([key, g]) => [key, { totals: kpiFigures(g.totals, p90Days(histograms.get(key) ?? new Map())), series: g.series }]));
}

/** What a group is called in the answer: the channel's code, the SKU, the supplier. */
async function groupLabels(db: Kysely<Database>, orgId: string, by: KpiGrouping, keys: readonly string[]): Promise<(key: string) => Omit<KpiGroup, keyof KpiSeries>> {
  const ids = keys.filter((k) => k !== '');
  if (by === 'channel') {
    const rows = ids.length ? await db.selectFrom('channels').select(['id', 'code']).where('org_id', '=', orgId).where('id', 'in', ids).execute() : [];
    const code = new Map(rows.map((r) => [r.id, r.code]));
    return (key) => ({ channel: code.get(key) ?? key });
  }
  if (by === 'sku') {
    const rows = ids.length ? await db.selectFrom('products').select(['id', 'sku']).where('org_id', '=', orgId).where('id', 'in', ids).execute() : [];
    const sku = new Map(rows.map((r) => [r.id, r.sku]));
    return (key) => ({ sku: sku.get(key) ?? key });
  }
  const rows = ids.length ? await db.selectFrom('suppliers').select(['id', 'name']).where('org_id', '=', orgId).where('id', 'in', ids).execute() : [];
  const name = new Map(rows.map((r) => [r.id, r.name]));
  return (key) => ({ supplier: key === '' ? null : { id: key, name: name.get(key) ?? key } });
}
