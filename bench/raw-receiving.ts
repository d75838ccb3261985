/**
 * The raw-SQL floor of a receipt: the rows receivePurchaseOrder writes, written set-based on the
 * driver (better-sqlite3 / pg) in one transaction. The purchase order line and status, the
 * receipt and its line, on hand up with its ledger row; then the waiting lines ranked by the
 * allocation policy in SQL (ORDER BY, a running sum picks the lines the units cover), and from
 * that one ranked set: the parts opened, the waiting part lines replaced by lines at the
 * location (delete + insert, as the service does), reserved up, one allocation ledger row per
 * line, every touched order's updated_at, the receipt's cross-dock rows, one event per part
 * plus the receipt's event; the covered lines' promises deleted and the purchase-order lines'
 * promised counts recounted (R3); and the cross-dock list read back (the service returns it).
 * SQLite runs that as a dozen statements over a temp table; PostgreSQL as one statement of
 * data-modifying CTEs. Locks on PostgreSQL: the purchase order, the product and the level row.
 *
 * Covers the shape the bench makes: every waiting part has one line, and a covered line is
 * covered whole (no part splits); it throws on anything else rather than write less.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { AllocationRule } from '../src/domain/allocation-policy.js';
import { purchaseOrderTransition, receiptEvent } from '../src/domain/purchase-order-lifecycle.js';
import { delayDays } from '../src/domain/supplier-reliability.js';
import { newId } from '../src/ids.js';
import type { Dialect } from '../src/store/db.js';
import type { PurchaseOrderLinesTable, PurchaseOrdersTable } from '../src/store/schema.js';
import { rankingOrderBy, type SqlFragment } from './receiving-ranking-sql.js';

export interface CrossDockRow {
  readonly orderId: string;
  readonly externalId: string;
  readonly channel: string;
  readonly partId: string;
  readonly sku: string;
  readonly qty: number;
}

export interface RawReceiving {
  /** Receives `good` units of the purchase order's only line; returns the cross-dock list. */
  receive(poId: string, good: number): Promise<CrossDockRow[]>;
  close(): Promise<void>;
}

type Params = unknown[];

/** Time-ordered ids for rows made in SQL: `prefix_` + this millisecond (as newId) + a 16-digit sequence. */
const idHead = (prefix: string) => newId(prefix).slice(0, prefix.length + 11);
const seqId = (dialect: Dialect) =>
  dialect === 'postgres' ? `cast(? as text) || lpad(c.seq::text, 16, '0')` : `cast(? as text) || substr('0000000000000000' || c.seq, -16)`;

interface Context {
  readonly orgId: string;
  readonly productId: string;
  readonly sku: string;
  readonly locationId: string;
  readonly good: number;
  readonly at: string;
  readonly receiptId: string;
}

/** The waiting lines of the product that the location may serve, ranked, with the units each takes. */
function chosenLines(ctx: Context, ranking: SqlFragment, dialect: Dialect): SqlFragment {
  const least = dialect === 'postgres' ? 'least' : 'min';
  const text =
    `select r.seq, r.line_id, r.part_id, r.order_id, r.line_no, r.qty, ${least}(r.qty, ? - (r.cum - r.qty)) as take,` +
    ` (select sum(x.qty) from part_lines x where x.order_id = r.order_id and x.part_id = r.part_id and x.location_id is null) as part_waiting` +
    ` from (select pl.id as line_id, pl.part_id, pl.order_id, pl.line_no, pl.qty,` +
    ` row_number() over w as seq, sum(pl.qty) over w as cum` +
    ` from part_lines pl join order_parts p on p.id = pl.part_id join orders o on o.id = p.order_id` +
    ` join channels c on c.id = o.channel_id join channel_locations cl on cl.channel_id = o.channel_id and cl.location_id = ?` +
    ` join customers cu on cu.id = o.customer_id join order_lines ol on ol.order_id = pl.order_id and ol.line_no = pl.line_no` +
    ` join products pr on pr.id = pl.product_id` +
    ` where pl.org_id = ? and pl.product_id = ? and pl.location_id is null and p.status = 'backorder'` +
    ` window w as (order by ${ranking.text} rows between unbounded preceding and current row)) r` +
    ` where r.cum - r.qty < ?`;
  return { text, params: [ctx.good, ctx.locationId, ctx.orgId, ctx.productId, ...ranking.params, ctx.good] };
}

/** order.part_allocated as the service writes it (JSON.stringify's compact form, same key order). */
const PART_EVENT_PAYLOAD = [
  `'{"orderId":"' || c.order_id`,
  `'","backorderPartId":"' || c.part_id`,
  `'","openPartId":"' || c.part_id`,
  `'","split":false,"complete":true,"units":[{"productId":"' || cast(? as text)`,
  `'","locationId":"' || cast(? as text)`,
  `'","qty":' || cast(c.take as text) || '}]}'`,
].join(' || ');

