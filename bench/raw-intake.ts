/**
 * The raw-driver floor: the transaction placeOrder runs, written by hand on better-sqlite3
 * (prepared statements, BEGIN IMMEDIATE … COMMIT) and on pg (named prepared statements, one
 * client per transaction). Same statements in the same order, same rows, same id and hash work,
 * same pure split (src/domain); on PostgreSQL the same merged statements as the service (customer
 * + order in one, every write after the lock in one: the SQL text comes from the repository).
 * Only the service layers (Kysely, the store's transact wrapper, view building) are left out.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { backorderAllowed, type BackorderPolicy } from '../src/domain/backorder-permission.js';
import { splitOrder } from '../src/domain/split-order.js';
import { newId } from '../src/ids.js';
import type { OrderInput } from '../src/services/order-intake.service.js';
import { toCents } from '../src/services/money.js';
import { requestHash } from '../src/services/request-hash.js';
import { CUSTOMER_ID, pgOrderWrites, UPSERT_CUSTOMER, UPSERT_CUSTOMER_INSERT_ORDER_PG } from '../src/store/order-intake.repository.js';

type Row = unknown[];
type Params = unknown[];

const COLS = {
  order_lines: ['org_id', 'order_id', 'line_no', 'product_id', 'qty', 'unit_price_cents'],
  order_parts: ['id', 'org_id', 'order_id', 'status', 'placed_at', 'promised_date', 'created_at', 'updated_at'],
  part_lines: ['id', 'org_id', 'part_id', 'order_id', 'line_no', 'product_id', 'location_id', 'qty', 'oversold', 'promised_date'],
  stock_movements: ['id', 'org_id', 'product_id', 'location_id', 'kind', 'on_hand_delta', 'reserved_delta', 'order_id', 'part_id', 'reason', 'created_at'],
  events: ['id', 'org_id', 'type', 'subject_type', 'subject_id', 'payload', 'created_at'],
} as const;
type Table = keyof typeof COLS;

const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const insertText = new Map<string, string>();
/** Multi-row insert text for `rows` rows, built once per (table, rows). */
const insertSql = (table: Table, rows: number) => {
  const key = `${table}/${rows}`;
  let t = insertText.get(key);
  if (t === undefined) {
    t = `insert into ${table} (${COLS[table].join(', ')}) values ${Array.from({ length: rows }, () => `(${list(COLS[table].length)})`).join(', ')}`;
    insertText.set(key, t);
  }
  return t;
};

/** The statements of src/store/order-intake.repository.ts, stock.repository.ts and alerts.repository.ts. */
const SQL = {
  context:
    'select o.backorders_enabled, c.id as channel_id, c.accepts_backorders, cl.location_id, l.code as location_code from organisations o ' +
    'left join channels c on c.org_id = o.id and c.code = ? left join channel_locations cl on cl.channel_id = c.id ' +
    'left join locations l on l.id = cl.location_id where o.id = ? order by cl.position',
  products: (n: number) => `select id, sku, backorder_policy from products where org_id = ? and sku in (${list(n)})`,
  customer:
    'insert into customers (id, org_id, external_id, created_at, email, locale, tier, country, postcode, latitude, longitude, updated_at) ' +
    'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (org_id, external_id) do update set email = excluded.email, locale = excluded.locale, ' +
    'tier = excluded.tier, country = excluded.country, postcode = excluded.postcode, latitude = excluded.latitude, longitude = excluded.longitude, ' +
    'updated_at = excluded.updated_at returning id',
  order:
    'insert into orders (id, org_id, channel_id, external_id, placed_at, customer_id, shipping_preference, priority, request_hash, created_at, updated_at) ' +
    'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (org_id, channel_id, external_id) do nothing returning id',
  levels: (p: number, l: number, forUpdate: boolean) =>
    `select product_id, location_id, on_hand, reserved from stock_levels where product_id in (${list(p)}) ` +
    `and location_id in (${list(l)}) order by product_id, location_id${forUpdate ? ' for update' : ''}`,
  reserve: 'update stock_levels set reserved = reserved + ?, updated_at = ? where product_id = ? and location_id = ? and on_hand - reserved >= ?',
  alert:
    'insert into "alerts" ("id", "org_id", "type", "severity", "subject_type", "subject_id", "dedupe_key", "message", "status", "occurrences", "first_seen", "last_seen") ' +
    'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict ("org_id", "dedupe_key") where status <> \'resolved\' ' +
    'do update set "occurrences" = alerts.occurrences + 1, "last_seen" = ?, "message" = ?',
};

