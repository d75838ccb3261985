import { beforeAll, expect, it } from 'vitest';
import { rebuildKpisInTx } from '../../src/services/kpi-rebuild.service.js';
import { dumpKpis } from '../../src/store/kpi-daily.repository.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { snapshot } from '../support/db-snapshot.js';
import { describeEachStore, type Harness } from '../support/harness.js';
import { ok } from '../support/fixtures.js';
import { buildKpiHistory, type KpiHistory } from '../support/kpi-history.js';

/**
 * R18 KPIs through GET /v1/kpis, on the history of test/support/kpi-history.ts. Every expected
 * figure below is worked out by hand from that history; the service reads only the daily rows
 * the steps wrote, and the rebuild from history must write the very same rows.
 */

const DAY = 86_400;
const JAN = 'from=2025-01-01&to=2025-01-31';
const shiftDay = (days: number) => new Date(Date.now() + days * DAY * 1000).toISOString().slice(0, 10);

describeEachStore('KPIs (R18)', (harness) => {
  let h: Harness;
  let history: KpiHistory;
  const kpis = (query: string) => ok(h.api('GET', `/v1/kpis?${query}`, undefined, { key: history.key }), 200);

  beforeAll(async () => {
    h = harness();
    history = await buildKpiHistory(h);
  });

  it('totals over January: line figures on the placed day, waits and promises on the allocation day', async () => {
    const report = await kpis(JAN);
    expect(report).toMatchObject({ from: '2025-01-01', to: '2025-01-31', by: null, nextCursor: null });
    expect(report.groups).toBeUndefined();
    // Lines: O1 X3, O2 X4 + Y2, O3 Y5, O4 X1, O5 Z2, O6 X4 = 7 lines, 21 units; reserved at
    // intake: O1 3 + O2 2 = 5; every line but O1's waits (6); O5's 2 are oversold; O3's 5 were
    // cancelled while waiting (of 21 − 5 = 16 backordered).
    // Fills: 01-09 O2 X 2 (3 d 19 h = 327,600 s) and O4 X 1 (3 d 1 h = 262,800 s); 01-12 O2 Y 2
    // (7 d = 604,800 s): 5 units, 2×327,600 + 262,800 + 2×604,800 = 2,127,600 s.
    // Whole days {3: 3 units, 7: 2 units}: the 90 % rank is unit ceil(4.5) = 5 → 7 days.
    // Promises: O4 completed 01-09, before its date (kept); O2 completed 01-12 after 01-10 (broken).
    expect(report.totals).toEqual({
      lines: 7,
      linesBackordered: 6,
      unitsOrdered: 21,
      unitsAllocatedAtIntake: 5,
      unitsBackordered: 16,
      unitsOversold: 2,
      unitsCancelledWaiting: 5,
      unitsFilled: 5,
      promisesJudged: 2,
      promisesKept: 1,
      shipments: 0,
      waivedShipments: 0,
      backorderRate: 6 / 7,
      fillRateAtOrder: 5 / 21,
      averageWaitDays: 2_127_600 / DAY / 5,
      p90WaitDays: 7,
      promiseKeptRate: 0.5,
      backorderCancellationRate: 5 / 16,
    });
  });

  it('a daily series with one entry per day with activity', async () => {
    const { series } = await kpis(JAN);
    expect(series.map((d: any) => d.day)).toEqual(['2025-01-05', '2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09', '2025-01-12']);
    const byDay = Object.fromEntries(series.map((d: any) => [d.day, d]));
    // 01-05: O1 X3 (3 reserved), O2 X4 (2 reserved), O2 Y2 (none).
    expect(byDay['2025-01-05']).toMatchObject({ lines: 3, linesBackordered: 2, unitsOrdered: 9, unitsAllocatedAtIntake: 5, fillRateAtOrder: 5 / 9, unitsFilled: 0, averageWaitDays: null });
    // 01-06: O3 Y5 and O4 X1 wait; O3's 5 were cancelled later, still counted on its placed day.
    expect(byDay['2025-01-06']).toMatchObject({ lines: 2, linesBackordered: 2, unitsOrdered: 6, unitsCancelledWaiting: 5, backorderCancellationRate: 5 / 6 });
    expect(byDay['2025-01-07']).toMatchObject({ lines: 1, unitsOversold: 2, backorderRate: 1 });
    // 01-09: 3 units, (2×327,600 + 262,800) s; all waited 3 whole days; O4's promise kept.
    expect(byDay['2025-01-09']).toMatchObject({ lines: 0, backorderRate: null, unitsFilled: 3, averageWaitDays: 918_000 / DAY / 3, p90WaitDays: 3, promisesJudged: 1, promiseKeptRate: 1 });
    expect(byDay['2025-01-12']).toMatchObject({ unitsFilled: 2, averageWaitDays: 7, p90WaitDays: 7, promisesJudged: 1, promisesKept: 0, promiseKeptRate: 0 });
  });

  it('per channel: each order counts on its own channel', async () => {
    const report = await kpis(`${JAN}&by=channel`);
    const groups = Object.fromEntries(report.groups.map((g: any) => [g.channel, g]));
    expect(Object.keys(groups).sort()).toEqual([history.channels.a, history.channels.b].sort());
    // A: O1, O2 (2 lines), O5, O6 = 5 lines, 15 units, 5 reserved, 4 waiting lines, O5's 2 oversold;
    // fills O2 X 2 (2×327,600 s, 3 d) and Y 2 (2×604,800 s, 7 d): {3: 2, 7: 2}, rank 4 → 7; O2's promise broken.
    expect(groups[history.channels.a].totals).toMatchObject({
      lines: 5,
      linesBackordered: 4,
      unitsOrdered: 15,
      unitsAllocatedAtIntake: 5,
      unitsOversold: 2,
      unitsCancelledWaiting: 0,
      unitsFilled: 4,
      averageWaitDays: 1_864_800 / DAY / 4,
      p90WaitDays: 7,
      promisesJudged: 1,
      promisesKept: 0,
    });
    // B: O3 Y5, O4 X1 = 2 lines, 6 units, nothing reserved; O3's 5 cancelled; O4's 1 filled after 262,800 s, kept.
    expect(groups[history.channels.b].totals).toMatchObject({
      lines: 2,
      linesBackordered: 2,
      unitsOrdered: 6,
      unitsAllocatedAtIntake: 0,
      fillRateAtOrder: 0,
      unitsCancelledWaiting: 5,
      backorderCancellationRate: 5 / 6,
      unitsFilled: 1,
      averageWaitDays: 262_800 / DAY,
      p90WaitDays: 3,
      promiseKeptRate: 1,
    });
    expect(groups[history.channels.b].series.map((d: any) => d.day)).toEqual(['2025-01-06', '2025-01-09']);
  });

  it('per SKU and per supplier', async () => {
    const bySku = await kpis(`${JAN}&by=sku`);
    const skus = Object.fromEntries(bySku.groups.map((g: any) => [g.sku, g.totals]));
    const { x, y, z } = history.skus;
    // X: O1 3, O2 4, O4 1, O6 4 = 4 lines, 12 units, 5 reserved; filled 01-09: 3 units.
    expect(skus[x]).toMatchObject({ lines: 4, linesBackordered: 3, unitsOrdered: 12, unitsAllocatedAtIntake: 5, unitsFilled: 3, promisesJudged: 1, promisesKept: 1 });
    // Y: O2 2, O3 5; O3's 5 cancelled; O2's 2 filled 01-12, completing O2's part (broken promise).
    expect(skus[y]).toMatchObject({ lines: 2, unitsOrdered: 7, unitsCancelledWaiting: 5, unitsFilled: 2, p90WaitDays: 7, promisesJudged: 1, promisesKept: 0 });
    expect(skus[z]).toMatchObject({ lines: 1, unitsOversold: 2, unitsFilled: 0, p90WaitDays: null });

    // Only the receipts' units have a supplier: all 5 January fills came from S1's PO.
    const bySupplier = await kpis(`${JAN}&by=supplier`);
    expect(bySupplier.groups).toHaveLength(1);
    expect(bySupplier.groups[0].supplier.id).toBe(history.supplierId);
    expect(bySupplier.groups[0].totals).toMatchObject({ lines: 0, backorderRate: null, unitsFilled: 5, averageWaitDays: 2_127_600 / DAY / 5, p90WaitDays: 7, promisesJudged: 2, promisesKept: 1 });
  });

  it('today: the fill from freed stock (no supplier) and the shipments, one with its shipping waived', async () => {
    const range = `from=${shiftDay(-1)}&to=${shiftDay(1)}`;
    const report = await kpis(`${range}&by=supplier`);
    // Cancelling O1 freed X 3, which went to O6 (placed 2025-01-08T00:00Z) at that step's time.
    const movements = await ok(h.api('GET', `/v1/stock/${history.skus.x}/movements?limit=200`, undefined, { key: history.key }), 200);
    const freed = movements.items.filter((m: any) => m.orderId === history.orders.o6.id && m.kind === 'allocation');
    expect(freed.map((m: any) => m.reservedDelta)).toEqual([3]);
    const seconds = Math.floor((Date.parse(freed[0].createdAt) - Date.parse('2025-01-08T00:00:00Z')) / 1000);
    // Shipped now: O4's part, then O2's first and second part (R17: the second ships free).
    expect(report.totals).toMatchObject({ lines: 0, unitsFilled: 3, averageWaitDays: (3 * seconds) / DAY / 3, p90WaitDays: Math.floor(seconds / DAY), promisesJudged: 0, shipments: 3, waivedShipments: 1 });
    expect(report.groups.map((g: any) => g.supplier)).toEqual([null]);
    expect(report.groups[0].totals).toMatchObject({ unitsFilled: 3, shipments: 0 });
    const byChannel = await kpis(`${range}&by=channel`);
    const shipped = Object.fromEntries(byChannel.groups.map((g: any) => [g.channel, [g.totals.shipments, g.totals.waivedShipments]]));
    expect(shipped).toEqual({ [history.channels.a]: [2, 1], [history.channels.b]: [1, 0] });
  });

  it('the rebuild from history writes exactly the rows the steps wrote', async () => {
    const db = h.services.store.db;
    const incremental = await dumpKpis(db, history.orgId);
    expect(incremental.daily.length).toBeGreaterThan(20);
    // Wipe and damage the rows first: the rebuild must not depend on what is there.
    await db.updateTable('kpi_daily').set({ lines: 999 }).where('org_id', '=', history.orgId).execute();
    await db.deleteFrom('kpi_wait_days').where('org_id', '=', history.orgId).execute();
    await h.services.store.transact((tx) => rebuildKpisInTx(tx, h.dialect, history.orgId));
    expect(await dumpKpis(db, history.orgId)).toEqual(incremental);
  });

  it('a database migrated with history before migrations 010 and 013 is backfilled to the same rows and daily p90s, fills without a reason too', async () => {
    const db = h.services.store.db;
    const incremental = await dumpKpis(db, history.orgId);
    // Ledger rows written before fills carried a reason: receipts are told apart by their stored allocations.
    await db.updateTable('stock_movements').set({ reason: null }).where('org_id', '=', history.orgId).where('kind', '=', 'allocation').execute();
    await db.schema.dropTable('kpi_wait_days').execute();
    await db.schema.dropTable('kpi_daily').execute();
    await db.deleteFrom('kysely_migration' as never).where('name' as never, 'in', ['010-kpi-daily', '013-kpi-daily-p90'] as never).execute();
    expect(await migrateToLatest(db)).toEqual(['010-kpi-daily', '013-kpi-daily-p90']);
    expect(await dumpKpis(db, history.orgId)).toEqual(incremental);
  });

  it('groups page with a cursor', async () => {
    const first = await kpis(`${JAN}&by=sku&limit=2`);
    expect(first.groups).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await kpis(`${JAN}&by=sku&limit=2&cursor=${first.nextCursor}`);
    expect(second.groups).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect([...first.groups, ...second.groups].map((g: any) => g.sku).sort()).toEqual(Object.values(history.skus).sort());
    const wrong = await h.api('GET', `/v1/kpis?${JAN}&by=channel&cursor=${first.nextCursor}`, undefined, { key: history.key });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('INVALID_CURSOR');
  });

  it('refuses bad ranges and groupings with problem+json and a stable code, changing nothing', async () => {
    const before = await snapshot(h);
    const cases: [string, number, string][] = [
      ['from=2025-02-01&to=2025-01-31', 422, 'INVALID_DATE_RANGE'],
      ['from=2023-01-01&to=2025-01-02', 422, 'INVALID_DATE_RANGE'],
      ['from=2025-01-01&to=2025-01-31&by=warehouse', 400, 'VALIDATION_FAILED'],
      ['from=2025-13-01&to=2025-12-31', 400, 'VALIDATION_FAILED'],
      ['from=2025-02-30&to=2025-03-01', 400, 'VALIDATION_FAILED'],
      ['from=1%20Jan%202025&to=2025-01-31', 400, 'VALIDATION_FAILED'],
      ['from=2025-01-01', 400, 'VALIDATION_FAILED'],
      ['from=2025-01-01&to=2025-01-31&limit=201', 400, 'VALIDATION_FAILED'],
      ['from=2025-01-01&to=2025-01-31&group=sku', 400, 'VALIDATION_FAILED'],
    ];
    for (const [query, status, code] of cases) {
      const res = await h.api('GET', `/v1/kpis?${query}`, undefined, { key: history.key });
      expect(res.status, query).toBe(status);
      expect(res.headers.get('content-type'), query).toMatch(/^application\/problem\+json/);
      expect(res.body.code, query).toBe(code);
    }
    // Two years and a leap day is the longest range.
    await kpis('from=2023-01-01&to=2024-12-31');
    expect(await snapshot(h)).toEqual(before);
  });

  it('an organisation sees only its own figures', async () => {
    const report = await ok(h.api('GET', `/v1/kpis?${JAN}`), 200);
    expect(report.totals.lines).toBe(0);
    expect(report.series).toEqual([]);
  });
});