/** Inserts fed by the ranked set `c` (a temp table on SQLite, a CTE on PostgreSQL). */
function writesFromChosen(ctx: Context, dialect: Dialect, from: string) {
  const pln = idHead('pln');
  const mov = idHead('mov');
  const evt = idHead('evt');
  return {
    openParts: { text: `update order_parts set status = 'open', updated_at = ? where id in (select part_id from ${from})`, params: [ctx.at] },
    newLines: {
      text:
        `insert into part_lines (id, org_id, part_id, order_id, line_no, product_id, location_id, qty, oversold)` +
        ` select ${seqId(dialect)}, ?, c.part_id, c.order_id, c.line_no, ?, ?, c.take, 0 from ${from} c order by c.seq`,
      params: [pln, ctx.orgId, ctx.productId, ctx.locationId],
    },
    movements: {
      text:
        `insert into stock_movements (id, org_id, product_id, location_id, kind, on_hand_delta, reserved_delta, order_id, part_id, reason, created_at)` +
        ` select ${seqId(dialect)}, ?, ?, ?, 'allocation', 0, c.take, c.order_id, c.part_id, null, ? from ${from} c order by c.seq`,
      params: [mov, ctx.orgId, ctx.productId, ctx.locationId, ctx.at],
    },
    touchOrders: { text: `update orders set updated_at = ? where id in (select order_id from ${from})`, params: [ctx.at] },
    allocations: {
      text:
        `insert into receipt_allocations (org_id, receipt_id, seq, order_id, part_id, product_id, location_id, qty)` +
        ` select ?, ?, c.seq, c.order_id, c.part_id, ?, ?, c.take from ${from} c`,
      params: [ctx.orgId, ctx.receiptId, ctx.productId, ctx.locationId],
    },
    events: {
      text:
        `insert into events (id, org_id, type, subject_type, subject_id, payload, created_at)` +
        ` select ${seqId(dialect)}, ?, 'order.part_allocated', 'order', c.order_id, ${PART_EVENT_PAYLOAD}, ? from ${from} c order by c.seq`,
      params: [evt, ctx.orgId, ctx.productId, ctx.locationId, ctx.at],
    },
    crossDock: {
      text:
        `select c.seq, c.order_id, o.external_id, ch.code as channel, c.part_id, c.take, c.part_waiting from ${from} c` +
        ` join orders o on o.id = c.order_id join channels ch on ch.id = o.channel_id order by c.seq`,
      params: [],
    },
  };
}

interface PoRows {
  po: PurchaseOrdersTable;
  line: PurchaseOrderLinesTable & { sku: string };
}

/** The purchase order's bookkeeping, as receivePurchaseOrder computes it. */
function receiptRows(rows: PoRows, good: number, at: string) {
  const { po, line } = rows;
  const after = { ...line, qty_received: line.qty_received + good };
  const status = purchaseOrderTransition(po.status, receiptEvent([after]));
  const first = po.first_received_at === null;
  return {
    status,
    lineUpdate: [after.qty_received, after.qty_damaged, po.id, line.line_no],
    poUpdate: [status, at, first ? at : po.first_received_at, first ? delayDays(po.expected_date, at) : po.delay_days, po.id],
  };
}

const SQL = {
  po: 'select * from purchase_orders where org_id = ? and id = ?',
  poLines: 'select pl.*, p.sku from purchase_order_lines pl join products p on p.id = pl.product_id where pl.po_id = ? order by pl.line_no',
  updateLine: 'update purchase_order_lines set qty_received = ?, qty_damaged = ? where po_id = ? and line_no = ?',
  updatePo: 'update purchase_orders set status = ?, updated_at = ?, first_received_at = ?, delay_days = ? where id = ?',
  receipt: 'insert into receipts (id, org_id, po_id, received_at, created_at) values (?, ?, ?, ?, ?)',
  receiptLine: 'insert into receipt_lines (org_id, receipt_id, line_no, product_id, good, damaged) values (?, ?, ?, ?, ?, 0)',
  onHand:
    'insert into stock_levels (org_id, product_id, location_id, on_hand, reserved, updated_at) values (?, ?, ?, ?, 0, ?)' +
    ' on conflict (product_id, location_id) do update set on_hand = stock_levels.on_hand + excluded.on_hand, updated_at = excluded.updated_at',
  receiptMovement:
    'insert into stock_movements (id, org_id, product_id, location_id, kind, on_hand_delta, reserved_delta, order_id, part_id, reason, created_at)' +
    " values (?, ?, ?, ?, 'receipt', ?, 0, null, null, ?, ?)",
  reserve: 'update stock_levels set reserved = reserved + ?, updated_at = ? where product_id = ? and location_id = ? and on_hand - reserved >= ?',
  policy: 'select allocation_policy, tier_order from organisations where id = ?',
  place: 'select country, latitude, longitude from locations where id = ?',
  event: 'insert into events (id, org_id, type, subject_type, subject_id, payload, created_at) values (?, ?, ?, ?, ?, ?, ?)',
  recountPromised:
    'update purchase_order_lines set qty_promised = (select coalesce(sum(p.qty), 0) from promises p where p.po_id = purchase_order_lines.po_id' +
    ' and p.po_line_no = purchase_order_lines.line_no), revision = revision + 1 where product_id = ?',
};

