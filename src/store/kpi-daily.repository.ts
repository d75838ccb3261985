import { sql, type Kysely } from 'kysely';
import { KPI_COUNTERS, type KpiDim, type KpiTally } from '../domain/kpi-tally.js';
import type { Dialect } from './db.js';
import { run, valueTuples } from './precompiled.js';
import type { Database } from './schema.js';

/** R18: the KPI counters, written by upserts that add, read by day range and group. */

const CHUNK = 500;
const DAILY_COLUMNS = ['org_id', 'dim', 'key', 'day', ...KPI_COUNTERS];
const ADD_DAILY = `on conflict (org_id, dim, key, day) do update set ${KPI_COUNTERS.map((c) => `${c} = kpi_daily.${c} + excluded.${c}`).join(', ')}`;
const ADD_WAITS = 'on conflict (org_id, dim, key, day, wait_days) do update set units = kpi_wait_days.units + excluded.units';

/**
 * Adds a step's counters inside its transaction. `x = x + excluded.x`: steps of several
 * processes add to the same day's row without reading it first; rows go in one key order.
 */
export async function addKpis(tx: Kysely<Database>, dialect: Dialect, orgId: string, tally: KpiTally): Promise<void> {
  const rows = tally.rows();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const text = `insert into kpi_daily (${DAILY_COLUMNS.join(', ')}) values ${valueTuples(chunk.length, DAILY_COLUMNS.length)} ${ADD_DAILY}`;
    await run(tx, dialect, text, chunk.flatMap((r) => [orgId, r.dim, r.key, r.day, ...KPI_COUNTERS.map((c) => r.counters[c])]));
  }
  const waits = tally.waits();
  for (let i = 0; i < waits.length; i += CHUNK) {
    const chunk = waits.slice(i, i + CHUNK);
    const text = `insert into kpi_wait_days (org_id, dim, key, day, wait_days, units) values ${valueTuples(chunk.length, 6)} ${ADD_WAITS}`;
    await run(tx, dialect, text, chunk.flatMap((w) => [orgId, w.dim, w.key, w.day, w.waitDays, w.units]));
  }
  const days = [...new Map(waits.map((w) => [`${w.dim}|${w.key}|${w.day}`, [w.dim, w.key, w.day] as const])).values()];
  for (let i = 0; i < days.length; i += P90_CHUNK) {
    const chunk = days.slice(i, i + P90_CHUNK);
    await run(tx, dialect, setDailyP90(chunk.length), [orgId, ...chunk.flat(), orgId]);
  }
}

const P90_CHUNK = 300;

/**
 * Re-ranks the given days' histograms and stores each day's p90 on its kpi_daily row: the
 * smallest wait whose running sum of units reaches 90 % of the day's (nearest rank,
 * `10 × running ≥ 9 × total` in whole numbers; the same rank as p90Days). A wait is always
 * added with the fill counters of its day, so the row exists. Units are summed as integers:
 * PostgreSQL then adds in bigint, not numeric.
 */
function setDailyP90(days: number): string {
  const tuples = Array.from({ length: days }, () => '(?, ?, ?)').join(', ');
  return (
    'update kpi_daily set wait_p90 = r.p90 from (' +
    'select dim, key, day, min(wait_days) as p90 from (' +
    'select dim, key, day, wait_days,' +
    ' sum(cast(units as integer)) over (partition by dim, key, day order by wait_days rows unbounded preceding) as running,' +
    ' sum(cast(units as integer)) over (partition by dim, key, day) as total' +
    ` from kpi_wait_days where org_id = ? and (dim, key, day) in (values ${tuples})` +
    ') w where 10 * running >= 9 * total group by dim, key, day' +
    ') r where kpi_daily.org_id = ? and kpi_daily.dim = r.dim and kpi_daily.key = r.key and kpi_daily.day = r.day'
  );
}

export async function deleteKpis(tx: Kysely<Database>, orgId: string): Promise<void> {
  await tx.deleteFrom('kpi_daily').where('org_id', '=', orgId).execute();
  await tx.deleteFrom('kpi_wait_days').where('org_id', '=', orgId).execute();
}

export interface KpiRange {
  readonly orgId: string;
  readonly dim: KpiDim;
  readonly from: string;
  readonly to: string;
}

/** The groups with any row in the range, in key order, after `afterKey`. */
export async function listKpiKeys(db: Kysely<Database>, range: KpiRange, afterKey: string | null, limit: number): Promise<string[]> {
  let q = db
    .selectFrom('kpi_daily')
    .select('key')
    .where('org_id', '=', range.orgId)
    .where('dim', '=', range.dim)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to);
  if (afterKey !== null) q = q.where('key', '>', afterKey);
  const rows = await q.groupBy('key').orderBy('key').limit(limit).execute();
  return rows.map((r) => r.key);
}

/** Every day's counters and p90 wait of the given groups in the range, by group and day. */
export async function readKpiDays(db: Kysely<Database>, range: KpiRange, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return db
    .selectFrom('kpi_daily')
    .select(['key', 'day', 'wait_p90', ...KPI_COUNTERS])
    .where('org_id', '=', range.orgId)
    .where('dim', '=', range.dim)
    .where('key', 'in', [...keys])
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .orderBy('key')
    .orderBy('day')
    .execute();
}

/** Units per whole day of wait over the whole range, per group: the range's p90 (few rows per group). */
export async function readKpiWaitTotals(db: Kysely<Database>, range: KpiRange, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return waitsOf(db, range, keys)
    .select(['key', 'wait_days', (eb) => eb.fn.sum<number>('units').as('units')])
    .groupBy(['key', 'wait_days'])
    .execute();
}

function waitsOf(db: Kysely<Database>, range: KpiRange, keys: readonly string[]) {
  return db
    .selectFrom('kpi_wait_days')
    .where('org_id', '=', range.orgId)
    .where('dim', '=', range.dim)
    .where('key', 'in', [...keys])
    .where('day', '>=', range.from)
    .where('day', '<=', range.to);
}

/** Every row of an organisation, in key order (tests compare the rebuild with the steps). */
export async function dumpKpis(db: Kysely<Database>, orgId: string) {
  const daily = await db.selectFrom('kpi_daily').selectAll().where('org_id', '=', orgId).orderBy('dim').orderBy('key').orderBy('day').execute();
  const waits = await db.selectFrom('kpi_wait_days').selectAll().where('org_id', '=', orgId).orderBy('dim').orderBy('key').orderBy('day').orderBy('wait_days').execute();
  return { daily, waits };
}
