/**
 * The raw floor of the offered-stock benchmark, on better-sqlite3 alone: the same reads as
 * computeOffersFor + refreshOffers (the same SQL, no Kysely, no service layers), the same pure
 * computeOffers per SKU, the same change test, and the same writes (the changed offered_stock
 * rows under one change stamp, one offered_stock.changed event per changed value).
 *
 * - full: every read once for the whole catalogue (set-based, no batches), all in one transaction;
 * - one SKU: the same statements as the service, prepared once, bound to one product.
 */
import BetterSqlite3 from 'better-sqlite3';
import { computeOffers, type Offer, type OfferChannel, type OfferOrganisation, type OfferProduct } from '../src/domain/offered-stock.js';
import { reliability, type SupplierGrade } from '../src/domain/supplier-reliability.js';
import { addDays } from '../src/domain/promise-plan.js';
import { newId } from '../src/ids.js';
import { effectiveArrivalOf, lineKey } from '../src/services/capacity-context.js';
import { channelWindow, SALES_DAYS, toSeason } from '../src/store/offer-inputs.repository.js';
import type { IncomingRow } from '../src/store/promises.repository.js';
import type { ChannelsTable, Database } from '../src/store/schema.js';
import { groupBy } from '../src/collections.js';
import { nowMs } from './stats.js';

const INCOMING = `select pl.po_id, po.number, pl.line_no, pl.product_id, po.location_id, po.arrival_date,
 pl.qty_ordered, pl.qty_received, pl.qty_damaged, pl.qty_cancelled, pl.qty_promised, pl.revision,
 l.country, l.latitude, l.longitude, l.handling_days, l.code as location_code,
 po.supplier_id, s.name as supplier_name, po.expected_date
 from purchase_order_lines pl
 join purchase_orders po on po.id = pl.po_id
 join locations l on l.id = po.location_id
 join suppliers s on s.id = po.supplier_id
 where pl.org_id = ? and po.status in ('open', 'partially_received')`;

interface StoredRow {
  channel_id: string;
  product_id: string;
  offered: number;
  physical: number;
  incoming: number;
}
interface AvailableRow {
  product_id: string;
  location_id: string;
  code: string;
  available: number;
}
interface PromisedRow {
  po_id: string;
  po_line_no: number;
  channel_id: string;
  qty: number;
}
type ProductRow = Pick<Database['products'], 'id' | 'sku' | 'backorder_policy' | 'safety_buffer' | 'acceptance_ratio'>;

export interface RawResult {
  readonly ms: number;
  readonly skus: number;
  readonly rowsWritten: number;
  readonly events: number;
}

/** The organisation-wide inputs every SKU's offers share. */
function readShared(db: BetterSqlite3.Database, orgId: string): { organisation: OfferOrganisation; channels: OfferChannel[] } {
  const o = db
    .prepare('select backorders_enabled, acceptance_ratio, default_safety_buffer, preorder_days, erratic_ratio_factor, capped_sales_days from organisations where id = ?')
    .get(orgId) as Database['organisations'];
  const seasons = db.prepare('select * from seasons where org_id = ? order by starts_on').all(orgId) as Database['seasons'][];
  const channels = db.prepare('select * from channels where org_id = ? order by code').all(orgId) as ChannelsTable[];
  const links = db.prepare('select channel_id, location_id from channel_locations where org_id = ? order by channel_id, position').all(orgId) as { channel_id: string; location_id: string }[];
  return {
    organisation: {
      backordersEnabled: o.backorders_enabled === 1,
      acceptanceRatio: Number(o.acceptance_ratio),
      defaultSafetyBuffer: o.default_safety_buffer,
      preorderDays: o.preorder_days,
      erraticRatioFactor: Number(o.erratic_ratio_factor),
      cappedSalesDays: o.capped_sales_days === null ? null : Number(o.capped_sales_days),
      seasons: seasons.map(toSeason),
    },
    channels: channels.map((c) => ({
      id: c.id,
      code: c.code,
      acceptsBackorders: c.accepts_backorders === 1,
      share: c.share === null ? null : Number(c.share),
      safetyBuffer: c.safety_buffer,
      window: channelWindow(c),
      locationIds: links.filter((l) => l.channel_id === c.id).map((l) => l.location_id),
    })),
  };
}