function receivedEvent(ctx: Context, po: PurchaseOrdersTable, status: string, units: number): Params {
  const payload = { purchaseOrderId: po.id, number: po.number, receiptId: ctx.receiptId, status, lines: [{ sku: ctx.sku, good: ctx.good, damaged: 0 }], crossDockUnits: units };
  return [newId('evt'), ctx.orgId, 'purchase_order.received', 'purchase_order', po.id, JSON.stringify(payload), ctx.at];
}

interface CrossDockDbRow {
  order_id: string;
  external_id: string;
  channel: string;
  part_id: string;
  take: number | string;
  part_waiting: number | string;
}

/** Throws unless every chosen line is its part's only waiting line and is covered whole. */
function toCrossDock(rows: readonly CrossDockDbRow[], sku: string): CrossDockRow[] {
  const parts = new Set<string>();
  return rows.map((r) => {
    if (parts.has(r.part_id) || Number(r.part_waiting) !== Number(r.take)) throw new Error(`raw floor: part ${r.part_id} would split; this floor covers whole single-line parts only`);
    parts.add(r.part_id);
    return { orderId: r.order_id, externalId: r.external_id, channel: r.channel, partId: r.part_id, sku, qty: Number(r.take) };
  });
}

export function openSqliteRawReceiving(path: string, orgId: string): RawReceiving {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  // The ranked set lives in a temp table (the service keeps it in memory); made once per connection.
  db.exec(
    'create temp table rcv_chosen (seq integer primary key, line_id text not null, part_id text not null, order_id text not null,' +
      ' line_no integer not null, qty integer not null, take integer not null, part_waiting integer not null)',
  );
  const cache = new Map<string, BetterSqlite3.Statement>();
  const st = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const exec = (f: SqlFragment) => st(f.text).run(...f.params);
  return {
    async receive(poId, good) {
      const at = new Date().toISOString();
      st('begin immediate').run();
      try {
        const po = st(SQL.po).get(orgId, poId) as PurchaseOrdersTable;
        const [line] = st(SQL.poLines).all(po.id) as PoRows['line'][];
        const ctx: Context = { orgId, productId: line!.product_id, sku: line!.sku, locationId: po.location_id, good, at, receiptId: newId('rcp') };
        const r = receiptRows({ po, line: line! }, good, at);
        st(SQL.updateLine).run(r.lineUpdate);
        st(SQL.updatePo).run(r.poUpdate);
        st(SQL.receipt).run(ctx.receiptId, orgId, po.id, at, at);
        st(SQL.receiptLine).run(orgId, ctx.receiptId, line!.line_no, ctx.productId, good);
        st(SQL.onHand).run(orgId, ctx.productId, ctx.locationId, good, at);
        st(SQL.receiptMovement).run(newId('mov'), orgId, ctx.productId, ctx.locationId, good, `purchase order ${po.number}`, at);

        const policy = st(SQL.policy).get(orgId) as { allocation_policy: string; tier_order: string };
        const place = st(SQL.place).get(ctx.locationId) as { country: string; latitude: number | null; longitude: number | null };
        const ranking = rankingOrderBy(JSON.parse(policy.allocation_policy) as AllocationRule[], JSON.parse(policy.tier_order) as string[], place, 'sqlite');
        const chosen = chosenLines(ctx, ranking, 'sqlite');
        st('delete from temp.rcv_chosen').run();
        st(`insert into temp.rcv_chosen (seq, line_id, part_id, order_id, line_no, qty, take, part_waiting) ${chosen.text}`).run(...chosen.params);
        const w = writesFromChosen(ctx, 'sqlite', 'temp.rcv_chosen');
        const crossDock = toCrossDock(st(w.crossDock.text).all() as CrossDockDbRow[], ctx.sku);
        const units = crossDock.reduce((a, c) => a + c.qty, 0);
        exec(w.openParts);
        // part_lines is keyed by (order_id, id): a row-value IN keeps the delete on the key.
        st('delete from part_lines where (order_id, id) in (select order_id, line_id from temp.rcv_chosen)').run();
        // The lines covered lose their promises (R3); the purchase-order lines count what stays promised.
        st('delete from promises where product_id = ? and part_line_id in (select line_id from temp.rcv_chosen)').run(ctx.productId);
        st(SQL.recountPromised).run(ctx.productId);
        exec(w.newLines);
        if (units > 0 && st(SQL.reserve).run(units, at, ctx.productId, ctx.locationId, units).changes !== 1) throw new Error('raw floor: reservation missed');
        exec(w.movements);
        exec(w.touchOrders);
        exec(w.allocations);
        st(SQL.event).run(receivedEvent(ctx, po, r.status, units));
        exec(w.events);
        st('commit').run();
        return crossDock;
      } catch (err) {
        if (db.inTransaction) st('rollback').run();
        throw err;
      }
    },
    close: async () => void db.close(),
  };
}

