/**
 * The properties every receiving concurrency scenario must keep (SPEC §2, R4, R5, R19), as soft
 * assertions so one run reports every broken one. Each takes what the clients were told (`sent`)
 * and the rows in the database (`Rows`), never the API under test's own reading of itself.
 */
import { expect } from 'vitest';
import { request, statusHistogram } from './processes.js';
import { isLive, sum, sumBy, type Rows } from './receiving-rows.js';
import type { ReceiptBody, Sent } from './receiving-workload.js';

export const is2xx = (s: Sent) => s.res.status >= 200 && s.res.status < 300;
export const goodOf = (b: ReceiptBody) => sum(b.lines.map((l) => l.good));
export const damagedOf = (b: ReceiptBody) => sum(b.lines.map((l) => l.damaged ?? 0));

/** A receipt a client got a 2xx for; a replay under the same key is the same receipt. */
export interface Accepted {
  readonly id: string;
  readonly po: string;
  readonly body: ReceiptBody;
  readonly view: any;
}

/** No 5xx, no transport failure, no lock error text; every order accepted and its 201 adds up. */
export function checkTransport(sent: readonly Sent[], info: string) {
  expect.soft(sent.filter((s) => s.res.status >= 500).map((s) => `${s.label}: ${s.res.text.slice(0, 200)}`), `no 5xx: ${info}`).toEqual([]);
  expect.soft(sent.filter((s) => s.res.status === 0).map((s) => s.res.text), `no transport failures: ${info}`).toEqual([]);
  expect.soft(sent.filter((s) => /SQLITE_BUSY|database is locked|deadlock|could not serialize/i.test(s.res.text)).length, `no lock error text: ${info}`).toBe(0);
  const orders = sent.filter((s) => s.kind === 'order');
  expect.soft(statusHistogram(orders.map((s) => s.res)), `every new order is accepted with 201: ${info}`).toEqual(orders.length ? { '201': orders.length } : {});
  const bad = orders.filter((s) => {
    const line = s.res.body?.lines?.[0];
    return s.res.status === 201 && (!line || line.reserved + line.waiting !== (s.body as any).lines[0].qty);
  });
  expect.soft(bad.map((s) => s.res.text.slice(0, 300)), 'every 201 says where each ordered unit is: reserved + waiting = qty').toEqual([]);
}

/** The 2xx receipt answers, by receipt id; each lists what was sent and puts every good unit somewhere, once. */
export function acceptedReceipts(sent: readonly Sent[], sku: string, poOf: (s: Sent) => string): Map<string, Accepted> {
  const accepted = new Map<string, Accepted>();
  for (const s of sent.filter((r) => r.kind === 'receipt' && is2xx(r))) {
    const view = s.res.body;
    const body = s.body as ReceiptBody;
    accepted.set(view.id, { id: view.id, po: poOf(s), body, view });
    const docked = sum((view.crossDock as any[]).map((c) => c.qty));
    const putAway = sum((view.putAway as any[]).map((p) => p.qty));
    expect.soft(view.lines, `${s.label}: the receipt lists what was sent`).toEqual(body.lines.map((l) => ({ sku: l.sku, good: l.good, damaged: l.damaged ?? 0 })));
    expect.soft(docked + putAway, `${s.label}: every good unit is cross-docked or put away, once (R5)`).toBe(goodOf(body));
    expect.soft((view.crossDock as any[]).filter((c) => !(c.qty > 0) || c.sku !== sku).length, `${s.label}: cross-dock rows name the SKU and a positive qty`).toBe(0);
  }
  return accepted;
}