interface Inputs {
  readonly organisation: OfferOrganisation;
  readonly channels: readonly OfferChannel[];
  readonly products: readonly ProductRow[];
  readonly incoming: readonly IncomingRow[];
  readonly grades: ReadonlyMap<string, SupplierGrade>;
  readonly available: readonly AvailableRow[];
  readonly promised: readonly PromisedRow[];
  readonly dailyUnits: ReadonlyMap<string, number>;
  readonly stored: readonly StoredRow[];
}

interface Diff {
  readonly rows: StoredRow[];
  readonly events: { subjectId: string; payload: Record<string, unknown> }[];
}

/** computeOffersFor's mapping and refreshOffers' change test, on rows already read. */
function offersAndChanges(x: Inputs, today: string): Diff {
  const available = groupBy(x.available, (r) => r.product_id);
  const lines = groupBy(x.incoming, (r) => r.product_id);
  const promised = new Map<string, Map<string, number>>();
  for (const p of x.promised) {
    const key = lineKey(p.po_id, p.po_line_no);
    const m = promised.get(key) ?? new Map<string, number>();
    m.set(p.channel_id, Number(p.qty));
    promised.set(key, m);
  }
  const stored = new Map(x.stored.map((r) => [`${r.channel_id}|${r.product_id}`, r]));
  const diff: Diff = { rows: [], events: [] };
  for (const p of [...x.products].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const product: OfferProduct = { id: p.id, sku: p.sku, policy: p.backorder_policy, safetyBuffer: p.safety_buffer, acceptanceRatio: p.acceptance_ratio === null ? null : Number(p.acceptance_ratio) };
    const offers: Offer[] = computeOffers({
      today,
      organisation: x.organisation,
      product,
      channels: x.channels,
      stock: (available.get(p.id) ?? []).map((s) => ({ locationId: s.location_id, locationCode: s.code, available: Number(s.available) })),
      lines: (lines.get(p.id) ?? []).map((r) => {
        const byChannel = promised.get(lineKey(r.po_id, r.line_no)) ?? new Map<string, number>();
        return {
          poId: r.po_id,
          number: r.number,
          lineNo: r.line_no,
          locationId: r.location_id,
          locationCode: r.location_code,
          supplier: r.supplier_name,
          grade: x.grades.get(r.supplier_id) ?? 'new',
          expectedDate: r.expected_date,
          arrivalDate: effectiveArrivalOf(r, today),
          deliveryDate: addDays(effectiveArrivalOf(r, today), r.handling_days),
          incoming: Math.max(0, r.qty_ordered - r.qty_received - r.qty_damaged - r.qty_cancelled),
          promisedTotal: [...byChannel.values()].reduce((a, v) => a + v, 0),
          promisedByChannel: byChannel,
        };
      }),
      dailySales: x.dailyUnits.get(p.id) ?? 0,
    });
    for (const o of offers) {
      const before = stored.get(`${o.channelId}|${p.id}`);
      if (before && before.offered === o.offered && before.physical === o.physical && before.incoming === o.incoming) continue;
      diff.rows.push({ channel_id: o.channelId, product_id: p.id, offered: o.offered, physical: o.physical, incoming: o.incoming });
      if (!before && o.offered === 0) continue;
      if (before && before.offered === o.offered) continue;
      diff.events.push({
        subjectId: p.sku,
        payload: { channel: o.breakdown.channel, sku: p.sku, previous: before?.offered ?? null, offered: o.offered, physical: o.physical, incoming: o.incoming },
      });
    }
  }
  return diff;
}

function gradesOf(rows: readonly { supplier_id: string; delay_days: number }[], supplierIds: Iterable<string>): Map<string, SupplierGrade> {
  const delays = new Map<string, number[]>([...supplierIds].map((id) => [id, []]));
  for (const r of rows) delays.get(r.supplier_id)?.push(r.delay_days);
  return new Map([...delays].map(([id, d]) => [id, reliability(d).grade]));
}