interface ContextRow {
  location_code: string | null;
  backorders_enabled: number;
  channel_id: string | null;
  accepts_backorders: number | null;
  location_id: string | null;
}
interface ProductRow {
  id: string;
  sku: string;
  backorder_policy: string;
}
interface LevelRow {
  product_id: string;
  location_id: string;
  on_hand: number;
  reserved: number;
}

interface Prepared {
  readonly at: string;
  readonly orderId: string;
  readonly unitCents: number[];
  readonly customer: Params;
  readonly order: (channelId: string, customerId: string) => Params;
  readonly skus: string[];
}

/** Everything computed before the first statement, as placeOrder does (hash, ids, timestamps). */
function prepare(orgId: string, input: OrderInput): Prepared {
  const hash = requestHash(input);
  const at = new Date().toISOString();
  const placedAt = input.placedAt ? new Date(input.placedAt).toISOString() : at;
  const c = input.customer;
  const orderId = newId('ord');
  return {
    at,
    orderId,
    unitCents: input.lines.map((l, i) => toCents(l.unitPrice, `lines[${i}].unitPrice`)),
    customer: [newId('cus'), orgId, c.id, at, c.email, c.locale, c.tier ?? 'standard', c.country.toUpperCase(), c.postcode ?? null, c.latitude ?? null, c.longitude ?? null, at],
    order: (channelId, customerId) => [orderId, orgId, channelId, input.externalId, placedAt, customerId, input.shippingPreference ?? 'partial', input.priority ?? 0, hash, at, at],
    skus: [...new Set(input.lines.map((l) => l.sku))],
  };
}

interface Context {
  channelId: string;
  locationIds: string[];
  codeOf: Map<string, string>;
  backordersEnabled: boolean;
  acceptsBackorders: boolean;
}

function toContext(rows: ContextRow[], channel: string): Context {
  const first = rows[0];
  if (!first || first.channel_id === null) throw new Error(`unknown channel ${channel}`);
  const located = rows.filter((r) => r.location_id !== null);
  return {
    channelId: first.channel_id,
    locationIds: located.map((r) => r.location_id!),
    codeOf: new Map(located.map((r) => [r.location_id!, r.location_code!])),
    backordersEnabled: first.backorders_enabled === 1,
    acceptsBackorders: first.accepts_backorders === 1,
  };
}

interface Writes {
  orderLines: Row[];
  parts: Row[];
  partLines: Row[];
  reserve: Params[];
  movements: Row[];
  alerts: Params[];
  events: Row[];
}