/** Cancellations answer 200, or 409 INVALID_TRANSITION when a concurrent cancel got there first; a 200 shows it done (R19). */
export function checkCancelAnswers(sent: readonly Sent[], info: string) {
  const cancels = sent.filter((s) => s.kind === 'cancel-order' || s.kind === 'cancel-part');
  const bad = cancels.filter((s) => s.res.status !== 200 && !(s.res.status === 409 && s.res.body?.code === 'INVALID_TRANSITION'));
  expect.soft(bad.map((s) => `${s.label}: ${s.res.status} ${s.res.text.slice(0, 200)}`), `cancellations answer 200 or 409 INVALID_TRANSITION: ${info}`).toEqual([]);
  const notDone: string[] = [];
  for (const s of cancels.filter((c) => c.res.status === 200)) {
    const parts = s.res.body.parts as any[];
    if (s.kind === 'cancel-order') {
      // R19: cancelling the order cancels every unshipped part, one a receipt split off meanwhile too.
      const left = parts.filter((p) => isLive(p.status));
      if (left.length > 0) notDone.push(`${s.label} ${s.orderId}: answered with ${left.map((p) => `${p.id} ${p.status} ${JSON.stringify(p.lines)}`).join(', ')}`);
    } else if (parts.find((p) => p.id === s.partId)?.status !== 'cancelled') {
      notDone.push(`${s.label} ${s.orderId}/${s.partId}: part not cancelled in the answer`);
    }
  }
  expect.soft(notDone, 'a 200 cancel answers with the order as cancelled: no unshipped part left (R19)').toEqual([]);
}

/** SPEC §2: 0 ≤ reserved ≤ on hand; per level, Σ movements = on hand and = reserved. */
export function checkLedger(rows: Rows) {
  const { levels, movements } = rows;
  for (const l of levels) {
    expect.soft(l.reserved, 'reserved ≥ 0').toBeGreaterThanOrEqual(0);
    expect.soft(l.reserved, 'reserved ≤ on hand').toBeLessThanOrEqual(l.on_hand);
  }
  const key = (r: { product_id: string; location_id: string }) => `${r.product_id}|${r.location_id}`;
  const onHand = sumBy(movements, key, (m) => m.on_hand_delta);
  const reserved = sumBy(movements, key, (m) => m.reserved_delta);
  expect.soft(
    levels.map((l) => [key(l), onHand.get(key(l)) ?? 0, reserved.get(key(l)) ?? 0]),
    'ledger: per level, Σ on_hand_delta = on hand and Σ reserved_delta = reserved',
  ).toEqual(levels.map((l) => [key(l), l.on_hand, l.reserved]));
  expect.soft([...onHand.keys()].filter((k) => !levels.some((l) => key(l) === k)), 'no movement for a level that does not exist').toEqual([]);
}

/**
 * R5: what each receipt answered as its cross-dock list is what it stored, with one
 * purchase_order.received event counting the units; each stored row has its own allocation
 * movement (same part, location, qty, instant), so Σ receipt_allocations = the reservations the
 * receipts made.
 */
export function checkCrossDock(rows: Rows, accepted: Map<string, Accepted>) {
  const { movements, receipts, allocations, receivedEvents } = rows;
  for (const a of accepted.values()) {
    const stored = allocations.filter((r) => r.receipt_id === a.id);
    expect.soft(stored.map((r) => [r.order_id, r.part_id, r.qty]), `receipt ${a.id} (${a.po}): the stored cross-dock list is the one answered`).toEqual(
      (a.view.crossDock as any[]).map((c) => [c.orderId, c.partId, c.qty]),
    );
    const events = receivedEvents.filter((e) => JSON.parse(e.payload).receiptId === a.id);
    expect.soft(events.map((e) => JSON.parse(e.payload).crossDockUnits), `receipt ${a.id}: one purchase_order.received event with its cross-dock units`).toEqual([sum(stored.map((r) => r.qty))]);
  }
  const mkey = (part: string, loc: string, qty: number, at: string) => `${part}|${loc}|${qty}|${at}`;
  const unmatched = new Map<string, number>();
  for (const m of movements.filter((m) => m.kind === 'allocation' && m.part_id)) {
    const k = mkey(m.part_id!, m.location_id, m.reserved_delta, m.created_at);
    unmatched.set(k, (unmatched.get(k) ?? 0) + 1);
  }
  const createdAt = new Map(receipts.map((r) => [r.id, r.created_at]));
  const orphans: string[] = [];
  for (const r of allocations) {
    const k = mkey(r.part_id, r.location_id, r.qty, createdAt.get(r.receipt_id) ?? '?');
    const n = unmatched.get(k) ?? 0;
    if (n === 0) orphans.push(`${r.receipt_id}#${r.seq} ${r.part_id} ${r.qty}`);
    else unmatched.set(k, n - 1);
  }
  expect.soft(orphans, 'Σ receipt_allocations = the allocation movements the receipts wrote, row for row').toEqual([]);
}