/** Writes the changed rows under one stamp and their events, as writeOffers + appendEvents do. */
class Writer {
  readonly #stamp: BetterSqlite3.Statement;
  readonly #upsert: BetterSqlite3.Statement;
  readonly #event: BetterSqlite3.Statement;
  constructor(db: BetterSqlite3.Database) {
    this.#stamp = db.prepare('select coalesce(max(change_xid), 0) + 1 as next from offered_stock where org_id = ?');
    this.#upsert = db.prepare(
      'insert into offered_stock (org_id, channel_id, product_id, offered, physical, incoming, change_xid, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)' +
        ' on conflict (channel_id, product_id) do update set offered = excluded.offered, physical = excluded.physical, incoming = excluded.incoming,' +
        ' change_xid = excluded.change_xid, updated_at = excluded.updated_at',
    );
    this.#event = db.prepare('insert into events (id, org_id, type, subject_type, subject_id, payload, created_at) values (?, ?, ?, ?, ?, ?, ?)');
  }
  write(orgId: string, diff: Diff, at: string): void {
    if (diff.rows.length > 0) {
      const stamp = (this.#stamp.get(orgId) as { next: number }).next;
      for (const r of diff.rows) this.#upsert.run(orgId, r.channel_id, r.product_id, r.offered, r.physical, r.incoming, stamp, at);
    }
    for (const e of diff.events) this.#event.run(newId('evt'), orgId, 'offered_stock.changed', 'product', e.subjectId, JSON.stringify(e.payload), at);
  }
}