/** The split and every row it writes, exactly as placeOrder builds them. */
function planWrites(orgId: string, input: OrderInput, p: Prepared, ctx: Context, products: ProductRow[], levels: LevelRow[]): Writes {
  const { at, orderId } = p;
  const bySku = new Map(products.map((x) => [x.sku, x]));
  if (bySku.size !== p.skus.length) throw new Error('unknown SKU');
  const rank = new Map(ctx.locationIds.map((id, i) => [id, i]));
  const allowed = (x: ProductRow) =>
    backorderAllowed({ organisationEnabled: ctx.backordersEnabled, productPolicy: x.backorder_policy as BackorderPolicy, channelAccepts: ctx.acceptsBackorders });
  const plan = splitOrder(
    input.lines.map((l, i) => ({ lineNo: i + 1, productId: bySku.get(l.sku)!.id, qty: l.qty, backorderAllowed: allowed(bySku.get(l.sku)!) })),
    levels.map((l) => ({ productId: l.product_id, locationId: l.location_id, rank: rank.get(l.location_id)!, available: l.on_hand - l.reserved })),
    input.shippingPreference ?? 'partial',
  );
  const placedAt = input.placedAt ? new Date(input.placedAt).toISOString() : at;
  const parts = plan.parts.map((x) => ({ id: newId('prt'), ...x }));
  const partOf = new Map<string, string>();
  for (const x of parts) for (const l of x.lines) if (l.locationId) partOf.set(`${l.productId}|${l.locationId}`, x.id);
  const skuOf = new Map(products.map((x) => [x.id, x.sku]));
  const partViews = parts.map((x) => ({
    id: x.id,
    status: x.status,
    lines: x.lines.map((l) => ({ lineNo: l.lineNo, sku: skuOf.get(l.productId)!, qty: l.qty, location: l.locationId ? ctx.codeOf.get(l.locationId)! : null, oversold: l.locationId === null })),
  }));
  const events: Row[] = [
    [newId('evt'), orgId, 'order.created', 'order', orderId, JSON.stringify({ orderId, channel: input.channel, externalId: input.externalId, parts: partViews }), at],
  ];
  const backorderPart = partViews.find((x) => x.status === 'backorder');
  if (backorderPart) {
    const waiting = backorderPart.lines.filter((l) => l.location === null);
    events.push([newId('evt'), orgId, 'order.backordered', 'order', orderId, JSON.stringify({ orderId, partId: backorderPart.id, lines: waiting }), at]);
  }
  const alerts: Params[] = [];
  for (const sku of new Set(partViews.flatMap((x) => x.lines.filter((l) => l.oversold).map((l) => l.sku)))) {
    const message = `Units of ${sku} were ordered with no stock or incoming purchase order to cover them.`;
    alerts.push([newId('alr'), orgId, 'oversold', 'warning', 'product', sku, `oversold:product:${sku}`, message, 'open', 1, at, at, at, message]);
  }
  return {
    orderLines: input.lines.map((l, i) => [orgId, orderId, i + 1, bySku.get(l.sku)!.id, l.qty, p.unitCents[i]!]),
    parts: parts.map((x) => [x.id, orgId, orderId, x.status, placedAt, null, at, at]),
    partLines: parts.flatMap((x) =>
      x.lines.map((l) => [newId('pln'), orgId, x.id, orderId, l.lineNo, l.productId, l.locationId, l.qty, l.locationId === null ? 1 : 0, null]),
    ),
    reserve: plan.reservations.map((r) => [r.qty, at, r.productId, r.locationId, r.qty]),
    movements: plan.reservations.map((r) => [
      newId('mov'), orgId, r.productId, r.locationId, 'allocation', 0, r.qty, orderId, partOf.get(`${r.productId}|${r.locationId}`) ?? null, null, at,
    ]),
    alerts,
    events,
  };
}

export interface RawIntake {
  place(input: OrderInput): Promise<void> | void;
  close(): Promise<void>;
}

