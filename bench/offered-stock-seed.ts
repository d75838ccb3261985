/**
 * The bulk rows of the offered-stock workload, inserted set-based (multi-row VALUES, one
 * transaction) instead of 100,000 createProduct calls. They are the rows the services would have
 * written: products with their product.created events and one offered_stock row of 0 per
 * (channel, product) (ensureOfferRows); stock levels with their ledger rows and stock.adjusted
 * events (adjustStock); suppliers; received purchase orders (the delivery history R8 grades
 * suppliers by) with their receipts, receipt lines and receipt movements; open purchase orders
 * whose arrival is expected + the supplier's p80 delay (createPurchaseOrder); and 28 days of
 * product_daily_sales for part of the catalogue (what addDailySales keeps; the orders behind
 * those sales are not seeded — nothing in the offers reads them).
 *
 * The offered values stay 0: the state right after an import, before the first full recompute.
 * No order waits yet; the incremental measurement's orders make promises of their own.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { addDays, arrivalDate } from '../src/domain/promise-plan.js';
import { reliability } from '../src/domain/supplier-reliability.js';
import { newId } from '../src/ids.js';
import type { Services } from '../src/services/context.js';
import type { Dialect } from '../src/store/db.js';
import type { Database } from '../src/store/schema.js';
import { rng } from './intake-workload.js';
import { CHANNELS, LOCATIONS, type OfferOrg, type OfferWorkload, type OrderTarget } from './offered-stock-workload.js';

export interface SeedCounts {
  readonly products: number;
  readonly stockLevels: number;
  readonly movements: number;
  readonly suppliers: number;
  readonly historyPurchaseOrders: number;
  readonly openPurchaseOrders: number;
  readonly openLines: number;
  readonly skusWithIncoming: number;
  readonly dailySalesRows: number;
  readonly skusWithSales: number;
  readonly offerRows: number;
  readonly events: number;
}

export interface Seeded {
  readonly counts: SeedCounts;
  /** SKUs with an open line, in a deterministic shuffled order: the incremental measurement takes them in turn. */
  readonly targets: readonly OrderTarget[];
}

/** Most rows per statement: rows × columns stays under SQLite's 32,766 parameters. */
const MAX_PARAMS = 30_000;