export function openRaw(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** Every SKU of the organisation in one transaction, each kind of row read once for all of them. */
export function rawFullRecompute(file: string, orgId: string, at: string): RawResult {
  const db = openRaw(file);
  try {
    const today = at.slice(0, 10);
    const writer = new Writer(db);
    const t0 = nowMs();
    db.exec('begin immediate');
    const shared = readShared(db, orgId);
    const products = db.prepare('select id, sku, backorder_policy, safety_buffer, acceptance_ratio from products where org_id = ? order by id').all(orgId) as ProductRow[];
    const incoming = db.prepare(`${INCOMING} order by pl.po_id, pl.line_no`).all(orgId) as IncomingRow[];
    const delays = db.prepare('select supplier_id, delay_days from purchase_orders where org_id = ? and first_received_at is not null').all(orgId) as { supplier_id: string; delay_days: number }[];
    const daily = db
      .prepare('select product_id, sum(units) as units from product_daily_sales where org_id = ? and day >= ? and day < ? group by product_id')
      .all(orgId, addDays(today, -SALES_DAYS), today) as { product_id: string; units: number }[];
    const available = db
      .prepare('select s.product_id, s.location_id, l.code, s.on_hand - s.reserved as available from stock_levels s join locations l on l.id = s.location_id where s.org_id = ? order by l.code')
      .all(orgId) as AvailableRow[];
    const promised = db
      .prepare('select p.po_id, p.po_line_no, o.channel_id, sum(p.qty) as qty from promises p join orders o on o.id = p.order_id where p.org_id = ? group by p.po_id, p.po_line_no, o.channel_id')
      .all(orgId) as PromisedRow[];
    const stored = db.prepare('select channel_id, product_id, offered, physical, incoming from offered_stock where org_id = ?').all(orgId) as StoredRow[];
    const diff = offersAndChanges(
      {
        ...shared,
        products,
        incoming,
        grades: gradesOf(delays, new Set(incoming.map((r) => r.supplier_id))),
        available,
        promised,
        dailyUnits: new Map(daily.map((d) => [d.product_id, Number(d.units) / SALES_DAYS])),
        stored,
      },
      today,
    );
    writer.write(orgId, diff, at);
    db.exec('commit');
    return { ms: nowMs() - t0, skus: products.length, rowsWritten: diff.rows.length, events: diff.events.length };
  } finally {
    db.close();
  }
}

/** One SKU at a time, with the service's statements prepared once. */
export class RawSkuRefresh {
  readonly #db: BetterSqlite3.Database;
  readonly #orgId: string;
  readonly #writer: Writer;
  readonly #s: Record<'org' | 'seasons' | 'channels' | 'links' | 'incoming' | 'product' | 'daily' | 'available' | 'promised' | 'stored', BetterSqlite3.Statement>;
  readonly #grades = new Map<number, BetterSqlite3.Statement>();

  constructor(db: BetterSqlite3.Database, orgId: string) {
    this.#db = db;
    this.#orgId = orgId;
    this.#writer = new Writer(db);
    this.#s = {
      org: db.prepare('select backorders_enabled, acceptance_ratio, default_safety_buffer, preorder_days, erratic_ratio_factor, capped_sales_days from organisations where id = ?'),
      seasons: db.prepare('select * from seasons where org_id = ? order by starts_on'),
      channels: db.prepare('select * from channels where org_id = ? order by code'),
      links: db.prepare('select channel_id, location_id from channel_locations where org_id = ? order by channel_id, position'),
      incoming: db.prepare(`${INCOMING} and pl.product_id in (?) order by pl.po_id, pl.line_no`),
      product: db.prepare('select id, sku, backorder_policy, safety_buffer, acceptance_ratio from products where org_id = ? and id in (?)'),
      daily: db.prepare('select product_id, sum(units) as units from product_daily_sales where product_id in (?) and day >= ? and day < ? group by product_id'),
      available: db.prepare('select s.product_id, s.location_id, l.code, s.on_hand - s.reserved as available from stock_levels s inner join locations l on l.id = s.location_id where s.product_id in (?) order by l.code'),
      promised: db.prepare('select p.po_id, p.po_line_no, o.channel_id, sum(p.qty) as qty from promises p inner join orders o on o.id = p.order_id where p.product_id in (?) group by p.po_id, p.po_line_no, o.channel_id'),
      stored: db.prepare('select channel_id, product_id, offered, physical, incoming from offered_stock where org_id = ? and product_id in (?)'),
    };
  }

  #gradeStatement(n: number): BetterSqlite3.Statement {
    let s = this.#grades.get(n);
    if (!s) {
      s = this.#db.prepare(`select supplier_id, delay_days from purchase_orders where org_id = ? and supplier_id in (${Array(n).fill('?').join(',')}) and first_received_at is not null`);
      this.#grades.set(n, s);
    }
    return s;
  }

  /** Reads, computes and writes the offers of one SKU in the caller's transaction; returns what it wrote. */
  refresh(productId: string, at: string): Diff {
    const s = this.#s;
    const orgId = this.#orgId;
    const today = at.slice(0, 10);
    const incoming = s.incoming.all(orgId, productId) as IncomingRow[];
    const suppliers = [...new Set(incoming.map((r) => r.supplier_id))];
    const o = s.org.get(orgId) as Database['organisations'];
    const seasons = s.seasons.all(orgId) as Database['seasons'][];
    const channels = s.channels.all(orgId) as ChannelsTable[];
    const links = s.links.all(orgId) as { channel_id: string; location_id: string }[];
    const products = s.product.all(orgId, productId) as ProductRow[];
    const daily = s.daily.all(productId, addDays(today, -SALES_DAYS), today) as { product_id: string; units: number }[];
    const delays = suppliers.length ? (this.#gradeStatement(suppliers.length).all(orgId, ...suppliers) as { supplier_id: string; delay_days: number }[]) : [];
    const available = s.available.all(productId) as AvailableRow[];
    const promised = s.promised.all(productId) as PromisedRow[];
    const stored = s.stored.all(orgId, productId) as StoredRow[];
    const diff = offersAndChanges(
      {
        organisation: {
          backordersEnabled: o.backorders_enabled === 1,
          acceptanceRatio: Number(o.acceptance_ratio),
          defaultSafetyBuffer: o.default_safety_buffer,
          preorderDays: o.preorder_days,
          erraticRatioFactor: Number(o.erratic_ratio_factor),
          cappedSalesDays: o.capped_sales_days === null ? null : Number(o.capped_sales_days),
          seasons: seasons.map(toSeason),
        },
        channels: channels.map((c) => ({
          id: c.id,
          code: c.code,
          acceptsBackorders: c.accepts_backorders === 1,
          share: c.share === null ? null : Number(c.share),
          safetyBuffer: c.safety_buffer,
          window: channelWindow(c),
          locationIds: links.filter((l) => l.channel_id === c.id).map((l) => l.location_id),
        })),
        products,
        incoming,
        grades: gradesOf(delays, suppliers),
        available,
        promised,
        dailyUnits: new Map(daily.map((d) => [d.product_id, Number(d.units) / SALES_DAYS])),
        stored,
      },
      today,
    );
    this.#writer.write(orgId, diff, at);
    return diff;
  }
}
