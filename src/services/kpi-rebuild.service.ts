import { sql, type Kysely } from 'kysely';
import { tallyCancelledWaiting, tallyFill, tallyIntake, tallyPromise, tallyShipment, type IntakeLine } from '../domain/kpi-facts.js';
import { KpiTally } from '../domain/kpi-tally.js';
import type { Dialect } from '../store/db.js';
import { addKpis, deleteKpis } from '../store/kpi-daily.repository.js';
import {
  readCancelledWaiting,
  readCompletedPromises,
  readIntakeAllocations,
  readOrderLinesPage,
  readOtherFills,
  readOversoldIntakes,
  readReceiptFills,
  readShipments,
  type HistoryFill,
  type HistoryLine,
} from '../store/kpi-history.repository.js';
import type { Database } from '../store/schema.js';
import type { Services } from './context.js';

const ORDERS_PER_PAGE = 5000;

/**
 * R18: recomputes an organisation's KPI rows from stored history, replacing what is there; the
 * same facts counted by the same functions as the steps themselves. Runs in the caller's
 * transaction. On PostgreSQL it first locks the KPI tables against the steps' upserts
 * (share row exclusive: steps that want to add wait until the rebuild commits and then add
 * on top; steps committed before are in what it reads).
 */
export async function rebuildKpisInTx(tx: Kysely<Database>, dialect: Dialect, orgId: string): Promise<{ lines: number; rows: number }> {
  if (dialect === 'postgres') await sql`lock table kpi_daily, kpi_wait_days in share row exclusive mode`.execute(tx);
  await deleteKpis(tx, orgId);
  const tally = new KpiTally();
  const lines = await tallyLines(tx, orgId, tally);
  await tallyFills(tx, orgId, tally);
  for (const l of await readCancelledWaiting(tx, orgId)) tallyCancelledWaiting(tally, { placedAt: l.placed_at, channelId: l.channel_id, productId: l.product_id, qty: l.qty });
  await tallyShipments(tx, orgId, tally);
  await addKpis(tx, dialect, orgId, tally);
  return { lines, rows: tally.rows().length };
}

/** Every organisation's KPI rows again, one transaction per organisation. */
export async function rebuildAllKpis(services: Services, onOrg?: (org: { id: string; name: string; lines: number; rows: number }) => void) {
  const orgs = await services.store.db.selectFrom('organisations').select(['id', 'name']).orderBy('id').execute();
  for (const org of orgs) {
    const done = await services.store.transact((tx) => rebuildKpisInTx(tx, services.store.dialect, org.id));
    onOrg?.({ ...org, ...done });
  }
  return orgs.length;
}

async function tallyLines(tx: Kysely<Database>, orgId: string, tally: KpiTally): Promise<number> {
  const allocated = new Map<string, number>();
  for (const a of await readIntakeAllocations(tx, orgId)) allocated.set(`${a.order_id}|${a.product_id}`, Number(a.qty));
  const oversold = new Map<string, number>();
  for (const e of await readOversoldIntakes(tx, orgId)) {
    const payload = JSON.parse(e.payload) as { parts: { lines: { lineNo: number; qty: number; oversold: boolean }[] }[] };
    for (const l of payload.parts.flatMap((p) => p.lines)) {
      if (l.oversold) oversold.set(`${e.subject_id}|${l.lineNo}`, (oversold.get(`${e.subject_id}|${l.lineNo}`) ?? 0) + l.qty);
    }
  }
  let after: string | null = null;
  let count = 0;
  for (;;) {
    const { lines: page, lastOrderId } = await readOrderLinesPage(tx, orgId, after, ORDERS_PER_PAGE);
    if (lastOrderId === null) return count;
    for (const order of byOrder(page)) {
      const first = order[0]!;
      tallyIntake(tally, { placedAt: first.placed_at, channelId: first.channel_id, lines: intakeLines(order, allocated, oversold) });
    }
    count += page.length;
    after = lastOrderId;
  }
}

/**
 * The ledger holds intake's reservations per order and product; R3's split takes stock for an
 * order's lines in line order, so a product's reserved units go to its lines first to last.
 */
function intakeLines(lines: readonly HistoryLine[], allocated: ReadonlyMap<string, number>, oversold: ReadonlyMap<string, number>): IntakeLine[] {
  const left = new Map<string, number>();
  return lines.map((l) => {
    const key = `${l.order_id}|${l.product_id}`;
    const free = left.get(key) ?? allocated.get(key) ?? 0;
    const take = Math.min(free, l.qty);
    left.set(key, free - take);
    return { productId: l.product_id, qty: l.qty, allocated: take, oversold: oversold.get(`${l.order_id}|${l.line_no}`) ?? 0 };
  });
}

function byOrder(lines: readonly HistoryLine[]): HistoryLine[][] {
  const out: HistoryLine[][] = [];
  for (const l of lines) {
    const last = out[out.length - 1];
    if (last && last[0]!.order_id === l.order_id) last.push(l);
    else out.push([l]);
  }
  return out;
}

async function tallyFills(tx: Kysely<Database>, orgId: string, tally: KpiTally) {
  const fills = [...(await readReceiptFills(tx, orgId)), ...(await readOtherFills(tx, orgId))];
  const byPart = new Map<string, HistoryFill[]>();
  for (const f of fills) {
    tallyFill(tally, { placedAt: f.placed_at, allocatedAt: f.allocated_at, channelId: f.channel_id, productId: f.product_id, supplierId: f.supplier_id, qty: f.qty });
    const list = byPart.get(f.part_id) ?? [];
    list.push(f);
    byPart.set(f.part_id, list);
  }
  // A promise is judged by the step that handed a part its last waiting units.
  for (const part of await readCompletedPromises(tx, orgId)) {
    const into = byPart.get(part.id);
    if (!into) continue;
    const lastStep = into.reduce((a, f) => (f.step_at > a ? f.step_at : a), '');
    const last = into.filter((f) => f.step_at === lastStep);
    tallyPromise(tally, {
      allocatedAt: last[0]!.allocated_at,
      promisedDate: part.promised_date!,
      channelId: last[0]!.channel_id,
      supplierId: last[0]!.supplier_id,
      productIds: last.map((f) => f.product_id),
    });
  }
}

async function tallyShipments(tx: Kysely<Database>, orgId: string, tally: KpiTally) {
  const { parts, skus } = await readShipments(tx, orgId);
  const skusOf = new Map<string, string[]>();
  for (const s of skus) skusOf.set(s.part_id, [...(skusOf.get(s.part_id) ?? []), s.product_id]);
  let previousOrder: string | null = null;
  for (const p of parts) {
    // R17: an order's shipments after its first (in shipping order) have their shipping waived.
    tallyShipment(tally, { shippedAt: p.shipped_at!, channelId: p.channel_id, productIds: skusOf.get(p.id) ?? [], waived: p.order_id === previousOrder });
    previousOrder = p.order_id;
  }
}