/**
 * Orders, parts and part lines. `placed` are the 201 bodies of every order (their intake split).
 * Reserved = located units of live parts; every ordered unit is in exactly one part line; per
 * part, located units = its allocation movements and only a cancel released them; no order or
 * part got more units after intake than it waited for; nothing available while units wait.
 */
export function checkOrders(rows: Rows, placed: readonly any[]) {
  const { levels, movements, orders, orderLines, parts, partLines, allocations } = rows;
  expect.soft(orders.length, 'orders stored = orders accepted').toBe(placed.length);
  const partStatus = new Map(parts.map((p) => [p.id, p.status]));
  const partOrder = new Map(parts.map((p) => [p.id, p.order_id]));
  const live = partLines.filter((l) => isLive(partStatus.get(l.part_id) ?? '?'));
  const reservedInParts = sum(live.filter((l) => l.location_id !== null).map((l) => l.qty));
  const waitingInParts = sum(live.filter((l) => l.location_id === null).map((l) => l.qty));
  expect.soft(sum(levels.map((l) => l.reserved)), 'reserved = units in live (open/backorder) part lines that have a location').toBe(reservedInParts);
  if (waitingInParts > 0) {
    // R5/R19: units that arrive or are freed go at once to whoever waits; none lie idle meanwhile.
    expect.soft(sum(levels.map((l) => l.on_hand - l.reserved)), `nothing available while ${waitingInParts} units wait`).toBe(0);
  }

  const inParts = sumBy(partLines, (l) => `${l.order_id}#${l.line_no}`, (l) => l.qty);
  const lost = orderLines.filter((ol) => inParts.get(`${ol.order_id}#${ol.line_no}`) !== ol.qty);
  expect.soft(
    lost.map((ol) => `${ol.order_id}#${ol.line_no}: ordered ${ol.qty}, in parts ${inParts.get(`${ol.order_id}#${ol.line_no}`)}`),
    'Σ part lines (live + cancelled) = ordered, per order line: no unit lost or duplicated',
  ).toEqual([]);
  expect.soft(partLines.filter((l) => partOrder.get(l.part_id) !== l.order_id).length, 'part lines belong to their part’s order').toBe(0);

  const byPart = (kind: string) => sumBy(movements.filter((m) => m.kind === kind && m.part_id), (m) => m.part_id!, (m) => m.reserved_delta);
  const allocated = byPart('allocation');
  const released = byPart('release');
  const locatedByPart = sumBy(partLines.filter((l) => l.location_id !== null), (l) => l.part_id, (l) => l.qty);
  const waitingByPart = sumBy(partLines.filter((l) => l.location_id === null), (l) => l.part_id, (l) => l.qty);
  const partErrors: string[] = [];
  for (const p of parts) {
    const has = locatedByPart.get(p.id) ?? 0;
    const waits = waitingByPart.get(p.id) ?? 0;
    if ((allocated.get(p.id) ?? 0) !== has) partErrors.push(`${p.id} ${p.status}: ${has} located, ${allocated.get(p.id) ?? 0} allocated in the ledger`);
    const expectReleased = p.status === 'cancelled' ? -has : 0;
    if ((released.get(p.id) ?? 0) !== expectReleased) partErrors.push(`${p.id} ${p.status}: released ${released.get(p.id) ?? 0}, expected ${expectReleased}`);
    if (p.status === 'backorder' && waits === 0) partErrors.push(`${p.id}: backorder with nothing waiting (R4: a covered part becomes open)`);
    if (p.status === 'open' && waits > 0) partErrors.push(`${p.id}: open with ${waits} units waiting`);
  }
  expect.soft(partErrors, 'per part: located units = its allocation movements, released only by its cancel and then all; status fits its lines').toEqual([]);
  expect.soft(
    movements.filter((m) => (m.kind === 'allocation' || m.kind === 'release') && !partStatus.has(m.part_id ?? '')).length,
    'every allocation and release names a stored part',
  ).toBe(0);

  const docked = sumBy(allocations, (r) => r.order_id, (r) => r.qty);
  const allocatedByOrder = sumBy(movements.filter((m) => m.kind === 'allocation' && m.order_id), (m) => m.order_id!, (m) => m.reserved_delta);
  const over: string[] = [];
  for (const o of placed) {
    const waited = o.lines[0].waiting as number;
    const later = (allocatedByOrder.get(o.id) ?? 0) - (o.lines[0].reserved as number);
    if (later > waited) over.push(`${o.externalId}: ${later} units after intake, waited for ${waited}`);
    if ((docked.get(o.id) ?? 0) > waited) over.push(`${o.externalId}: ${docked.get(o.id)} cross-docked, waited for ${waited}`);
    const waitingPart = (o.parts as any[]).find((p) => p.status === 'backorder');
    const partWaited = sum(((waitingPart?.lines ?? []) as any[]).filter((l) => l.location === null).map((l) => l.qty));
    const dockedToPart = sum(allocations.filter((r) => r.part_id === waitingPart?.id).map((r) => r.qty));
    if (dockedToPart > partWaited) over.push(`${o.externalId} part ${waitingPart.id}: ${dockedToPart} cross-docked, waited for ${partWaited}`);
  }
  for (const [partId, qty] of sumBy(allocations, (r) => r.part_id, (r) => r.qty)) {
    if (qty > (locatedByPart.get(partId) ?? 0)) over.push(`part ${partId}: cross-docked ${qty}, holds ${locatedByPart.get(partId) ?? 0}`);
  }
  expect.soft(over, 'no unit handed out twice: no order or part got more than it waited for').toEqual([]);
}

/** What a cancel said it did, or found already done (409), is what is stored (R19). */
export function checkCancellations(rows: Rows, sent: readonly Sent[]) {
  const status = new Map(rows.parts.map((p) => [p.id, p.status]));
  const wrong: string[] = [];
  for (const s of sent.filter((c) => (c.kind === 'cancel-order' || c.kind === 'cancel-part') && (c.res.status === 200 || c.res.status === 409))) {
    if (s.kind === 'cancel-part' && status.get(s.partId!) !== 'cancelled') wrong.push(`${s.label} ${s.partId} (${s.res.status}): part is ${status.get(s.partId!)}`);
    if (s.kind === 'cancel-order') {
      const left = rows.parts.filter((p) => p.order_id === s.orderId && isLive(p.status));
      if (left.length > 0) wrong.push(`${s.label} ${s.orderId} (${s.res.status}): parts still ${left.map((p) => `${p.id} ${p.status}`).join(', ')}`);
    }
  }
  expect.soft(wrong, 'R19: a cancelled order has no live part left; a cancelled part is cancelled').toEqual([]);
}

/**
 * R3 + R7 after the storm: every PO line's promised count is the sum of its promise rows and
 * never above floor(incoming × ratio) (nothing promised on a closed PO); every promise belongs to
 * a waiting line of a live backorder part, which is promised at most what it waits for, and is
 * flagged oversold exactly when some of its units have no promise.
 */
export function checkPromises(rows: Rows) {
  const ratio = Number(rows.organisation.acceptance_ratio);
  const openPo = new Set(rows.purchaseOrders.filter((po) => po.status === 'open' || po.status === 'partially_received').map((po) => po.id));
  const perPoLine = sumBy(rows.promises, (p) => `${p.po_id}|${p.po_line_no}`, (p) => p.qty);
  for (const l of rows.poLines) {
    const promised = perPoLine.get(`${l.po_id}|${l.line_no}`) ?? 0;
    expect(l.qty_promised, `qty_promised of ${l.po_id}/${l.line_no}`).toBe(promised);
    const incoming = l.qty_ordered - l.qty_received - l.qty_damaged - l.qty_cancelled;
    const capacity = openPo.has(l.po_id) ? Math.floor(Math.max(0, incoming) * ratio + 1e-9) : 0;
    expect(promised, `promised on ${l.po_id}/${l.line_no} (incoming ${incoming})`).toBeLessThanOrEqual(capacity);
  }
  const statusOf = new Map(rows.parts.map((p) => [p.id, p.status]));
  const waiting = new Map(rows.partLines.filter((l) => l.location_id === null && statusOf.get(l.part_id) === 'backorder').map((l) => [l.id, l]));
  const perLine = sumBy(rows.promises, (p) => p.part_line_id, (p) => p.qty);
  for (const p of rows.promises) expect(waiting.has(p.part_line_id), `promise of ${p.part_line_id} belongs to a waiting line`).toBe(true);
  for (const l of waiting.values()) {
    const promised = perLine.get(l.id) ?? 0;
    expect(promised, `promised to ${l.id}`).toBeLessThanOrEqual(l.qty);
    expect(l.oversold, `oversold flag of ${l.id} (${promised} of ${l.qty} promised)`).toBe(promised < l.qty ? 1 : 0);
  }
}

/**
 * R7 after the storm, through the API of another process: every channel's stored offer (the
 * list refreshes pending marks first) is the value computed now; each breakdown adds up; what
 * the lines say is promised is what the PO lines count; a channel never holds more of a line
 * than its allotment plus the line's pool; and the channels' incoming offers together never
 * exceed what the lines have left — no incoming unit is offered twice.
 */
export async function checkOffers(baseUrl: string, key: string, channels: readonly string[], sku: string, rows: Rows) {
  const list = await request(baseUrl, 'GET', `/v1/offered-stock?sku=${sku}&limit=200`, { key });
  expect(list.status, list.text).toBe(200);
  const breakdowns: any[] = [];
  for (const channel of channels) {
    const res = await request(baseUrl, 'GET', `/v1/offered-stock/${channel}/${sku}`, { key });
    expect(res.status, res.text).toBe(200);
    breakdowns.push(res.body);
  }
  const lineKey = (l: any) => `${l.purchaseOrderId}|${l.lineNo}`;
  const allotted = sumBy(breakdowns.flatMap((b) => b.incoming.lines), lineKey, (l: any) => l.allotment);
  const left = new Map<string, number>();
  for (const b of breakdowns) {
    expect.soft(list.body.items.find((i: any) => i.channel === b.channel)?.offered, `stored offer of ${b.channel} = the value computed now`).toBe(b.offered);
    expect.soft(b.offered, `${b.channel}: offered = physical + incoming`).toBe(b.physical.units + b.incoming.units);
    expect.soft(b.incoming.units, `${b.channel}: incoming = Σ lines`).toBe(sum(b.incoming.lines.map((l: any) => l.units)));
    for (const l of b.incoming.lines) {
      const line = rows.poLines.find((p) => p.po_id === l.purchaseOrderId && p.line_no === l.lineNo)!;
      const pool = l.capacity - allotted.get(lineKey(l))!;
      expect.soft(l.promisedTotal, `${l.purchaseOrder}/${l.lineNo}: promised in the breakdown = qty_promised`).toBe(line.qty_promised);
      expect.soft(l.promisedTotal, `${l.purchaseOrder}/${l.lineNo}: promised ≤ capacity`).toBeLessThanOrEqual(l.capacity);
      expect.soft(l.promisedToChannel, `${b.channel} on ${l.purchaseOrder}: within its allotment (${l.allotment}) and the line's pool (${pool})`).toBeLessThanOrEqual(l.allotment + pool);
      left.set(lineKey(l), Math.max(0, l.capacity - l.promisedTotal));
    }
  }
  const offeredIncoming = sum(breakdowns.map((b) => b.incoming.units));
  console.info(
    `offers after the storm: ${breakdowns.map((b) => `${b.channel} ${b.offered} (physical ${b.physical.units}, incoming ${b.incoming.units})`).join(', ')};` +
      ` lines: ${[...left].map(([k, v]) => `${k.split('|')[1]}: ${v} left`).join(', ')}; promised ${sum(rows.poLines.map((l) => l.qty_promised))}`,
  );
  expect.soft(offeredIncoming, 'Σ channels\' incoming offers ≤ Σ lines\' capacity left').toBeLessThanOrEqual(sum([...left.values()]));
}