const toPg = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export async function openPgRawReceiving(url: string, orgId: string): Promise<RawReceiving> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = async <R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: Params = []) => (await client.query<R>(toPg(sql), params)).rows;
  return {
    async receive(poId, good) {
      const at = new Date().toISOString();
      await q('begin');
      try {
        const [po] = await q<PurchaseOrdersTable>(`${SQL.po} for update`, [orgId, poId]);
        const [line] = await q<PoRows['line']>(SQL.poLines, [po!.id]);
        const ctx: Context = { orgId, productId: line!.product_id, sku: line!.sku, locationId: po!.location_id, good, at, receiptId: newId('rcp') };
        const r = receiptRows({ po: po!, line: line! }, good, at);
        await q(SQL.updateLine, r.lineUpdate);
        await q(SQL.updatePo, r.poUpdate);
        await q(SQL.receipt, [ctx.receiptId, orgId, po!.id, at, at]);
        await q(SQL.receiptLine, [orgId, ctx.receiptId, line!.line_no, ctx.productId, good]);
        // Serialise fills of this product, then its level (the service's lock order).
        await q('select id from products where id = ? for update', [ctx.productId]);
        await q('select on_hand, reserved from stock_levels where product_id = ? and location_id = ? for update', [ctx.productId, ctx.locationId]);
        await q(SQL.onHand, [orgId, ctx.productId, ctx.locationId, good, at]);
        await q(SQL.receiptMovement, [newId('mov'), orgId, ctx.productId, ctx.locationId, good, `purchase order ${po!.number}`, at]);

        const [policy] = await q<{ allocation_policy: string; tier_order: string }>(SQL.policy, [orgId]);
        const [place] = await q<{ country: string; latitude: number | null; longitude: number | null }>(SQL.place, [ctx.locationId]);
        const ranking = rankingOrderBy(JSON.parse(policy!.allocation_policy) as AllocationRule[], JSON.parse(policy!.tier_order) as string[], place!, 'postgres');
        const chosen = chosenLines(ctx, ranking, 'postgres');
        const w = writesFromChosen(ctx, 'postgres', 'chosen');
        const ctes: [string, SqlFragment][] = [
          ['op', w.openParts],
          ['dl', { text: 'delete from part_lines x using chosen c where x.order_id = c.order_id and x.id = c.line_id', params: [] }],
          ['dp', { text: 'delete from promises x using chosen c where x.product_id = ? and x.part_line_id = c.line_id', params: [ctx.productId] }],
          ['il', w.newLines],
          [
            'rs',
            {
              text:
                'update stock_levels s set reserved = s.reserved + t.units, updated_at = ? from (select sum(take) as units from chosen) t' +
                ' where s.product_id = ? and s.location_id = ? and s.on_hand - s.reserved >= t.units',
              params: [at, ctx.productId, ctx.locationId],
            },
          ],
          ['mv', w.movements],
          ['od', w.touchOrders],
          ['ra', w.allocations],
          ['ev', w.events],
        ];
        const text =
          `with chosen as materialized (${chosen.text}), ` +
          ctes.map(([name, f]) => `${name} as (${f.text} returning 1)`).join(', ') +
          ` select x.*, (select count(*) from rs)::integer as reserved_rows from (${w.crossDock.text}) x order by x.seq`;
        const rows = await q<CrossDockDbRow & { reserved_rows: number }>(text, [...chosen.params, ...ctes.flatMap(([, f]) => f.params), ...w.crossDock.params]);
        const crossDock = toCrossDock(rows, ctx.sku);
        const units = crossDock.reduce((a, c) => a + c.qty, 0);
        if (units > 0 && rows[0]!.reserved_rows !== 1) throw new Error('raw floor: reservation missed');
        await q(SQL.recountPromised, [ctx.productId]);
        await q(SQL.event, receivedEvent(ctx, po!, r.status, units));
        await q('commit');
        return crossDock;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      }
    },
    close: () => client.end(),
  };
}