/** better-sqlite3 with the store's pragmas; every statement prepared once and kept. */
export function openSqliteRaw(path: string, synchronous: 'NORMAL' | 'FULL', orgId: string): RawIntake {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  const cache = new Map<string, BetterSqlite3.Statement>();
  const st = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const inserts = (table: Table, rows: Row[]) => {
    if (rows.length) st(insertSql(table, rows.length)).run(rows.flat());
  };
  return {
    place(input) {
      const p = prepare(orgId, input);
      st('begin immediate').run();
      try {
        const ctx = toContext(st(SQL.context).all(input.channel, orgId) as ContextRow[], input.channel);
        const products = st(SQL.products(p.skus.length)).all(orgId, ...p.skus) as ProductRow[];
        if (products.length !== p.skus.length) throw new Error('unknown SKU');
        const customer = (st(UPSERT_CUSTOMER).get(p.customer) ?? st(CUSTOMER_ID).get(orgId, p.customer[2])) as { id: string };
        const inserted = st(SQL.order).get(p.order(ctx.channelId, customer.id));
        if (!inserted) throw new Error(`duplicate order ${input.externalId}`);
        const productIds = products.map((x) => x.id).sort();
        const levels = st(SQL.levels(productIds.length, ctx.locationIds.length, false)).all(...productIds, ...ctx.locationIds) as LevelRow[];
        const w = planWrites(orgId, input, p, ctx, products, levels);
        inserts('order_lines', w.orderLines);
        inserts('order_parts', w.parts);
        inserts('part_lines', w.partLines);
        for (const r of w.reserve) if (st(SQL.reserve).run(r).changes !== 1) throw new Error('reservation missed');
        inserts('stock_movements', w.movements);
        inserts('events', w.events);
        for (const a of w.alerts) st(SQL.alert).run(a);
        st('commit').run();
      } catch (err) {
        if (db.inTransaction) st('rollback').run();
        throw err;
      }
    },
    close: async () => void db.close(),
  };
}

/** `?` → `$n` for pg, cached per statement text, with a prepared-statement name per text. */
const pgText = new Map<string, string>();
const pgNames = new Map<string, string>();
function pgName(sql: string): string {
  let name = pgNames.get(sql);
  if (name === undefined) pgNames.set(sql, (name = `raw_${pgNames.size}`));
  return name;
}
function pgSql(sql: string): string {
  let t = pgText.get(sql);
  if (t === undefined) {
    let n = 0;
    pgText.set(sql, (t = sql.replace(/\?/g, () => `$${++n}`)));
  }
  return t;
}

/** pg with a pool of `poolSize` clients; named prepared statements, the service's round trips. */
export function openPgRaw(url: string, poolSize: number, orgId: string): RawIntake {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {});
  return {
    async place(input) {
      const p = prepare(orgId, input);
      const client = await pool.connect();
      const q = async <R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: Params = []) =>
        params.length === 0 ? client.query<R>(sql) : client.query<R>({ name: pgName(sql), text: pgSql(sql), values: params });
      try {
        await q('begin');
        const ctx = toContext((await q<ContextRow & pg.QueryResultRow>(SQL.context, [input.channel, orgId])).rows, input.channel);
        const products = (await q<ProductRow & pg.QueryResultRow>(SQL.products(p.skus.length), [orgId, ...p.skus])).rows;
        if (products.length !== p.skus.length) throw new Error('unknown SKU');
        const order = p.order(ctx.channelId, '').filter((_, i) => i !== 5); // customer id comes from the CTE
        if ((await q(UPSERT_CUSTOMER_INSERT_ORDER_PG, [...p.customer, ...order])).rowCount !== 1) throw new Error(`duplicate order ${input.externalId}`);
        const productIds = products.map((x) => x.id).sort();
        const levels = (await q<LevelRow & pg.QueryResultRow>(SQL.levels(productIds.length, ctx.locationIds.length, true), [...productIds, ...ctx.locationIds])).rows;
        const w = planWrites(orgId, input, p, ctx, products, levels);
        const writes = pgOrderWrites({
          lines: [w.orderLines.length, w.orderLines.flat()],
          parts: [w.parts.length, w.parts.flat()],
          partLines: [w.partLines.length, w.partLines.flat()],
          movements: w.movements.flat(),
          events: w.events.flat(),
          reservations: w.reserve.map((r) => [r[2] as string, r[3] as string, r[0] as number] as const),
          at: p.at,
        });
        const reserved = (await q<{ reserved: string }>(writes.text, writes.params)).rows[0]!.reserved;
        if (Number(reserved) !== w.reserve.length) throw new Error('reservation missed');
        for (const a of w.alerts) await q(SQL.alert, a);
        await q('commit');
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