async function insertRows(tx: Kysely<Database>, dialect: Dialect, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  const per = Math.floor(MAX_PARAMS / columns.length);
  const one = `(${columns.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += per) {
    const batch = rows.slice(i, i + per);
    let text = `insert into ${table} (${columns.join(', ')}) values ${Array(batch.length).fill(one).join(',')}`;
    if (dialect === 'postgres') {
      let n = 0;
      text = text.replace(/\?/g, () => `$${++n}`);
    }
    await tx.executeQuery(CompiledQuery.raw(text, batch.flat()));
  }
}

const EVENT_COLUMNS = ['id', 'org_id', 'type', 'subject_type', 'subject_id', 'payload', 'created_at'];
/** Delays (days late) of the first receipts of the suppliers with a history: reliable ones, then erratic ones. */
const RELIABLE_DELAYS = [0, 0, 1, 0, 1, 0];
const ERRATIC_DELAYS = [0, 5, 12, -1, 8, 3];

export async function seedCatalogue(services: Services, org: OfferOrg, w: OfferWorkload, now: Date): Promise<Seeded> {
  const at = now.toISOString();
  const today = at.slice(0, 10);
  const r = rng(w.seed * 1_000_003 + 17);
  const dialect = services.store.dialect;
  const orgId = org.orgId;
  const by = org.caller.keyId;
  const events: unknown[][] = [];
  const event = (type: string, subjectType: string, subjectId: string, payload: Record<string, unknown>) =>
    events.push([newId('evt'), orgId, type, subjectType, subjectId, JSON.stringify(payload), at]);

  // Products: mostly inheriting the organisation's policy; a few pre-order, deny, own ratio, own buffer.
  const products: unknown[][] = [];
  const ids: string[] = [];
  const prices: number[] = [];
  for (let i = 0; i < w.products; i++) {
    const id = newId('prd');
    const sku = `OFR-${String(i + 1).padStart(6, '0')}`;
    const u = r();
    const policy = u < 0.02 ? 'preorder' : u < 0.05 ? 'deny' : 'inherit';
    const ratio = r() < 0.05 ? 0.5 : null;
    const buffer = r() < 0.03 ? 2 : null;
    const price = 500 + Math.floor(r() * 20_000);
    products.push([id, orgId, sku, `Product ${i + 1}`, price, Math.floor(price / 2), policy, buffer, ratio, at, at]);
    ids.push(id);
    prices.push(price);
    event('product.created', 'product', sku, {
      sku, name: `Product ${i + 1}`, price: price / 100, cost: Math.floor(price / 2) / 100, backorderPolicy: policy, safetyBuffer: buffer, acceptanceRatio: ratio, createdAt: at, updatedAt: at, by,
    });
  }
  const skuOf = (i: number) => products[i]![2] as string;

  // Stock: a level at Amsterdam for 90 % of SKUs (a fifth of those sold out), at Rotterdam for half.
  const locA = org.locationIds[LOCATIONS[0].code]!;
  const locB = org.locationIds[LOCATIONS[1].code]!;
  const onHand = new Map<string, number>();
  for (let i = 0; i < w.products; i++) {
    if (r() < 0.9) onHand.set(`${i}|${locA}`, r() < 0.2 ? 0 : 1 + Math.floor(r() * 200));
    if (r() < 0.5) onHand.set(`${i}|${locB}`, r() < 0.2 ? 0 : 1 + Math.floor(r() * 200));
  }

  // Suppliers; the first ones have a delivery history: six received purchase orders of one line each.
  const suppliers = Array.from({ length: w.suppliers }, (_, s) => ({ id: newId('sup'), name: `Supplier ${String(s + 1).padStart(2, '0')}`, delays: [] as number[] }));
  const historyPos: unknown[][] = [];
  const historyLines: unknown[][] = [];
  const receipts: unknown[][] = [];
  const receiptLines: unknown[][] = [];
  const received = new Map<string, number>();
  const receiptMovements: unknown[][] = [];
  for (let s = 0; s < w.suppliersWithHistory; s++) {
    const delays = s < Math.ceil(w.suppliersWithHistory / 2) ? RELIABLE_DELAYS : ERRATIC_DELAYS;
    delays.forEach((delay, k) => {
      const poId = newId('po');
      const number = `H-${s + 1}-${k + 1}`;
      const expected = addDays(today, -90 + k * 12);
      const when = `${addDays(expected, delay)}T10:00:00.000Z`;
      // A product stocked at Amsterdam with at least the received units: its level includes them.
      let i = Math.floor(r() * w.products);
      while ((onHand.get(`${i}|${locA}`) ?? 0) < 10 || received.has(`${i}|${locA}`)) i = (i + 1) % w.products;
      received.set(`${i}|${locA}`, 10);
      historyPos.push([poId, orgId, number, suppliers[s]!.id, locA, expected, expected, 'received', when, delay, at, at]);
      historyLines.push([orgId, poId, 1, ids[i], 10, 10, 0, 0, 0, 0]);
      const receiptId = newId('rcp');
      receipts.push([receiptId, orgId, poId, when, at]);
      receiptLines.push([orgId, receiptId, 1, ids[i], 10, 0]);
      receiptMovements.push([newId('mov'), orgId, ids[i], locA, 'receipt', 10, 0, null, null, `purchase order ${number}`, at]);
      suppliers[s]!.delays.push(delay);
    });
  }
  const p80 = suppliers.map((s) => reliability(s.delays).p80DelayDays);

  // Levels, each with the ledger rows adjustStock writes (a level at 0: one unit in, one damaged).
  const levels: unknown[][] = [];
  const movements: unknown[][] = [...receiptMovements];
  for (const [key, units] of onHand) {
    const [i, loc] = [Number(key.split('|')[0]), key.split('|')[1]!];
    const code = loc === locA ? LOCATIONS[0].code : LOCATIONS[1].code;
    levels.push([orgId, ids[i], loc, units, 0, at]);
    const adjusted = units - (received.get(key) ?? 0);
    const steps: [string, number][] = units === 0 ? [['receipt', 1], ['damage', -1]] : adjusted > 0 ? [['adjustment', adjusted]] : [];
    for (const [kind, delta] of steps) {
      movements.push([newId('mov'), orgId, ids[i], loc, kind, delta, 0, null, null, null, at]);
      event('stock.adjusted', 'product', skuOf(i), { sku: skuOf(i), location: code, delta, kind, reason: null });
    }
  }

  // Open purchase orders: lines spread uniformly over the catalogue, expected from 3 days ago to 70 days ahead.
  const openPos: unknown[][] = [];
  const openLines: unknown[][] = [];
  const targetsAt = new Map<number, string>();
  const poCount = Math.ceil(w.openLines / w.linesPerPo);
  for (let p = 0; p < poCount; p++) {
    const poId = newId('po');
    const s = Math.floor(r() * w.suppliers);
    const loc = r() < 0.6 ? LOCATIONS[0] : LOCATIONS[1];
    const expected = addDays(today, -3 + Math.floor(r() * 74));
    const number = `PO-${String(p + 1).padStart(5, '0')}`;
    openPos.push([poId, orgId, number, suppliers[s]!.id, org.locationIds[loc.code], expected, arrivalDate(expected, p80[s]!), 'open', null, null, at, at]);
    const onThis = new Set<number>();
    const lines: { sku: string; qty: number }[] = [];
    for (let k = 0; k < Math.min(w.linesPerPo, w.openLines - p * w.linesPerPo); k++) {
      let i = Math.floor(r() * w.products);
      while (onThis.has(i)) i = (i + 1) % w.products;
      onThis.add(i);
      const qty = 10 + Math.floor(r() * 190);
      openLines.push([orgId, poId, k + 1, ids[i], qty, 0, 0, 0, 0, 0]);
      lines.push({ sku: skuOf(i), qty });
      if (!targetsAt.has(i)) targetsAt.set(i, loc.code);
    }
    event('purchase_order.created', 'purchase_order', poId, { id: poId, number, expectedDate: expected, lines });
  }

  // R8 velocity: every n-th SKU sold 0–6 units on each of the 28 days before today (a day with 0 has no row).
  const sales: unknown[][] = [];
  let skusWithSales = 0;
  for (let i = 0; i < w.products; i += w.salesEvery) {
    skusWithSales++;
    for (let d = 1; d <= 28; d++) {
      const units = Math.floor(r() * 7);
      if (units > 0) sales.push([orgId, ids[i], addDays(today, -d), units]);
    }
  }

  const channelIds = (await services.store.db.selectFrom('channels').select(['id', 'code']).where('org_id', '=', orgId).execute()).map((c) => c.id);
  if (channelIds.length !== CHANNELS.length) throw new Error('expected the four bench channels');

  await services.store.transact(async (tx) => {
    const ins = (table: string, columns: string[], rows: unknown[][]) => insertRows(tx, dialect, table, columns, rows);
    await ins('products', ['id', 'org_id', 'sku', 'name', 'price_cents', 'cost_cents', 'backorder_policy', 'safety_buffer', 'acceptance_ratio', 'created_at', 'updated_at'], products);
    await ins('stock_levels', ['org_id', 'product_id', 'location_id', 'on_hand', 'reserved', 'updated_at'], levels);
    await ins('stock_movements', ['id', 'org_id', 'product_id', 'location_id', 'kind', 'on_hand_delta', 'reserved_delta', 'order_id', 'part_id', 'reason', 'created_at'], movements);
    await ins('suppliers', ['id', 'org_id', 'name', 'lead_time_days', 'created_at', 'updated_at'], suppliers.map((s) => [s.id, orgId, s.name, 10, at, at]));
    for (const s of suppliers) event('supplier.created', 'supplier', s.id, { id: s.id, name: s.name });
    const poColumns = ['id', 'org_id', 'number', 'supplier_id', 'location_id', 'expected_date', 'arrival_date', 'status', 'first_received_at', 'delay_days', 'created_at', 'updated_at'];
    const lineColumns = ['org_id', 'po_id', 'line_no', 'product_id', 'qty_ordered', 'qty_received', 'qty_damaged', 'qty_cancelled', 'qty_promised', 'revision'];
    await ins('purchase_orders', poColumns, [...historyPos, ...openPos]);
    await ins('purchase_order_lines', lineColumns, [...historyLines, ...openLines]);
    await ins('receipts', ['id', 'org_id', 'po_id', 'received_at', 'created_at'], receipts);
    await ins('receipt_lines', ['org_id', 'receipt_id', 'line_no', 'product_id', 'good', 'damaged'], receiptLines);
    await ins('product_daily_sales', ['org_id', 'product_id', 'day', 'units'], sales);
    const offerRows = channelIds.flatMap((c) => ids.map((p) => [orgId, c, p, 0, 0, 0, 0, at]));
    await ins('offered_stock', ['org_id', 'channel_id', 'product_id', 'offered', 'physical', 'incoming', 'change_xid', 'updated_at'], offerRows);
    await ins('events', EVENT_COLUMNS, events);
  });

  const shuffle = rng(w.seed * 7 + 3);
  const targets = [...targetsAt].map(([i, location]) => ({ sku: skuOf(i), productId: ids[i]!, location, price: prices[i]! / 100, key: shuffle() }));
  targets.sort((a, b) => a.key - b.key);
  return {
    counts: {
      products: w.products,
      stockLevels: levels.length,
      movements: movements.length,
      suppliers: suppliers.length,
      historyPurchaseOrders: historyPos.length,
      openPurchaseOrders: openPos.length,
      openLines: openLines.length,
      skusWithIncoming: targetsAt.size,
      dailySalesRows: sales.length,
      skusWithSales,
      offerRows: channelIds.length * ids.length,
      events: events.length,
    },
    targets: targets.map(({ key: _, ...t }) => t),
  };
}
